/**
 * Debounces re-lints per document: each change restarts the document's timer, so a burst of
 * keystrokes costs one lint. While changes keep coming, a lint still runs at least every
 * `maxWaitMs`, so diagnostics never freeze during long typing.
 */
export class LintScheduler {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();

  constructor(
    private readonly run: (key: string) => void,
    private readonly maxWaitMs = 500,
  ) {}

  schedule(key: string, delayMs: number): void {
    const now = Date.now();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous.timer);
    const firstAt = previous?.firstAt ?? now;
    const delay = Math.max(0, Math.min(delayMs, firstAt + this.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.run(key);
    }, delay);
    this.pending.set(key, { timer, firstAt });
  }

  cancel(key: string): void {
    const p = this.pending.get(key);
    if (p) clearTimeout(p.timer);
    this.pending.delete(key);
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
