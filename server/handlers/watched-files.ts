import { FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAMES } from '../../rules';
import type { ServerContext } from '../context';
import { guardNotification } from '../safe';
import { baseNameOf } from '../uri';
import type { FolderIndex } from '../workspace-index';

/**
 * Files changed on disk (created, changed, deleted), possibly by another tool or a git checkout.
 * Each file's facts and diagnostics are updated on its own; a change of mlready.yaml reloads the
 * config (its problems become G001 diagnostics on it) and rescans the folder.
 */
export function registerWatchedFiles(ctx: ServerContext): void {
  ctx.connection.onDidChangeWatchedFiles(
    guardNotification(ctx.log, 'didChangeWatchedFiles', async (params: DidChangeWatchedFilesParams) => {
      const configChanged = new Set<FolderIndex>();
      for (const change of params.changes) {
        const { folder, path } = ctx.index.locate(change.uri, baseNameOf(change.uri));
        if (folder.isLoose) continue;
        if (CONFIG_FILE_NAMES.includes(path)) {
          configChanged.add(folder);
          continue;
        }
        try {
          await ctx.workspace.fileChanged(folder, path, change.type === FileChangeType.Deleted);
        } catch (e) {
          ctx.log.failure('didChangeWatchedFiles', e, path);
        }
      }
      for (const folder of configChanged) ctx.workspace.configChanged(folder);
    }),
  );
}
