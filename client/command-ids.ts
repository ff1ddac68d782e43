/**
 * Every identifier the extension shares with package.json and the server, in one place so the
 * manifest test can check that each is contributed. No `vscode` import: unit tests load this.
 */
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../common/protocol';

export const Commands = {
  scanWorkspace: 'mlready.scanWorkspace',
  fixAll: 'mlready.fixAll',
  fixAllWorkspace: 'mlready.fixAllWorkspace',
  // the server's "Show documentation" code actions run this one
  showRuleDocs: SHOW_RULE_DOCS_COMMAND,
  showReadiness: 'mlready.showReadiness',
  restartServer: 'mlready.restartServer',
  showOutput: 'mlready.showOutput',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The configuration section synchronised with the server (`mlready.*`). */
export const CONFIG_SECTION = 'mlready';

/** The code action kind the server uses for "apply all safe fixes in this document". */
export { FIX_ALL_KIND };

/** Client id: also the prefix of the `mlready.trace.server` setting read by vscode-languageclient. */
export const CLIENT_ID = 'mlready';
export const CLIENT_NAME = 'mlready';
