/**
 * Checks that a change to the engine leaves every finding as it was: scans a fixed list of roots
 * (examples/, every rule fixture folder, the benchmark's synthetic workspaces when generated, the
 * shared eval projects when present) in process, from the sources, and writes each root's
 * findings (with fixes, score and suppressions) to one JSON-lines file. `--baseline FILE` writes
 * it; `--compare FILE` reports the first roots whose output differs. A tool for performance work,
 * not a test: the fixtures' expectations are tested by the fixture runner.
 *
 *   npx tsx bench/same-findings.ts --baseline /tmp/before.jsonl
 *   … change the engine …
 *   npx tsx bench/same-findings.ts --compare /tmp/before.jsonl
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { computeScore, defaultRegistry, initPython, scanWorkspace } from '../rules';

const ROOT = path.join(__dirname, '..');

function roots(): string[] {
  const out = [path.join(ROOT, 'examples')];
  const fixtures = path.join(ROOT, 'test', 'fixtures');
  for (const rule of fs.readdirSync(fixtures).sort()) {
    for (const kind of ['flagged', 'clean', 'fixed']) {
      const dir = path.join(fixtures, rule, kind);
      if (fs.existsSync(dir)) out.push(dir);
    }
  }
  const evalDir = path.join(ROOT, '..', 'shared', 'eval');
  if (fs.existsSync(evalDir)) {
    for (const name of fs.readdirSync(evalDir).sort()) {
      const dir = path.join(evalDir, name);
      if (fs.statSync(dir).isDirectory()) out.push(dir);
    }
  }
  for (const ws of ['ws-10000', 'ws-100000']) {
    const dir = path.join('/tmp/mlready-bench', ws);
    if (fs.existsSync(dir)) out.push(dir);
  }
  return out;
}

function serialize(value: unknown): string {
  return JSON.stringify(value, (key, v) => (key === 'unit' || typeof v === 'function' ? undefined : v));
}

async function main() {
  const argv = process.argv.slice(2);
  const mode = argv[0];
  const file = argv[1];
  if ((mode !== '--baseline' && mode !== '--compare') || !file) {
    process.stderr.write('usage: tsx bench/same-findings.ts --baseline FILE | --compare FILE\n');
    process.exit(2);
  }
  await initPython();
  const registry = defaultRegistry();
  const lines: string[] = [];
  for (const root of roots()) {
    const result = await scanWorkspace(new DiskFiles(root), registry);
    const score = computeScore(result.findings, result.facts, result.config);
    lines.push(serialize({ root: path.relative(ROOT, root), findings: result.findings, suppressions: result.suppressions, skipped: result.files.skipped, ruleErrors: result.ruleErrors, score: score.overall }));
  }
  if (mode === '--baseline') {
    fs.writeFileSync(file, lines.join('\n') + '\n');
    console.log(`wrote ${lines.length} roots to ${file}`);
    return;
  }
  const before = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  let differ = 0;
  if (before.length !== lines.length) console.log(`root count differs: ${before.length} before, ${lines.length} now`);
  for (let i = 0; i < Math.min(before.length, lines.length); i++) {
    if (before[i] === lines[i]) continue;
    differ++;
    const a = before[i], b = lines[i];
    let j = 0;
    while (j < a.length && a[j] === b[j]) j++;
    if (differ <= 5) console.log(`DIFFERS ${JSON.parse(b).root}:\n  before …${a.slice(Math.max(0, j - 200), j + 200)}\n  now    …${b.slice(Math.max(0, j - 200), j + 200)}`);
  }
  console.log(differ || before.length !== lines.length ? `${differ} of ${lines.length} roots differ` : `all ${lines.length} roots identical`);
  process.exit(differ || before.length !== lines.length ? 1 : 0);
}
void main();
