import { createHash } from 'crypto';
import type { Finding } from '../../rules';

/**
 * Stable identities for findings, so that CI dashboards (GitLab code quality, GitHub code
 * scanning) track an issue across commits: built from the rule, file, cell and message, not from
 * line numbers (which move when code above changes). Identical findings in one file are told apart
 * by their order.
 */
export function fingerprints(findings: readonly Finding[]): Map<Finding, string> {
  const next = fingerprinter();
  const out = new Map<Finding, string>();
  for (const f of findings) out.set(f, next(f));
  return out;
}

/**
 * The fingerprints one by one, for formats that print findings as they go: call it on every
 * finding of the report, in report order (the order tells identical findings apart). Only the
 * count of each identity is kept, so a hash needs the finding's key (no digest is stored).
 */
export function fingerprinter(): (f: Finding) => string {
  const seen = new Map<string, number>();
  return (f) => {
    const key = JSON.stringify([f.code, f.file, f.cell ?? null, f.message]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}#${n}`).digest('hex');
  };
}
