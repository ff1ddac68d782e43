import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, makeProject, removeProject, runCli } from './helpers';
import { EDA_IPYNB, NOTEBOOK_CELL_INDEX, NOTEBOOK_CELLS, NOTEBOOK_PATH, TRAIN_PY, USER_PATH, locate, sampleProject } from './project';

/** `--format json` is a contract (DESIGN.md §4): these tests pin its shape and its coordinates. */
interface JsonFinding {
  code: string;
  name: string;
  category: string;
  severity: string;
  file: string | null;
  cell?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  fixes: { title: string; applicability: string }[];
  docUrl: string;
}
interface JsonReport {
  version: number;
  root: string;
  findings: JsonFinding[];
  score: { overall: number; categories: Record<string, number> };
  files: { scanned: number; skipped: { file: string; reason: string }[] };
  suppressions: { file: string; cell?: number; line: number; codes: string[]; reason: string | null; fileLevel: boolean; used: boolean }[];
}

const FINDING_KEYS = ['code', 'name', 'category', 'severity', 'file', 'cell', 'range', 'message', 'fixes', 'docUrl'];

describe('mlready check --format json', function () {
  this.timeout(60_000);
  let dir: string;
  let report: JsonReport;

  before(async () => {
    ensureBuilt();
    dir = makeProject(sampleProject());
    // a link to nothing: DiskFiles cannot read it, and the report must say so
    fs.symlinkSync('does-not-exist.py', path.join(dir, 'src', 'dangling.py'));
    const run = await runCli(['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(run.code, 0, `warnings only, default --fail-on error: exit 0\n${run.stderr}`);
    report = JSON.parse(run.stdout) as JsonReport;
  });
  after(() => removeProject(dir));

  it('has the contract fields, and nothing internal', () => {
    assert.equal(report.version, 1);
    assert.equal(report.root, '.');
    assert.ok(report.findings.length >= 2, 'the sample project has findings');
    for (const f of report.findings) {
      for (const key of Object.keys(f)) assert.ok(FINDING_KEYS.includes(key), `unexpected field ${key} in a finding`);
      assert.match(f.code, /^[A-Z]\d{3}$/);
      assert.ok(f.docUrl.includes(`${f.code}-${f.name}`), 'docUrl names the rule page');
      for (const fix of f.fixes) assert.deepEqual(Object.keys(fix).sort(), ['applicability', 'title']);
    }
    assert.equal(typeof report.score.overall, 'number');
    // overall and categories are the contract; issue 9 adds the explanation beside them
    assert.deepEqual(Object.keys(report.score).sort(), ['categories', 'losses', 'mlTestScore', 'overall', 'practices', 'stage']);
    assert.ok(report.score.categories.portability < 100, 'portability findings lower the portability score');
  });

  it('gives file paths relative to PATH with / and 0-based positions', () => {
    const f = report.findings.find((x) => x.file === 'src/train.py' && x.code === 'P101');
    assert.ok(f, `a P101 finding in src/train.py; got ${report.findings.map((x) => `${x.file}:${x.code}`).join(', ')}`);
    const start = locate(TRAIN_PY, USER_PATH);
    assert.deepEqual(f.range.start, start);
    assert.deepEqual(f.range.end, { line: start.line, character: start.character + USER_PATH.length });
    assert.equal(f.severity, 'warning');
    assert.equal(f.category, 'portability');
    assert.ok(f.fixes.some((x) => x.applicability === 'safe'), 'P101 offers a safe fix');
    for (const x of report.findings) if (x.file !== null) assert.ok(!x.file.includes('\\') && !path.isAbsolute(x.file), `relative / path: ${x.file}`);
  });

  it('locates a notebook finding by cell index and cell coordinates', () => {
    const f = report.findings.find((x) => x.file === 'notebooks/eda.ipynb' && x.code === 'P101');
    assert.ok(f, 'a P101 finding in the notebook');
    assert.equal(f.cell, NOTEBOOK_CELL_INDEX);
    assert.deepEqual(f.range.start, locate(NOTEBOOK_CELLS[NOTEBOOK_CELL_INDEX].source, NOTEBOOK_PATH));
    assert.ok(EDA_IPYNB.includes(NOTEBOOK_PATH));
  });

  it('lists binary and invalid UTF-8 files as skipped, with a reason', () => {
    const skipped = new Map(report.files.skipped.map((s) => [s.file, s.reason]));
    assert.match(skipped.get('src/blob.py') ?? '', /binary/i);
    assert.match(skipped.get('src/latin1.py') ?? '', /utf-8/i);
    assert.match(skipped.get('src/dangling.py') ?? '', /symbolic link/i);
    assert.equal(report.files.scanned, 3, 'train.py, suppressed.py and the notebook');
    assert.ok(!report.findings.some((f) => f.file === 'src/blob.py' || f.file === 'src/latin1.py'));
  });

  it('reports suppressions as an audit trail', () => {
    const s = report.suppressions.find((x) => x.file === 'src/suppressed.py');
    assert.ok(s, 'the suppression in src/suppressed.py');
    assert.deepEqual(s.codes, ['P101']);
    assert.equal(s.line, 0);
    assert.match(s.reason ?? '', /mounted/);
    assert.equal(s.used, true);
    assert.equal(s.fileLevel, false);
    assert.ok(!report.findings.some((f) => f.file === 'src/suppressed.py' && f.code === 'P101'), 'the suppressed finding is gone');
  });

  it('reports a single file given as PATH, relative to its folder', async () => {
    const run = await runCli(['check', 'src/train.py', '--format', 'json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const single = JSON.parse(run.stdout) as JsonReport;
    assert.equal(single.root, 'src/train.py');
    assert.equal(single.files.scanned, 1);
    assert.deepEqual([...new Set(single.findings.map((f) => f.file))], ['train.py']);
  });

  it('uses --config instead of the root config, and writes --output', async () => {
    const config = path.join(os.tmpdir(), `mlready-cli-config-${process.pid}.yaml`);
    const out = path.join(os.tmpdir(), `mlready-cli-out-${process.pid}.json`);
    fs.writeFileSync(path.join(dir, 'mlready.yaml'), 'rules:\n  P101: error\n');
    fs.writeFileSync(config, 'rules:\n  P101: off\n');
    try {
      const root = await runCli(['check', '.', '--format', 'json'], { cwd: dir });
      assert.equal(root.code, 1, 'the root config makes P101 an error');
      assert.ok((JSON.parse(root.stdout) as JsonReport).findings.some((f) => f.code === 'P101' && f.severity === 'error'));

      const given = await runCli(['check', '.', '--format', 'json', '--config', config, '--output', out], { cwd: dir });
      assert.equal(given.code, 0, given.stderr);
      assert.equal(given.stdout, '', 'the report goes to --output, not stdout');
      const written = JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport;
      assert.ok(!written.findings.some((f) => f.code === 'P101'), '--config turned P101 off');
    } finally {
      fs.rmSync(path.join(dir, 'mlready.yaml'), { force: true });
      fs.rmSync(config, { force: true });
      fs.rmSync(out, { force: true });
    }
  });

  it('reports problems of an explicit --config as findings on that file', async () => {
    const config = path.join(dir, 'ci', 'strict.yaml');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, 'rules:\n  Z999: off\n');
    try {
      const run = await runCli(['check', 'src', '--format', 'json', '--config', config], { cwd: dir });
      const out = JSON.parse(run.stdout) as JsonReport;
      const g = out.findings.find((f) => f.code === 'G001');
      assert.ok(g, 'an unknown rule code in the config is reported');
      assert.equal(g.file, '../ci/strict.yaml', 'relative to PATH, with /');
      assert.equal(g.range.start.line, 1);
    } finally {
      fs.rmSync(path.join(dir, 'ci'), { recursive: true, force: true });
    }
  });
});
