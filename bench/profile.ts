/**
 * Where the time goes on one document: parse, each fact collector, each rule (median of N runs,
 * in process, from the sources). `tsx bench/profile.ts [FILE] [--notebook] [--runs N] [--wall]` (CPU time by default); without FILE, the
 * benchmark's 2,000-line module. A diagnostic tool for the benchmark, not part of it.
 */
import * as fs from 'fs';
import { defaultRegistry, initPython, loadDocument, defaultConfig } from '../rules';
import { emptyFileFacts } from '../rules/core/facts';
import { parsePython } from '../rules/documents/python/parser';
import { largeModule, notebook, rng } from './generate';

async function main() {
  const argv = process.argv.slice(2);
  // CPU time by default: the machine is shared, and wall time under load measures the neighbours
  const wall = argv.includes('--wall');
  const clock = wall ? () => performance.now() : () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
  const file = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const nb = argv.includes('--notebook');
  const [path, text] = file ? [file, fs.readFileSync(file, 'utf8')] : nb ? ['bench.ipynb', notebook(rng(11), 260, 0)] : ['bench_module.py', largeModule()];
  await initPython();
  const registry = defaultRegistry();
  const config = defaultConfig();
  const times = new Map<string, number[]>();
  const add = (k: string, ms: number) => (times.get(k) ?? times.set(k, []).get(k)!).push(ms);
  const { lintDocument } = await import('../rules/core/engine');
  const lines = text.split('\n').length;
  for (let i = 0; i < runs + 1; i++) {
    // parse only, as bench/parse-only.ts: tree-sitter alone (for a notebook, its whole load)
    let t0 = clock();
    if (nb) loadDocument(path, text).dispose();
    else parsePython(text).delete();
    add('parse only', clock() - t0);
    // the whole pipeline on a fresh document, as the server and the CLI run it
    let t = clock();
    const fresh = loadDocument(path, text);
    add('load (parse)', clock() - t);
    t = clock();
    lintDocument(fresh, { config, registry });
    add('lintDocument (all)', clock() - t);
    fresh.dispose();
    add('full (load+lint)', times.get('load (parse)')!.at(-1)! + times.get('lintDocument (all)')!.at(-1)!);
    // attribution, on another fresh document: shared caches (calls(), strings() …)
    // are paid by whichever step asks first, in engine order (collectors, then rules)
    t = clock();
    const doc = loadDocument(path, text);
    doc.python?.calls();
    doc.python?.strings();
    add('parse+index', clock() - t);
    const facts = emptyFileFacts(doc.path, doc.kind, 0);
    for (const c of registry.collectors) {
      t = clock();
      try { c(doc, facts); } catch { /* */ }
      add(`collector ${c.name || '?'}`, clock() - t);
    }
    for (const rule of registry.rules) {
      if (!rule.check) continue;
      const ctx: any = { rule, doc, config, stage: 'pilot', options: { ...(rule.options ?? {}) }, fileFacts: facts, report() {}, reportNode() {} };
      t = clock();
      try { rule.check(ctx); } catch { /* */ }
      add(`rule ${rule.code}`, clock() - t);
    }
    doc.dispose();
  }
  const med = (xs: number[]) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const rows = [...times].map(([k, xs]) => [k, med(xs)] as const).sort((a, b) => b[1] - a[1]);
  const rulesTotal = rows.filter(([k]) => k.startsWith('rule ')).reduce((s, [, v]) => s + v, 0);
  const collTotal = rows.filter(([k]) => k.startsWith('collector ')).reduce((s, [, v]) => s + v, 0);
  const min = (xs: number[]) => Math.min(...xs.slice(1));
  console.log(`${wall ? 'wall' : 'CPU'} time of ${runs} runs (after one warm-up); rows: medians`);
  for (const [label, pick] of [['median', med], ['min', min]] as const) {
    const full = pick(times.get('full (load+lint)')!);
    const parse = pick(times.get('parse only')!);
    console.log(`${label}: full ${full.toFixed(1)} ms = ${Math.round((lines / full) * 1000)} lines/s; parse-only ${parse.toFixed(1)} ms; full/parse-only ${(full / parse).toFixed(2)}`);
  }
  console.log(`${path}: ${lines} lines; rules total ${rulesTotal.toFixed(1)} ms, collectors total ${collTotal.toFixed(1)} ms`);
  for (const [k, v] of rows.slice(0, 30)) console.log(`${v.toFixed(2).padStart(9)} ms  ${k}`);
}
void main();
