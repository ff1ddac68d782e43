import { defineRule } from '../core/rule';

/** Raised by the engine's suppression pass (core/engine.ts). */
export default defineRule({
  code: 'G901',
  name: 'suppression-without-reason',
  category: 'governance',
  severity: 'warning',
  appliesTo: [],
  docs: {
    summary: 'An inline `# mlready: ignore[…]` comment does not say why the finding is acceptable.',
    why: 'Suppressions are decisions. Without a reason, a reviewer or an auditor cannot tell an accepted risk from a silenced warning, and the suppression outlives the situation that justified it.',
    example: 'df = pd.read_csv("/mnt/data/train.csv")  # mlready: ignore[P102]',
    useInstead: 'df = pd.read_csv("/mnt/data/train.csv")  # mlready: ignore[P102] reason: volume mounted by the training job spec',
  },
});
