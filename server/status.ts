import { computeScore, type Finding } from '../rules';
import type { SeverityCounts, StatusParams } from '../common/protocol';
import { StatusNotification } from '../common/protocol';
import type { ServerContext } from './context';

/** Counts by severity of a list of findings. */
export function countSeverities(findings: Iterable<Finding>): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * The `mlready/status` notification for the status bar: sent when a scan starts or ends, and at
 * most every 250 ms while documents are re-linted.
 */
export class StatusReporter {
  private timer?: NodeJS.Timeout;
  private last = '';

  constructor(private readonly ctx: ServerContext) {}

  changed(now = false): void {
    if (this.ctx.shuttingDown) return;
    this.ctx.readiness?.changed();
    if (now) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.send();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, 250);
  }

  private send(): void {
    if (this.ctx.shuttingDown) return;
    const params = this.compute();
    const key = JSON.stringify(params);
    if (key === this.last) return;
    this.last = key;
    void this.ctx.connection.sendNotification(StatusNotification.method, params);
  }

  compute(): StatusParams {
    const folders = [...this.ctx.index.folders, this.ctx.index.loose];
    const scanning = this.ctx.index.folders.filter((f) => f.scanning);
    const findings: Finding[] = [];
    let files = 0;
    for (const folder of folders) {
      files += folder.facts.files.size;
      findings.push(...folder.allFindings());
    }
    const first = this.ctx.index.folders[0];
    const params: StatusParams = { version: 1, state: scanning.length ? 'scanning' : 'idle', files, findings: findings.length, bySeverity: countSeverities(findings) };
    if (first?.scanned) params.score = computeScore(first.allFindings(), first.facts, first.effectiveConfig).overall;
    if (scanning.length) params.message = `Scanning ${scanning.map((f) => f.name).join(', ')}…`;
    return params;
  }
}
