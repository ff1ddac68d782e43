import type { Range } from 'vscode-languageserver/node';
import type { Finding, UnitEdit } from '../../rules';
import type { PositionMapper } from './positions';

/**
 * Where findings and edits land in the editor. The engine speaks in units (a file, or a notebook
 * cell) with offsets into the raw file; the editor has three shapes of document:
 * - a plain text file: unit coordinates are the file's;
 * - an .ipynb opened as JSON text: positions come from the file offsets, and text inserted into a
 *   cell's source is escaped for the JSON string it lands in;
 * - a notebook document: each cell is its own text document with its own URI.
 */
export interface LocatedEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface Locator {
  /** URI and range where a finding is shown; undefined when there is nowhere to show it. */
  finding(f: Finding): { uri: string; range: Range } | undefined;
  /** Where an edit lands, or undefined when this editor document cannot express it. */
  edit(e: UnitEdit): LocatedEdit | undefined;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function plainFileLocator(uri: string): Locator {
  return {
    finding: (f) => ({ uri, range: f.range }),
    edit: (e) => ({ uri, range: e.range, newText: e.newText }),
  };
}

export function notebookJsonLocator(uri: string, positions: PositionMapper): Locator {
  const range = (start: number, end: number): Range => ({ start: positions.positionAt(start), end: positions.positionAt(end) });
  return {
    finding: (f) => ({ uri, range: range(f.fileRange.start, f.fileRange.end) }),
    edit: (e) => ({ uri, range: range(e.fileStart, e.fileEnd), newText: e.cell !== undefined ? escapeJsonString(e.newText) : e.newText }),
  };
}

/** `cellUris[i]` is the URI of the cell at index i of the notebook document. */
export function notebookCellsLocator(cellUris: readonly string[]): Locator {
  return {
    finding: (f) => {
      const uri = f.cell !== undefined ? cellUris[f.cell] : undefined;
      // findings on the notebook as a whole are shown at the start of its first cell
      if (uri) return { uri, range: f.range };
      return cellUris.length ? { uri: cellUris[0], range: ZERO } : undefined;
    },
    edit: (e) => {
      const uri = e.cell !== undefined ? cellUris[e.cell] : undefined;
      return uri ? { uri, range: e.range, newText: e.newText } : undefined;
    },
  };
}

/** Same escaping as the engine's applyEditsToFile: the content of a JSON string, without quotes. */
export function escapeJsonString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
