/**
 * Where the time goes on one document: parse, each fact collector, each rule (median of N runs,
 * in process, from the sources). `tsx bench/profile.ts [FILE] [--runs N]`; without FILE, the
 * benchmark's 2,000-line module. A diagnostic tool for the benchmark, not part of it.
 */
import * as fs from 'fs';
import { defaultRegistry, initPython, loadDocument, defaultConfig } from '../rules';
import { emptyFileFacts } from '../rules/core/facts';
import { largeModule, notebook, rng } from './generate';

async function main() {
  const argv = process.argv.slice(2);
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
  const file = argv.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const nb = argv.includes('--notebook');
  const [path, text] = file ? [file, fs.readFileSync(file, 'utf8')] : nb ? ['bench.ipynb', notebook(rng(11), 260, 0)] : ['bench_module.py', largeModule()];
  await initPython();
  const registry = defaultRegistry();
  const config = defaultConfig();
  const times = new Map<string, number[]>();
  const add = (k: string, ms: number) => (times.get(k) ?? times.set(k, []).get(k)!).push(ms);
  for (let i = 0; i < runs + 1; i++) {
    let t = performance.now();
    const doc = loadDocument(path, text);
    doc.python?.calls();
    doc.python?.strings();
    add('parse+index', performance.now() - t);
    const facts = emptyFileFacts(doc.path, doc.kind, 0);
    for (const c of registry.collectors) {
      t = performance.now();
      try { c(doc, facts); } catch { /* */ }
      add(`collector ${c.name || '?'}`, performance.now() - t);
    }
    const { lintDocument } = await import('../rules/core/engine');
    t = performance.now();
    lintDocument(doc, { config, registry });
    add('lintDocument (all)', performance.now() - t);
    for (const rule of registry.rules) {
      if (!rule.check) continue;
      const ctx: any = { rule, doc, config, stage: 'pilot', options: { ...(rule.options ?? {}) }, fileFacts: facts, report() {}, reportNode() {} };
      t = performance.now();
      try { rule.check(ctx); } catch { /* */ }
      add(`rule ${rule.code}`, performance.now() - t);
    }
    doc.dispose();
  }
  const med = (xs: number[]) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const rows = [...times].map(([k, xs]) => [k, med(xs)] as const).sort((a, b) => b[1] - a[1]);
  const rulesTotal = rows.filter(([k]) => k.startsWith('rule ')).reduce((s, [, v]) => s + v, 0);
  const collTotal = rows.filter(([k]) => k.startsWith('collector ')).reduce((s, [, v]) => s + v, 0);
  console.log(`${path}: ${text.split('\n').length} lines; rules total ${rulesTotal.toFixed(1)} ms, collectors total ${collTotal.toFixed(1)} ms`);
  for (const [k, v] of rows.slice(0, 30)) console.log(`${v.toFixed(2).padStart(9)} ms  ${k}`);
}
void main();
