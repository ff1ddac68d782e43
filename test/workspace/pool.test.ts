import * as assert from 'assert';
import * as path from 'path';
import { DiskFiles } from '../../common/fs-files';
import { defaultRegistry, initPython, scanWorkspace, type ScanOptions, type ScanResult } from '../../rules';
import { factsToData } from '../../rules/workspace/analysis';
import { AnalysisPool, setWorkerEntryForTests } from '../../rules/workspace/pool';

/**
 * The worker pool changes where files are analysed, never what the scan finds: a scan in process,
 * with one or two workers, with every pending result re-linted at the end (retainLines 0), and
 * after a worker failure, gives the same result, in the same order.
 */
const ROOT = path.join(__dirname, '..', '..');

async function scan(dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  await initPython();
  return scanWorkspace(new DiskFiles(dir), defaultRegistry(), undefined, options);
}

/** Everything a scan reports, as plain data (facts included, in insertion order). */
function view(r: ScanResult): unknown {
  return { findings: r.findings, files: r.files, suppressions: r.suppressions, config: r.config, configPath: r.configPath, configProblems: r.configProblems, ruleErrors: r.ruleErrors, facts: factsToData(r.facts) };
}

describe('workspace scan with worker threads', function () {
  this.timeout(180_000);
  afterEach(() => setWorkerEntryForTests(undefined));
  const FIXTURES = path.join(ROOT, 'test/fixtures');
  let fixtures: unknown;
  const fixturesAlone = async () => (fixtures ??= view(await scan(FIXTURES)));

  for (const [folder, jobsList] of [['examples', [2, 3]], ['test/fixtures', [2]]] as const) {
    it(`gives the same result in process and with ${jobsList.join(' and ')} jobs (${folder})`, async () => {
      const dir = path.join(ROOT, folder);
      const alone = folder === 'examples' ? view(await scan(dir)) : await fixturesAlone();
      for (const jobs of jobsList) {
        const pool = new AnalysisPool(jobs);
        try {
          const pooled = await scan(dir, { pool });
          if (folder === 'test/fixtures') assert.ok(pool.workerCount > 0, 'the fixtures are enough files to start workers');
          assert.deepStrictEqual(view(pooled), alone, `${jobs} jobs`);
          // a second scan reuses the workers (the CLI's --fix passes)
          assert.deepStrictEqual(view(await scan(dir, { pool })), alone, `${jobs} jobs, second scan`);
        } finally {
          await pool.close();
        }
      }
    });
  }

  it('gives the same result when pending results are linted again at the end', async () => {
    const dir = FIXTURES;
    const alone = await fixturesAlone();
    assert.deepStrictEqual(view(await scan(dir, { retainLines: 0 })), alone);
    const pool = new AnalysisPool(2);
    try {
      assert.deepStrictEqual(view(await scan(dir, { pool, retainLines: 500 })), alone);
    } finally {
      await pool.close();
    }
  });

  it('runs in process when no worker can start, or when one fails', async () => {
    const dir = FIXTURES;
    const alone = await fixturesAlone();
    setWorkerEntryForTests(null);
    let pool = new AnalysisPool(2);
    assert.deepStrictEqual(view(await scan(dir, { pool })), alone);
    assert.strictEqual(pool.workerCount, 0);
    await pool.close();

    setWorkerEntryForTests({ file: 'throw new Error("boom")', eval: true });
    pool = new AnalysisPool(2);
    try {
      assert.deepStrictEqual(view(await scan(dir, { pool })), alone);
      // and the next scan does not try again
      assert.strictEqual(pool.workerCount, 0);
      assert.deepStrictEqual(view(await scan(dir, { pool })), alone);
    } finally {
      await pool.close();
    }
  });
});
