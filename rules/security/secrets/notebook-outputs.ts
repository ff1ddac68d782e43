import { decodeJsonString, member, type JsonNode } from '../../documents/json-locate';
import type { NotebookCell, NotebookModel, NotebookOutput } from '../../documents/notebook';
import { findSecretsInText, type SecretMatch } from './detect';

/** A credential in a cell's saved output, with its place in the .ipynb text. */
export interface OutputSecret {
  cell: NotebookCell;
  output: NotebookOutput;
  /** Index of the output in the cell's `outputs`. */
  outputIndex: number;
  /** stream, traceback, text/plain, text/html, application/json … */
  mime: string;
  match: SecretMatch;
  /** Offsets of the secret in the .ipynb text. */
  fileStart: number;
  fileEnd: number;
}

interface Located {
  mime: string;
  value: string;
  /** Offset in the .ipynb text of each character of `value` (and one past the end). */
  offsetOf: (i: number) => number;
}

/** Decoded text of a string or array-of-strings node, with offsets back into the .ipynb text. */
function located(text: string, node: JsonNode, mime: string, separator: string): Located | undefined {
  if (node.type === 'object') {
    // application/json and other structured data: scan the JSON text itself
    return { mime, value: text.slice(node.start, node.end), offsetOf: (i) => node.start + i };
  }
  const items = node.type === 'string' ? [node] : node.type === 'array' ? node.items.filter((i) => i.type === 'string') : [];
  if (!items.length) return undefined;
  let value = '';
  // an item's offsets are decoded only when a match asks for them: most outputs hold no secret
  const maps: { at: number; item: JsonNode; offsets?: Int32Array; length: number }[] = [];
  items.forEach((item, k) => {
    if (k > 0 && separator) value += separator;
    const d = decodeJsonString(text, item.start, item.end);
    maps.push({ at: value.length, item, length: d.value.length });
    value += d.value;
  });
  const offsetOf = (i: number) => {
    for (let k = maps.length - 1; k >= 0; k--) {
      const m = maps[k];
      if (i >= m.at) return (m.offsets ??= decodeJsonString(text, m.item.start, m.item.end, true).offsets!)[Math.min(i - m.at, m.length)];
    }
    return items[0].start;
  };
  return { mime, value, offsetOf };
}

function outputValues(text: string, output: NotebookOutput): Located[] {
  const out: Located[] = [];
  const push = (l: Located | undefined) => l && out.push(l);
  if (output.type === 'stream') {
    const t = member(output.node, 'text');
    if (t) push(located(text, t, 'stream', ''));
  } else if (output.type === 'error') {
    const tb = member(output.node, 'traceback');
    if (tb) push(located(text, tb, 'traceback', '\n'));
    const ev = member(output.node, 'evalue');
    if (ev) push(located(text, ev, 'error value', ''));
  } else {
    const data = member(output.node, 'data');
    if (data?.type === 'object') {
      for (const m of data.members) {
        if (!m.key.startsWith('text/') && !/^application\/(json|javascript|x-[a-z+.-]*json)/.test(m.key)) continue;
        push(located(text, m.value, m.key, ''));
      }
    }
  }
  return out;
}

/**
 * Credentials in the saved outputs of a notebook read from .ipynb text: stream text, tracebacks
 * and error values, text/plain, text/html, text/markdown and JSON data. Images and other binary
 * data are never scanned; base64 inside HTML is blanked before scanning.
 */
export function notebookOutputSecrets(nb: NotebookModel): OutputSecret[] {
  const found: OutputSecret[] = [];
  if (!nb.text) return found;
  for (const cell of nb.cells) {
    cell.outputs.forEach((output, outputIndex) => {
      const seen = new Set<string>();
      for (const v of outputValues(nb.text, output)) {
        for (const match of findSecretsInText(v.value)) {
          if (seen.has(match.secret)) continue;
          seen.add(match.secret);
          found.push({ cell, output, outputIndex, mime: v.mime, match, fileStart: v.offsetOf(match.start), fileEnd: v.offsetOf(match.end) });
        }
      }
    });
  }
  return found;
}
