/**
 * The floor: lists and reads the same files the CLI would, and only parses them with the parsers
 * mlready builds on: tree-sitter for Python (each notebook code cell too), JSON.parse for the
 * notebook file, the `yaml` library's parser and composer for YAML, and the small line parsers for
 * requirements, Dockerfiles and pyproject.toml. No syntax-tree copy, no facts, no rules: everything
 * mlready adds on top of the parsers counts as analysis. Bundled and run as its own process by
 * bench/run.ts, like the CLI. Prints one JSON line.
 */
import * as path from 'path';
import { Composer, Parser as YamlParser } from 'yaml';
import { DiskFiles } from '../common/fs-files';
import { classify, decodeFile, defaultConfig, initPython, isIgnoredPath, loadDocument } from '../rules';
import { parsePython } from '../rules/documents/python/parser';
import { LineIndex } from '../rules/core/lines';

function parsePythonOnly(text: string): void {
  parsePython(text).delete();
}

function parseNotebookOnly(text: string): void {
  let nb: { cells?: { cell_type?: string; source?: string | string[] }[] };
  try {
    nb = JSON.parse(text);
  } catch {
    return;
  }
  for (const cell of nb.cells ?? []) {
    if (cell.cell_type !== 'code') continue;
    parsePythonOnly(Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? ''));
  }
}

function parseYamlOnly(text: string): void {
  const composer = new Composer({ keepSourceTokens: true });
  for (const _doc of composer.compose(new YamlParser().parse(text), true, text.length)) void _doc;
}

async function main() {
  const t0 = performance.now();
  const root = path.resolve(process.argv[2]);
  await initPython();
  const files = new DiskFiles(root);
  const paths: string[] = [];
  for await (const p of files.list((dir) => !isIgnoredPath(defaultConfig(), `${dir}/`))) paths.push(p);
  let lines = 0;
  let parsed = 0;
  for (const p of paths.sort()) {
    const kind = classify(p);
    if (!kind) continue;
    const decoded = decodeFile(p, await files.read(p));
    if ('skip' in decoded) continue;
    const text = decoded.text;
    if (kind === 'python') parsePythonOnly(text);
    else if (kind === 'notebook') parseNotebookOnly(text);
    else if (kind === 'yaml') parseYamlOnly(text);
    else loadDocument(p, text, kind).dispose();
    lines += new LineIndex(text).lineCount;
    parsed++;
  }
  process.stdout.write(JSON.stringify({ files: parsed, lines, ms: performance.now() - t0 }) + '\n');
}
void main();
