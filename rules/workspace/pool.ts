import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ResolvedConfig } from '../core/config';
import type { SourceKind } from '../documents/document';
import type { AnalyzeOutcome, FactsData, FinalizedFile } from './analysis';

/**
 * Worker threads for the per-file half of a workspace scan (analysis.ts). A pool of N jobs runs
 * N − 1 workers and lets the scanning thread analyse files too, so `--jobs 2` uses two cores with
 * one extra isolate. Workers start lazily, only for scans with enough files to pay for their
 * start-up, and are reused by later scans (the CLI's `--fix` passes). Results do not depend on the
 * number of jobs: each file is analysed alone, and the scan puts everything back in path order.
 *
 * The worker is dist/worker.js next to the bundle that uses the pool, or rules/workspace/worker.ts
 * under tsx (tests, `npm run bench` from the sources). When neither is there, or a worker fails, the
 * scan runs in process.
 */

export type ToWorker =
  | { type: 'begin'; config: ResolvedConfig; retainLines?: number }
  | { type: 'analyze'; id: number; path: string; kind: SourceKind; bytes: Uint8Array }
  | { type: 'finalize'; id: number; facts: FactsData };

export type FromWorker =
  | { type: 'analyzed'; id: number; outcome: AnalyzeOutcome }
  | { type: 'finalized'; id: number; files: FinalizedFile[] }
  | { type: 'failed'; id: number; message: string };

/** Most jobs a default pool uses: each worker holds its own copy of the engine and grammar (~40 MB). */
export const MAX_DEFAULT_JOBS = 4;
/** Fewer files than this are analysed in process: starting a worker costs about as much as analysing them. */
export const MIN_FILES_FOR_WORKERS = 24;
/** Files queued per worker, so that it never waits for the scanning thread. */
const DEPTH = 3;

/**
 * Cores one analysing thread keeps busy: V8 compiles hot code and collects garbage in threads of its
 * own beside it (one job on 2 cores: 3.3-3.5 s of CPU in 2.4-2.6 s for 100k lines).
 */
const CORES_PER_JOB = 1.5;

/**
 * Jobs by default: as many as the cores can run beside their compiler and collector threads,
 * capped. On 2 cores that is one: a second job measured no faster at 100k lines and 12% faster at
 * 500k, for about 100 MB more memory.
 */
export function defaultJobs(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(Math.floor(cores / CORES_PER_JOB), MAX_DEFAULT_JOBS));
}

export class PoolError extends Error {}

interface WorkerEntry {
  file: string;
  eval: boolean;
}

let entryOverride: WorkerEntry | null | undefined;

/** For tests: force the worker entry (or none, for the in-process fallback); undefined restores the lookup. */
export function setWorkerEntryForTests(entry: WorkerEntry | null | undefined): void {
  entryOverride = entry;
}

function workerEntry(): WorkerEntry | undefined {
  if (entryOverride !== undefined) return entryOverride ?? undefined;
  const bundled = path.join(__dirname, 'worker.js');
  if (fs.existsSync(bundled)) return { file: bundled, eval: false };
  const source = path.join(__dirname, 'worker.ts');
  if (fs.existsSync(source)) {
    try {
      const tsx = require.resolve('tsx/cjs');
      return { file: `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(source)});`, eval: true };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** One worker thread and its requests in flight. */
export class RemoteAnalyzer {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  /** Callers waiting for room in this worker's queue (whenRoom). */
  private readonly roomWaiters: (() => void)[] = [];
  failure?: Error;

  constructor(entry: WorkerEntry) {
    // the worker is ref'd only while it has work, so a forgotten pool never keeps a process alive
    this.worker = new Worker(entry.file, { eval: entry.eval, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on('message', (m: FromWorker) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (!this.waiting.size) this.worker.unref();
      if (this.waiting.size < DEPTH) for (const wake of this.roomWaiters.splice(0)) wake();
      if (m.type === 'failed') w.reject(new PoolError(`analysis worker failed: ${m.message}`));
      else w.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(new PoolError(`analysis worker failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new PoolError(`analysis worker exited (code ${code})`)));
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  /** Resolves once this worker's queue has room (or it failed). */
  whenRoom(): Promise<void> {
    if (this.failure || this.waiting.size < DEPTH) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private request(m: ToWorker & { id: number }): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(m.id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(m);
    });
  }

  begin(config: ResolvedConfig, retainLines?: number): void {
    this.worker.postMessage({ type: 'begin', config, retainLines } satisfies ToWorker);
  }

  async analyze(path: string, kind: SourceKind, bytes: Uint8Array): Promise<AnalyzeOutcome> {
    const m = await this.request({ type: 'analyze', id: this.nextId++, path, kind, bytes });
    if (m.type !== 'analyzed') throw new PoolError('analysis worker answered out of turn');
    return m.outcome;
  }

  async finalize(facts: FactsData): Promise<FinalizedFile[]> {
    const m = await this.request({ type: 'finalize', id: this.nextId++, facts });
    if (m.type !== 'finalized') throw new PoolError('analysis worker answered out of turn');
    return m.files;
  }

  terminate(): Promise<number> {
    this.fail(new PoolError('analysis pool closed'));
    return this.worker.terminate();
  }
}

export class AnalysisPool {
  private workers: RemoteAnalyzer[] = [];
  private broken = false;

  constructor(readonly jobs = defaultJobs()) {}

  /**
   * Workers for a scan of `files` files with this config, started on first use; none when the
   * scan is better done in process (few files, one job, no worker entry, an earlier failure).
   */
  begin(config: ResolvedConfig, files: number, retainLines?: number): RemoteAnalyzer[] {
    if (this.broken || this.jobs < 2 || files < MIN_FILES_FOR_WORKERS) return [];
    this.workers = this.workers.filter((w) => !w.failure);
    const want = Math.min(this.jobs - 1, Math.ceil(files / MIN_FILES_FOR_WORKERS));
    if (this.workers.length < want) {
      const entry = workerEntry();
      if (!entry) {
        this.broken = true;
        return [];
      }
      try {
        while (this.workers.length < want) this.workers.push(new RemoteAnalyzer(entry));
      } catch {
        this.broken = true;
        return [];
      }
    }
    const used = this.workers.slice(0, want);
    for (const w of used) w.begin(config, retainLines);
    return used;
  }

  /** Worker threads started (alive or not), for tests and diagnostics. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** After a worker failed: later scans run in process. */
  markBroken(): void {
    this.broken = true;
    void this.close();
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  }
}

/** Resolves when some worker has room in its queue (see freeWorker). */
export function anyRoom(workers: readonly RemoteAnalyzer[]): Promise<void> {
  return Promise.race(workers.map((w) => w.whenRoom()));
}

/** Picks a worker with room in its queue, the least busy first; undefined when all are full. */
export function freeWorker(workers: readonly RemoteAnalyzer[]): RemoteAnalyzer | undefined {
  let best: RemoteAnalyzer | undefined;
  for (const w of workers) if (!w.failure && w.inFlight < DEPTH && (!best || w.inFlight < best.inFlight)) best = w;
  return best;
}
