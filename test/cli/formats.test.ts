import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, ensureBuilt, linesOf, makeProject, removeProject, runCli } from './helpers';
import { EDA_IPYNB, NOTEBOOK_CELL_INDEX, NOTEBOOK_CELLS, NOTEBOOK_PATH, TRAIN_PY, USER_PATH, locate, sampleProject } from './project';
import { childrenNamed, parseXml } from './xml';

/** The human and CI formats, run on the sample project. */
const ANSI = /\u001b\[\d+m/;

describe('mlready check: text, markdown, github, gitlab and junit', function () {
  this.timeout(60_000);
  let dir: string;
  let findingCount: number;

  before(async () => {
    ensureBuilt();
    dir = makeProject(sampleProject());
    const json = await runCli(['check', '.', '--format', 'json'], { cwd: dir });
    findingCount = (JSON.parse(json.stdout) as { findings: unknown[] }).findings.length;
    assert.ok(findingCount >= 2);
  });
  after(() => removeProject(dir));

  describe('text', () => {
    it('groups findings by file as path[:cell N]:line:col severity CODE name message, with a summary', async () => {
      const run = await runCli(['check', '.'], { cwd: dir });
      assert.equal(run.code, 0);
      assert.doesNotMatch(run.stdout, ANSI, 'no colours without a terminal');
      const start = locate(TRAIN_PY, USER_PATH);
      assert.ok(run.stdout.includes(`src/train.py:${start.line + 1}:${start.character + 1} warning P101 hardcoded-user-path Path`), run.stdout);
      const cell = locate(NOTEBOOK_CELLS[NOTEBOOK_CELL_INDEX].source, NOTEBOOK_PATH);
      assert.ok(run.stdout.includes(`notebooks/eda.ipynb:cell ${NOTEBOOK_CELL_INDEX + 1}:${cell.line + 1}:${cell.character + 1} warning P101`), run.stdout);
      const lines = run.stdout.split('\n');
      assert.ok(lines.includes('src/train.py') && lines.includes('notebooks/eda.ipynb'), 'a header line per file');
      assert.match(run.stdout, new RegExp(`${findingCount} findings`));
      assert.match(run.stdout, /readiness score \d+\/100/);
      assert.match(run.stdout, /skipped src\/blob\.py: binary/);
    });

    it('--quiet prints the findings only', async () => {
      const run = await runCli(['check', '.', '--quiet'], { cwd: dir });
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines.length, findingCount);
      assert.ok(lines.every((l) => / (error|warning|info|hint) [A-Z]\d{3} /.test(l)), run.stdout);
    });

    it('colours only when asked to, and never with NO_COLOR or --no-color', async () => {
      const forced = await runCli(['check', '.'], { cwd: dir, env: { FORCE_COLOR: '1' } });
      assert.match(forced.stdout, ANSI, 'FORCE_COLOR colours a pipe');
      const noColor = await runCli(['check', '.'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
      assert.doesNotMatch(noColor.stdout, ANSI, 'NO_COLOR wins');
      const flag = await runCli(['check', '.', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1' } });
      assert.doesNotMatch(flag.stdout, ANSI, '--no-color wins');
      const json = await runCli(['check', '.', '--format', 'json'], { cwd: dir, env: { FORCE_COLOR: '1' } });
      assert.doesNotMatch(json.stdout, ANSI, 'machine formats never colour');
    });

    it('colours on a real terminal unless NO_COLOR is set', function () {
      // `script` (util-linux) gives the CLI a pseudo-terminal
      if (spawnSync('script', ['--version']).status !== 0) this.skip();
      const inPty = (env: Record<string, string>) => {
        const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} check .`;
        const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, TERM: 'xterm' };
        delete childEnv.FORCE_COLOR;
        if (!('NO_COLOR' in env)) delete childEnv.NO_COLOR;
        return execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: childEnv, encoding: 'utf8' });
      };
      assert.match(inPty({}), ANSI);
      assert.doesNotMatch(inPty({ NO_COLOR: '1' }), ANSI);
    });
  });

  it('markdown: score, categories, findings and suppressions tables', async () => {
    const run = await runCli(['check', '.', '--format', 'markdown'], { cwd: dir });
    assert.equal(run.code, 0);
    const md = run.stdout;
    assert.match(md, /\*\*Readiness score: \d+\/100\*\*/);
    for (const heading of ['## Categories', '## Findings', '## Suppressions', '## Skipped files']) assert.ok(md.includes(heading), heading);
    assert.match(md, /\| portability \| \d+ \| \d+ \|/);
    assert.ok(md.includes('[P101](https://') && md.includes('P101-hardcoded-user-path.md)'), 'rule codes link to their docs');
    assert.ok(md.includes('| src/suppressed.py:1 | P101 | mounted at this path in the container | yes |'), md);
    // every table row has the same number of cells as its header
    for (const table of md.split(/\n\n/).filter((b) => b.startsWith('|'))) {
      const rows = table.split('\n').filter(Boolean).map((r) => r.replace(/\\\|/g, '').split('|').length);
      assert.ok(rows.every((n) => n === rows[0]), table);
    }
  });

  it('github: one workflow command per finding, at file lines', async () => {
    const run = await runCli(['check', '.', '--format', 'github'], { cwd: dir });
    assert.equal(run.code, 0);
    const commands = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.equal(commands.length, findingCount);
    const parsed = commands.map((c) => {
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(c);
      assert.ok(m, c);
      return { level: m[1], props: Object.fromEntries(m[2].split(',').map((p) => p.split('=') as [string, string])), message: m[3] };
    });
    const py = parsed.find((p) => p.props.file === 'src/train.py' && p.props.title.startsWith('P101'));
    assert.ok(py);
    assert.equal(py.level, 'warning');
    assert.equal(Number(py.props.line), locate(TRAIN_PY, USER_PATH).line + 1);
    assert.equal(py.props.title, 'P101 hardcoded-user-path');
    assert.ok(!py.message.includes('\n'));
    const nb = parsed.find((p) => p.props.file === 'notebooks/eda.ipynb' && p.props.title.startsWith('P101'));
    assert.ok(nb);
    const raw = linesOf(EDA_IPYNB)[Number(nb.props.line) - 1];
    assert.ok(raw.includes(NOTEBOOK_PATH), 'the annotation is on the .ipynb line holding the path');
    assert.equal(raw.slice(Number(nb.props.col) - 1).startsWith(NOTEBOOK_PATH), true);
  });

  it('gitlab: Code Quality issues with stable, distinct fingerprints', async () => {
    const first = JSON.parse((await runCli(['check', '.', '--format', 'gitlab'], { cwd: dir })).stdout) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    assert.equal(first.length, findingCount);
    for (const issue of first) {
      assert.ok(issue.description && issue.check_name && issue.fingerprint);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity), issue.severity);
      assert.ok(!path.isAbsolute(issue.location.path) && !issue.location.path.includes('\\'));
      assert.ok(issue.location.lines.begin >= 1);
    }
    const py = first.find((i) => i.location.path === 'src/train.py' && i.check_name === 'P101');
    assert.ok(py);
    assert.equal(py.severity, 'major');
    assert.equal(py.location.lines.begin, locate(TRAIN_PY, USER_PATH).line + 1);
    assert.equal(new Set(first.map((i) => i.fingerprint)).size, first.length, 'fingerprints are distinct');
    const second = JSON.parse((await runCli(['check', '.', '--format', 'gitlab'], { cwd: dir })).stdout) as { fingerprint: string }[];
    assert.deepEqual(
      second.map((i) => i.fingerprint),
      first.map((i) => i.fingerprint),
      'fingerprints are stable across runs',
    );
  });

  it('junit: well-formed XML, a test case per file, a failure per finding', async () => {
    const run = await runCli(['check', '.', '--format', 'junit'], { cwd: dir });
    assert.equal(run.code, 0);
    const root = parseXml(run.stdout);
    assert.equal(root.name, 'testsuites');
    const suite = childrenNamed(root, 'testsuite')[0];
    const cases = childrenNamed(suite, 'testcase');
    const failures = cases.flatMap((c) => childrenNamed(c, 'failure'));
    assert.equal(failures.length, findingCount);
    assert.equal(Number(suite.attributes.tests), cases.length);
    assert.equal(Number(suite.attributes.failures), cases.filter((c) => childrenNamed(c, 'failure').length).length);
    const names = cases.map((c) => c.attributes.name);
    for (const file of ['src/train.py', 'src/suppressed.py', 'notebooks/eda.ipynb']) assert.ok(names.includes(file), file);
    const suppressed = cases.find((c) => c.attributes.name === 'src/suppressed.py')!;
    assert.equal(suppressed.children.length, 0, 'a file without findings passes');
    const skipped = cases.find((c) => c.attributes.name === 'src/blob.py');
    assert.ok(skipped && childrenNamed(skipped, 'skipped').length === 1, 'skipped files are skipped test cases');
    const failure = childrenNamed(cases.find((c) => c.attributes.name === 'src/train.py')!, 'failure')[0];
    assert.equal(failure.attributes.type, 'warning');
    assert.match(failure.attributes.message, /^P101 hardcoded-user-path: Path `\/home\/ana\/data\/train\.csv` points into one user's home folder/);
  });

  it('--output writes any format to a file', async () => {
    const out = path.join(os.tmpdir(), `mlready-cli-${process.pid}.xml`);
    try {
      const run = await runCli(['check', '.', '--format', 'junit', '--output', out], { cwd: dir });
      assert.equal(run.code, 0);
      assert.equal(run.stdout, '');
      parseXml(fs.readFileSync(out, 'utf8'));
    } finally {
      fs.rmSync(out, { force: true });
    }
  });
});
