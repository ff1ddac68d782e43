import { strict as assert } from 'assert';
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { defaultRegistry } from '../../rules/all';
import { docPath } from '../../rules/core/registry';
import { npmEnv, ROOT, stage, type Staged } from './stage';

/**
 * The npm package: `npm pack` holds exactly the CLI (self-contained bundle, worker, wasm), the rule
 * docs and the config schema; installed from the tarball into a fresh project with no network, it
 * runs as `npx mlready` (--version, --help, check), colours only on a terminal and never under
 * NO_COLOR; and the pre-commit hook's entry is that command.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ANSI = /\u001b\[\d+m/;
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? npmEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      // on a non-zero exit, execFile's error carries the exit code as `code`
      const exit = (error as { code?: unknown } | null)?.code;
      const code = error ? (typeof exit === 'number' ? exit : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The environment of a CI job that does not render colours: none of the colour variables, and no
 * NODE_PATH, so the installed package can only use what it carries (the temp project's parents
 * have no node_modules with the repository's dependencies).
 */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = npmEnv(extra);
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS', 'NODE_PATH', 'NODE_OPTIONS']) if (!(k in extra)) delete env[k];
  return env;
}

describe('the npm package (npm pack, npx mlready)', function () {
  this.timeout(240_000);
  let staged: Staged;
  let project: string;
  let sample: string;

  before(async () => {
    staged = await stage();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-npx-'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // every dependency is bundled, so installing the tarball needs nothing from the registry
    const install = await exec(NPM, ['install', '--offline', '--no-package-lock', staged.tarball], { cwd: project });
    assert.equal(install.code, 0, `npm install of the tarball failed:\n${install.stderr}`);
    sample = path.join(project, 'ml');
    fs.mkdirSync(path.join(sample, 'src'), { recursive: true });
    fs.writeFileSync(path.join(sample, 'src', 'train.py'), 'import pandas as pd\n\ndf = pd.read_csv("/Users/ana/data/churn.csv")\n');
    fs.writeFileSync(path.join(sample, 'mlready.yaml'), 'stage: pilot\nowner: team-churn@acme.example\n');
  });

  /** The installed bin itself (what npx resolves to), for the runs that are not about npx. */
  const mlready = (args: string[], env: Record<string, string> = {}) => exec(path.join(project, 'node_modules', '.bin', 'mlready'), args, { cwd: project, env: plainEnv(env) });

  after(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('packs exactly the CLI bundles, the wasm grammars, the rule docs, the schema and the metadata', () => {
    const files = staged.pack.files.map((f) => f.path).sort();
    const cliBundles = staged.built.filter((n) => n.endsWith('.js') && !['client.js', 'server.js', 'server-bundle.js'].includes(n));
    const expected = [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      ...cliBundles.map((n) => `dist/${n}`),
      'dist/tree-sitter.wasm',
      'dist/tree-sitter-python.wasm',
      'schemas/mlready.schema.json',
      'docs/rules/README.md',
      ...defaultRegistry().rules.map((r) => docPath(r)),
    ].sort();
    assert.ok(['cli.js', 'cli-bundle.js', 'worker.js', 'worker-bundle.js'].every((b) => cliBundles.includes(b)), `the build made ${staged.built.join(', ')}`);
    assert.deepEqual(files, expected);
    assert.ok(staged.pack.size < 2 * 1024 * 1024, `the tarball is ${staged.pack.size} bytes`);
  });

  it('declares a bin, no runtime dependencies, a production build before packing, and can be published', () => {
    assert.deepEqual(pkg.bin, { mlready: 'dist/cli.js' });
    assert.equal(pkg.dependencies, undefined, 'the bundle is self-contained: dependencies would only be downloaded (and built) for nothing');
    assert.equal(pkg.scripts.prepack, 'npm run build:production', 'a tarball packed from a fresh clone must carry the production bundles');
    assert.notEqual(pkg.private, true, 'the README tells users to run `npx mlready`');
    assert.ok(pkg.engines.node, 'engines.node tells npm which Node the CLI needs');
    const cli = staged.pack.files.find((f) => f.path === 'dist/cli.js')!;
    assert.ok(cli.mode & 0o111, 'dist/cli.js is not executable in the tarball');
    assert.match(fs.readFileSync(path.join(staged.dir, 'dist', 'cli.js'), 'utf8').slice(0, 30), /^#!\/usr\/bin\/env node\n/);
  });

  it('runs as `npx mlready --version` and `--help` from the installed tarball', async () => {
    const [version, help] = await Promise.all([
      exec(NPX, ['--offline', 'mlready', '--version'], { cwd: project, env: plainEnv() }),
      exec(NPX, ['--offline', 'mlready', '--help'], { cwd: project, env: plainEnv() }),
    ]);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^mlready ${pkg.version.replace(/\./g, '\\.')} `));
    for (const word of ['check', 'report', 'rules', 'explain']) assert.match(help.stdout, new RegExp(`mlready ${word}`));
    assert.match(help.stdout, /NO_COLOR/);
  });

  it('checks a project with `npx mlready check`: findings, JSON contract, exit codes, no colours in a pipe', async () => {
    const [json, failing] = await Promise.all([
      exec(NPX, ['--offline', 'mlready', 'check', 'ml', '--format', 'json'], { cwd: project, env: plainEnv() }),
      mlready(['check', 'ml', '--fail-on', 'warning']),
    ]);
    // the wasm grammars were found inside the package: no syntax or parser problems, real findings
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.version, 1);
    const p101 = report.findings.find((f: { code: string }) => f.code === 'P101');
    assert.ok(p101, `no P101 in ${json.stdout.slice(0, 500)}`);
    assert.equal(p101.file, 'src/train.py');
    assert.deepEqual(p101.range.start, { line: 2, character: 18 });
    assert.equal(report.files.scanned, 2);
    assert.ok(report.score.overall >= 0 && report.score.overall <= 100);
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(failing.stdout, /src\/train\.py:3:19 warning P101 hardcoded-user-path/);
    assert.doesNotMatch(failing.stdout, ANSI, 'colours in a pipe');
  });

  it('colours a pipe with FORCE_COLOR, but never with NO_COLOR or --no-color', async () => {
    const [forced, noColor, flag] = await Promise.all([
      mlready(['check', 'ml'], { FORCE_COLOR: '1' }),
      mlready(['check', 'ml'], { FORCE_COLOR: '1', NO_COLOR: '1' }),
      mlready(['check', 'ml', '--no-color'], { FORCE_COLOR: '1' }),
    ]);
    for (const r of [forced, noColor, flag]) assert.match(r.stdout, /P101/, r.stderr);
    assert.match(forced.stdout, ANSI, 'FORCE_COLOR=1 should colour a pipe');
    assert.doesNotMatch(noColor.stdout, ANSI, 'NO_COLOR wins over FORCE_COLOR');
    assert.doesNotMatch(flag.stdout, ANSI, '--no-color wins');
  });

  it('colours on a real terminal unless NO_COLOR is set', async function () {
    // util-linux `script` gives the command a pseudo-terminal
    if (process.platform !== 'linux' || spawnSync('script', ['--version']).status !== 0) this.skip();
    const onTty = (env: Record<string, string>) => exec('script', ['-qec', 'node_modules/.bin/mlready check ml', '/dev/null'], { cwd: project, env: plainEnv({ TERM: 'xterm', ...env }) });
    const [coloured, plain] = await Promise.all([onTty({}), onTty({ NO_COLOR: '1' })]);
    assert.match(coloured.stdout, /P101/, coloured.stderr);
    assert.match(coloured.stdout, ANSI, 'no colours on a terminal');
    assert.match(plain.stdout, /P101/, plain.stderr);
    assert.doesNotMatch(plain.stdout, ANSI, 'NO_COLOR is not respected on a terminal');
  });

  it('is what the pre-commit hook runs (.pre-commit-hooks.yaml)', async () => {
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    assert.ok(Array.isArray(hooks) && hooks.length >= 1);
    const hook = hooks.find((h) => h.id === 'mlready')!;
    assert.ok(hook, 'no hook with id mlready');
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, false, '`mlready check` takes one folder; project-level rules need the whole project');
    assert.ok(typeof hook.name === 'string' && typeof hook.description === 'string');
    const [bin, ...entryArgs] = String(hook.entry).split(/\s+/);
    assert.ok(pkg.bin[bin], `the hook's entry runs "${bin}", which package.json does not provide as a bin`);
    const args = [...entryArgs, ...((hook.args as string[]) ?? [])];
    // pre-commit runs the entry at the repository root, with the package's bin on PATH
    const failing = await exec(path.join(project, 'node_modules', '.bin', bin), [...args, '--fail-on', 'warning'], { cwd: sample, env: plainEnv() });
    assert.match(failing.stdout, /src\/train\.py:3:19 warning P101 hardcoded-user-path/, failing.stderr);
    assert.equal(failing.code, 1, 'a finding at --fail-on must fail the commit');
  });
});
