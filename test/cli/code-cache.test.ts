import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, makeProject, runCli } from './helpers';

/**
 * The CLI runs its bundle with a V8 code cache (common/code-cache.ts). The cache may only make it
 * start faster: same output with and without it, never used from a folder others can write to,
 * never used for another build of the bundle, and a broken cache file changes nothing.
 */
describe('CLI: V8 code cache', () => {
  let project: string;
  let cacheRoot: string;

  before(() => {
    ensureBuilt();
    project = makeProject({ 'train.py': 'import pandas as pd\ndf = pd.read_csv("/home/alice/data.csv")\n' });
    cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-cache-test-'));
  });

  after(() => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(cacheRoot, { recursive: true, force: true });
  });

  const check = (dir: string) => runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: project, env: { MLREADY_CODE_CACHE: dir, MLREADY_DEBUG: '1' } });
  const statusOf = (stderr: string) => /mlready: code cache (\w+)/.exec(stderr)?.[1];
  const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.cache')) : []);

  it('is written on the first run, used on the next, and the report is the same', async () => {
    const dir = path.join(cacheRoot, 'fresh');
    const first = await check(dir);
    assert.equal(statusOf(first.stderr), 'absent');
    assert.deepEqual(cacheFiles(dir).map((n) => n.replace(/-[^-]+\.cache$/, '')), [`cli-bundle-${process.versions.v8}-${process.arch}`]);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const second = await check(dir);
    assert.equal(statusOf(second.stderr), 'used');
    assert.equal(second.code, first.code);
    assert.equal(second.stdout, first.stdout);
    assert.ok(JSON.parse(second.stdout).findings.some((f: { code: string }) => f.code === 'P101'));
  });

  it('is neither read nor written when MLREADY_CODE_CACHE=off', async () => {
    const run = await check('off');
    assert.equal(statusOf(run.stderr), 'off');
    assert.ok(JSON.parse(run.stdout).findings.length > 0);
  });

  it('is not used from a folder that others can write to', async () => {
    const dir = path.join(cacheRoot, 'shared');
    await check(dir);
    assert.equal(cacheFiles(dir).length, 1);
    fs.chmodSync(dir, 0o777);
    const run = await check(dir);
    assert.equal(statusOf(run.stderr), 'absent');
    assert.ok(JSON.parse(run.stdout).findings.length > 0);
  });

  it('ignores a corrupt cache file and replaces it', async () => {
    const dir = path.join(cacheRoot, 'corrupt');
    await check(dir);
    const [name] = cacheFiles(dir);
    fs.writeFileSync(path.join(dir, name), Buffer.from('not a code cache at all'));
    const run = await check(dir);
    assert.equal(statusOf(run.stderr), 'rejected');
    assert.ok(JSON.parse(run.stdout).findings.length > 0);
    assert.equal(statusOf((await check(dir)).stderr), 'used');
  });

  it('is keyed by the bundle\'s content: another build of the same length gets its own cache', async () => {
    const dir = path.join(cacheRoot, 'rebuilt');
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-dist-copy-'));
    try {
      const built = path.join(path.dirname(require.resolve('../../package.json')), 'dist');
      for (const name of fs.readdirSync(built)) if (!name.endsWith('.map')) fs.copyFileSync(path.join(built, name), path.join(dist, name));
      const copy = path.join(dist, 'cli.js');
      const run = async () => {
        const r = spawnSync(process.execPath, [copy, 'check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: project, encoding: 'utf8', env: { ...process.env, MLREADY_CODE_CACHE: dir, MLREADY_DEBUG: '1' } });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      const before = await run();
      assert.equal(statusOf(before.stderr), 'absent');
      // same length, other content: a message of the bundle changes by one letter
      const bundle = path.join(dist, 'cli-bundle.js');
      const text = fs.readFileSync(bundle, 'utf8');
      const at = text.indexOf('does not exist');
      assert.ok(at > 0);
      fs.writeFileSync(bundle, text.slice(0, at) + 'does not exisT' + text.slice(at + 'does not exist'.length));
      const after = await run();
      assert.equal(statusOf(after.stderr), 'absent', 'a cache of the former build was used');
      assert.equal(after.stdout, before.stdout);
      assert.equal(cacheFiles(dir).length, 1, 'the former build\'s cache is removed');
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
