import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, makeProject, removeProject, REPO, runCli } from './helpers';
import { CATEGORIES } from '../../rules';
import { TRAIN_PY } from './project';

/** Exit codes are a contract: 0 clean, 1 a finding reaches --fail-on, 2 usage or internal error. */
describe('mlready exit codes and usage', function () {
  this.timeout(60_000);
  const dirs: Record<string, string> = {};

  /** mlready.yaml turning off every category but one, so that rule families added later do not change the material. */
  const only = (category: string) => `categories:\n${CATEGORIES.filter((c) => c !== category).map((c) => `  ${c}: off\n`).join('')}`;

  before(() => {
    ensureBuilt();
    // P101 is a warning at the default stage
    dirs.warning = makeProject({ 'train.py': TRAIN_PY, 'mlready.yaml': only('portability') });
    // a syntax error is an error
    dirs.error = makeProject({ 'broken.py': 'def f(:\n    return 1\n', 'mlready.yaml': only('reliability') });
    // an unused suppression is info
    dirs.info = makeProject({ 'clean.py': 'x = 1  # mlready: ignore[P101] reason: legacy mount\n', 'mlready.yaml': only('governance') });
    dirs.clean = makeProject({ 'clean.py': 'import os\n\nDATA = os.environ["DATA"]\n', 'mlready.yaml': only('portability') });
  });
  after(() => Object.values(dirs).forEach(removeProject));

  async function exitCode(dir: string, ...args: string[]): Promise<number | null> {
    const run = await runCli(['check', '.', '--format', 'json', ...args], { cwd: dir });
    if (run.code === 2) assert.fail(`unexpected error: ${run.stderr}`);
    JSON.parse(run.stdout); // the report is complete whatever the exit code
    return run.code;
  }

  it('the material has the severities the tests rely on', async () => {
    for (const [name, dir] of Object.entries(dirs)) {
      const run = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
      const severities = new Set((JSON.parse(run.stdout) as { findings: { severity: string }[] }).findings.map((f) => f.severity));
      if (name === 'clean') assert.equal(severities.size, 0, `clean project: ${[...severities]}`);
      else assert.deepEqual([...severities], [name], `${name} project`);
    }
  });

  const table: [project: string, failOn: string | null, expected: number][] = [
    ['error', null, 1],
    ['error', 'never', 0],
    ['warning', null, 0],
    ['warning', 'error', 0],
    ['warning', 'warning', 1],
    ['warning', 'hint', 1],
    ['info', 'warning', 0],
    ['info', 'info', 1],
    ['clean', 'hint', 0],
  ];
  for (const [project, failOn, expected] of table) {
    it(`${project} findings with --fail-on ${failOn ?? '(default: error)'} exit ${expected}`, async () => {
      const code = await exitCode(dirs[project], ...(failOn ? ['--fail-on', failOn] : []));
      assert.equal(code, expected);
    });
  }

  const usage: [args: string[], stderr: RegExp][] = [
    [['check', '--format', 'xml'], /--format must be one of/],
    [['check', '--fail-on', 'critical'], /--fail-on must be one of/],
    [['check', '--bogus'], /unknown option --bogus/],
    [['check', 'a', 'b'], /one PATH/],
    [['check', 'no/such/folder'], /does not exist/],
    [['check', '--config', 'missing.yaml'], /config file "missing.yaml" does not exist/],
    [['check', '--unsafe-fixes'], /only applies together with --fix/],
    [['check', '--format'], /needs a value/],
    [['frobnicate'], /unknown command/],
    [['explain', 'Q999'], /unknown rule/],
    [[], /Usage/],
  ];
  for (const [args, stderr] of usage) {
    it(`usage error exits 2 with a clear message: mlready ${args.join(' ')}`, async () => {
      const run = await runCli(args, { cwd: dirs.clean });
      assert.equal(run.code, 2);
      assert.match(run.stderr, stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(run.stdout, '');
    });
  }

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], { cwd: dirs.clean });
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), pkg.version);
  });

  it('--help describes the commands, and check --help its options and exit codes', async () => {
    const main = await runCli(['--help'], { cwd: dirs.clean });
    assert.equal(main.code, 0);
    for (const word of ['check', 'rules', 'explain']) assert.match(main.stdout, new RegExp(`mlready ${word}`));
    const check = await runCli(['check', '--help'], { cwd: dirs.clean });
    assert.equal(check.code, 0);
    for (const option of ['--format', '--fail-on', '--config', '--output', '--fix', '--unsafe-fixes', '--quiet', '--no-color']) assert.ok(check.stdout.includes(option), option);
    assert.match(check.stdout, /Exit codes/);
  });

  it('rules lists every rule, and explain prints a rule\'s docs', async () => {
    const json = await runCli(['rules', '--format', 'json'], { cwd: dirs.clean });
    assert.equal(json.code, 0);
    const rules = JSON.parse(json.stdout) as { code: string; name: string; category: string; severity: string; fixable: string | null }[];
    const p101 = rules.find((r) => r.code === 'P101');
    assert.ok(p101);
    assert.equal(p101.name, 'hardcoded-user-path');
    assert.equal(p101.fixable, 'safe');
    assert.equal(new Set(rules.map((r) => r.code)).size, rules.length);

    const text = await runCli(['rules'], { cwd: dirs.clean });
    for (const r of rules) assert.ok(text.stdout.includes(r.code) && text.stdout.includes(r.name), r.code);

    for (const query of ['P101', 'p101', 'hardcoded-user-path']) {
      const explain = await runCli(['explain', query], { cwd: dirs.clean });
      assert.equal(explain.code, 0);
      assert.match(explain.stdout, /^P101 hardcoded-user-path/);
      assert.match(explain.stdout, /Why is this bad\?/);
      assert.match(explain.stdout, /docs\/rules\/P101-hardcoded-user-path\.md/);
    }
  });
});
