import type { Connection } from 'vscode-languageserver/node';
import { defaultRegistry, type Registry } from '../rules';
import type { DocumentLinter } from './document-linter';
import { Log } from './log';
import { OpenDocuments } from './open-documents';
import { SettingsCache } from './settings';
import type { StatusReporter } from './status';
import { WorkspaceIndex } from './workspace-index';
import type { WorkspaceService } from './workspace-service';

/** What the client can do, read once from `initialize`. */
export interface ClientFeatures {
  configurationPull: boolean;
  configurationDynamic: boolean;
  watchedFilesDynamic: boolean;
  workspaceFolders: boolean;
  documentChanges: boolean;
  /** Workspace edits may create files (documentChanges with the `create` resource operation). */
  createFiles: boolean;
  /** Code actions may come without an edit and be completed by `codeAction/resolve`. */
  codeActionResolve: boolean;
}

/**
 * The server's state, in one place so handlers (one per file) receive it explicitly. Settings are
 * not here: they are pulled per document/folder and only cached (see settings.ts).
 */
export class ServerContext {
  readonly log: Log;
  readonly settings: SettingsCache;
  readonly registry: Registry = defaultRegistry();
  readonly index = new WorkspaceIndex(this.registry);
  readonly docs = new OpenDocuments(this.index);
  features: ClientFeatures = { configurationPull: false, configurationDynamic: false, watchedFilesDynamic: false, workspaceFolders: false, documentChanges: false, createFiles: false, codeActionResolve: false };
  /** File URI of the extension's rule docs folder, from initializationOptions. */
  docsBaseUri?: string;
  shuttingDown = false;
  /** Resolves on the client's `initialized`: the server may send requests to the client only after it. */
  readonly initialized: Promise<void>;
  markInitialized!: () => void;
  // services, wired in server.ts (they refer to each other through the context)
  linter!: DocumentLinter;
  workspace!: WorkspaceService;
  status!: StatusReporter;
  /** Told whenever findings or facts may have changed (set by handlers/readiness.ts). */
  readiness?: { changed(): void };

  constructor(readonly connection: Connection) {
    this.log = new Log(connection);
    this.initialized = new Promise((resolve) => (this.markInitialized = resolve));
    this.settings = new SettingsCache(connection, () => this.features.configurationPull, this.initialized);
  }
}
