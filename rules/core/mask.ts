/**
 * Secrets found in files are never printed whole: every message, report and log goes through
 * `maskSecret`, which keeps at most a 4-character prefix (less for short values).
 */
export function maskSecret(secret: string): string {
  const keep = secret.length >= 16 ? 4 : secret.length >= 8 ? 2 : 0;
  return `${secret.slice(0, keep)}${'*'.repeat(Math.min(8, Math.max(3, secret.length - keep)))}`;
}

/** Replaces every occurrence of the given secrets in a text with their masked form. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(maskSecret(s));
  return out;
}
