/**
 * Entry of an analysis worker thread (pool.ts): bundled as dist/worker.js, or run from the sources
 * under tsx. Handles one message at a time, in order: `begin` (a new scan with its config),
 * `analyze` (one file's bytes → its facts), `finalize` (workspace facts → findings of every file it
 * analysed). Everything it sends back is plain data.
 */
import { parentPort } from 'worker_threads';
import { defaultRegistry } from '../all';
import { defaultConfig } from '../core/config';
import { initPython } from '../documents/python/parser';
import { DEFAULT_RETAIN_LINES, factsFromData, FileAnalyzer } from './analysis';
import type { ToWorker, FromWorker } from './pool';

/**
 * Set by the loader that runs this thread's bundle with a V8 code cache (common/code-cache.ts,
 * `WRITE_NOW`): writes the cache. The pool terminates its workers, so they write it themselves.
 */
function writeCodeCacheNow(): void {
  const write = (globalThis as Record<symbol, unknown>)[Symbol.for('mlready.code-cache.write')];
  if (typeof write === 'function') write();
}

const port = parentPort;
if (port) {
  const analyzer = new FileAnalyzer(defaultRegistry(), defaultConfig());
  let queue: Promise<void> = initPython();
  const send = (m: FromWorker) => port.postMessage(m);
  const handle = (m: ToWorker): void => {
    switch (m.type) {
      case 'begin':
        analyzer.reset(m.config, m.retainLines ?? DEFAULT_RETAIN_LINES);
        return;
      case 'analyze':
        send({ type: 'analyzed', id: m.id, outcome: analyzer.analyze(m.path, m.kind, m.bytes) });
        return;
      case 'finalize':
        send({ type: 'finalized', id: m.id, files: analyzer.finalize(factsFromData(m.facts)) });
        // a whole scan has run: the code cache now holds what the next worker would compile
        writeCodeCacheNow();
        return;
    }
  };
  port.on('message', (m: ToWorker) => {
    queue = queue.then(() => {
      try {
        handle(m);
      } catch (e) {
        // never the file's content: the message of an internal error only
        send({ type: 'failed', id: 'id' in m ? m.id : -1, message: String((e as Error)?.message ?? e).slice(0, 300) });
      }
    }, (e) => {
      send({ type: 'failed', id: 'id' in m ? m.id : -1, message: `worker could not start: ${String((e as Error)?.message ?? e).slice(0, 300)}` });
    });
  });
}
