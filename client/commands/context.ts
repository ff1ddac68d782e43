import type * as vscode from 'vscode';
import type { ReadinessView } from '../readiness/view';
import type { ServerSession } from '../server-session';
import type { ReadinessStatusBar } from '../status';

/** What the commands need; built once in extension.ts. */
export interface CommandServices {
  session: ServerSession;
  status: ReadinessStatusBar;
  /** The view `mlready.showReadiness` shows the score in (swappable: quick pick now, panel later). */
  readinessView: ReadinessView;
  /** Root of the installed extension, where docs/rules/ is shipped. */
  extensionUri: vscode.Uri;
}
