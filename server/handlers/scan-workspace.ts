import { computeScore } from '../../rules';
import { ScanWorkspaceRequest, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../common/protocol';
import type { ServerContext } from '../context';
import { guardRequest } from '../safe';
import { countSeverities } from '../status';
import type { FolderIndex } from '../workspace-index';

/** `mlready/scanWorkspace`: a full scan now (even when automatic scans are off), with counts and score. */
export function registerScanWorkspace(ctx: ServerContext): void {
  ctx.connection.onRequest(
    ScanWorkspaceRequest.method,
    guardRequest(ctx.log, ScanWorkspaceRequest.method, async (params: ScanWorkspaceParams | undefined): Promise<ScanWorkspaceResult> => {
      const folders = selectFolders(ctx, params?.folderUri);
      await Promise.all(folders.map((f) => ctx.workspace.scan(f, true)));
      return {
        version: 1,
        folders: folders.map((f) => {
          const findings = f.allFindings();
          const last = ctx.workspace.lastScan.get(f);
          return {
            folderUri: f.uri!,
            scanned: last?.scanned ?? 0,
            skipped: last?.skipped ?? 0,
            findings: findings.length,
            bySeverity: countSeverities(findings),
            score: computeScore(findings, f.facts, f.effectiveConfig).overall,
            durationMs: Math.round(last?.durationMs ?? 0),
          };
        }),
      };
    }),
  );
}

export function selectFolders(ctx: ServerContext, folderUri: string | undefined): FolderIndex[] {
  if (!folderUri) return [...ctx.index.folders];
  const folder = ctx.index.folderByUri(folderUri);
  return folder ? [folder] : [];
}
