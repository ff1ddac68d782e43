import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';
import { installNodeMemo } from './node-memo';

/**
 * Loads web-tree-sitter and the Python grammar once per process. The wasm files sit next to the
 * bundle (dist/) in a packaged build and in node_modules when the sources run under tsx.
 * This is the only place in the engine that touches the disk by itself.
 */

let language: Language | undefined;
let parser: Parser | undefined;
let loading: Promise<void> | undefined;

function locate(file: string, pkg: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, 'wasm', file)];
  // from sources (tests, tsx): the package in the nearest node_modules
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'node_modules', pkg, file));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`mlready: cannot find ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

export function initPython(): Promise<void> {
  loading ??= (async () => {
    installNodeMemo();
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    parser = new Parser();
    parser.setLanguage(language);
  })();
  return loading;
}

export function pythonLanguage(): Language {
  if (!language) throw new Error('mlready: initPython() must complete before Python is parsed');
  return language;
}

export function parsePython(text: string, previous?: Tree): Tree {
  if (!parser) throw new Error('mlready: initPython() must complete before Python is parsed');
  const tree = parser.parse(text, previous);
  if (!tree) throw new Error('mlready: tree-sitter returned no tree');
  return tree;
}

const queries = new Map<string, Query>();
/** Queries are compiled once per process and reused for every document. */
export function pythonQuery(source: string): Query {
  let q = queries.get(source);
  if (!q) {
    q = new Query(pythonLanguage(), source);
    queries.set(source, q);
  }
  return q;
}
