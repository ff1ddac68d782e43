import type * as vscode from 'vscode';
import type { ReadinessResult } from '../server-api';

/**
 * How the readiness score is shown. `mlready.showReadiness` fetches the score and hands it to the
 * active view. Today that is a quick pick; issue 9's webview panel implements the same interface
 * (`createOrShow` on `show`, live `update`s from the session's events) and replaces it in
 * extension.ts without touching the command.
 */
export interface ReadinessView extends vscode.Disposable {
  show(result: ReadinessResult): Promise<void>;
}
