import { strict as assert } from 'assert';
import Ajv from 'ajv-draft-04';
import { spawn } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { FORMATS, type FormatName } from '../../cli/args';
import { palette } from '../../cli/color';
import { render, renderChunks } from '../../cli/formats';
import { jsonReport } from '../../cli/formats/json';
import { sarifLog } from '../../cli/formats/sarif';
import { batched, CHUNK_SIZE, joined, jsonChunks, LazyArray, lazyArray } from '../../cli/formats/stream';
import { FileLocator } from '../../cli/locations';
import { buildReport, type CheckReport } from '../../cli/report';
import { VERSION } from '../../cli/version';
import { DiskFiles } from '../../common/fs-files';
import { CATEGORIES, computeScore, defaultRegistry, initPython, scanWorkspace, WorkspaceFacts, type Finding } from '../../rules';
import { CLI, ensureBuilt, makeProject, notebook, removeProject, REPO, runCli } from './helpers';
import { LEGACY_FORMATTERS } from './legacy-formats';
import { sampleProject } from './project';

/**
 * The report is written in pieces (cli/formats/stream.ts) instead of one string: the pieces must
 * add up to exactly the text the whole-string formatters printed (kept in legacy-formats/), for
 * every format, and `mlready check` must write them all, to stdout or --output, as before.
 */

/** The report `mlready check PATH` builds, built here in-process (cwd = the project, PATH "."). */
async function reportOf(dir: string, failOn: CheckReport['failOn'] = 'error'): Promise<CheckReport> {
  await initPython();
  const registry = defaultRegistry();
  const files = new DiskFiles(dir);
  const result = await scanWorkspace(files, registry);
  return buildReport({
    version: VERSION,
    root: '.',
    result,
    score: computeScore(result.findings, result.facts, result.config),
    extraSkipped: files.unreadable,
    registry,
    failOn,
    locator: new FileLocator(dir, false, dir),
  });
}

function finding(over: Partial<Finding>): Finding {
  return {
    code: 'P101',
    name: 'hardcoded-user-path',
    category: 'portability',
    severity: 'warning',
    message: 'Path `/home/ana/x` points into a home folder — read it from the environment…',
    file: 'train.py',
    range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } },
    fileRange: { start: 4, end: 9 },
    fixes: [{ title: 'Read from the environment', applicability: 'safe', edits: [] }],
    docUrl: 'https://example.test/docs/rules/P101-hardcoded-user-path.md',
    ...over,
  };
}

const NASTY = 'a | b <script>x</script> & "q" \'s\' 100% done,: next\nline \u0001\u001b[31mred \ud800 — ✓ 😀';

const OPTION_SETS = [
  { color: palette(false), quiet: false },
  { color: palette(false), quiet: true },
  { color: palette(true), quiet: false },
];

/** Streamed (pieces joined, and render) equals the former whole string, for every format and option. */
function assertSameAsLegacy(report: CheckReport, label: string): void {
  for (const format of FORMATS) {
    for (const options of OPTION_SETS) {
      const expected = LEGACY_FORMATTERS[format](report, options);
      const chunks = [...renderChunks(format, report, options)];
      const what = `${label}: ${format} ${JSON.stringify({ quiet: options.quiet, color: options.color.enabled })}`;
      assert.ok(chunks.join('') === expected, `${what} differs from the whole-string output`);
      assert.ok(render(format, report, options) === expected, `${what}: render() differs`);
      // pieces of about CHUNK_SIZE: none empty, all but the last at least CHUNK_SIZE
      chunks.forEach((c, i) => assert.ok(c.length > 0 && (i === chunks.length - 1 || c.length >= CHUNK_SIZE), `${what}: piece ${i} has ${c.length} characters`));
    }
  }
}

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

/** A project with many findings (hundreds of KB of report in every format), notebooks included. */
function largeProject(files: number): Record<string, string> {
  const out: Record<string, string> = { 'README.md': '# big\n' };
  for (let i = 0; i < files; i++) {
    out[`src/pkg${i % 7}/mod${i}.py`] = ['import pandas as pd', `A = "/home/ana/data/a${i}.csv"`, `B = "/Users/bob/data/b${i}.csv"`, `C = "C:\\\\Users\\\\eve\\\\c${i}.csv"`, 'df = pd.read_csv(A)', ''].join('\n');
    if (i % 10 === 0) out[`notebooks/nb${i}.ipynb`] = notebook([{ type: 'code', source: `import pandas as pd\ndf = pd.read_csv("/home/ana/raw${i}.csv")` }]);
  }
  return out;
}

describe('streamed output', function () {
  this.timeout(120_000);

  describe('jsonChunks', () => {
    /** JSON-like values with undefined members, and some arrays turned into LazyArrays. */
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(null, true, false, 0, -1.5, 1e21, NaN, undefined),
        fc.string({ unit: 'binary' }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(tie('value'), { maxLength: 4 }).map((items) => new LazyArray(() => items)),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    })).value;

    it('prints what JSON.stringify(value, null, 2) prints', () => {
      fc.assert(
        fc.property(value, (v) => {
          assert.equal(joined(jsonChunks(v)), JSON.stringify(v, null, 2) ?? '');
        }),
        { numRuns: 2000 },
      );
    });

    it('prints the report objects as JSON.stringify does', async () => {
      const dir = path.join(REPO, 'examples');
      const report = await reportOf(dir);
      assert.ok(report.findings.length > 10);
      assert.ok(joined(jsonChunks(jsonReport(report))) === JSON.stringify(jsonReport(report), null, 2));
      assert.ok(joined(jsonChunks(sarifLog(report))) === JSON.stringify(sarifLog(report), null, 2));
    });

    it('produces a lazy array while it is written, leaving out undefined elements', () => {
      let made = 0;
      const endless = new LazyArray(function* () {
        for (;;) yield made++ % 2 ? { n: made, text: 'x'.repeat(50) } : undefined;
      });
      const pieces = batched(jsonChunks({ head: 1, items: endless }), 1000)[Symbol.iterator]();
      const first = pieces.next().value as string;
      assert.ok(first.startsWith('{\n  "head": 1,\n  "items": [\n    {\n      "n": 2,'), first.slice(0, 80));
      assert.ok(made < 100, `only what the first piece needs is made (${made})`);
      assert.equal(joined(jsonChunks(lazyArray([], (x) => x))), '[]');
      assert.equal(joined(jsonChunks({ a: lazyArray([1, 2], () => undefined) })), '{\n  "a": []\n}');
    });
  });

  describe('formats, against the whole-string formatters they replace', () => {
    let dirs: string[] = [];
    after(() => dirs.forEach(removeProject));

    it('on the examples', async () => {
      const report = await reportOf(path.join(REPO, 'examples'), 'warning');
      assertSameAsLegacy(report, 'examples');
      const log = JSON.parse(joined(renderChunks('sarif', report, OPTION_SETS[0])));
      const validate = sarifValidator();
      assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    });

    it('on the sample project (notebook, suppression, skipped files)', async () => {
      const dir = makeProject(sampleProject());
      dirs.push(dir);
      assertSameAsLegacy(await reportOf(dir), 'sample project');
    });

    it('on a large project, across many pieces', async () => {
      const dir = makeProject(largeProject(400));
      dirs.push(dir);
      const report = await reportOf(dir);
      assert.ok(report.findings.length >= 1000, `${report.findings.length} findings`);
      assertSameAsLegacy(report, 'large project');
      assert.ok([...renderChunks('json', report, OPTION_SETS[0])].length > 5, 'json comes in several pieces');
    });

    it('on hand-made reports: escapes, workspace-level findings, no anchor, no findings', () => {
      const dir = makeProject({ 'train.py': 'x = "/home/ana/x"\n', 'README.md': '# x\n', 'nb.ipynb': notebook([{ type: 'code', source: 'x = "/home/ana/x"\n' }]) });
      dirs.push(dir);
      const facts = new WorkspaceFacts();
      const report = (findings: Finding[], anchor: string | null = 'README.md', over: Partial<CheckReport> = {}): CheckReport => ({
        version: '9.9.9',
        root: '.',
        findings,
        score: computeScore(findings, facts),
        scanned: ['nb.ipynb', 'train.py'],
        skipped: [{ file: 'weird & <name>.py', reason: 'binary file (contains NUL bytes)' }],
        suppressions: [{ file: 'train.py', line: 2, codes: ['P101'], reason: 'pipe | and <b> …', fileLevel: false, used: false }],
        anchor,
        ruleErrors: [{ code: 'X001', file: 'train.py' }],
        registry: defaultRegistry(),
        failOn: 'warning',
        locator: new FileLocator(dir, false, dir),
        ...over,
      });
      const project = finding({ code: 'M001', name: 'no-experiment-tracking', category: 'monitoring', file: null, fixes: [], message: 'No experiment tracking — anywhere.' });
      const inNotebook = finding({ file: 'nb.ipynb', cell: 0, fileRange: { start: 60, end: 70 }, message: NASTY });
      const twins = [finding({}), finding({}), finding({ message: NASTY, file: 'dir,with:odd.py' })];
      assertSameAsLegacy(report([...twins, inNotebook, project]), 'hand-made');
      assertSameAsLegacy(report([project], null), 'no anchor');
      assertSameAsLegacy(report([], null, { skipped: [], suppressions: [], scanned: [], ruleErrors: [] }), 'empty');
      assertSameAsLegacy(report([finding({})], 'README.md', { fixed: { applied: 3, files: 2 } }), 'after --fix');
    });

    it('builds the findings of the CI formats as they are written', async () => {
      const dir = makeProject(largeProject(400));
      dirs.push(dir);
      const report = await reportOf(dir);
      for (const format of ['sarif', 'github', 'gitlab', 'json', 'markdown'] satisfies FormatName[]) {
        let located = 0;
        let read = 0;
        const locator = new FileLocator(dir, false, dir);
        const rangeInFile = locator.rangeInFile.bind(locator);
        locator.rangeInFile = (f) => (located++, rangeInFile(f));
        // counts the findings read through the array (the report's summaries read them all up front)
        const findings = new Proxy(report.findings, { get: (t, k, r) => (typeof k === 'string' && /^\d+$/.test(k) && read++, Reflect.get(t, k, r)) });
        const chunks = renderChunks(format, { ...report, locator, findings }, OPTION_SETS[0])[Symbol.iterator]();
        // markdown's head counts the findings by severity and by category before the first line
        const upFront = format === 'markdown' ? report.findings.length * (CATEGORIES.length + 1) : 0;
        read = 0;
        chunks.next();
        if (format === 'json' || format === 'markdown') assert.ok(read - upFront < report.findings.length / 2, `${format}: ${read} reads for the first piece`);
        else assert.ok(located < report.findings.length / 2, `${format}: ${located} findings located for the first piece of ${report.findings.length}`);
      }
    });
  });

  describe('mlready check', () => {
    let dir: string;
    before(() => {
      ensureBuilt();
      dir = makeProject({ ...largeProject(150), 'src/blob.py': Uint8Array.from([0x69, 0x00, 0x01]) });
    });
    after(() => removeProject(dir));

    it('prints every format exactly as the whole-string formatters did, to stdout and to --output', async () => {
      const report = await reportOf(dir, 'warning');
      for (const format of FORMATS) {
        const run = await runCli(['check', '.', '--format', format, '--fail-on', 'warning'], { cwd: dir });
        assert.equal(run.code, 1, `${format}: findings at --fail-on warning exit 1; ${run.stderr}`);
        const expected = LEGACY_FORMATTERS[format](report, { color: palette(false), quiet: false });
        assert.ok(run.stdout === expected, `${format}: stdout differs from the whole-string output`);
        const out = path.join(dir, `report.${format}`);
        const toFile = await runCli(['check', '.', '--format', format, '--fail-on', 'warning', '--output', out], { cwd: dir });
        assert.equal(toFile.code, 1, toFile.stderr);
        assert.equal(toFile.stdout, '');
        assert.ok(fs.readFileSync(out).equals(Buffer.from(expected, 'utf8')), `${format}: --output differs`);
        fs.rmSync(out);
      }
    });

    it('waits for a slow reader of the pipe and writes everything', async () => {
      const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'sarif', '--fail-on', 'warning'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const parts: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => {
        parts.push(d);
        // a reader that takes its time: the pipe fills and the CLI must wait for it
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 2);
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const text = Buffer.concat(parts).toString('utf8');
      assert.equal(code, 1);
      const log = JSON.parse(text) as { runs: { results: unknown[] }[] };
      assert.ok(log.runs[0].results.length >= 400);
      const validate = sarifValidator();
      assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    });

    it('ends quietly when the reader goes away', async () => {
      const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      assert.ok(!/internal error|at .*\.js:\d+/.test(stderr), stderr);
    });

    it('--output replaces an existing file, and failures to write it are usage errors', async () => {
      const out = path.join(dir, 'existing.json');
      fs.writeFileSync(out, 'x'.repeat(3_000_000));
      const run = await runCli(['check', '.', '--format', 'github', '--quiet', '--output', out], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      const quiet = await runCli(['check', '.', '--format', 'github', '--quiet'], { cwd: dir });
      assert.ok(fs.readFileSync(out, 'utf8') === quiet.stdout, 'the file holds the report only');
      fs.rmSync(out);

      const missing = await runCli(['check', '.', '--format', 'json', '--output', path.join(dir, 'no', 'such', 'dir.json')], { cwd: dir });
      assert.equal(missing.code, 2);
      assert.equal(missing.stdout, '');
      assert.match(missing.stderr, /^mlready: cannot write the report to ".*dir\.json" \(ENOENT\)\n$/);

      const folder = await runCli(['check', '.', '--format', 'text', '--output', 'src'], { cwd: dir });
      assert.equal(folder.code, 2);
      assert.match(folder.stderr, /cannot write the report to "src" \(EISDIR\)/);

      if (fs.existsSync('/dev/full')) {
        const full = await runCli(['check', '.', '--format', 'json', '--output', '/dev/full'], { cwd: dir });
        assert.equal(full.code, 2);
        assert.match(full.stderr, /cannot write the report to "\/dev\/full" \(ENOSPC\)/);
      }

      // no report, no file: a usage error before the scan leaves --output alone
      const never = path.join(dir, 'never.json');
      const bad = await runCli(['check', 'no-such-path', '--format', 'json', '--output', never], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.ok(!fs.existsSync(never));
    });

    it('--output writes an empty report as an empty file', async () => {
      const clean = makeProject({ 'README.md': '# clean\n' });
      try {
        const out = path.join(clean, 'out.txt');
        fs.writeFileSync(out, 'old content');
        const run = await runCli(['check', '.', '--quiet', '--output', out], { cwd: clean });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(fs.readFileSync(out, 'utf8'), (await runCli(['check', '.', '--quiet'], { cwd: clean })).stdout);
      } finally {
        removeProject(clean);
      }
    });
  });
});
