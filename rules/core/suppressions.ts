import type { AnalyzedDocument } from '../documents/document';
import type { TextUnit } from './units';

/**
 * Inline suppressions: `# mlready: ignore[P101, P105] reason: mounted in the container` on the
 * finding's line or on the line above it, and `# mlready: ignore-file[P101] reason: …` anywhere in
 * the file. The same comment works in Python, notebook cells, YAML, requirements and Dockerfiles.
 * A suppression must say why: the reason is the audit trail a reviewer reads.
 */

export interface Suppression {
  unit: TextUnit;
  /** Offsets of the comment in its unit. */
  start: number;
  end: number;
  line: number;
  /** True when the comment is alone on its line (so it covers the next line). */
  ownLine: boolean;
  fileLevel: boolean;
  /** Codes or names; empty means every rule. */
  codes: string[];
  reason: string | null;
  /** Set by the engine when the suppression silenced at least one finding. */
  used: boolean;
}

// a trailing `# note` after the directive is allowed (`# mlready: ignore[P101]  # TODO`), so that a
// suppression with a note is still read (and reported for its missing reason) rather than ignored
const DIRECTIVE = /mlready:\s*(ignore-file|ignore)\b\s*(?:\[([^\]]*)\])?\s*(?:reason\s*:\s*(.*)|#.*)?$/i;

export function parseSuppression(comment: string): { fileLevel: boolean; codes: string[]; reason: string | null } | null {
  const body = comment.replace(/^#\s*/, '');
  const m = DIRECTIVE.exec(body);
  if (!m || body.slice(0, m.index).trim() !== '') return null;
  const codes = (m[2] ?? '').split(/[\s,]+/).map((c) => c.trim()).filter((c) => c && c !== '*');
  const raw = (m[3] ?? '').replace(/\s+#\s.*$/, '').trim();
  const reason = raw && !/^<[^>]*>$/.test(raw) ? raw : null;
  return { fileLevel: m[1].toLowerCase() === 'ignore-file', codes, reason };
}

/** Comments of a document, in unit coordinates. */
export function commentsOf(doc: AnalyzedDocument): { unit: TextUnit; start: number; end: number; text: string }[] {
  if (doc.python) {
    return doc.python.units.flatMap((unit) => unit.nodes('comment').map((n) => ({ unit: unit as TextUnit, start: n.startIndex, end: n.endIndex, text: n.text })));
  }
  if (doc.yaml) return doc.yaml.comments.map((c) => ({ unit: doc.file, ...c }));
  // requirements, Dockerfiles, .env and TOML: `#` starts a comment at a line start or after blanks
  const out: { unit: TextUnit; start: number; end: number; text: string }[] = [];
  const lines = doc.file.lines;
  for (let i = 0; i < lines.lineCount; i++) {
    const text = lines.lineText(i);
    const m = /(^|\s)#/.exec(text);
    if (!m) continue;
    const start = lines.lineStart(i) + m.index + m[1].length;
    out.push({ unit: doc.file, start, end: lines.lineEnd(i), text: text.slice(m.index + m[1].length) });
  }
  return out;
}

export function collectSuppressions(doc: AnalyzedDocument): Suppression[] {
  const out: Suppression[] = [];
  for (const c of commentsOf(doc)) {
    if (!/mlready\s*:/i.test(c.text)) continue;
    const parsed = parseSuppression(c.text);
    if (!parsed) continue;
    const pos = c.unit.lines.positionAt(c.start);
    const before = c.unit.text.slice(c.unit.lines.lineStart(pos.line), c.start);
    out.push({ unit: c.unit, start: c.start, end: c.end, line: pos.line, ownLine: before.trim() === '', used: false, ...parsed });
  }
  return out;
}

export function suppressionCovers(s: Suppression, code: string, name: string): boolean {
  return s.codes.length === 0 || s.codes.some((c) => c.toUpperCase() === code.toUpperCase() || c === name);
}

/** Text of a new suppression comment for the line above a finding. */
export function suppressionComment(code: string, reason = '<why this is acceptable>'): string {
  return `# mlready: ignore[${code}] reason: ${reason}`;
}
