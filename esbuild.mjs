// Bundles the three adapters (client, server, CLI) and the analysis worker with the engine inlined, and copies the
// tree-sitter wasm files next to the bundles. `node esbuild.mjs [--production] [--watch]`.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = 'dist';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // web-tree-sitter's ESM build calls createRequire(import.meta.url), which is empty in a CJS
  // bundle: use its CommonJS build instead
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

const targets = [
  { entryPoints: { client: 'client/extension.ts' } },
  // the server, the CLI and the analysis worker threads (rules/workspace/pool.ts) are each a bundle
  // run by a small entry that gives V8 a code cache (common/code-cache.ts)
  { entryPoints: { 'server-bundle': 'server/server.ts' } },
  { entryPoints: { 'cli-bundle': 'cli/main.ts' } },
  { entryPoints: { 'worker-bundle': 'rules/workspace/worker.ts' } },
  { entryPoints: { server: 'common/entries/server.ts' } },
  { entryPoints: { cli: 'common/entries/cli.ts' }, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: { worker: 'common/entries/worker.ts' } },
].filter((t) => Object.values(t.entryPoints).every((p) => fs.existsSync(p)));

function copyWasm() {
  fs.mkdirSync(outdir, { recursive: true });
  for (const [pkg, file] of [
    ['web-tree-sitter', 'tree-sitter.wasm'],
    ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ]) {
    fs.copyFileSync(path.join('node_modules', pkg, file), path.join(outdir, file));
  }
}

copyWasm();
if (watch) {
  for (const t of targets) await (await esbuild.context({ ...common, ...t, outdir })).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t, outdir })));
  if (fs.existsSync(path.join(outdir, 'cli.js'))) fs.chmodSync(path.join(outdir, 'cli.js'), 0o755);
}
