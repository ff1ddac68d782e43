import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MemoryFiles } from '../../common/fs-files';
import type { ReadinessResult } from '../../common/protocol';
import { ALL_COLLECTORS, ALL_RULES, defaultRegistry, initPython, Registry, scanWorkspace, type Rule, type WorkspaceFiles } from '../../rules';
import { ensureBuilt as ensureCli, runCli } from '../cli/helpers';
import { ensureBuilt, LspClient, TempWorkspace } from '../lsp/client';
import { rssMb } from './proc';

/**
 * Workspaces that fight back: files that vanish, cannot be read or turn into folders during a
 * scan, symbolic link loops, a 20,000-file workspace, and a rule that throws. The scan finishes,
 * says what it skipped and why, keeps the other files' findings, and memory stays bounded.
 */

const FLAGGED = 'DATA = "/home/ana/x.csv"\n';

/** Files whose reads fail as the disk would fail them, some only after being listed. */
class FaultyFiles implements WorkspaceFiles {
  constructor(
    private readonly inner: MemoryFiles,
    private readonly faults: Map<string, string>,
  ) {}
  list(descend: (dir: string) => boolean): AsyncIterable<string> {
    return this.inner.list(descend);
  }
  async read(p: string): Promise<Uint8Array> {
    const code = this.faults.get(p);
    if (code) throw Object.assign(new Error(`${code}: ${p}`), { code });
    return this.inner.read(p);
  }
  async size(p: string): Promise<number> {
    if (this.faults.has(p)) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    return this.inner.size(p);
  }
}

describe('reliability: workspace faults', function () {
  this.timeout(120_000);
  before(async () => {
    await initPython();
    ensureBuilt();
    ensureCli();
  });

  it('engine: files that vanish, cannot be read or became folders are skipped with their reason; the rest is analysed', async () => {
    const files = new Map<string, string>();
    const faults = new Map<string, string>();
    for (let i = 0; i < 30; i++) files.set(`src/m${i}.py`, FLAGGED);
    const codes = ['ENOENT', 'EACCES', 'EISDIR', 'EIO', 'EMFILE'];
    codes.forEach((code, i) => faults.set(`src/m${i * 3}.py`, code));
    faults.set('data/big.csv', 'ENOENT');
    files.set('data/big.csv', 'a,b\n');
    files.set('mlready.yaml', 'stage: production\n');
    const result = await scanWorkspace(new FaultyFiles(new MemoryFiles(files), faults), defaultRegistry());
    const skipped = new Map(result.files.skipped.map((s) => [s.file, s.reason]));
    codes.forEach((code, i) => assert.match(skipped.get(`src/m${i * 3}.py`) ?? '', new RegExp(`could not be read \\(${code}\\)`)));
    assert.equal(result.files.scanned, 30 - codes.length + 1, 'the modules that could be read, and mlready.yaml');
    assert.equal(result.findings.filter((f) => f.code === 'P101').length, 30 - codes.length);
    assert.equal(result.config.stage, 'production');
  });

  it('engine: a rule that throws is isolated: recorded once per file by code, the other rules still report', async () => {
    const base = ALL_RULES.find((r) => r.code === 'P101')!;
    const throwing: Rule = { ...base, code: 'Z999', name: 'always-throws', check: (ctx) => {
      throw new Error(`boom on ${ctx.doc.text}`);
    } };
    const registry = new Registry([...ALL_RULES, throwing], ALL_COLLECTORS);
    const files = new Map([['a.py', FLAGGED], ['b.py', FLAGGED], ['nb/c.py', 'x = 1\n']]);
    const result = await scanWorkspace(new MemoryFiles(files), registry);
    assert.deepEqual(result.ruleErrors.map((e) => `${e.file} ${e.code}`).sort(), ['a.py Z999', 'b.py Z999', 'nb/c.py Z999']);
    assert.equal(result.findings.filter((f) => f.code === 'P101').length, 2, 'P101 still reported');
    assert.equal(result.files.scanned, 3);
    assert.ok(!result.findings.some((f) => f.code === 'Z999'));
  });

  it('CLI: symbolic link loops, broken links and links to files: the scan ends and reports what it could not read', async function () {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-links-')));
    try {
      fs.mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'train.py'), FLAGGED);
      fs.symlinkSync('..', path.join(dir, 'src', 'deep', 'up')); // folder loop
      fs.symlinkSync('.', path.join(dir, 'src', 'self')); // folder loop
      fs.symlinkSync(dir, path.join(dir, 'src', 'root')); // absolute loop
      fs.symlinkSync('b.py', path.join(dir, 'a.py')); // a → b → a
      fs.symlinkSync('a.py', path.join(dir, 'b.py'));
      fs.symlinkSync('missing.py', path.join(dir, 'broken.py'));
      fs.symlinkSync('src/train.py', path.join(dir, 'linked.py')); // a link to a file is read
      const started = Date.now();
      const run = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(Date.now() - started < 30_000);
      const report = JSON.parse(run.stdout) as { findings: { file: string; code: string }[]; files: { scanned: number; skipped: { file: string; reason: string }[] } };
      assert.deepEqual(report.findings.filter((f) => f.code === 'P101').map((f) => f.file).sort(), ['linked.py', 'src/train.py']);
      const skipped = new Map(report.files.skipped.map((s) => [s.file, s.reason]));
      for (const f of ['a.py', 'b.py', 'broken.py']) assert.match(skipped.get(f) ?? '', /link/, `${f}: ${JSON.stringify(report.files.skipped)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CLI: unreadable files and folders are skipped with their reason (not as root: root reads everything)', async function () {
    if (process.getuid?.() === 0) this.skip();
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-perm-')));
    try {
      fs.writeFileSync(path.join(dir, 'ok.py'), FLAGGED);
      fs.writeFileSync(path.join(dir, 'secret.py'), FLAGGED);
      fs.mkdirSync(path.join(dir, 'closed'));
      fs.writeFileSync(path.join(dir, 'closed', 'x.py'), FLAGGED);
      fs.chmodSync(path.join(dir, 'secret.py'), 0);
      fs.chmodSync(path.join(dir, 'closed'), 0);
      const run = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
      const report = JSON.parse(run.stdout) as { files: { skipped: { file: string; reason: string }[] } };
      const skipped = new Map(report.files.skipped.map((s) => [s.file, s.reason]));
      assert.match(skipped.get('secret.py') ?? '', /EACCES/);
      assert.match(skipped.get('closed') ?? '', /EACCES/);
    } finally {
      fs.chmodSync(path.join(dir, 'closed'), 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('server: files deleted, renamed and replaced by folders during a workspace scan; it answers and says what it skipped', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`pkg${i % 15}/m${i}.py`] = `import os\nX${i} = ${i}\n${i % 50 === 0 ? FLAGGED : ''}`;
    const ws = new TempWorkspace(files);
    const client = await LspClient.start({ workspace: ws });
    try {
      // mutate the tree while the server lists and reads it
      for (let i = 0; i < 600; i += 3) {
        const p = path.join(ws.dir, `pkg${i % 15}`, `m${i}.py`);
        if (i % 9 === 0) fs.rmSync(p, { force: true });
        else if (i % 9 === 3) fs.renameSync(p, `${p}.renamed.py`);
        else {
          fs.rmSync(p, { force: true });
          fs.mkdirSync(p); // a folder where a file was listed
        }
        if (i % 150 === 0) await new Promise((r) => setImmediate(r));
      }
      fs.rmSync(path.join(ws.dir, 'pkg14'), { recursive: true, force: true });
      await client.waitFor('a finished scan', () => (client.statuses.some((s) => s.state === 'idle') ? true : undefined), 60_000);
      const readiness = await client.request<ReadinessResult>('mlready/readiness', {});
      assert.equal(readiness.folders.length, 1);
      for (const s of readiness.folders[0].skipped) assert.ok(s.reason.length > 5, JSON.stringify(s));
      // a new scan of the changed tree is consistent and finishes
      await client.request('mlready/scanWorkspace', {});
      const again = await client.request<ReadinessResult>('mlready/readiness', {});
      assert.ok(again.folders[0].scanned);
      assert.ok(!/Unhandled|TypeError|RangeError/.test(client.stderr), client.stderr.slice(-2000));
      // the files that were there all along keep their findings
      assert.deepEqual((await client.diagnosticsFor(ws.uriOf('pkg5/m50.py'), (d) => d.length > 0, 20_000)).map((d) => d.code).filter((c) => c === 'P101'), ['P101']);
    } finally {
      await client.shutdown();
      ws.dispose();
    }
  });

  it('server: a 20,000-file workspace is scanned, answered, and RSS stays bounded', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-20k-')));
    // 2,000 Python modules, 2,000 YAML files, 16,000 other files (docs, data) in 100 folders
    for (let d = 0; d < 100; d++) {
      fs.mkdirSync(path.join(dir, `pkg${d}`));
      for (let i = 0; i < 200; i++) {
        const base = path.join(dir, `pkg${d}`, `m${i}`);
        if (i % 10 === 0) fs.writeFileSync(`${base}.py`, `import os\nX = ${i}\n${d === 0 && i === 0 ? FLAGGED : ''}`);
        else if (i % 10 === 1) fs.writeFileSync(`${base}.yaml`, `a: ${i}\n`);
        else fs.writeFileSync(`${base}.md`, '# doc\n');
      }
    }
    const ws = Object.assign(Object.create(TempWorkspace.prototype) as TempWorkspace, { dir, uri: require('url').pathToFileURL(dir).href });
    const started = Date.now();
    const client = await LspClient.start({ workspace: ws });
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb(client.proc.pid!));
      } catch {
        // exited
      }
    }, 100);
    try {
      await client.diagnosticsFor(ws.uriOf('pkg0/m0.py'), (d) => d.some((x) => x.code === 'P101'), 100_000);
      const readiness = await client.request<ReadinessResult>('mlready/readiness', {});
      const folder = readiness.folders[0];
      assert.ok(folder.scanned, 'the scan finished');
      const end = rssMb(client.proc.pid!);
      console.log(`    20k files: scanned in ${((Date.now() - started) / 1000).toFixed(1)} s; server RSS peak ${peak.toFixed(0)} MB, after ${end.toFixed(0)} MB; ${folder.files.length} files with findings, ${folder.skipped.length} skipped`);
      assert.ok(peak < 1024, `RSS peaked at ${peak.toFixed(0)} MB`);
      // it still answers promptly
      const t = Date.now();
      const uri = ws.uriOf('fresh.py');
      client.open(uri, 'python', FLAGGED);
      await client.diagnosticsFor(uri, (d) => d.length > 0, 20_000);
      assert.ok(Date.now() - t < 10_000, `an edit took ${Date.now() - t} ms after the scan`);
    } finally {
      clearInterval(sampler);
      await client.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
