import * as assert from 'assert';
import * as vm from 'vm';
import { collectGarbage } from '../../rules/workspace/analysis';

/**
 * The scan's forced collections must be full ones: Node 20's V8 runs a young-generation collection
 * for gc({ type: 'major' }), which once left the language server holding 100 MB of garbage after a
 * workspace scan.
 */
describe('forced garbage collection', () => {
  /**
   * Some tens of MB that survive a young collection, of which one object in 20 stays alive: the
   * garbage is spread over every page, which a regular collection frees but does not compact.
   */
  function oldGarbage(): { drop: () => void; kept: () => number } {
    let held: { n: number; s: string }[] | undefined = [];
    for (let i = 0; i < 600_000; i++) held.push({ n: i, s: `item ${i}` });
    // two young collections promote it to the old generation, where only a full collection frees it
    for (let i = 0; i < 4; i++) new Array(1_000_000).fill(0);
    const survivors = held.filter((_, i) => i % 20 === 0);
    return {
      drop: () => {
        held = undefined;
      },
      kept: () => survivors.length,
    };
  }

  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

  it('frees old-generation garbage', () => {
    collectGarbage();
    const base = process.memoryUsage();
    const garbage = oldGarbage();
    const grown = process.memoryUsage().heapUsed;
    assert.ok(grown - base.heapUsed > 30 * 1048576, `the garbage takes ${mb(grown - base.heapUsed)}`);
    garbage.drop();
    collectGarbage();
    const after = process.memoryUsage();
    assert.ok(after.heapUsed - base.heapUsed < 25 * 1048576, `heap used ${mb(base.heapUsed)} → ${mb(grown)} → ${mb(after.heapUsed)}`);
    assert.strictEqual(garbage.kept(), 30_000);
  });

  it('with returnMemory, also compacts the heap to its live data', () => {
    collectGarbage({ returnMemory: true });
    const base = process.memoryUsage();
    const garbage = oldGarbage();
    const grown = process.memoryUsage();
    garbage.drop();
    collectGarbage({ returnMemory: true });
    const after = process.memoryUsage();
    assert.ok(after.heapTotal - base.heapTotal < 15 * 1048576, `heap ${mb(base.heapTotal)} → ${mb(grown.heapTotal)} → ${mb(after.heapTotal)} committed`);
    assert.strictEqual(garbage.kept(), 30_000);
  });

  it('leaves V8 flags as a fresh process has them (a code cache written later must match)', () => {
    collectGarbage({ returnMemory: true });
    const exposed = (globalThis as { gc?: unknown }).gc !== undefined;
    assert.strictEqual(vm.runInNewContext('typeof gc'), exposed ? 'function' : 'undefined');
  });
});
