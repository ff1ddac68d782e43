import { CATEGORIES, compareFindings, computeScore, SEVERITIES, type Category, type Finding, type PracticeLocation } from '../../rules';
import {
  ReadinessChangedNotification,
  ReadinessRequest,
  type FileReadiness,
  type FolderReadiness,
  type ReadinessChangedParams,
  type ReadinessFinding,
  type ReadinessLocation,
  type ReadinessParams,
  type ReadinessResult,
} from '../../common/protocol';
import type { ServerContext } from '../context';
import { ruleDocUrl } from '../lint/diagnostics';
import { guardRequest } from '../safe';
import { countSeverities } from '../status';
import type { FolderIndex } from '../workspace-index';
import { selectFolders } from './scan-workspace';

const DEFAULT_TOP = 50;
const DEFAULT_MAX_FINDINGS = 5000;
const MAX_GAPS = 20;
/** Delay between a change of findings and the `mlready/readinessChanged` notification. */
export const READINESS_DEBOUNCE_MS = 300;

/** `mlready/readiness`: the score and its explanation, per-file counts and the findings, for the readiness panel (issue 9). */
export function registerReadiness(ctx: ServerContext): void {
  ctx.readiness = new ReadinessNotifier(ctx);
  ctx.connection.onRequest(
    ReadinessRequest.method,
    guardRequest(ctx.log, ReadinessRequest.method, (params: ReadinessParams | undefined): ReadinessResult => {
      const top = bounded(params?.top, DEFAULT_TOP, 1000);
      const maxFindings = bounded(params?.maxFindings, DEFAULT_MAX_FINDINGS, 20000);
      return { version: 1, folders: selectFolders(ctx, params?.folderUri).map((f) => folderReadiness(ctx, f, top, maxFindings)) };
    }),
  );
}

function bounded(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(max, Math.floor(value))) : fallback;
}

/**
 * Sends `mlready/readinessChanged` (debounced) when the findings of a folder change: the server
 * re-lints an edited or saved document itself, so the panel only re-asks for the (cheap) summary,
 * never for a workspace scan. A fingerprint of the findings avoids notifying when a re-lint
 * changed nothing.
 */
export class ReadinessNotifier {
  private timer?: NodeJS.Timeout;
  private last = new Map<string, string>();

  constructor(private readonly ctx: ServerContext) {}

  changed(): void {
    if (this.ctx.shuttingDown) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, READINESS_DEBOUNCE_MS);
  }

  private send(): void {
    if (this.ctx.shuttingDown) return;
    const changed: string[] = [];
    for (const folder of this.ctx.index.folders) {
      const key = fingerprint(folder);
      if (this.last.get(folder.uri!) === key) continue;
      this.last.set(folder.uri!, key);
      changed.push(folder.uri!);
    }
    if (changed.length === 0) return;
    const params: ReadinessChangedParams = { version: 1, folderUris: changed };
    void this.ctx.connection.sendNotification(ReadinessChangedNotification.method, params).catch(() => undefined);
  }
}

function fingerprint(folder: FolderIndex): string {
  let h = 2166136261;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  };
  for (const f of folder.allFindings()) mix(`${f.code}|${f.file}|${f.cell ?? ''}|${f.range.start.line}|${f.range.start.character}|${f.severity}|${f.message.length};`);
  mix(`${folder.facts.files.size}|${folder.facts.totalLines}|${folder.scanning}|${folder.scanned}|${folder.effectiveConfig.stage}`);
  return `${h >>> 0}`;
}

function folderReadiness(ctx: ServerContext, folder: FolderIndex, top: number, maxFindings: number): FolderReadiness {
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
  const config = folder.effectiveConfig;
  const score = computeScore(all, folder.facts, config);
  const locate = (l: PracticeLocation): ReadinessLocation => {
    const out: ReadinessLocation = { path: l.file, uri: openUri(ctx, folder, l.file) ?? folder.uriOf(l.file) };
    if (l.cell !== undefined) {
      out.cell = l.cell;
      const cellUri = cellUriOf(ctx, folder, l.file, l.cell);
      if (cellUri) out.cellUri = cellUri;
    }
    if (l.range) out.range = l.range;
    return out;
  };
  const docUrl = (url: string | undefined) => {
    const m = url ? /([A-Z]\d{3})-([a-z0-9-]+)\.md$/.exec(url) : null;
    return m ? ruleDocUrl({ code: m[1], name: m[2], docUrl: url! }, ctx.docsBaseUri) : url;
  };
  const sorted = [...all].sort(compareFindings);
  return {
    folderUri: folder.uri!,
    name: folder.name,
    stage: config.stage,
    score: {
      overall: score.overall,
      categories: score.categories,
      deductions: score.deductions,
      stage: score.stage,
      size: score.size,
      practices: score.practices.map((p) => ({ ...p, docUrl: docUrl(p.docUrl), locations: p.locations.map(locate) })),
      details: score.details,
      overallLosses: score.overallLosses,
      mlTestScore: score.mlTestScore,
    },
    gaps: score.gaps.slice(0, MAX_GAPS).map((g) => ({ ...g, docUrl: docUrl(g.docUrl), locations: g.locations.map(locate) })),
    bySeverity: countSeverities(all),
    byCategory: countCategories(all),
    files,
    topFindings: ranked.slice(0, top).map((f) => toReadinessFinding(ctx, folder, f)),
    projectFindings: folder.projectFindings.filter((f) => f.file === null).map((f) => toReadinessFinding(ctx, folder, f)),
    ...(maxFindings > 0 ? { findings: sorted.slice(0, maxFindings).map((f) => toReadinessFinding(ctx, folder, f)), findingsTruncated: sorted.length > maxFindings } : {}),
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

function cellUriOf(ctx: ServerContext, folder: FolderIndex, path: string, cell: number): string | undefined {
  const nbEntry = ctx.docs.allNotebooks().find((e) => e.folder === folder && e.path === path);
  return (nbEntry && ctx.docs.notebooks.getNotebookDocument(nbEntry.uri)?.cells[cell]?.document) || undefined;
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
    const cellUri = f.file === null ? undefined : cellUriOf(ctx, folder, f.file, f.cell);
    if (cellUri) out.cellUri = cellUri;
  }
  return out;
}
