/**
 * Builds nbformat 4 notebooks as Jupyter writes them (`json.dumps(nb, indent=1, sort_keys=True,
 * ensure_ascii=False)` plus a final newline), for the engine tests and the N fixtures.
 */

export type Output = Record<string, unknown>;

export interface CellSpec {
  type?: 'code' | 'markdown' | 'raw';
  source: string | string[];
  /** Execution count; `null` for a cell never run. Defaults to the next count for code cells. */
  count?: number | null;
  outputs?: Output[];
  metadata?: Record<string, unknown>;
  attachments?: Record<string, unknown>;
  id?: string | null;
  /** Keep the source as one string instead of a list of lines. */
  sourceAsString?: boolean;
}

export interface NotebookOptions {
  minor?: number;
  metadata?: Record<string, unknown>;
  /** Line ending of the JSON text. */
  eol?: '\n' | '\r\n';
  /** ensure_ascii=True: non-ASCII characters as \u escapes. */
  ascii?: boolean;
  /** Executed counts start from this value; `false` leaves every code cell unexecuted. */
  executed?: boolean;
}

export const PYTHON_METADATA = {
  kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
  language_info: { name: 'python', version: '3.11.8', mimetype: 'text/x-python', file_extension: '.py' },
};

export function md(source: string): CellSpec {
  return { type: 'markdown', source };
}

export function code(source: string, extra: Partial<CellSpec> = {}): CellSpec {
  return { type: 'code', source, ...extra };
}

export function stream(text: string, name: 'stdout' | 'stderr' = 'stdout'): Output {
  return { output_type: 'stream', name, text: lines(text) };
}

export function result(count: number, data: Record<string, string | string[]>): Output {
  return { output_type: 'execute_result', execution_count: count, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? lines(v) : v])), metadata: {} };
}

export function display(data: Record<string, string | string[]>): Output {
  return { output_type: 'display_data', data, metadata: {} };
}

export function error(ename: string, evalue: string, traceback: string[]): Output {
  return { output_type: 'error', ename, evalue, traceback };
}

/** Source text as Jupyter stores it: lines that keep their line break, the last one without. */
export function lines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export function notebook(cells: CellSpec[], options: NotebookOptions = {}): string {
  const minor = options.minor ?? 5;
  let count = 0;
  const json = {
    cells: cells.map((c, i) => {
      const type = c.type ?? 'code';
      const cell: Record<string, unknown> = { cell_type: type, metadata: c.metadata ?? {}, source: c.sourceAsString ? (Array.isArray(c.source) ? c.source.join('') : c.source) : Array.isArray(c.source) ? c.source : lines(c.source) };
      if (minor >= 5 && c.id !== null) cell.id = c.id ?? `cell-${i}`;
      if (type === 'code') {
        cell.execution_count = c.count !== undefined ? c.count : options.executed === false ? null : ++count;
        if (typeof cell.execution_count === 'number') count = cell.execution_count;
        cell.outputs = c.outputs ?? [];
      }
      if (c.attachments) cell.attachments = c.attachments;
      return cell;
    }),
    metadata: options.metadata ?? PYTHON_METADATA,
    nbformat: 4,
    nbformat_minor: minor,
  };
  let text = JSON.stringify(sortKeys(json), null, 1);
  if (options.ascii) text = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  text += '\n';
  return options.eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

/** 1-based line of the first occurrence of `needle` in `text` (for expected.json). */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, at).split('\n').length;
}
