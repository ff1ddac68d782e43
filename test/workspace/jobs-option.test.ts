import * as assert from 'assert';
import { parseArgs, type CheckArgs } from '../../cli/args';
import { UsageError } from '../../cli/errors';
import { defaultJobs, MAX_DEFAULT_JOBS } from '../../rules/workspace/pool';

describe('mlready check --jobs', () => {
  it('takes a whole number of threads, long or short', () => {
    assert.strictEqual((parseArgs(['check', '.', '--jobs', '2']) as CheckArgs).jobs, 2);
    assert.strictEqual((parseArgs(['check', '--jobs=1']) as CheckArgs).jobs, 1);
    assert.strictEqual((parseArgs(['check', '-j', '3']) as CheckArgs).jobs, 3);
    assert.strictEqual((parseArgs(['check']) as CheckArgs).jobs, undefined);
  });

  it('refuses anything else with a usage error', () => {
    for (const bad of ['0', '-1', '1.5', 'many', '65']) {
      assert.throws(() => parseArgs(['check', '--jobs', bad]), (e: unknown) => e instanceof UsageError && /--jobs must be a whole number from 1 to 64/.test(e.message), bad);
    }
  });

  it('defaults to the cores available, capped', () => {
    assert.ok(defaultJobs() >= 1 && defaultJobs() <= MAX_DEFAULT_JOBS);
  });
});
