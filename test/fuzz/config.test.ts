import { strict as assert } from 'assert';
import fc from 'fast-check';
import { MemoryFiles } from '../../common/fs-files';
import { defaultConfig, defaultRegistry, initPython, isIgnoredPath, parseConfig, scanWorkspace, stageFor } from '../../rules';
import { matchesGlob } from '../../rules/core/glob';
import { SEED, TIME_MS } from './fuzz-helpers';

/**
 * mlready.yaml under random shapes (test/engine/config.test.ts holds the hand-picked cases): no
 * input throws, every problem has a range in the text, a value of the wrong shape is reported and
 * its default kept, and the workspace scan turns the problems into G001 findings on the config.
 * User globs are compiled to RE2 (linear time): catastrophic patterns cannot hang a scan.
 */
const known = new Set(defaultRegistry().rules.map((r) => r.code));
const runs = { shapes: 0, wrong: 0 };

/** Values of every JSON shape, as YAML flow text (JSON is YAML). */
const anyValue = fc.jsonValue({ maxDepth: 4 });
const nonMap = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''));
const nonStringList = fc.oneof(fc.integer(), fc.boolean(), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.integer(), { minKeys: 1, maxKeys: 3 }), fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 2 }), { minLength: 1, maxLength: 3 }));

/** For each setting: values of the wrong shape, and how to tell its default was kept. */
const WRONG: [string, fc.Arbitrary<unknown>, (c: ReturnType<typeof defaultConfig>) => boolean][] = [
  ['stage', fc.oneof(nonMap, fc.dictionary(fc.string(), fc.integer(), { minKeys: 1, maxKeys: 2 })).filter((v) => !['exploration', 'pilot', 'production'].includes(v as string)), (c) => c.stage === 'pilot'],
  ['stages', nonMap, (c) => c.stages.length === 0],
  ['rules', nonMap, (c) => Object.keys(c.rules).length === 0],
  ['categories', nonMap, (c) => Object.keys(c.categories).length === 0],
  ['ignore', nonStringList, (c) => c.ignore.length === 0],
  ['tests', nonStringList, (c) => c.tests.length === 0],
  ['allow', nonMap, (c) => JSON.stringify(c.allow) === JSON.stringify(defaultConfig().allow)],
  ['owner', fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.constant(''), fc.constant('   '), fc.dictionary(fc.string(), fc.string(), { minKeys: 1, maxKeys: 2 })), (c) => c.owner === undefined],
  ['policy', nonMap, (c) => c.policy.enforce.length === 0],
];

function checkRanges(text: string, problems: { start: number; end: number; message: string }[]): void {
  for (const p of problems) {
    assert.ok(p.start >= 0 && p.end > p.start && p.end <= Math.max(text.length, 1), `range of "${p.message}" in ${JSON.stringify(text).slice(0, 200)}: ${p.start}-${p.end}`);
    assert.ok(p.message.length > 10, 'the problem says what is wrong');
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fail(out: fc.RunDetails<any>): void {
  if (out.failed) throw new Error(`${String((out.errorInstance as Error)?.message ?? out.errorInstance).slice(0, 2000)}\n${fc.defaultReportMessage(out)?.slice(0, 800)}`);
}

describe(`fuzz: mlready.yaml shapes and user patterns (seed ${SEED})`, function () {
  this.timeout(TIME_MS + 60_000);
  before(() => initPython());
  after(() => console.log(`    fuzz config: seed ${SEED}; ${runs.shapes} random shapes, ${runs.wrong} wrong-typed settings`));

  it('never throws on any shape, and every problem is ranged in the text', () => {
    const key = fc.oneof(fc.constantFrom('stage', 'stages', 'rules', 'categories', 'ignore', 'tests', 'allow', 'owner', 'policy'), fc.string({ maxLength: 10 }));
    const doc = fc.oneof(fc.dictionary(key, anyValue, { maxKeys: 5 }), anyValue);
    const text = fc.oneof(
      doc.map((d) => JSON.stringify(d)),
      doc.map((d) => JSON.stringify(d, null, 2)),
      fc.tuple(doc, fc.nat(), fc.string({ maxLength: 5 })).map(([d, at, junk]) => {
        const s = JSON.stringify(d, null, 1);
        const i = at % (s.length + 1);
        return s.slice(0, i) + junk + s.slice(i);
      }),
    );
    fail(
      fc.check(
        fc.property(text, (t) => {
          runs.shapes++;
          const { config, problems } = parseConfig(t, known);
          checkRanges(t, problems);
          assert.ok(['exploration', 'pilot', 'production'].includes(config.stage));
        }),
        { seed: SEED, numRuns: 3000, interruptAfterTimeLimit: Math.max(1000, TIME_MS * 0.1) },
      ),
    );
  });

  it('a setting of the wrong shape is a problem at its value, and keeps the default', () => {
    const cases = fc.oneof(...WRONG.map(([key, value, isDefault]) => value.map((v) => ({ key, v, isDefault }))));
    fail(
      fc.check(
        fc.property(cases, ({ key, v, isDefault }) => {
          runs.wrong++;
          const text = `${key}: ${JSON.stringify(v)}\n`;
          const { config, problems } = parseConfig(text, known);
          checkRanges(text, problems);
          assert.ok(problems.length >= 1, `no problem for ${JSON.stringify(text)}`);
          assert.ok(isDefault(config), `${key} is not the default after ${JSON.stringify(text)}: ${JSON.stringify(config)}`);
        }),
        { seed: SEED, numRuns: 2000, interruptAfterTimeLimit: Math.max(1000, TIME_MS * 0.1) },
      ),
    );
  });

  it('the workspace scan reports each wrong shape as G001 on mlready.yaml and uses the defaults', async () => {
    const samples = fc.sample(fc.oneof(...WRONG.map(([key, value]) => value.map((v) => `${key}: ${JSON.stringify(v)}\n`))), { seed: SEED, numRuns: 40 });
    for (const config of [...samples, 'stage: [\n', `${'- '.repeat(10_000)}x\n`, 'a: &a [*a]\nstage: *a\n']) {
      const result = await scanWorkspace(new MemoryFiles(new Map([['mlready.yaml', config], ['train.py', 'DATA = "/home/ana/x.csv"\n']])), defaultRegistry());
      const g001 = result.findings.filter((f) => f.code === 'G001');
      assert.ok(g001.length >= 1, `no G001 for ${JSON.stringify(config).slice(0, 100)}`);
      assert.ok(g001.every((f) => f.file === 'mlready.yaml' && /default/i.test(f.message)), JSON.stringify(g001.map((f) => [f.file, f.message])));
      assert.equal(result.config.stage, 'pilot');
      assert.ok(result.findings.some((f) => f.code === 'P101'), 'the rest of the workspace is still analysed');
    }
  });

  it('rule options of any shape never make a rule throw', async () => {
    const registry = defaultRegistry();
    const optionNames = ['maxLines', 'maxCodeCells', 'maxCellOutputBytes', 'maxNotebookOutputBytes', 'maxMegabytes', 'schemaDir', 'allow', 'serving', 'namedValues', 'context'];
    const options = fc.dictionary(fc.oneof(fc.constantFrom(...optionNames), fc.string({ maxLength: 6 })), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e308, -1e308, 0.5, '', '../..', '/etc', 'NaN', '1e9')), { maxKeys: 4 });
    const workspace = new Map<string, string>();
    for (const fixture of ['N107-long-cell', 'N108-long-notebook', 'N102-huge-output', 'R134-untracked-large-data', 'D101-unvalidated-read', 'S101-hardcoded-secret']) {
      const dir = require('path').join(__dirname, '..', 'fixtures', fixture, 'flagged');
      for (const rel of require('fs').readdirSync(dir, { recursive: true }) as string[]) {
        const full = require('path').join(dir, rel);
        if (require('fs').statSync(full).isFile()) workspace.set(`${fixture}/${rel.split(require('path').sep).join('/')}`, require('fs').readFileSync(full, 'utf8'));
      }
    }
    const codes = registry.rules.map((r) => r.code);
    let cases = 0;
    fail(
      await fc.check(
        fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...codes), options), { minLength: 1, maxLength: 12 }), async (entries) => {
          cases++;
          const config = `rules:\n${entries.map(([code, o]) => `  ${code}: ${JSON.stringify({ severity: 'warning', ...o })}`).join('\n')}\n`;
          const files = new Map(workspace).set('mlready.yaml', config);
          const result = await scanWorkspace(new MemoryFiles(files), registry);
          assert.deepEqual(result.ruleErrors, [], config);
        }),
        { seed: SEED, numRuns: 200, interruptAfterTimeLimit: Math.max(2000, TIME_MS * 0.15) },
      ),
    );
    runs.shapes += cases;
  });

  it('catastrophic user patterns cannot hang: stage, ignore and test globs on 100k-character paths', async () => {
    const evil = ['(a+)+$', '(a|a)*$', '(a*)*b', '**a**a**a**a**a**a**a**a**b', '{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}*b', '[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!', `${'*a'.repeat(100)}b`, '(.*){1,32000}[bc]'];
    const long = `${'a'.repeat(100_000)}!`;
    for (const glob of evil) {
      const t = performance.now();
      matchesGlob(long, glob);
      matchesGlob(`src/${long}/x.py`, glob);
      assert.ok(performance.now() - t < 1500, `${glob} took ${(performance.now() - t).toFixed(0)} ms on a 100k path`);
    }
    const config = ['stages:', ...evil.map((g) => `  ${JSON.stringify(g)}: production`), 'ignore:', ...evil.map((g) => `  - ${JSON.stringify(g)}`), 'tests:', ...evil.map((g) => `  - ${JSON.stringify(g)}`), ''].join('\n');
    const { config: parsed } = parseConfig(config, known);
    const t = performance.now();
    for (let i = 0; i < 20; i++) {
      stageFor(parsed, `${'a'.repeat(5000 + i)}/train.py`);
      isIgnoredPath(parsed, `${'a'.repeat(5000 + i)}/train.py`);
    }
    assert.ok(performance.now() - t < 3000, `stage and ignore on long paths took ${(performance.now() - t).toFixed(0)} ms`);
    const files = new Map<string, string>([['mlready.yaml', config]]);
    for (let i = 0; i < 50; i++) files.set(`${'a'.repeat(200)}/${'a'.repeat(200)}/m${i}.py`, 'x = 1\n');
    const s = performance.now();
    const result = await scanWorkspace(new MemoryFiles(files), defaultRegistry());
    assert.ok(performance.now() - s < 10_000, `scan with catastrophic globs took ${(performance.now() - s).toFixed(0)} ms`);
    assert.ok(result.files.scanned > 0);
  });
});
