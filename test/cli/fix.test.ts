import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, makeProject, removeProject, runCli, snapshot } from './helpers';
import { NOTEBOOK_CELL_INDEX, NOTEBOOK_PATH, USER_PATH, sampleProject } from './project';

/** `--fix` writes safe fixes to disk; without it, no file is ever written. */
interface JsonFinding {
  code: string;
  file: string | null;
  cell?: number;
  fixes: { applicability: string }[];
}

async function findings(dir: string): Promise<JsonFinding[]> {
  const run = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

describe('mlready check --fix', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = makeProject(sampleProject());
  });
  afterEach(() => removeProject(dir));

  it('never writes a file without --fix, whatever the format', async () => {
    const before = snapshot(dir);
    const out = path.join(os.tmpdir(), `mlready-cli-nowrite-${process.pid}.json`);
    try {
      for (const format of ['text', 'json', 'sarif', 'markdown', 'github', 'gitlab', 'junit']) {
        const run = await runCli(['check', '.', '--format', format], { cwd: dir });
        assert.equal(run.code, 0, `${format}: ${run.stderr}`);
      }
      await runCli(['check', 'src/train.py'], { cwd: dir });
      await runCli(['check', '.', '--format', 'json', '--output', out], { cwd: dir });
    } finally {
      fs.rmSync(out, { force: true });
    }
    assert.deepEqual(snapshot(dir), before);
  });

  it('applies safe fixes to a module and a notebook, and a second run finds nothing fixable', async () => {
    const initial = await findings(dir);
    const fixable = initial.filter((f) => f.fixes.some((x) => x.applicability === 'safe'));
    assert.ok(fixable.some((f) => f.file === 'src/train.py') && fixable.some((f) => f.file === 'notebooks/eda.ipynb'), 'material with safe fixes');
    const untouched = fs.readFileSync(path.join(dir, 'src/suppressed.py'));

    const run = await runCli(['check', '.', '--fix', '--format', 'json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /applied \d+ fix/);
    JSON.parse(run.stdout); // the report after fixing is still the contract

    const train = fs.readFileSync(path.join(dir, 'src/train.py'), 'utf8');
    assert.match(train, /^import os$/m);
    assert.ok(train.includes(`os.environ.get("DATA", "${USER_PATH}")`), train);

    const nb = JSON.parse(fs.readFileSync(path.join(dir, 'notebooks/eda.ipynb'), 'utf8')) as { cells: { source: string[] }[] };
    const cells = nb.cells.map((c) => c.source.join(''));
    assert.ok(cells.join('\n').includes('import os'), 'the notebook gains import os');
    assert.ok(new RegExp(`os\\.environ\\.get\\("[A-Z_]+", "${NOTEBOOK_PATH}"\\)`).test(cells[NOTEBOOK_CELL_INDEX]), cells[NOTEBOOK_CELL_INDEX]);

    assert.deepEqual(fs.readFileSync(path.join(dir, 'src/suppressed.py')), untouched, 'files without fixable findings are not written');
    const after = await findings(dir);
    assert.deepEqual(
      after.filter((f) => f.fixes.some((x) => x.applicability === 'safe')).map((f) => `${f.file}:${f.code}`),
      [],
      'nothing fixable remains',
    );

    const again = snapshot(dir);
    const rerun = await runCli(['check', '.', '--fix'], { cwd: dir });
    assert.equal(rerun.code, 0);
    assert.deepEqual(snapshot(dir), again, 'fixing a fixed project changes nothing');
  });

  it('reports the applied fixes in the text summary', async () => {
    const run = await runCli(['check', 'src/train.py', '--fix'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Applied 1 fix in 1 file\./);
    assert.ok(fs.readFileSync(path.join(dir, 'src/train.py'), 'utf8').includes('os.environ.get('));
    assert.ok(!fs.readFileSync(path.join(dir, 'notebooks/eda.ipynb'), 'utf8').includes('os.environ'), 'only PATH is fixed');
  });
});
