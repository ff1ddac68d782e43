import type { PythonUnit } from '../documents/python/unit';

/** Syntax errors of a Python unit as tree-sitter recovered them: unexpected text, or a missing token. */
export function syntaxErrors(unit: PythonUnit): { start: number; end: number; message: string }[] {
  if (!unit.hasSyntaxError) return [];
  const out: { start: number; end: number; message: string }[] = [];
  for (const node of unit.nodes('error')) {
    if (out.length >= 5) break;
    if (node.isMissing) {
      out.push({ start: node.startIndex, end: node.endIndex, message: `missing \`${node.type}\`.` });
    } else {
      const text = node.text.split(/\r?\n/)[0].trim();
      const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
      // an ERROR node can span many lines; point at its first line only
      const end = Math.min(node.endIndex, unit.lines.lineEnd(unit.lines.lineOf(node.startIndex)));
      out.push({ start: node.startIndex, end: Math.max(end, node.startIndex + 1), message: shown ? `unexpected \`${shown}\`.` : 'invalid syntax.' });
    }
  }
  return out;
}
