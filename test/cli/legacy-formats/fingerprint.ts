// The formatter as it was before output was streamed (cli/formats/fingerprint.ts), verbatim but for import paths:
// the reference that test/cli/streaming.test.ts holds the streamed output to. Do not update it with the formats.
import { createHash } from 'crypto';
import type { Finding } from '../../../rules';

/**
 * Stable identities for findings, so that CI dashboards (GitLab code quality, GitHub code
 * scanning) track an issue across commits: built from the rule, file, cell and message, not from
 * line numbers (which move when code above changes). Identical findings in one file are told apart
 * by their order.
 */
export function fingerprints(findings: readonly Finding[]): Map<Finding, string> {
  const seen = new Map<string, number>();
  const out = new Map<Finding, string>();
  for (const f of findings) {
    const key = JSON.stringify([f.code, f.file, f.cell ?? null, f.message]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    out.set(f, createHash('sha256').update(`${key}#${n}`).digest('hex'));
  }
  return out;
}
