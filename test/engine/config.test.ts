import { strict as assert } from 'assert';
import { defaultConfig, defaultRegistry, isIgnoredPath, isTestPath, parseConfig, stageFor } from '../../rules';
import { scanFiles } from '../helpers/engine';

/** mlready.yaml: every invalid shape is a ranged problem, and the defaults stand in for it. */
const known = () => new Set(defaultRegistry().rules.map((r) => r.code));

function problemsOf(text: string) {
  const { config, problems } = parseConfig(text, known());
  for (const p of problems) {
    assert.ok(p.start >= 0 && p.end > p.start && p.end <= Math.max(text.length, 1), `range of "${p.message}" in ${JSON.stringify(text)}: ${p.start}-${p.end}`);
  }
  return { config, problems, at: problems.map((p) => text.slice(p.start, p.end)) };
}

describe('mlready.yaml', () => {
  it('reads every setting of a complete, valid file', () => {
    const text = [
      'stage: production',
      'stages:',
      '  "notebooks/**": exploration',
      '  "src/serving/**": production',
      'rules:',
      '  P101: error',
      '  P102: {severity: info, roots: [/data]}',
      '  P106: off',
      '  G902: false',
      'categories: {security: error, notebook-hygiene: off}',
      'ignore: [build/, "**/*.tmp.py"]',
      'tests: tests/',
      'allow:',
      '  tracking: [mlflow]',
      '  validation: [pandera]',
      '  monitoring: [evidently]',
      '  paths: [/opt/ml/]',
      '  hosts: [mlflow.acme.internal]',
      'owner: "  ml-platform@acme.example  "',
      'policy: {enforce: [P101, s101]}',
    ].join('\n');
    const { config, problems } = problemsOf(text);
    assert.deepEqual(problems, []);
    assert.equal(config.stage, 'production');
    assert.deepEqual(config.stages, [
      { glob: 'notebooks/**', stage: 'exploration' },
      { glob: 'src/serving/**', stage: 'production' },
    ]);
    assert.deepEqual(config.rules.P101, { severity: 'error', options: {} });
    assert.deepEqual(config.rules.P102, { severity: 'info', options: { roots: ['/data'] } });
    assert.equal(config.rules.P106.severity, 'off');
    assert.equal(config.rules.G902.severity, 'off');
    assert.deepEqual(config.categories, { security: 'error', 'notebook-hygiene': 'off' });
    assert.deepEqual(config.ignore, ['build/', '**/*.tmp.py']);
    assert.deepEqual(config.tests, ['tests/']);
    assert.deepEqual(config.allow, { tracking: ['mlflow'], validation: ['pandera'], monitoring: ['evidently'], paths: ['/opt/ml/'], hosts: ['mlflow.acme.internal'] });
    assert.equal(config.owner, 'ml-platform@acme.example');
    assert.deepEqual(config.policy.enforce, ['P101', 's101']);
  });

  it('uses the defaults for an empty file or a file of comments', () => {
    for (const text of ['', '# nothing yet\n', '---\n']) {
      const { config, problems } = problemsOf(text);
      assert.deepEqual(problems, []);
      assert.deepEqual(config, defaultConfig());
    }
  });

  // [name, text, text at the problem's range (or a regexp on the message), what stays default]
  const invalid: [string, string, string, (c: ReturnType<typeof defaultConfig>) => void][] = [
    ['a list at the top', '- stage: pilot\n', '- stage: pilot\n', (c) => assert.equal(c.stage, 'pilot')],
    ['a scalar at the top', 'production\n', 'production', (c) => assert.equal(c.stage, 'pilot')],
    ['an unknown stage', 'stage: prod\n', 'prod', (c) => assert.equal(c.stage, 'pilot')],
    ['a stage that is a list', 'stage: [pilot]\n', '[pilot]', (c) => assert.equal(c.stage, 'pilot')],
    ['stages that is a list', 'stages: [notebooks/]\n', '[notebooks/]', (c) => assert.deepEqual(c.stages, [])],
    ['stages with no value', 'stages:\nowner: me\n', 'stages', (c) => assert.deepEqual(c.stages, [])],
    ['a stage glob with an unknown stage', 'stages:\n  "nb/**": dev\n', 'dev', (c) => assert.deepEqual(c.stages, [])],
    ['a stage glob that does not compile', 'stages:\n  "[z-a]/**": production\n', '"[z-a]/**"', (c) => assert.deepEqual(c.stages, [])],
    ['rules that is a list', 'rules: [P101]\n', '[P101]', (c) => assert.deepEqual(c.rules, {})],
    ['an unknown rule code', 'rules:\n  X999: off\n', 'X999', (c) => assert.deepEqual(c.rules, {})],
    ['an unknown severity', 'rules:\n  P101: loud\n', 'loud', (c) => assert.deepEqual(c.rules, {})],
    ['a severity that is true', 'rules:\n  P101: true\n', 'true', (c) => assert.deepEqual(c.rules, {})],
    ['an unknown severity in a rule map', 'rules:\n  P101: {severity: fatal}\n', 'fatal', (c) => assert.equal(c.rules.P101?.severity, undefined)],
    ['categories that is a scalar', 'categories: error\n', 'error', (c) => assert.deepEqual(c.categories, {})],
    ['an unknown category', 'categories:\n  portabilty: off\n', 'portabilty', (c) => assert.deepEqual(c.categories, {})],
    ['a category with an unknown severity', 'categories:\n  security: critical\n', 'critical', (c) => assert.deepEqual(c.categories, {})],
    ['ignore that is a map', 'ignore: {build: true}\n', '{build: true}', (c) => assert.deepEqual(c.ignore, [])],
    ['ignore with a non-string item', 'ignore:\n  - build/\n  - {a: 1}\n', '{a: 1}', (c) => assert.deepEqual(c.ignore, ['build/'])],
    ['an ignore glob that does not compile', 'ignore: ["[z-a]", build/]\n', '"[z-a]"', (c) => assert.deepEqual(c.ignore, ['build/'])],
    ['tests that is a number', 'tests: 3\n', '3', (c) => assert.deepEqual(c.tests, [])],
    ['allow that is a list', 'allow: [mlflow]\n', '[mlflow]', (c) => assert.deepEqual(c.allow, defaultConfig().allow)],
    ['an unknown allow key', 'allow:\n  buckets: [s3://x]\n', 'buckets', (c) => assert.deepEqual(c.allow, defaultConfig().allow)],
    ['allow.paths that is a number', 'allow:\n  paths: 3\n', '3', (c) => assert.deepEqual(c.allow.paths, [])],
    ['an empty owner', 'owner: ""\n', '""', (c) => assert.equal(c.owner, undefined)],
    ['an owner that is a map', 'owner: {team: ml}\n', '{team: ml}', (c) => assert.equal(c.owner, undefined)],
    ['policy that is a list', 'policy: [P101]\n', '[P101]', (c) => assert.deepEqual(c.policy.enforce, [])],
    ['an unknown policy key', 'policy:\n  review: true\n', 'review', (c) => assert.deepEqual(c.policy.enforce, [])],
    ['an unknown code in policy.enforce', 'policy:\n  enforce: [P101, P9999]\n', 'P9999', (c) => assert.deepEqual(c.policy.enforce, ['P101'])],
    ['an unknown setting', 'ignores: [build/]\n', 'ignores', (c) => assert.deepEqual(c.ignore, [])],
    ['two documents', 'stage: pilot\n---\nstage: production\n', 's', (c) => assert.equal(c.stage, 'pilot')],
  ];
  for (const [name, text, at, defaults] of invalid) {
    it(`reports ${name} at the offending node, and keeps the default`, () => {
      const r = problemsOf(text);
      assert.ok(r.problems.length >= 1, `a problem for ${JSON.stringify(text)}`);
      assert.equal(r.at[0], at, r.problems[0].message);
      defaults(r.config);
    });
  }

  it('reports invalid YAML and uses every default', () => {
    const text = 'stage: production\nrules:\n  P101: error\n   P102: off\n';
    const r = problemsOf(text);
    assert.ok(r.problems.length > 0);
    assert.match(r.problems[0].message, /not valid YAML: .*\.$/);
    assert.deepEqual(r.config, defaultConfig());
  });

  it('keeps the valid settings of a file that also has invalid ones', () => {
    const r = problemsOf('stage: prod\nrules:\n  P101: error\n  P102: loud\nowner: ml-team\n');
    assert.equal(r.problems.length, 2);
    assert.equal(r.config.rules.P101.severity, 'error');
    assert.equal(r.config.owner, 'ml-team');
  });

  it('never throws on hostile input', () => {
    for (const text of ['a: ' + '['.repeat(10_000), '&a [*a]', 'rules: &r {P101: *r}', '\u0000', ':', '- - - -', '? [a]\n: b', 'rules:\n  ? [P101]\n  : error\n']) {
      assert.doesNotThrow(() => parseConfig(text, known()), JSON.stringify(text));
    }
  });

  it('reports the problems of the workspace config as G001 findings on mlready.yaml', async () => {
    const result = await scanFiles({ 'mlready.yaml': 'stage: prod\nrules:\n  P101: loud\n', 'train.py': 'x = "/home/ana/x.csv"\n' });
    const g = result.findings.filter((f) => f.code === 'G001');
    assert.deepEqual(
      g.map((f) => [f.file, f.range.start.line, f.range.start.character, f.range.end.character]),
      [
        ['mlready.yaml', 0, 7, 11],
        ['mlready.yaml', 2, 8, 12],
      ],
    );
    assert.ok(g.every((f) => f.message.endsWith('The default is used instead.')));
    assert.ok(!result.findings.some((f) => f.code === 'L001'), 'the config is not reported twice');
    // the defaults apply: P101 is a warning at the pilot stage
    assert.equal(result.findings.find((f) => f.code === 'P101')?.severity, 'warning');
  });

  describe('paths', () => {
    it('picks the stage of the last matching glob', () => {
      const { config } = parseConfig('stage: pilot\nstages:\n  "notebooks/**": exploration\n  "notebooks/prod/**": production\n');
      assert.equal(stageFor(config, 'src/train.py'), 'pilot');
      assert.equal(stageFor(config, 'notebooks/eda.ipynb'), 'exploration');
      assert.equal(stageFor(config, 'notebooks/prod/score.ipynb'), 'production');
    });

    it('knows test files and ignored folders', () => {
      const config = defaultConfig();
      for (const p of ['tests/test_train.py', 'src/test_model.py', 'src/model_test.py', 'pkg/conftest.py', 'test/fixtures/x.py', 'a/fixtures/b.yaml']) assert.ok(isTestPath(config, p), p);
      for (const p of ['src/train.py', 'src/testing_utils.py', 'latest/x.py']) assert.ok(!isTestPath(config, p), p);
      for (const p of ['.venv/lib/x.py', 'a/node_modules/b.js', 'pkg.egg-info/PKG-INFO', 'notebooks/.ipynb_checkpoints/a-checkpoint.ipynb', 'build/lib/x.py']) assert.ok(isIgnoredPath(config, p), p);
      assert.ok(!isIgnoredPath(config, 'src/builder.py'));
    });
  });
});
