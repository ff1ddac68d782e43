import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverEnvironment } from '../common/server-process';
import { CLIENT_ID, CLIENT_NAME, CONFIG_SECTION } from './command-ids';
import { CONFIG_FILE_GLOB, DOCUMENT_SELECTOR } from './document-selector';
import type { ProtocolInitializationOptions } from './server-api';

/**
 * What the server receives in `initialize`: the protocol's options (docsBaseUri: the shipped
 * docs/rules/ folder, ending in `/`, so doc links work offline) plus Workspace Trust at start, for
 * the server to honour once it has anything trust-sensitive (the client restarts it on a grant).
 */
export type ClientInitializationOptions = Required<ProtocolInitializationOptions> & { trusted: boolean };

export function initializationOptions(extensionUri: vscode.Uri): ClientInitializationOptions {
  const docs = vscode.Uri.joinPath(extensionUri, 'docs', 'rules').toString();
  return { docsBaseUri: docs.endsWith('/') ? docs : `${docs}/`, trusted: vscode.workspace.isTrusted };
}

/**
 * The language client for the bundled server (dist/server.js, next to this bundle), over Node IPC.
 * In a debug session the server listens for an inspector on port 6011.
 */
export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // the server keeps its V8 code cache in the extension's own storage (common/code-cache.ts)
  const env = serverEnvironment(process.env, vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const configWatcher = vscode.workspace.createFileSystemWatcher(CONFIG_FILE_GLOB);
  context.subscriptions.push(configWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // a function: re-evaluated on every (re)start, so a restart after trust is granted reports it
    initializationOptions: () => initializationOptions(context.extensionUri),
    synchronize: {
      // the server also pulls settings per document (workspace/configuration); this announces changes
      configurationSection: CONFIG_SECTION,
      fileEvents: configWatcher,
    },
    diagnosticCollectionName: CLIENT_ID,
    // the status bar and commands report failures; avoid a second popup for each one
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
