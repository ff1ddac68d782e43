import { escapeJsonStringContent } from '../documents/json-locate';
import type { Finding, Fix, UnitEdit } from './types';

/**
 * Applies fixes to a file's raw text. Edits are expressed per unit and carry their offsets in the
 * file; for a notebook the inserted text is escaped for the JSON string it lands in. Overlapping
 * edits are dropped (the first fix wins), as ESLint and Ruff do, and a second pass picks them up.
 */
export function applyEditsToFile(text: string, edits: UnitEdit[], isNotebook: boolean): string {
  // from the end backwards. At one insertion point each insertion lands before the ones applied
  // earlier, so they are applied in reverse list order and imports last: the text then reads
  // imports first and the rest in list order, exactly as the same edits in an LSP WorkspaceEdit
  // (orderEdits), so the CLI and the editor write the same text
  const indexed = dedupe(edits).map((e, index) => ({ e, index }));
  indexed.sort((a, b) => b.e.fileStart - a.e.fileStart || b.e.fileEnd - a.e.fileEnd || Number(isImport(a.e)) - Number(isImport(b.e)) || b.index - a.index);
  let out = text;
  for (const { e } of indexed) {
    const newText = isNotebook && e.cell !== undefined ? escapeJsonStringContent(e.newText) : e.newText;
    out = out.slice(0, e.fileStart) + newText + out.slice(e.fileEnd);
  }
  return out;
}

/**
 * Fixes that create files (a generated schema module) need the adapter to write those files first;
 * applying only their edits would import a module that does not exist, so they are not applied here.
 */
export function needsFileCreation(fix: Fix): boolean {
  return (fix.createFiles?.length ?? 0) > 0 || fix.resolve !== undefined;
}

function isImport(e: UnitEdit): boolean {
  return e.fileStart === e.fileEnd && /^(import|from)\s/.test(e.newText.trimStart());
}

/** Orders edits for an LSP WorkspaceEdit, where insertions at one position apply in array order: imports first. */
export function orderEdits<T extends UnitEdit>(edits: T[]): T[] {
  return [...edits].sort((a, b) => a.fileStart - b.fileStart || Number(isImport(b)) - Number(isImport(a)));
}

function dedupe(edits: UnitEdit[]): UnitEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.cell ?? ''}:${e.fileStart}:${e.fileEnd}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Chooses non-overlapping fixes (first finding first); shared import insertions may repeat and are merged. */
export function selectFixes(findings: Finding[], onlySafe: boolean, withFileCreation = false): Fix[] {
  const chosen: Fix[] = [];
  const taken: { start: number; end: number }[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => (!onlySafe || x.applicability === 'safe') && (withFileCreation || !needsFileCreation(x)));
    if (!fix) continue;
    const spans = fix.edits.filter((e) => e.fileEnd > e.fileStart || !isPureInsertionShared(e, chosen)).map((e) => ({ start: e.fileStart, end: e.fileEnd }));
    if (spans.some((s) => taken.some((t) => s.start < t.end && t.start < s.end && !(s.start === s.end && t.start === t.end)))) continue;
    chosen.push(fix);
    taken.push(...spans);
  }
  return chosen;
}

function isPureInsertionShared(e: UnitEdit, chosen: Fix[]): boolean {
  return chosen.some((c) => c.edits.some((x) => x.fileStart === e.fileStart && x.fileEnd === e.fileEnd && x.newText === e.newText));
}

/** `withFileCreation`: also apply the edits of fixes that create files (the caller creates them). */
export function applyFixes(text: string, findings: Finding[], isNotebook: boolean, onlySafe = true, withFileCreation = false): { text: string; applied: number } {
  const fixes = selectFixes(findings, onlySafe, withFileCreation);
  return { text: applyEditsToFile(text, fixes.flatMap((f) => f.edits), isNotebook), applied: fixes.length };
}
