import type { FolderReadiness, ReadinessFinding } from '../server-api';
import { CATEGORY_LABELS } from '../../common/category-labels';
import { CATEGORY_ORDER } from '../panel/render';

/** One node of the readiness tree; pure (no `vscode`), so it is unit-tested. */
export interface TreeNode {
  id: string;
  kind: 'folder' | 'category' | 'file' | 'finding' | 'empty';
  label: string;
  description?: string;
  tooltip?: string;
  accessibleLabel?: string;
  icon: string;
  expanded?: boolean;
  resourceUri?: string;
  finding?: ReadinessFinding;
  children?: TreeNode[];
}

const SEVERITY_ICON: Record<string, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'lightbulb' };

/** Readiness (per folder) → category (weakest first) → file → finding. */
export function readinessTreeModel(folders: FolderReadiness[]): TreeNode[] {
  if (!folders.length) return [{ id: 'empty', kind: 'empty', label: 'No readiness score yet', description: 'run Show ML Readiness', icon: 'info' }];
  return folders.map((folder) => {
    const findings = folder.findings ?? [...folder.projectFindings, ...folder.topFindings];
    const categories = [...CATEGORY_ORDER].filter((c) => typeof folder.score.categories[c] === 'number').sort((a, b) => folder.score.categories[a] - folder.score.categories[b]);
    const children: TreeNode[] = categories.map((c) => {
      const mine = findings.filter((f) => f.category === c);
      const byFile = new Map<string, ReadinessFinding[]>();
      for (const f of mine) {
        const k = f.path ?? '(project)';
        byFile.set(k, [...(byFile.get(k) ?? []), f]);
      }
      const files: TreeNode[] = [...byFile].map(([path, list]) => ({
        id: `${folder.folderUri}|${c}|${path}`,
        kind: 'file',
        label: path,
        description: `${list.length}`,
        icon: path === '(project)' ? 'project' : 'file',
        resourceUri: list[0].uri ?? undefined,
        children: list.map((f, i) => ({
          id: `${folder.folderUri}|${c}|${path}|${i}|${f.code}|${f.range.start.line}`,
          kind: 'finding',
          label: `${f.code} ${f.message}`,
          description: f.path === null ? 'project' : `${f.cell !== undefined ? `cell ${f.cell + 1} ` : ''}line ${f.range.start.line + 1}`,
          tooltip: `${f.severity}: ${f.message}`,
          accessibleLabel: `${f.severity} ${f.code} ${f.message}`,
          icon: SEVERITY_ICON[f.severity] ?? 'circle-outline',
          finding: f.uri ? f : undefined,
        })),
      }));
      const score = folder.score.categories[c];
      return {
        id: `${folder.folderUri}|${c}`,
        kind: 'category',
        label: CATEGORY_LABELS[c],
        description: `${score}/100 · ${mine.length} finding${mine.length === 1 ? '' : 's'}`,
        accessibleLabel: `${CATEGORY_LABELS[c]} ${score} of 100, ${mine.length} findings`,
        icon: score >= 80 ? 'pass' : score >= 50 ? 'warning' : 'error',
        children: files.length ? files : undefined,
      };
    });
    return {
      id: folder.folderUri,
      kind: 'folder',
      label: `Readiness ${folder.score.overall}/100`,
      description: folder.name,
      accessibleLabel: `${folder.name} readiness ${folder.score.overall} of 100`,
      icon: 'checklist',
      expanded: true,
      children,
    };
  });
}
