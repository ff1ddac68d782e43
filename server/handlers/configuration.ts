import type { DidChangeConfigurationParams, WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import type { ServerContext } from '../context';
import { guardNotification } from '../safe';

/** Settings changed: forget the cached ones, re-lint open documents and rescan with the new values. */
export function registerConfiguration(ctx: ServerContext): void {
  ctx.connection.onDidChangeConfiguration(
    guardNotification(ctx.log, 'didChangeConfiguration', (params: DidChangeConfigurationParams) => {
      ctx.settings.reset(params.settings);
      for (const folder of ctx.index.folders) {
        folder.configReady = ctx.workspace.reloadConfig(folder);
        void ctx.workspace.scan(folder);
      }
      ctx.linter.relintFolder(undefined);
    }),
  );
}

/** Workspace folders added or removed (multi-root workspaces). Registered once the client is initialized. */
export function registerWorkspaceFolders(ctx: ServerContext): void {
  if (!ctx.features.workspaceFolders) return;
  ctx.connection.workspace.onDidChangeWorkspaceFolders(
    guardNotification(ctx.log, 'didChangeWorkspaceFolders', (event: WorkspaceFoldersChangeEvent) => {
      for (const f of event.removed) ctx.workspace.removeFolder(f.uri);
      for (const f of event.added) {
        const folder = ctx.workspace.addFolder(f.uri, f.name);
        if (folder) void folder.configReady.then(() => ctx.workspace.scan(folder));
      }
      ctx.linter.relintFolder(undefined);
    }),
  );
}
