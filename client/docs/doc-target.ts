/**
 * Where a rule documentation link should open. Pure, so it is unit-tested without VS Code.
 * Local docs (file URIs, shipped in the extension) open in the Markdown preview; web docs open in
 * the browser; anything else (command:, javascript:, vscode: …) is refused, because the argument
 * can come from a diagnostic link that a server or workspace influenced.
 */
export type DocTarget = { kind: 'preview'; uri: string } | { kind: 'external'; uri: string };

const RULE_CODE = /^[A-Z]\d{3}$/;

export function classifyDocTarget(raw: string): DocTarget | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol === 'file:') return { kind: 'preview', uri: raw };
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'external', uri: raw };
  return undefined;
}

/** Accepts what a caller may pass: a URI string, a `vscode.Uri`-like object, `{ uri }`/`{ href }`, or a rule code. */
export function docArgument(arg: unknown): { uri: string } | { code: string } | undefined {
  if (typeof arg === 'string') {
    const s = arg.trim();
    if (RULE_CODE.test(s)) return { code: s };
    return s ? { uri: s } : undefined;
  }
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  if (typeof o.scheme === 'string' && typeof o.toString === 'function' && o.toString !== Object.prototype.toString) {
    return { uri: String(o.toString()) };
  }
  for (const key of ['uri', 'href', 'url']) if (typeof o[key] === 'string') return docArgument(o[key]);
  if (typeof o.code === 'string' && RULE_CODE.test(o.code)) return { code: o.code };
  return undefined;
}

/** Doc files are named `<CODE>-<name>.md` (docs/rules); find the one for a code. */
export function docFileForCode(files: readonly string[], code: string): string | undefined {
  return files.find((f) => f.startsWith(`${code}-`) && f.endsWith('.md'));
}

/** Quick pick entries for the docs folder listing: "P101  hardcoded-absolute-path". */
export function docPickItems(files: readonly string[]): { file: string; code: string; name: string }[] {
  return files
    .map((file) => /^([A-Z]\d{3})-(.+)\.md$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[0], code: m[1], name: m[2] }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
