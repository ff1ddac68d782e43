import type { ReportSpec } from '../core/rule';
import type { TextUnit } from '../core/units';
import { member, type JsonNode } from '../documents/json-locate';
import type { NotebookCell, NotebookModel, NotebookOutput } from '../documents/notebook';
import type { PythonUnit } from '../documents/python/unit';

/**
 * Helpers the notebook-hygiene rules share: where a finding about a cell or about the whole
 * notebook is shown, cell tags, and output sizes measured on the .ipynb text (base64 is never
 * decoded).
 */

/** The first non-blank line of a cell: where a finding about the cell as a whole is shown. */
export function cellAnchor(cell: NotebookCell): { start: number; end: number } {
  const lines = cell.unit.lines;
  for (let i = 0; i < lines.lineCount; i++) {
    const t = lines.lineText(i);
    if (t.trim()) {
      const start = lines.lineStart(i) + (t.length - t.trimStart().length);
      return { start, end: lines.lineStart(i) + t.trimEnd().length };
    }
  }
  return { start: 0, end: 0 };
}

/** Where a finding on a cell goes: its first non-blank line. */
export function onCell(cell: NotebookCell): Pick<ReportSpec, 'unit' | 'start' | 'end'> {
  return { unit: cell.unit, ...cellAnchor(cell) };
}

/**
 * Where a finding about the whole notebook goes. With .ipynb text: the notebook file itself, at
 * the given offsets (the first line of the output or cell object the finding is about), so that
 * the CLI reports it with no `cell`. For a notebook given as cells by an editor there is no JSON
 * text: the finding goes to the start of `fallback` (or of the first cell).
 */
export function onNotebook(nb: NotebookModel, file: TextUnit, fileStart: number, fileEnd: number, fallback?: NotebookCell): Pick<ReportSpec, 'unit' | 'start' | 'end'> {
  if (nb.text) {
    const end = Math.min(fileEnd, lineEndAt(nb.text, fileStart));
    return { unit: file, start: fileStart, end: Math.max(end, fileStart) };
  }
  const cell = fallback ?? nb.cells[0];
  if (cell) return { unit: cell.unit, start: 0, end: 0 };
  return { unit: file, start: 0, end: 0 };
}

function lineEndAt(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

export function codeCells(nb: NotebookModel): NotebookCell[] {
  return nb.cells.filter((c) => c.type === 'code');
}

/** The cell's tags (`metadata.tags`), e.g. `parameters` for papermill. */
export function cellTags(cell: NotebookCell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The papermill parameters cell, and the cell papermill injects after it in executed copies. */
export function isParametersCell(cell: NotebookCell): boolean {
  const tags = cellTags(cell);
  return tags.includes('parameters') || tags.includes('injected-parameters');
}

/** True when the code cell holds no Python statement: only blank lines, comments and IPython magics. */
export function isSetupOnly(cell: NotebookCell): boolean {
  const unit = cell.unit as PythonUnit;
  if (!('tree' in unit)) return cell.source.trim() === '';
  if (unit.foreignCellMagic) return true;
  const magicStarts = new Set(unit.magics.map((m) => m.start));
  for (const child of unit.root.namedChildren) {
    if (!child || child.type === 'comment') continue;
    // a masked magic is an expression statement `0   …` that starts where the magic starts
    if (child.type === 'expression_statement' && magicStarts.has(child.startIndex)) continue;
    return false;
  }
  return true;
}

/** Size in characters of a JSON value in the .ipynb text: what it costs in the file, base64 included. */
export function jsonSize(node: { start: number; end: number } | undefined): number {
  return node ? node.end - node.start : 0;
}

/** The bulkiest mime type in an output's `data` (image/png …), or its output type. */
export function bulkiestKind(output: NotebookOutput): string {
  const data = member(output.node, 'data');
  if (data?.type !== 'object' || !data.members.length) return output.type === 'stream' ? 'printed text' : output.type;
  let best = data.members[0];
  for (const m of data.members) if (jsonSize(m.value) > jsonSize(best.value)) best = m;
  return best.key;
}

/** The `attachments` object of a markdown cell (pasted images), if any. */
export function attachmentsNode(cell: NotebookCell): JsonNode | undefined {
  const a = member(cell.node, 'attachments');
  return a?.type === 'object' && a.members.length ? a : undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** A positive number option, or the default when the configured value is not one. */
export function numberOption(options: Record<string, unknown>, key: string, fallback: number): number {
  const v = options[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
