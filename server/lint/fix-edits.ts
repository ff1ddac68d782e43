import type { OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { selectFixes, type Finding } from '../../rules';
import type { LocatedEdit, Locator } from './locate';

/**
 * The safe fixes of a document as editor edits, chosen by the engine's `selectFixes` so that
 * overlapping fixes are never combined. In a notebook document each cell has its own offsets, so
 * edits are first moved to one running coordinate over all cells (`cellBases`) for the overlap test.
 */
export function safeFixEdits(findings: Finding[], locator: Locator, cellBases?: number[]): { edits: LocatedEdit[]; fixes: number } {
  const input = cellBases ? findings.map((f) => inCellCoordinates(f, cellBases)) : findings;
  const edits: LocatedEdit[] = [];
  let fixes = 0;
  for (const fix of selectFixes(input, true)) {
    const located = fix.edits.map((e) => locator.edit(e));
    if (!located.every((e): e is LocatedEdit => !!e)) continue;
    edits.push(...located);
    fixes++;
  }
  return { edits, fixes };
}

function inCellCoordinates(f: Finding, bases: number[]): Finding {
  return {
    ...f,
    fixes: f.fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((e) => (e.cell !== undefined && bases[e.cell] !== undefined ? { ...e, fileStart: bases[e.cell] + e.start, fileEnd: bases[e.cell] + e.end } : e)),
    })),
  };
}

/** Running start offset of each cell when the cells' texts are laid end to end. */
export function cellBasesOf(cellTexts: string[]): number[] {
  const bases: number[] = [];
  let at = 0;
  for (const t of cellTexts) {
    bases.push(at);
    at += t.length + 1;
  }
  return bases;
}

/**
 * Edits grouped by document. Identical edits (the same `import os` added by two fixes) are kept
 * once. With `documentChanges`, each document carries the version the edits were computed for,
 * so the client refuses them if the document changed in between.
 */
export function toWorkspaceEdit(edits: LocatedEdit[], documentChanges: boolean, versionOf: (uri: string) => number | undefined): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  const seen = new Set<string>();
  for (const e of edits) {
    const key = `${e.uri}\u0000${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}\u0000${e.newText}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = byUri.get(e.uri);
    if (!list) byUri.set(e.uri, (list = []));
    list.push({ range: e.range, newText: e.newText });
  }
  if (!documentChanges) return { changes: Object.fromEntries(byUri) };
  const changes: TextDocumentEdit[] = [...byUri].map(([uri, list]) => {
    const textDocument: OptionalVersionedTextDocumentIdentifier = { uri, version: versionOf(uri) ?? null };
    return { textDocument, edits: list };
  });
  return { documentChanges: changes };
}
