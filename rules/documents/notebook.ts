import { TextUnit } from '../core/units';
import { decodeJsonString, JsonSyntaxError, member, parseJsonWithLocations, stringValue, toPlain, type JsonNode } from './json-locate';
import { PythonProgram } from './python/program';
import { PythonUnit } from './python/unit';

/**
 * A Jupyter notebook read from its .ipynb JSON. Every cell keeps an exact map from positions in
 * its source to offsets in the .ipynb text (escapes, unicode, source as a string or a list of
 * lines), so findings inside a cell can be shown in the JSON too.
 */

export interface NotebookOutput {
  type: string; // stream | execute_result | display_data | error
  node: JsonNode;
  /** Offsets of the output object in the .ipynb text. */
  start: number;
  end: number;
}

export interface NotebookCell {
  index: number;
  type: 'code' | 'markdown' | 'raw' | string;
  source: string;
  /** The text unit of this cell (PythonUnit for code cells). */
  unit: TextUnit;
  executionCount: number | null;
  outputs: NotebookOutput[];
  /** Offsets in the .ipynb text of the cell object. */
  start: number;
  end: number;
  /** The cell's metadata (tags, papermill parameters …); large values are left out. */
  metadata?: Record<string, unknown>;
  /** The cell object in the .ipynb text (absent for cells given by an editor). */
  node?: JsonNode;
}

export interface NotebookProblem {
  message: string;
  start: number;
  end: number;
  kind: 'json' | 'format';
}

export interface NotebookModel {
  text: string;
  /** The .ipynb text itself as a unit: whole-notebook findings are placed in it. */
  file: TextUnit;
  cells: NotebookCell[];
  nbformat?: number;
  nbformatMinor?: number;
  language?: string;
  metadata: Record<string, unknown>;
  program: PythonProgram;
  problem?: NotebookProblem;
  /** The top-level JSON object of the .ipynb text (absent for notebooks given by an editor). */
  root?: JsonNode;
}

/** Source for a notebook whose cells come from the editor rather than from .ipynb text. */
export interface CellInput {
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  text: string;
  executionCount?: number | null;
  outputs?: unknown[];
  /** The cell's metadata as the editor has it (tags …). */
  metadata?: Record<string, unknown>;
}

export function parseNotebook(text: string): NotebookModel {
  const file = new TextUnit(text, undefined);
  const empty = (problem: NotebookProblem): NotebookModel => ({
    text,
    file,
    cells: [],
    metadata: {},
    program: new PythonProgram([], true),
    problem,
  });
  if (text.trim() === '') return empty({ kind: 'format', message: 'The notebook file is empty.', start: 0, end: 0 });
  let root: JsonNode;
  try {
    root = parseJsonWithLocations(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return empty({ kind: 'json', message: `The notebook is not valid JSON: ${e.message}.`, start: e.offset, end: Math.min(text.length, e.offset + 1) });
    }
    throw e;
  }
  if (root.type !== 'object') {
    return empty({ kind: 'format', message: 'The file is JSON but not a notebook: the top level must be an object with "cells".', start: root.start, end: root.end });
  }
  const nbformatNode = member(root, 'nbformat');
  const nbformat = nbformatNode?.type === 'number' ? nbformatNode.value : undefined;
  const minorNode = member(root, 'nbformat_minor');
  const cellsNode = member(root, 'cells');
  if (nbformat !== 4 || cellsNode?.type !== 'array') {
    const where = nbformatNode ?? root;
    const message =
      nbformat !== undefined && nbformat !== 4
        ? `Unsupported nbformat ${nbformat}: mlready reads nbformat 4 notebooks (upgrade with \`jupyter nbconvert --to notebook --nbformat 4\`).`
        : 'The file is JSON but not an nbformat 4 notebook: it needs "nbformat": 4 and a "cells" array.';
    return empty({ kind: 'format', message, start: where.start, end: Math.min(where.end, where.start + 200) });
  }
  const metadataNode = member(root, 'metadata');
  const metadata = metadataNode?.type === 'object' ? (toPlainSmall(text, metadataNode) as Record<string, unknown>) : {};
  const language = languageOf(metadata);
  const allowPython = language === undefined || language === 'python';

  const cells: NotebookCell[] = [];
  const codeUnits: PythonUnit[] = [];
  let problem: NotebookProblem | undefined;
  cellsNode.items.forEach((cellNode, index) => {
    if (cellNode.type !== 'object') {
      problem ??= { kind: 'format', message: `Cell ${index} is not a JSON object.`, start: cellNode.start, end: cellNode.end };
      return;
    }
    const type = stringValue(text, member(cellNode, 'cell_type')) ?? 'unknown';
    const sourceNode = member(cellNode, 'source');
    const { source, offsetOf } = cellSource(text, sourceNode);
    const ec = member(cellNode, 'execution_count');
    const outputsNode = member(cellNode, 'outputs');
    const outputs: NotebookOutput[] =
      outputsNode?.type === 'array'
        ? outputsNode.items.map((o) => ({ type: stringValue(text, member(o, 'output_type')) ?? 'unknown', node: o, start: o.start, end: o.end }))
        : [];
    let unit: TextUnit;
    if (type === 'code' && allowPython) {
      const pu = new PythonUnit(source, index, offsetOf, codeUnits.length, true);
      codeUnits.push(pu);
      unit = pu;
    } else unit = new TextUnit(source, index, offsetOf);
    const cellMetadata = member(cellNode, 'metadata');
    cells.push({
      index,
      type,
      source,
      unit,
      executionCount: ec?.type === 'number' ? ec.value : null,
      outputs,
      start: cellNode.start,
      end: cellNode.end,
      metadata: cellMetadata?.type === 'object' ? (toPlainSmall(text, cellMetadata) as Record<string, unknown>) : {},
      node: cellNode,
    });
  });
  return {
    text,
    file,
    cells,
    nbformat,
    nbformatMinor: minorNode?.type === 'number' ? minorNode.value : undefined,
    language,
    metadata,
    program: new PythonProgram(codeUnits, true),
    problem,
    root,
  };
}

/** A notebook whose cells are given directly (LSP notebook documents): each cell is its own text. */
export function notebookFromCells(cellsIn: CellInput[], metadata: Record<string, unknown> = {}): NotebookModel {
  const codeUnits: PythonUnit[] = [];
  const cells: NotebookCell[] = cellsIn.map((c) => {
    let unit: TextUnit;
    if (c.kind === 'code') {
      const pu = new PythonUnit(c.text, c.index, undefined, codeUnits.length, true);
      codeUnits.push(pu);
      unit = pu;
    } else unit = new TextUnit(c.text, c.index);
    return { index: c.index, type: c.kind, source: c.text, unit, executionCount: c.executionCount ?? null, outputs: [], start: 0, end: 0, metadata: c.metadata ?? {} };
  });
  return { text: '', file: new TextUnit('', undefined), cells, nbformat: 4, metadata, language: languageOf(metadata), program: new PythonProgram(codeUnits, true) };
}

function languageOf(metadata: Record<string, unknown>): string | undefined {
  const info = metadata.language_info as { name?: unknown } | undefined;
  const kernel = metadata.kernelspec as { language?: unknown } | undefined;
  const name = (typeof info?.name === 'string' && info.name) || (typeof kernel?.language === 'string' && kernel.language) || undefined;
  return name ? name.toLowerCase() : undefined;
}

/** Metadata can hold widget state of many megabytes: keep only what is small. */
function toPlainSmall(text: string, node: JsonNode): unknown {
  if (node.type === 'object') {
    return Object.fromEntries(node.members.filter((m) => m.value.end - m.value.start < 64 * 1024).map((m) => [m.key, toPlainSmall(text, m.value)]));
  }
  return toPlain(text, node);
}

/** The cell's source text and a map from each of its offsets to the .ipynb text. */
function cellSource(text: string, node: JsonNode | undefined): { source: string; offsetOf: (offset: number) => number } {
  const pieces: { value: string; offsets: Int32Array }[] = [];
  if (node?.type === 'string') {
    const d = decodeJsonString(text, node.start, node.end, true);
    pieces.push({ value: d.value, offsets: d.offsets! });
  } else if (node?.type === 'array') {
    for (const item of node.items) {
      if (item.type !== 'string') continue;
      const d = decodeJsonString(text, item.start, item.end, true);
      pieces.push({ value: d.value, offsets: d.offsets! });
    }
  }
  const source = pieces.map((p) => p.value).join('');
  const fallback = node ? node.start : 0;
  if (pieces.length === 0) return { source, offsetOf: () => fallback };
  const total = source.length;
  const map = new Int32Array(total + 1);
  let k = 0;
  for (const p of pieces) {
    map.set(p.offsets.subarray(0, p.value.length), k);
    k += p.value.length;
  }
  map[total] = pieces[pieces.length - 1].offsets[pieces[pieces.length - 1].value.length];
  return { source, offsetOf: (offset: number) => map[Math.max(0, Math.min(offset, total))] };
}

/** Decoded text of an output: stream text, text/plain, text/html, or an error's traceback. */
export function outputTexts(text: string, output: NotebookOutput): { mime: string; value: string; node: JsonNode }[] {
  const out: { mime: string; value: string; node: JsonNode }[] = [];
  const joined = (n: JsonNode | undefined) => {
    if (n?.type === 'string') return stringValue(text, n) ?? '';
    if (n?.type === 'array') return n.items.map((i) => stringValue(text, i) ?? '').join(output.type === 'error' ? '\n' : '');
    return undefined;
  };
  if (output.type === 'stream') {
    const t = member(output.node, 'text');
    const v = joined(t);
    if (t && v !== undefined) out.push({ mime: 'stream', value: v, node: t });
  } else if (output.type === 'error') {
    const tb = member(output.node, 'traceback');
    const v = joined(tb);
    if (tb && v !== undefined) out.push({ mime: 'traceback', value: v, node: tb });
  } else {
    const data = member(output.node, 'data');
    if (data?.type === 'object') {
      for (const m of data.members) {
        if (!m.key.startsWith('text/') && m.key !== 'application/json') continue;
        const v = joined(m.value);
        if (v !== undefined) out.push({ mime: m.key, value: v, node: m.value });
      }
    }
  }
  return out;
}
