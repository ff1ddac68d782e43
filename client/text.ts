/** Small wording helpers shared by the status bar, the commands and the readiness view. */

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A ten-cell bar for a 0–100 score, for places that cannot draw (quick pick, tooltip). */
export function scoreBar(score: number, cells = 10): string {
  const filled = Math.max(0, Math.min(cells, Math.round((score / 100) * cells)));
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

export function fixAllConfirmation(fixes: number, files: number): string {
  return `Apply ${plural(fixes, 'safe fix', 'safe fixes')} in ${plural(files, 'file')}?`;
}

export function fixAllDone(fixes: number, files: number): string {
  return `mlready applied ${plural(fixes, 'safe fix', 'safe fixes')} in ${plural(files, 'file')}.`;
}

/** One sentence for the end of a workspace scan, over all folders. */
export function scanSummary(folders: readonly { scanned: number; skipped: number; findings: number; score: number }[]): string {
  if (folders.length === 0) return 'no workspace folder to scan.';
  const sum = (k: 'scanned' | 'skipped' | 'findings') => folders.reduce((n, f) => n + (f[k] ?? 0), 0);
  const skipped = sum('skipped');
  const score = folders.length === 1 ? `readiness ${Math.round(folders[0].score)}/100` : `readiness ${folders.map((f) => Math.round(f.score)).join(' / ')}`;
  return `scanned ${plural(sum('scanned'), 'file')}, ${plural(sum('findings'), 'finding')}${skipped ? `, ${skipped} skipped` : ''}; ${score}.`;
}
