import { Composer, Parser, type Document, type Node as YNode } from 'yaml';
import { TextUnit } from '../core/units';
import { detectYamlKind, type YamlKind } from './yaml-kind';

/**
 * YAML with source ranges, read with the `yaml` package's CST and composer. Aliases are never
 * expanded: rules walk the node tree, where an alias is a single node, so a "billion laughs"
 * file costs what its text costs.
 */

export interface YamlComment {
  start: number;
  end: number;
  text: string;
}

export interface YamlProblem {
  message: string;
  start: number;
  end: number;
}

export interface YamlModel {
  unit: TextUnit;
  documents: { doc: Document.Parsed; kind: YamlKind }[];
  /** The file's kind: the first document kind that is not generic. */
  kind: YamlKind;
  comments: YamlComment[];
  problems: YamlProblem[];
}

export const MAX_YAML_DEPTH = 256;

export function parseYaml(text: string, path: string): YamlModel {
  const unit = new TextUnit(text, undefined);
  const problems: YamlProblem[] = [];
  const comments: YamlComment[] = [];
  const documents: { doc: Document.Parsed; kind: YamlKind }[] = [];
  const depth = nestingDepth(text);
  if (depth > MAX_YAML_DEPTH) {
    problems.push({ message: `YAML nesting deeper than ${MAX_YAML_DEPTH} levels: the file was not analysed.`, start: 0, end: Math.min(text.length, 1) });
    return { unit, documents, kind: 'generic', comments, problems };
  }
  try {
    const tokens = Array.from(new Parser().parse(text));
    const unclosed: number[] = [];
    collectComments(tokens, comments, unclosed);
    const composer = new Composer({ uniqueKeys: false, strict: false, prettyErrors: false, keepSourceTokens: false });
    for (const doc of composer.compose(tokens, true, text.length)) {
      for (const e of doc.errors) {
        let [start, end] = e.pos;
        // a missing closing quote is found at the end of the file; point at the opening quote instead
        if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
          const open = unclosed.filter((o) => o <= start).pop();
          if (open !== undefined) {
            start = open;
            end = text.indexOf('\n', open) < 0 ? text.length : text.indexOf('\n', open);
          }
        }
        // an error placed on indentation points at the item that is misplaced (tabs stay: they are the error)
        if (/^ +$/.test(text.slice(start, Math.max(end, start + 1)))) {
          const m = / *([^\s]+)/y;
          m.lastIndex = start;
          const word = m.exec(text);
          if (word && !text.slice(start, word.index + word[0].length - word[1].length).includes('\n')) {
            start = word.index + word[0].length - word[1].length;
            end = start + word[1].length;
          }
        }
        // an error found at the end of the text (an unclosed `[`) is placed on its last character
        start = Math.max(0, Math.min(start, text.length - 1));
        problems.push({ message: e.message.split('\n')[0], start, end: Math.min(Math.max(end, start + 1), Math.max(text.length, 1)) });
      }
      documents.push({ doc, kind: 'generic' });
    }
  } catch (e) {
    problems.push({ message: `YAML could not be read: ${(e as Error).message.split('\n')[0]}`, start: 0, end: Math.min(1, text.length) });
  }
  for (const d of documents) d.kind = detectYamlKind(path, d.doc.contents as YNode | null, documents.length);
  const kind = documents.find((d) => d.kind !== 'generic')?.kind ?? (documents.length ? documents[0].kind : 'generic');
  return { unit, documents, kind, comments, problems };
}

/** Indentation and flow brackets both nest; a cheap upper bound before the real parser recurses. */
function nestingDepth(text: string): number {
  let flow = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++flow);
    else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
  }
  let maxIndent = 0;
  for (const m of text.matchAll(/^( *)(?:- )*/gm)) maxIndent = Math.max(maxIndent, m[0].length / 2);
  return Math.max(max, maxIndent);
}

/** Comments of the CST, and the offsets of quoted scalars that have no closing quote. */
function collectComments(tokens: unknown[], out: YamlComment[], unclosed: number[] = []): void {
  const stack: unknown[] = [...tokens];
  while (stack.length) {
    const t = stack.pop();
    if (!t || typeof t !== 'object') continue;
    const tok = t as { type?: string; offset?: number; source?: string };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      out.push({ start: tok.offset, end: tok.offset + tok.source.length, text: tok.source });
      continue;
    }
    if ((tok.type === 'double-quoted-scalar' || tok.type === 'single-quoted-scalar') && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      const q = tok.source[0];
      const body = tok.source.trimEnd();
      if (body.length < 2 || body[body.length - 1] !== q) unclosed.push(tok.offset);
    }
    for (const v of Object.values(t)) if (v && typeof v === 'object') stack.push(v);
  }
  out.sort((a, b) => a.start - b.start);
  unclosed.sort((a, b) => a - b);
}
