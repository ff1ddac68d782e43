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
    collectComments(tokens, comments);
    const composer = new Composer({ uniqueKeys: false, strict: false, prettyErrors: false, keepSourceTokens: false });
    for (const doc of composer.compose(tokens, true, text.length)) {
      for (const e of doc.errors) problems.push({ message: e.message.split('\n')[0], start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) });
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

function collectComments(tokens: unknown[], out: YamlComment[]): void {
  const stack: unknown[] = [...tokens];
  while (stack.length) {
    const t = stack.pop();
    if (!t || typeof t !== 'object') continue;
    const tok = t as { type?: string; offset?: number; source?: string };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      out.push({ start: tok.offset, end: tok.offset + tok.source.length, text: tok.source });
      continue;
    }
    for (const v of Object.values(t)) if (v && typeof v === 'object') stack.push(v);
  }
  out.sort((a, b) => a.start - b.start);
}
