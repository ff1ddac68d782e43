/**
 * Debounces re-lints per document: each change restarts the document's timer, so a burst of
 * keystrokes costs one lint. While changes keep coming, a lint still runs at least every
 * `maxWaitMs`, so diagnostics never freeze during long typing.
 *
 * The delay of a change is adaptive (`delayFor`): the debounce only saves work when changes come
 * faster than lints, and costs its full length in latency on every keystroke otherwise. So a change
 * that follows a quiet spell (no lint of the document for `debounceMs`) is linted at once, and a
 * change during a burst waits as long as the document's last lint took, capped by `debounceMs`:
 * small documents get diagnostics as fast as they lint, while a slow lint (a large module) still
 * coalesces a burst, spending at most about half the time linting.
 */
export class LintScheduler {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; firstAt: number; finished: () => void }>();
  /** The ends of the lints scheduled or running (see `settled`). */
  private readonly unfinished = new Set<Promise<void>>();
  /** When each document's last lint ended and how long it took. */
  private readonly last = new Map<string, { at: number; ms: number }>();

  constructor(
    private readonly run: (key: string) => unknown,
    private readonly maxWaitMs = 500,
  ) {}

  schedule(key: string, delayMs: number): void {
    const now = Date.now();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous.timer);
    const firstAt = previous?.firstAt ?? now;
    const finished = previous?.finished ?? this.track();
    const delay = Math.max(0, Math.min(delayMs, firstAt + this.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.pending.delete(key);
      let result: unknown;
      try {
        result = this.run(key);
      } finally {
        if (result instanceof Promise) result.then(finished, finished);
        else finished();
      }
    }, delay);
    this.pending.set(key, { timer, firstAt, finished });
  }

  /** A new unfinished lint; returns what ends it. */
  private track(): () => void {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.unfinished.add(done);
    return () => {
      this.unfinished.delete(done);
      end();
    };
  }

  /**
   * Resolves once every lint scheduled or running now has ended (not those scheduled later, so a
   * burst of typing cannot hold it back for long).
   */
  settled(): Promise<void> {
    return Promise.all([...this.unfinished]).then(() => undefined);
  }

  /** Records a finished lint of a document, for `delayFor`. */
  ran(key: string, durationMs: number): void {
    this.last.set(key, { at: Date.now(), ms: durationMs });
  }

  /** The debounce of a change: none after a quiet spell, else the last lint's duration, at most `debounceMs`. */
  delayFor(key: string, debounceMs: number, now = Date.now()): number {
    const last = this.last.get(key);
    if (!last) return debounceMs;
    if (!this.pending.has(key) && now - last.at >= debounceMs) return 0;
    return Math.min(debounceMs, Math.ceil(last.ms));
  }

  cancel(key: string): void {
    const p = this.pending.get(key);
    if (p) {
      clearTimeout(p.timer);
      p.finished();
    }
    this.pending.delete(key);
    this.last.delete(key);
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.finished();
    }
    this.pending.clear();
    this.last.clear();
  }
}
