/**
 * `npm run bench [-- PATH…] [--sizes 1k,10k,100k,500k] [--quick] [--runs N] [--runs-large N]
 *  [--jobs N] [--edits N] [--no-lsp] [--json FILE]`
 *
 * Measures mlready on deterministic synthetic ML workspaces (bench/generate.ts; 1k, 10k, 100k and
 * 500k lines by default, `--quick` stops at 100k) or on the folders given: parse-only throughput (the
 * floor), full CLI scan throughput with one job and with all cores (`--jobs`, default the cores),
 * their ratio, language-server keystroke→diagnostics latency on a 2,000-line module and a 200-cell
 * notebook, first diagnostics, peak RSS of the CLI and of the server after scanning the largest
 * set, bundle sizes and activation time. Every process is timed whole (wall clock), and the fixed
 * start-up of each program (the same command on an empty folder) is measured too: throughputs are
 * lines / (wall − start-up), so that small workspaces measure analysis, not process start. Every
 * figure is a median over runs (`--runs`, 3; `--runs-large` for sets of 200k lines or more, 1) with
 * min and max. Prints a table and writes bench/results.json. Not part of `npm test`.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { cellUri, LspClient, TempWorkspace, ensureBuilt, rangeAt, ROOT } from '../test/lsp/client';
import { classify } from '../rules';
import { countLines, generateWorkspace, largeModule, notebookCells } from './generate';

interface Stat { median: number; min: number; max: number; runs: number }
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, min: s[0], max: s[s.length - 1], runs: s.length };
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const HOOK = path.join(__dirname, 'rss-hook.cjs');
const OUT = path.join(__dirname, 'out'); // ignored by .gitignore's out/
const CLI = path.join(ROOT, 'dist', 'cli.js');

const LARGE = 200_000;

const USAGE = `Usage: npm run bench -- [PATH ...] [options]
  PATH               also (or, without --sizes/--quick/--full, only) benchmark these folders
  --quick            synthetic sets of 1k, 10k and 100k lines (default: also 500k)
  --full             1k, 10k, 100k and 500k lines
  --sizes A,B        synthetic sets of these sizes (e.g. 5k,50k; empty: none)
  --runs N           runs per figure (median, min, max; default 3)
  --runs-large N     runs for sets of 200k lines or more (default 1)
  --jobs N           threads for the multi-worker scan (default: the cores)
  --edits N          didChange edits per latency benchmark (default 200)
  --no-lsp           skip the language-server latency, first-diagnostics and memory figures
  --json FILE        where to write the results (default bench/results.json)
`;

function parseArgs(argv: string[]) {
  const opts = { sizes: [1_000, 10_000, 100_000, 500_000], runs: 3, runsLarge: 1, jobs: os.availableParallelism?.() ?? os.cpus().length, edits: 200, lsp: true, paths: [] as string[], json: path.join(__dirname, 'results.json') };
  const size = (s: string) => Math.round(parseFloat(s) * (/k$/i.test(s) ? 1e3 : /m$/i.test(s) ? 1e6 : 1));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--full') opts.sizes = [1_000, 10_000, 100_000, 500_000];
    else if (a === '--quick') opts.sizes = [1_000, 10_000, 100_000];
    else if (a === '--runs-large') opts.runsLarge = Number(argv[++i]);
    else if (a === '--jobs') opts.jobs = Number(argv[++i]);
    else if (a === '--sizes') opts.sizes = argv[++i].split(',').filter(Boolean).map(size);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--edits') opts.edits = Number(argv[++i]);
    else if (a === '--no-lsp') opts.lsp = false;
    else if (a === '--json') opts.json = path.resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else opts.paths.push(path.resolve(a));
  }
  if (opts.paths.length) opts.sizes = argv.includes('--sizes') || argv.includes('--full') || argv.includes('--quick') ? opts.sizes : [];
  return opts;
}

function buildParseOnly(): string {
  const out = path.join(OUT, 'parse-only.js');
  fs.mkdirSync(OUT, { recursive: true });
  const r = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ entryPoints: ['bench/parse-only.ts'], outfile: ${JSON.stringify(out)}, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' } })`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`parse-only build failed: ${r.stderr}`);
  return out;
}

/** The process's peak RSS: the largest figure the hook printed (worker threads print one too, on their exit). */
function peakRssMb(stderr: string): number {
  const all = [...stderr.matchAll(/MLREADY_BENCH_MAXRSS_KB=(\d+)/g)].map((m) => Number(m[1]));
  return all.length ? Math.max(...all) / 1024 : NaN;
}

/** Runs a node script with the RSS hook; wall time in ms and peak RSS in MB. */
function runNode(args: string[]): Promise<{ ms: number; rssMb: number; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['--require', HOOK, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => {
      const ms = performance.now() - t0;
      resolve({ ms, rssMb: peakRssMb(stderr), stdout, stderr, code });
    });
  });
}

/** Lines and files the scan analyses (classified files outside ignored folders). */
function measureFolder(dir: string): { files: number; lines: number } {
  let files = 0;
  let lines = 0;
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!/^(\.git|node_modules|\.?venv|__pycache__|\.tox)$/.test(e.name)) walk(r);
      } else if (e.isFile() && classify(r)) {
        files++;
        lines += countLines(fs.readFileSync(path.join(dir, r), 'utf8'));
      }
    }
  };
  walk('');
  return { files, lines };
}

interface ScanRow {
  name: string;
  dir: string;
  files: number;
  lines: number;
  /** Wall clock of the whole process, and throughput net of the program's fixed start-up. */
  parseOnlyMs: Stat;
  parseOnlyLinesPerSec: Stat;
  fullMs: Stat;
  fullLinesPerSec: Stat;
  fullFilesPerSec: Stat;
  /** The same with `--jobs N`. */
  jobs: number;
  jobsMs: Stat;
  jobsLinesPerSec: Stat;
  jobsFilesPerSec: Stat;
  /** jobs N throughput / one job throughput. */
  speedup: Stat;
  /** full (one job) / parse-only, net of start-up. */
  ratio: Stat;
  /** The same on wall clock (start-up included). */
  ratioWall: Stat;
  cliRssMb: Stat;
  jobsRssMb: Stat;
}

interface Startup {
  parseOnlyMs: Stat;
  cliMs: Stat;
}

const cliArgs = (dir: string, out: string, jobs: number) => [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never', '--output', out, '--jobs', String(jobs)];

/** Fixed start-up: each program on an empty folder (load the bundle, the wasm grammar, the rules; write an empty report). */
async function benchStartup(runs: number, parseOnlyJs: string): Promise<Startup> {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-bench-empty-'));
  const outFile = path.join(os.tmpdir(), `mlready-bench-${process.pid}-empty.json`);
  const po: number[] = [];
  const cli: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      po.push((await runNode([parseOnlyJs, empty])).ms);
      const c = await runNode(cliArgs(empty, outFile, 1));
      if (c.code !== 0) throw new Error(`mlready check failed on an empty folder: ${c.stderr.slice(-2000)}`);
      cli.push(c.ms);
    }
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
    fs.rmSync(outFile, { force: true });
  }
  return { parseOnlyMs: stat(po), cliMs: stat(cli) };
}

async function benchScan(name: string, dir: string, runs: number, jobs: number, parseOnlyJs: string, startup: Startup): Promise<ScanRow> {
  const { files, lines } = measureFolder(dir);
  const po: number[] = [];
  const full: number[] = [];
  const multi: number[] = [];
  const rss: number[] = [];
  const rssJobs: number[] = [];
  const outFile = path.join(os.tmpdir(), `mlready-bench-${process.pid}.json`);
  for (let i = 0; i < runs; i++) {
    const p = await runNode([parseOnlyJs, dir]);
    if (p.code !== 0) throw new Error(`parse-only failed on ${dir}: ${p.stderr.slice(-2000)}`);
    po.push(p.ms);
    const c = await runNode(cliArgs(dir, outFile, 1));
    if (c.code !== 0) throw new Error(`mlready check failed on ${dir} (exit ${c.code}): ${c.stderr.slice(-2000)}`);
    full.push(c.ms);
    rss.push(c.rssMb);
    const one = fs.readFileSync(outFile, 'utf8');
    const m = await runNode(cliArgs(dir, outFile, jobs));
    if (m.code !== 0) throw new Error(`mlready check --jobs ${jobs} failed on ${dir} (exit ${m.code}): ${m.stderr.slice(-2000)}`);
    if (fs.readFileSync(outFile, 'utf8') !== one) throw new Error(`mlready check --jobs ${jobs} reported differently from --jobs 1 on ${dir}`);
    multi.push(m.ms);
    rssJobs.push(m.rssMb);
  }
  fs.rmSync(outFile, { force: true });
  // throughput net of the fixed start-up (never below 1 ms of work, for tiny sets under noise)
  const net = (ms: number, base: Stat) => Math.max(1, ms - base.median);
  const perSec = (n: number, ms: number[], base: Stat) => stat(ms.map((x) => (n / net(x, base)) * 1000));
  return {
    name, dir, files, lines,
    parseOnlyMs: stat(po),
    parseOnlyLinesPerSec: perSec(lines, po, startup.parseOnlyMs),
    fullMs: stat(full),
    fullLinesPerSec: perSec(lines, full, startup.cliMs),
    fullFilesPerSec: perSec(files, full, startup.cliMs),
    jobs,
    jobsMs: stat(multi),
    jobsLinesPerSec: perSec(lines, multi, startup.cliMs),
    jobsFilesPerSec: perSec(files, multi, startup.cliMs),
    speedup: stat(multi.map((ms, i) => net(full[i], startup.cliMs) / net(ms, startup.cliMs))),
    ratio: stat(full.map((ms, i) => net(ms, startup.cliMs) / net(po[i], startup.parseOnlyMs))),
    ratioWall: stat(full.map((ms, i) => ms / po[i])),
    cliRssMb: stat(rss),
    jobsRssMb: stat(rssJobs),
  };
}

/** Extension activation, outside VS Code: loading dist/client.js (with a stub `vscode` module) in a fresh process. */
async function benchClientLoad(runs: number): Promise<Stat> {
  const script = `
const Module = require('module');
// any property, call or construction gives the stub again; bundles copy a module's own names, so
// the stub is also the prototype that the copy inherits from
const get = (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : k === Symbol.iterator ? function* () {} : stub);
const proto = new Proxy({}, { get });
const stub = new Proxy(function () {}, { get, apply: () => stub, construct: () => stub, getPrototypeOf: () => proto });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t = performance.now();
require(${JSON.stringify(path.join(ROOT, 'dist', 'client.js'))});
process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    times.push(r.status === 0 ? Number(r.stdout) : NaN);
  }
  return stat(times);
}

/** Starts the server with the RSS hook preloaded (through NODE_OPTIONS, inherited by its spawn). */
async function startServer(workspace: TempWorkspace | { dir: string; uri: string }, scanWorkspace: boolean): Promise<{ client: LspClient; started: number; initializedMs: number }> {
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${saved ?? ''} --require ${HOOK}`.trim();
  const started = performance.now();
  try {
    const client = await LspClient.start({ workspace: workspace as TempWorkspace, settings: { enable: true, scanWorkspace, debounceMs: 0 } });
    return { client, started, initializedMs: performance.now() - started };
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
}

/** Starts the server once and stops it, so that its code cache for this build exists. */
async function warmServerCodeCache(): Promise<void> {
  const ws = new TempWorkspace({ 'warm.py': 'import os\nprint(os.environ.get("HOME"))\n' });
  try {
    const client = await LspClient.start({ workspace: ws, settings: { enable: true, scanWorkspace: false, debounceMs: 0 } });
    const uri = ws.uriOf('warm.py');
    client.open(uri, 'python', 'import os\nprint(os.environ.get("HOME"))\n', 1);
    await nextPublish(client, uri, 0);
    await client.shutdown();
  } finally {
    ws.dispose();
  }
}

async function stopServer(client: LspClient): Promise<number> {
  await client.shutdown();
  await new Promise((r) => setTimeout(r, 50));
  return peakRssMb(client.stderr);
}

function nextPublish(client: LspClient, uri: string, seen: number, timeoutMs = 60_000): Promise<true> {
  return client.waitFor(`diagnostics of ${uri}`, () => (client.history.slice(seen).some((p) => p.uri === uri) ? true : undefined), timeoutMs);
}

interface LatencyRow { name: string; edits: number; p50: number; p95: number; max: number; serverInitializeMs: number; firstDiagnosticsFromStartMs: number; firstDiagnosticsFromOpenMs: number; serverRssMb: number }

async function benchModuleLatency(edits: number): Promise<LatencyRow> {
  const text = largeModule();
  const ws = new TempWorkspace({ 'bench_module.py': text });
  const { client, started, initializedMs } = await startServer(ws, false);
  try {
    const uri = ws.uriOf('bench_module.py');
    const opened = performance.now();
    client.open(uri, 'python', text, 1);
    await nextPublish(client, uri, 0);
    const first = performance.now();
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > lines.length / 2 && /^\s+\w+ = /.test(l));
    const end = lines[line].length;
    const times: number[] = [];
    for (let v = 2; v < edits + 2; v++) {
      const seen = client.history.length;
      const t = performance.now();
      client.change(uri, v, [v % 2 === 0 ? { range: rangeAt(line, end), text: ' ' } : { range: rangeAt(line, end, line, end + 1), text: '' }]);
      await nextPublish(client, uri, seen);
      times.push(performance.now() - t);
    }
    return { name: `2,000-line module (${lines.length} lines)`, edits, p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), serverInitializeMs: initializedMs, firstDiagnosticsFromStartMs: first - started, firstDiagnosticsFromOpenMs: first - opened, serverRssMb: await stopServer(client) };
  } finally {
    ws.dispose();
  }
}

async function benchNotebookLatency(edits: number): Promise<LatencyRow> {
  const sources = notebookCells(11, 200);
  const ws = new TempWorkspace({});
  const nb = ws.uriOf('bench.ipynb');
  fs.writeFileSync(path.join(ws.dir, 'bench.ipynb'), JSON.stringify({ cells: sources.map((s) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: s })), metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  const cells = sources.map((text, i) => ({ uri: cellUri(nb, `W${i}sZmlsZQ`), text }));
  const { client, started, initializedMs } = await startServer(ws, false);
  try {
    const k = 100;
    const opened = performance.now();
    client.openNotebook(nb, cells, 1);
    await client.waitFor('first notebook diagnostics', () => (client.history.some((p) => cells.some((c) => c.uri === p.uri)) ? true : undefined), 60_000);
    const first = performance.now();
    await nextPublish(client, cells[k].uri, 0).catch(() => undefined);
    const line = cells[k].text.split('\n')[0].length;
    const times: number[] = [];
    for (let v = 2; v < edits + 2; v++) {
      const seen = client.history.length;
      const t = performance.now();
      client.changeCell(nb, v, cells[k].uri, v, [v % 2 === 0 ? { range: rangeAt(0, line), text: ' ' } : { range: rangeAt(0, line, 0, line + 1), text: '' }]);
      await nextPublish(client, cells[k].uri, seen);
      times.push(performance.now() - t);
    }
    return { name: `200-cell notebook (${sources.join('\n').split('\n').length} lines)`, edits, p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), serverInitializeMs: initializedMs, firstDiagnosticsFromStartMs: first - started, firstDiagnosticsFromOpenMs: first - opened, serverRssMb: await stopServer(client) };
  } finally {
    ws.dispose();
  }
}

/** Resident memory of a running process now, in MB (Linux /proc; NaN elsewhere). */
function currentRssMb(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function benchServerScan(dir: string): Promise<{ ms: number; rssMb: number; rssAfterMb: number; files: number }> {
  const { client, started } = await startServer({ dir, uri: pathToFileURL(dir).href }, true);
  await client.waitFor('workspace scan', () => client.statuses.find((s) => s.state === 'idle' && s.files > 0), 30 * 60_000);
  const ms = performance.now() - started;
  const files = client.statuses.filter((s) => s.state === 'idle').pop()!.files;
  // what the server holds while it waits for the next edit, once the scan's garbage is collectable
  await new Promise((r) => setTimeout(r, 2_000));
  const rssAfterMb = currentRssMb(client.proc.pid);
  return { ms, files, rssAfterMb, rssMb: await stopServer(client) };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const fs3 = (s: Stat, d = 0) => `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`;

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  return [line(head), '|' + w.map((x, i) => (i === 0 ? ':' : '-') + '-'.repeat(x) + (i === 0 ? '-' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureBuilt();
  if (!fs.existsSync(CLI) || fs.statSync(CLI).mtimeMs < fs.statSync(path.join(ROOT, 'dist', 'server.js')).mtimeMs - 60_000) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
  const parseOnlyJs = buildParseOnly();
  const base = path.join(os.tmpdir(), 'mlready-bench');
  const targets: { name: string; dir: string }[] = [];
  for (const size of opts.sizes) {
    const dir = path.join(base, `ws-${size}`);
    process.stderr.write(`generating ${fmt(size)}-line workspace in ${dir}…\n`);
    generateWorkspace(dir, size);
    targets.push({ name: `synthetic ${size >= 1000 ? `${size / 1000}k` : size}`, dir });
  }
  for (const p of opts.paths) targets.push({ name: path.basename(p), dir: p });

  const uptime = () => `${new Date().toISOString()} load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  const loads: string[] = [uptime()];
  process.stderr.write(`start-up on an empty folder (${opts.runs} runs)…\n`);
  const startup = await benchStartup(opts.runs, parseOnlyJs);
  const scans: ScanRow[] = [];
  for (const t of targets) {
    const runs = measureFolder(t.dir).lines >= LARGE ? opts.runsLarge : opts.runs;
    process.stderr.write(`scanning ${t.name} (${runs} runs, jobs 1 and ${opts.jobs})… [${uptime()}]\n`);
    const row = await benchScan(t.name, t.dir, runs, opts.jobs, parseOnlyJs, startup);
    scans.push(row);
    loads.push(uptime());
    // as it goes: a long run that is stopped keeps what it measured
    process.stderr.write(`  ${row.name}: ${fmt(row.lines)} lines; parse-only ${fs3(row.parseOnlyMs)} ms; full ${fs3(row.fullMs)} ms (${fs3(row.fullLinesPerSec)} lines/s, RSS ${fs3(row.cliRssMb)} MB); --jobs ${row.jobs} ${fs3(row.jobsMs)} ms (×${fs3(row.speedup, 2)}, RSS ${fs3(row.jobsRssMb)} MB)\n`);
    fs.writeFileSync(opts.json, JSON.stringify({ partial: true, date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadavg: loads, runs: opts.runs, runsLarge: opts.runsLarge, startup, scans }, null, 2) + '\n');
  }
  const latency: LatencyRow[] = [];
  let serverScan: { workspace: string; ms: number; rssMb: number; rssAfterMb: number; files: number } | undefined;
  if (opts.lsp) {
    // as an editor starts it after the first time: with the V8 code cache of this build (common/code-cache.ts)
    await warmServerCodeCache();
    process.stderr.write(`LSP latency: ${opts.edits} edits on the module… [${uptime()}]\n`);
    latency.push(await benchModuleLatency(opts.edits));
    process.stderr.write(`LSP latency: ${opts.edits} edits on the notebook… [${uptime()}]\n`);
    latency.push(await benchNotebookLatency(opts.edits));
    const largest = [...scans].sort((a, b) => b.lines - a.lines)[0];
    if (largest) {
      process.stderr.write(`server scan of ${largest.name}… [${uptime()}]\n`);
      serverScan = { workspace: largest.name, ...(await benchServerScan(largest.dir)) };
    }
    loads.push(uptime());
  }
  const clientLoadMs = await benchClientLoad(opts.runs);
  const bundles = Object.fromEntries(
    fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => /\.(js|wasm)$/.test(f)).map((f) => [f, fs.statSync(path.join(ROOT, 'dist', f)).size]),
  );

  const out: string[] = [];
  out.push(`mlready bench — node ${process.version}, ${os.cpus().length} cores; medians (min–max) over ${opts.runs} runs (${opts.runsLarge} for sets ≥ ${fmt(LARGE)} lines)`);
  out.push(`load averages (1/5/15 min) during the run: ${loads.join(' · ')}`);
  out.push(`fixed start-up (empty folder, wall ms): parse-only ${fs3(startup.parseOnlyMs)}, mlready check ${fs3(startup.cliMs)}; lines/s and files/s below are net of it`);
  out.push('');
  out.push(table(
    ['workspace', 'files', 'lines', 'parse-only ms', 'parse-only lines/s', 'full ms (1 job)', 'full lines/s', 'full files/s', 'full/parse', 'full/parse wall', 'CLI RSS MB'],
    scans.map((s) => [s.name, fmt(s.files), fmt(s.lines), fs3(s.parseOnlyMs), fs3(s.parseOnlyLinesPerSec), fs3(s.fullMs), fs3(s.fullLinesPerSec), fs3(s.fullFilesPerSec, 1), fs3(s.ratio, 2), fs3(s.ratioWall, 2), fs3(s.cliRssMb)]),
  ));
  out.push('');
  out.push(table(
    ['workspace', 'jobs', 'full ms', 'full lines/s', 'full files/s', 'speed-up vs 1 job', 'CLI RSS MB'],
    scans.map((s) => [s.name, String(s.jobs), fs3(s.jobsMs), fs3(s.jobsLinesPerSec), fs3(s.jobsFilesPerSec, 1), fs3(s.speedup, 2), fs3(s.jobsRssMb)]),
  ));
  if (latency.length) {
    out.push('');
    out.push(table(
      ['LSP (debounce 0)', 'edits', 'p50 ms', 'p95 ms', 'max ms', 'initialize ms', 'first diag. from start ms', 'from didOpen ms', 'server peak RSS MB'],
      latency.map((l) => [l.name, String(l.edits), fmt(l.p50, 1), fmt(l.p95, 1), fmt(l.max, 1), fmt(l.serverInitializeMs), fmt(l.firstDiagnosticsFromStartMs), fmt(l.firstDiagnosticsFromOpenMs), fmt(l.serverRssMb)]),
    ));
  }
  if (serverScan) out.push('', `server workspace scan of ${serverScan.workspace}: ${fmt(serverScan.files)} files in ${fmt(serverScan.ms)} ms (from start), server RSS ${fmt(serverScan.rssAfterMb)} MB after the scan (2 s idle), peak ${fmt(serverScan.rssMb)} MB`);
  out.push('', 'bundles: ' + Object.entries(bundles).map(([f, b]) => `${f} ${fmt(b / 1024)} KiB`).join(', '));
  out.push(`activation: loading dist/client.js ${fs3(clientLoadMs, 1)} ms (stub vscode module) + server start to initialized ${latency.length ? `${fmt(latency[0].serverInitializeMs)} ms` : 'n/a'}`);
  const growth = scans.filter((s) => s.name.startsWith('synthetic'));
  const s100 = growth.find((s) => s.name === 'synthetic 100k');
  const s500 = growth.find((s) => s.name === 'synthetic 500k');
  if (s100 && s500) out.push(`growth: 500k scan / 100k scan = ${(s500.fullMs.median / s100.fullMs.median).toFixed(2)}× with 1 job, ${(s500.jobsMs.median / s100.jobsMs.median).toFixed(2)}× with ${s500.jobs} (target ≤ 5.5×)`);
  console.log(out.join('\n'));
  fs.writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadavg: loads, runs: opts.runs, runsLarge: opts.runsLarge, startup, scans, latency, serverScan, clientLoadMs, bundles }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), opts.json)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
