import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { SyntaxTree, type TreeSitterExports } from './syntax-tree';

/**
 * Loads web-tree-sitter and the Python grammar once per process. The wasm files sit next to the
 * bundle (dist/) in a packaged build and in node_modules when the sources run under tsx.
 * This is the only place in the engine that touches the disk by itself.
 */

let language: Language | undefined;
let parser: Parser | undefined;
let loading: Promise<void> | undefined;
/** Emscripten makes the options object given to `Parser.init` its module: the raw wasm exports. */
let exports: TreeSitterExports | undefined;
let transferBuffer = 0;

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
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
    // the bytes are given rather than a path: web-tree-sitter would read a path through a dynamic
    // import(), which code compiled from a V8 code cache cannot run (see common/code-cache.ts)
    const module = { locateFile: () => runtime, wasmBinary: fs.readFileSync(runtime) };
    await Parser.init(module);
    exports = module as unknown as TreeSitterExports;
    if (typeof exports._ts_tree_cursor_goto_first_child_wasm !== 'function') throw new Error('mlready: web-tree-sitter does not expose its wasm exports');
    transferBuffer = exports._ts_init();
    language = await Language.load(fs.readFileSync(locate('tree-sitter-python.wasm', 'tree-sitter-python')));
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

/** Parses and copies the tree into JavaScript (syntax-tree.ts); the wasm tree is the caller's to free. */
export function mirrorPython(text: string, tree: Tree): SyntaxTree {
  if (!exports) throw new Error('mlready: initPython() must complete before Python is parsed');
  return new SyntaxTree(text, tree, exports, transferBuffer);
}
