import type { FolderReadiness, ReadinessFinding } from '../server-api';
import { countsSummary } from '../status-text';
import { categoryLabel, plural, scoreBar } from '../text';

/**
 * Rows for a list presentation of one folder's readiness (the quick pick now; the tree view of
 * issue 9 can reuse them). Pure: no `vscode` import.
 */
export type ReadinessRow =
  | { kind: 'overall'; label: string; description: string; detail?: string }
  | { kind: 'category'; category: string; label: string; description: string; detail?: string }
  | { kind: 'finding'; finding: ReadinessFinding; label: string; description: string; detail?: string };

const SEVERITY_ICON: Record<string, string> = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(lightbulb)' };

/** Overall first, then categories from weakest to strongest, then the top findings: what to work on comes first. */
export function readinessRows(folder: FolderReadiness, maxFindings = 10): ReadinessRow[] {
  const { score } = folder;
  const state = folder.scanning ? 'scanning…' : folder.scanned ? '' : 'open files only (workspace not scanned yet)';
  const rows: ReadinessRow[] = [
    {
      kind: 'overall',
      label: `Overall readiness ${score.overall}/100`,
      description: scoreBar(score.overall),
      detail: [countsSummary(folder.bySeverity), state].filter(Boolean).join(' · ') || undefined,
    },
  ];
  const lost = pointsLostByCategory(folder);
  for (const [category, value] of Object.entries(score.categories).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))) {
    const top = lost.get(category);
    rows.push({
      kind: 'category',
      category,
      label: categoryLabel(category),
      description: `${value}/100  ${scoreBar(value)}`,
      detail: top?.length ? `Most points lost to ${top.map(([code, pts]) => `${code} (−${formatPoints(pts)})`).join(', ')}` : undefined,
    });
  }
  for (const finding of [...folder.projectFindings, ...folder.topFindings].slice(0, maxFindings)) rows.push(findingRow(finding));
  return rows;
}

export function findingRow(f: ReadinessFinding): ReadinessRow {
  const where = f.path === null ? 'project' : `${f.path}${f.cell !== undefined ? ` cell ${f.cell + 1}` : ''}:${f.range.start.line + 1}`;
  return {
    kind: 'finding',
    finding: f,
    label: `${SEVERITY_ICON[f.severity] ?? ''} ${f.code} ${f.message}`.trim(),
    description: where,
    detail: `${categoryLabel(f.category)} · ${f.name}`,
  };
}

/** Short folder line for a multi-root picker. */
export function folderSummary(folder: FolderReadiness): string {
  return `${folder.name}: ${folder.score.overall}/100 · ${plural(folder.files.length, 'file')} with findings`;
}

function formatPoints(points: number): string {
  return points >= 10 ? String(Math.round(points)) : points.toFixed(1).replace(/\.0$/, '');
}

/** The three rule codes that cost each category the most points. */
function pointsLostByCategory(folder: FolderReadiness): Map<string, [string, number][]> {
  const byCategory = new Map<string, Map<string, number>>();
  for (const d of folder.score.deductions ?? []) {
    const m = byCategory.get(d.category) ?? new Map<string, number>();
    m.set(d.code, (m.get(d.code) ?? 0) + d.points);
    byCategory.set(d.category, m);
  }
  const out = new Map<string, [string, number][]>();
  for (const [category, m] of byCategory) out.set(category, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3));
  return out;
}
