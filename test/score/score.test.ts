import { strict as assert } from 'assert';
import { CATEGORIES, computeScore, WorkspaceFacts, apportion, defaultConfig, type ReadinessScore } from '../../rules';
import { scoreProject } from './helpers';

/**
 * The readiness score on three fixture projects (test/score-projects): the numbers and the
 * sentences that explain them are pinned, and every explanation adds up to the score.
 */
function statuses(score: ReadinessScore): Record<string, string> {
  return Object.fromEntries(score.practices.map((p) => [p.id, p.expected ? p.status : `${p.status} (not expected)`]));
}

function assertExplained(score: ReadinessScore): void {
  for (const c of CATEGORIES) {
    const lost = score.details[c].losses.reduce((k, l) => k + l.points, 0);
    assert.equal(lost, 100 - score.categories[c], `${c}: losses add up to 100 − score`);
  }
  assert.equal(score.overallLosses.reduce((k, l) => k + l.points, 0), 100 - score.overall, 'overall losses add up');
}

describe('readiness score: fixture projects', function () {
  this.timeout(60000);

  it('bare notebook project: tracking, contracts, pins, seeds, registry, card, owner and CI missing', async () => {
    const { score } = await scoreProject('bare-notebook');
    assertExplained(score);
    assert.equal(score.stage, 'pilot');
    assert.deepEqual(score.categories, { monitoring: 37, portability: 97, 'data-contracts': 37, reproducibility: 37, governance: 40, security: 100, reliability: 40, 'notebook-hygiene': 100 });
    assert.equal(score.overall, 59);
    assert.deepEqual(statuses(score), {
      'experiment-tracking': 'missing',
      'data-validation': 'missing',
      'dependencies-pinned': 'missing',
      'seeds-set': 'missing',
      'models-registered': 'missing',
      'model-card': 'missing',
      'owner-declared': 'missing',
      'serving-instrumented': 'not-applicable',
      'drift-monitored': 'not-applicable (not expected)',
      'pipeline-steps-bounded': 'not-applicable',
      'ci-runs-tests': 'missing',
      'no-secrets': 'met',
    });
    // monitoring: tracking is the only practice that applies, so it holds all 60 practice points; M101 (warning, 8 lines → divisor 1) costs 3
    assert.deepEqual(score.details.monitoring.losses.map((l) => [l.id, l.points]), [['experiment-tracking', 60], ['M101', 3]]);
    assert.equal(score.practices.find((p) => p.id === 'experiment-tracking')!.evidence, 'The project trains models but no file logs to an experiment tracker.');
    assert.equal(score.size.divisor, 1);
    assert.deepEqual(score.mlTestScore.sections.monitoring, { score: null, points: 0, total: 0, practices: [] });
    assert.equal(score.mlTestScore.final, 0);
    assert.deepEqual(score.gaps.slice(0, 3).map((g) => [g.id, g.impact]), [['ci-runs-tests', 8], ['data-validation', 8], ['experiment-tracking', 8]]);
  });

  it('mid-way project: tracking, registry and CI met; contracts, seeds-by-findings, card, owner, serving open', async () => {
    const { score } = await scoreProject('midway');
    assertExplained(score);
    assert.deepEqual(score.categories, { monitoring: 67, portability: 100, 'data-contracts': 34, reproducibility: 77, governance: 70, security: 100, reliability: 100, 'notebook-hygiene': 100 });
    assert.equal(score.overall, 78);
    assert.deepEqual(statuses(score), {
      'experiment-tracking': 'met',
      'data-validation': 'missing',
      'dependencies-pinned': 'partly',
      'seeds-set': 'met',
      'models-registered': 'met',
      'model-card': 'missing',
      'owner-declared': 'missing',
      'serving-instrumented': 'missing',
      'drift-monitored': 'missing (not expected)',
      'pipeline-steps-bounded': 'not-applicable',
      'ci-runs-tests': 'met',
      'no-secrets': 'met',
    });
    const pins = score.practices.find((p) => p.id === 'dependencies-pinned')!;
    assert.equal(pins.evidence, 'Dependencies are declared in requirements.txt, but 1 reference in requirements.txt is not pinned.');
    assert.deepEqual([pins.earned, pins.points], [20, 40]);
    assert.deepEqual(score.details['data-contracts'].losses.map((l) => [l.id, l.points]), [['data-validation', 60], ['D101', 3], ['D103', 3]]);
    assert.equal(score.gaps[0].id, 'data-validation');
    assert.equal(score.practices.find((p) => p.id === 'ci-runs-tests')!.evidence, 'CI runs the tests (.github/workflows/ci.yml).');
  });

  it('production-grade project: every practice met at the production stage, 100 everywhere', async () => {
    const { score, result } = await scoreProject('production');
    assertExplained(score);
    assert.equal(score.stage, 'production');
    assert.deepEqual(result.findings.map((f) => f.code), []);
    assert.equal(score.overall, 100);
    for (const c of CATEGORIES) assert.equal(score.categories[c], 100, c);
    const open = score.practices.filter((p) => p.status !== 'met').map((p) => `${p.id}: ${p.status}`);
    assert.deepEqual(open, ['pipeline-steps-bounded: not-applicable']);
    assert.equal(score.mlTestScore.final, 2);
    assert.deepEqual(score.gaps, []);
  });
});

describe('readiness score: model', () => {
  it('apportions whole points that add up exactly (largest remainder)', () => {
    assert.deepEqual(apportion([1.5, 1.5, 1], 4), [2, 1, 1]);
    assert.deepEqual(apportion([], 3), []);
    assert.deepEqual(apportion([2, 2], 0), [0, 0]);
  });

  it('normalises deductions by size: the same density costs the same, a tiny project is not excused', () => {
    const finding = (file: string, i: number) => ({ code: 'P102', name: 'hardcoded-absolute-path', category: 'portability' as const, severity: 'warning' as const, message: 'm', file, range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } }, fileRange: { start: 0, end: 1 }, fixes: [], docUrl: '' });
    const facts = (lines: number) => {
      const f = new WorkspaceFacts();
      f.set({ path: 'a.py', kind: 'python', lines, modules: new Set(), calls: new Set(), definitions: new Set(), tags: new Map() });
      return f;
    };
    const small = computeScore([finding('a.py', 1)], facts(1000));
    const big = computeScore(Array.from({ length: 10 }, (_, i) => finding('a.py', i)), facts(10000));
    assert.equal(small.categories.portability, 97);
    assert.equal(big.categories.portability, 97);
    const tiny = computeScore([finding('a.py', 1)], facts(10));
    assert.equal(tiny.categories.portability, 97, 'below 1,000 lines the divisor stays 1');
  });

  it('the stage changes what is expected: exploration expects no model card', () => {
    const f = new WorkspaceFacts();
    f.set({ path: 'a.py', kind: 'python', lines: 10, modules: new Set(['sklearn']), calls: new Set(), definitions: new Set(), tags: new Map() });
    const pilot = computeScore([], f, defaultConfig());
    const exploration = computeScore([], f, { ...defaultConfig(), stage: 'exploration' });
    assert.equal(pilot.practices.find((p) => p.id === 'model-card')!.expected, true);
    assert.equal(exploration.practices.find((p) => p.id === 'model-card')!.expected, false);
    assert.equal(exploration.categories.governance, 100);
    assert.ok(pilot.categories.governance < 100);
  });
});
