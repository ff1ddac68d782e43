import { CATEGORIES, compareFindings, computeScore, SEVERITIES, type Category, type Finding } from '../../rules';
import { ReadinessRequest, type FileReadiness, type FolderReadiness, type ReadinessFinding, type ReadinessParams, type ReadinessResult } from '../../common/protocol';
import type { ServerContext } from '../context';
import { ruleDocUrl } from '../lint/diagnostics';
import { guardRequest } from '../safe';
import { countSeverities } from '../status';
import type { FolderIndex } from '../workspace-index';
import { selectFolders } from './scan-workspace';

const DEFAULT_TOP = 50;

/** `mlready/readiness`: the score, per-file counts and the top findings, for the readiness panel (issue 9). */
export function registerReadiness(ctx: ServerContext): void {
  ctx.connection.onRequest(
    ReadinessRequest.method,
    guardRequest(ctx.log, ReadinessRequest.method, (params: ReadinessParams | undefined): ReadinessResult => {
      const top = Math.max(0, Math.min(1000, params?.top ?? DEFAULT_TOP));
      return { version: 1, folders: selectFolders(ctx, params?.folderUri).map((f) => folderReadiness(ctx, f, top)) };
    }),
  );
}

function folderReadiness(ctx: ServerContext, folder: FolderIndex, top: number): FolderReadiness {
  const all = folder.allFindings();
  const files: FileReadiness[] = [];
  for (const [path, list] of folder.findings) {
    if (list.length === 0) continue;
    const open = ctx.docs.isOpen(folder, path);
    files.push({ path, uri: openUri(ctx, folder, path) ?? folder.uriOf(path), findings: list.length, byCategory: countCategories(list), bySeverity: countSeverities(list), open });
  }
  files.sort((a, b) => b.findings - a.findings || a.path.localeCompare(b.path));
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const ranked = [...all].sort((a, b) => rank(a) - rank(b) || compareFindings(a, b));
  return {
    folderUri: folder.uri!,
    name: folder.name,
    score: computeScore(all, folder.facts),
    bySeverity: countSeverities(all),
    byCategory: countCategories(all),
    files,
    topFindings: ranked.slice(0, top).map((f) => toReadinessFinding(ctx, folder, f)),
    projectFindings: folder.projectFindings.filter((f) => f.file === null).map((f) => toReadinessFinding(ctx, folder, f)),
    skipped: folder.skipped,
    scanned: folder.scanned,
    scanning: folder.scanning,
    ...(folder.scannedAt ? { scannedAt: folder.scannedAt.toISOString() } : {}),
  };
}

function countCategories(findings: Finding[]): Partial<Record<Category, number>> {
  const out: Partial<Record<Category, number>> = {};
  for (const f of findings) out[f.category] = (out[f.category] ?? 0) + 1;
  return Object.fromEntries(CATEGORIES.filter((c) => out[c]).map((c) => [c, out[c]]));
}

/** The URI the client uses for an open file (text or notebook), if it is open. */
function openUri(ctx: ServerContext, folder: FolderIndex, path: string): string | undefined {
  return ctx.docs.allTexts().find((e) => e.folder === folder && e.path === path)?.uri ?? ctx.docs.allNotebooks().find((e) => e.folder === folder && e.path === path)?.uri;
}

function toReadinessFinding(ctx: ServerContext, folder: FolderIndex, f: Finding): ReadinessFinding {
  const out: ReadinessFinding = {
    code: f.code,
    name: f.name,
    category: f.category,
    severity: f.severity,
    message: f.message,
    path: f.file,
    uri: f.file === null ? null : (openUri(ctx, folder, f.file) ?? folder.uriOf(f.file)),
    range: f.range,
    docUrl: ruleDocUrl(f, ctx.docsBaseUri),
  };
  if (f.cell !== undefined) {
    out.cell = f.cell;
    const nbEntry = f.file === null ? undefined : ctx.docs.allNotebooks().find((e) => e.folder === folder && e.path === f.file);
    const cell = nbEntry && ctx.docs.notebooks.getNotebookDocument(nbEntry.uri)?.cells[f.cell];
    if (cell) out.cellUri = cell.document;
  }
  return out;
}
