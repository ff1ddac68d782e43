import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  FixAllWorkspaceRequest,
  ReadinessChangedNotification,
  ReadinessRequest,
  ScanWorkspaceRequest,
  StatusNotification,
  type FixAllWorkspaceParams,
  type FixAllWorkspaceResult,
  type ReadinessChangedParams,
  type ReadinessParams,
  type ReadinessResult,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type StatusParams,
} from './server-api';

export type ServerState = 'starting' | 'running' | 'stopped';

/** The workspace's safe fixes converted to a VS Code edit, with the server's counts. */
export interface WorkspaceFixPlan {
  edit: vscode.WorkspaceEdit;
  fixes: number;
  files: number;
}

/**
 * The one object commands, the status bar and (issue 9) the readiness panel talk to. It owns the
 * LanguageClient's lifecycle, gives the custom requests types, and re-broadcasts server status as
 * VS Code events so any number of views can follow it.
 */
export class ServerSession implements vscode.Disposable {
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly readinessEmitter = new vscode.EventEmitter<ReadinessResult>();
  private readonly readinessChangedEmitter = new vscode.EventEmitter<ReadinessChangedParams>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Server `mlready/status` notifications. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Client process state. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Every readiness result fetched by anyone, so all views show the same numbers. */
  readonly onDidFetchReadiness = this.readinessEmitter.event;
  /** Server `mlready/readinessChanged` notifications: findings changed, views re-ask `mlready/readiness`. */
  readonly onDidChangeReadiness = this.readinessChangedEmitter.event;

  constructor(readonly client: LanguageClient) {
    this.disposables.push(
      this.statusEmitter,
      this.stateEmitter,
      this.readinessEmitter,
      this.readinessChangedEmitter,
      client.onNotification(ReadinessChangedNotification.method, (params: ReadinessChangedParams) => {
        this.readinessChangedEmitter.fire(params && typeof params === 'object' ? params : { version: 1, folderUris: [] });
      }),
      // registered once: vscode-languageclient re-installs handlers after a restart
      client.onNotification(StatusNotification.method, (params: StatusParams) => {
        if (params && typeof params === 'object') this.statusEmitter.fire(params);
      }),
      client.onDidChangeState((e) => this.stateEmitter.fire(toServerState(e.newState))),
    );
  }

  get state(): ServerState {
    return toServerState(this.client.state);
  }

  get outputChannel(): vscode.OutputChannel {
    return this.client.outputChannel;
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async restart(): Promise<void> {
    if (this.client.isRunning()) await this.client.stop();
    await this.client.start();
  }

  async scanWorkspace(params: ScanWorkspaceParams = {}, token?: vscode.CancellationToken): Promise<ScanWorkspaceResult> {
    const result = await this.client.sendRequest<ScanWorkspaceResult | null>(ScanWorkspaceRequest.method, params, token);
    return { version: 1, folders: Array.isArray(result?.folders) ? result.folders : [] };
  }

  async readiness(params: ReadinessParams = {}, token?: vscode.CancellationToken): Promise<ReadinessResult> {
    const raw = await this.client.sendRequest<ReadinessResult | null>(ReadinessRequest.method, params, token);
    const result: ReadinessResult = { version: 1, folders: Array.isArray(raw?.folders) ? raw.folders : [] };
    this.readinessEmitter.fire(result);
    return result;
  }

  /** Asks for the workspace's safe fixes as one edit; the server does not apply them. */
  async fixAllWorkspace(params: FixAllWorkspaceParams = {}, token?: vscode.CancellationToken): Promise<WorkspaceFixPlan | undefined> {
    const raw = await this.client.sendRequest<FixAllWorkspaceResult | null>(FixAllWorkspaceRequest.method, params, token);
    if (!raw?.edit) return undefined;
    const edit = await this.client.protocol2CodeConverter.asWorkspaceEdit(raw.edit, token);
    const entries = edit.entries();
    return {
      edit,
      fixes: typeof raw.fixes === 'number' ? raw.fixes : entries.reduce((n, [, edits]) => n + edits.length, 0),
      files: typeof raw.files === 'number' ? raw.files : entries.length,
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toServerState(state: State): ServerState {
  return state === State.Running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
}

/** A message for a failed request that does not dump a stack trace into a notification. */
export function requestErrorMessage(what: string, error: unknown): string {
  const code = (error as { code?: number } | null)?.code;
  // -32601 MethodNotFound: a server older than this client
  if (code === -32601) return `mlready: the server does not support ${what} yet.`;
  const message = error instanceof Error ? error.message : String(error);
  return `mlready: ${what} failed: ${message}`;
}

/** True for errors that mean "the user or VS Code cancelled", which deserve no message. */
export function isCancellation(error: unknown): boolean {
  const code = (error as { code?: number } | null)?.code;
  return code === -32800 /* RequestCancelled */ || error instanceof vscode.CancellationError;
}
