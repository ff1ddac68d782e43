import { defineRule } from '../core/rule';

/** Raised by the engine's suppression pass (core/engine.ts). */
export default defineRule({
  code: 'G902',
  name: 'unused-suppression',
  category: 'governance',
  severity: 'info',
  appliesTo: [],
  docs: {
    summary: 'A `# mlready: ignore[…]` comment names rules that report nothing on its line.',
    why: 'Stale suppressions hide the next real problem on that line and make the suppression audit longer than it should be.',
    example: 'df = pd.read_csv(DATA_PATH)  # mlready: ignore[P101] reason: old laptop path',
    useInstead: 'df = pd.read_csv(DATA_PATH)',
  },
});
