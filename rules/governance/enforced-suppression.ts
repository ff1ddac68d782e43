import { defineRule } from '../core/rule';

/** Raised by the engine's suppression pass when `policy.enforce` lists the suppressed rule. */
export default defineRule({
  code: 'G903',
  name: 'suppression-of-enforced-rule',
  category: 'governance',
  severity: 'error',
  appliesTo: [],
  docs: {
    summary: 'An inline suppression targets a rule that the project\'s policy (`policy.enforce` in mlready.yaml) makes impossible to suppress.',
    why: 'Some rules (secrets, for example) are the organisation\'s floor: they are fixed, not waived line by line. The finding stays reported, and the suppression is reported too.',
    example: 'API_KEY = "sk-live-…"  # mlready: ignore[S101] reason: test key',
    useInstead: 'API_KEY = os.environ["API_KEY"]',
  },
});
