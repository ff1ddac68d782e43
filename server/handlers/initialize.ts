import { CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { FIX_ALL_KIND, type MlreadyInitializationOptions } from '../../common/protocol';
import { initPython } from '../../rules';
import type { ServerContext } from '../context';
import { guardNotification } from '../safe';
import { baseNameOf } from '../uri';

/** Files whose changes on disk matter: the kinds mlready analyses, and the config. */
export const WATCHED_GLOBS = ['**/*.{py,pyw,ipynb,yaml,yml,txt,in,toml}', '**/{MLproject,Dockerfile,Containerfile,*.dockerfile,.env,.env.*}', '**/.mlready.{yaml,yml}'];

export function registerInitialize(ctx: ServerContext): void {
  const { connection, log } = ctx;
  connection.onInitialize(async (params: InitializeParams) => {
    try {
      return await initialize(ctx, params);
    } catch (e) {
      // the client shows the failed start; the log says where
      log.failure('initialize', e);
      throw e;
    }
  });
  connection.onInitialized(guardNotification(log, 'initialized', () => initialized(ctx)));
}

async function initialize(ctx: ServerContext, params: InitializeParams): Promise<InitializeResult> {
  const ws = params.capabilities.workspace;
  ctx.features = {
    configurationPull: !!ws?.configuration,
    configurationDynamic: !!ws?.didChangeConfiguration?.dynamicRegistration,
    watchedFilesDynamic: !!ws?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!ws?.workspaceFolders,
    documentChanges: !!ws?.workspaceEdit?.documentChanges,
    createFiles: !!ws?.workspaceEdit?.documentChanges && !!ws.workspaceEdit.resourceOperations?.includes('create'),
    codeActionResolve: !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit'),
  };
  const options = (params.initializationOptions ?? {}) as MlreadyInitializationOptions;
  if (typeof options.docsBaseUri === 'string' && options.docsBaseUri) ctx.docsBaseUri = options.docsBaseUri;
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: baseNameOf(params.rootUri) }] : []);
  for (const f of folders) ctx.workspace.addFolder(f.uri, f.name);
  // the grammar loads once, before the first document arrives
  await initPython();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      notebookDocumentSync: {
        // markdown cells are synced too: notebook rules read them (title cell) and cell indexes then match the notebook
        notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }, { language: 'markdown' }] }],
      },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'mlready' },
  };
}

async function initialized(ctx: ServerContext): Promise<void> {
  const { connection, features } = ctx;
  ctx.markInitialized();
  if (features.watchedFilesDynamic) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
  }
  if (features.configurationDynamic) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'mlready' });
  for (const folder of ctx.index.folders) {
    await folder.configReady;
    void ctx.workspace.scan(folder);
  }
}
