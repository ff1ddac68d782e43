import { strict as assert } from 'assert';
import { defaultConfig, defaultRegistry, parseConfig } from '../../rules';
import type { Rule } from '../../rules/core/rule';
import { atLeast, resolveSeverity, stageSeverity } from '../../rules/core/severity';
import { scanFiles } from '../helpers/engine';

/** A finding's severity: default, moved by the stage, then overridden by categories and rules. */
function rule(partial: Partial<Rule>): Rule {
  return { code: 'P999', name: 'x', category: 'portability', severity: 'warning', appliesTo: ['python'], docs: { summary: 's', why: 'w', example: 'e', useInstead: 'u' }, ...partial };
}

describe('severities by stage', () => {
  it('lowers by one level in exploration and raises by one in production', () => {
    const table: [Rule['severity'], string, string, string][] = [
      ['error', 'warning', 'error', 'error'],
      ['warning', 'info', 'warning', 'error'],
      ['info', 'hint', 'info', 'warning'],
      ['hint', 'hint', 'hint', 'hint'],
    ];
    for (const [base, exploration, pilot, production] of table) {
      const r = rule({ severity: base });
      assert.deepEqual(
        [stageSeverity(r, base, 'exploration'), stageSeverity(r, base, 'pilot'), stageSeverity(r, base, 'production')],
        [exploration, pilot, production],
        base,
      );
    }
  });

  it('never lowers security findings', () => {
    const r = rule({ category: 'security', severity: 'error' });
    assert.equal(stageSeverity(r, 'error', 'exploration'), 'error');
    assert.equal(stageSeverity(r, 'warning', 'exploration'), 'warning');
  });

  it("uses a rule's explicit stage severities, including off", () => {
    const r = rule({ severity: 'warning', stageSeverity: { exploration: 'off', production: 'warning' } });
    assert.equal(stageSeverity(r, 'warning', 'exploration'), 'off');
    assert.equal(stageSeverity(r, 'warning', 'production'), 'warning');
    // a severity the report asked for is shifted as usual
    assert.equal(stageSeverity(r, 'info', 'production'), 'warning');
  });

  it('lets the config win: rules over categories over the stage', () => {
    const r = rule({ severity: 'warning' });
    const config = defaultConfig();
    assert.equal(resolveSeverity(r, undefined, 'production', config), 'error');
    config.categories.portability = 'info';
    assert.equal(resolveSeverity(r, undefined, 'production', config), 'info');
    config.rules.P999 = { severity: 'hint', options: {} };
    assert.equal(resolveSeverity(r, 'error', 'production', config), 'hint');
    config.rules.P999 = { severity: 'off', options: {} };
    assert.equal(resolveSeverity(r, undefined, 'pilot', config), 'off');
  });

  it('orders severities for --fail-on', () => {
    assert.ok(atLeast('error', 'warning') && atLeast('warning', 'warning') && !atLeast('info', 'warning') && atLeast('hint', 'hint'));
  });

  it('applies stages from mlready.yaml to the findings of each file', async () => {
    const files = {
      'mlready.yaml': 'stage: pilot\nstages:\n  "notebooks/**": exploration\n  "src/serving/**": production\n',
      'src/train.py': 'DATA = "/home/ana/data.csv"\n',
      'src/serving/app.py': 'DATA = "/home/ana/data.csv"\n',
      'notebooks/eda.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: 'DATA = "/home/ana/data.csv"', metadata: {}, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
    };
    const result = await scanFiles(files);
    const p101 = Object.fromEntries(result.findings.filter((f) => f.code === 'P101').map((f) => [f.file, [f.severity, f.stage ?? null]]));
    assert.deepEqual(p101, {
      'notebooks/eda.ipynb': ['info', null],
      'src/serving/app.py': ['error', 'production'],
      'src/train.py': ['warning', null],
    });
  });

  it('turns a rule or a whole category off from the config', async () => {
    const code = { 'train.py': 'A = "/home/ana/a.csv"\nB = "s3://acme-bucket/x/"\nimport os\nos.chdir("/srv/x")\n' };
    const off = await scanFiles({ ...code, 'mlready.yaml': 'categories:\n  portability: off\nrules:\n  P104: error\n' });
    // the category is off, but a rule named in `rules` comes back with its own severity
    assert.ok(off.findings.every((f) => f.code !== 'P101' && f.code !== 'P106'), JSON.stringify(off.findings.map((f) => f.code)));
    assert.deepEqual(off.findings.filter((f) => f.code === 'P104').map((f) => f.severity), ['error']);
    const { config } = parseConfig('categories:\n  portability: off\n');
    assert.equal(config.categories.portability, 'off');
    assert.ok(defaultRegistry().byCode('P101'));
  });
});
