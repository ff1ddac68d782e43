/**
 * The floor: lists and reads the same files the CLI would, and only parses them (tree-sitter
 * with its node index, notebook JSON, YAML, requirements), no facts, no rules. Bundled and run
 * as its own process by bench/run.ts, like the CLI. Prints one JSON line.
 */
import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { classify, decodeFile, defaultConfig, initPython, isIgnoredPath, loadDocument } from '../rules';

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
    const doc = loadDocument(p, decoded.text, kind);
    for (const u of doc.python?.units ?? []) u.nodes('call'); // the index query is part of parsing
    lines += doc.file.lines.lineCount;
    parsed++;
    doc.dispose();
  }
  process.stdout.write(JSON.stringify({ files: parsed, lines, ms: performance.now() - t0 }) + '\n');
}
void main();
