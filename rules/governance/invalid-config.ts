import { defineRule } from '../core/rule';

/** Raised by the workspace scan from the problems parseConfig returns. */
export default defineRule({
  code: 'G001',
  name: 'invalid-config',
  category: 'governance',
  severity: 'error',
  appliesTo: [],
  docs: {
    summary: 'mlready.yaml has a setting that mlready cannot use: invalid YAML, an unknown key, a wrong type or an unknown rule code.',
    why: 'A policy that silently does not apply is worse than none: the team believes a rule is enforced or a folder is ignored when it is not. mlready falls back to the defaults for the broken setting and says so here.',
    example: 'stage: prod          # not a stage\nrules:\n  P101: loud         # not a severity',
    useInstead: 'stage: production\nrules:\n  P101: error',
    language: 'yaml',
  },
});
