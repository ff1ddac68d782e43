/**
 * mlready language server: `node dist/server.js --stdio`. Wires the handlers (one per file in
 * handlers/) to the shared context; the engine in rules/ does the analysis.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { initPython } from '../rules';
import { ServerContext } from './context';
import { DocumentLinter } from './document-linter';
import { registerCodeActions } from './handlers/code-actions';
import { registerConfiguration, registerWorkspaceFolders } from './handlers/configuration';
import { registerFixAllWorkspace } from './handlers/fix-all-workspace';
import { registerInitialize } from './handlers/initialize';
import { registerLifecycle } from './handlers/lifecycle';
import { registerNotebookSync } from './handlers/notebook-sync';
import { registerReadiness } from './handlers/readiness';
import { registerScanWorkspace } from './handlers/scan-workspace';
import { registerTextSync } from './handlers/text-sync';
import { registerWatchedFiles } from './handlers/watched-files';
import { StatusReporter } from './status';
import { WorkspaceService } from './workspace-service';

// the grammar starts loading now, while the client is still sending `initialize` (which awaits it);
// a failure here is reported by that request
initPython().catch(() => undefined);

const connection = createConnection(ProposedFeatures.all);
const ctx = new ServerContext(connection);
ctx.linter = new DocumentLinter(ctx);
ctx.workspace = new WorkspaceService(ctx);
ctx.status = new StatusReporter(ctx);

registerInitialize(ctx);
registerTextSync(ctx);
registerNotebookSync(ctx);
registerCodeActions(ctx);
registerConfiguration(ctx);
registerWatchedFiles(ctx);
registerScanWorkspace(ctx);
registerReadiness(ctx);
registerFixAllWorkspace(ctx);
registerLifecycle(ctx);
void ctx.initialized.then(() => registerWorkspaceFolders(ctx));

ctx.docs.texts.listen(connection);
ctx.docs.notebooks.listen(connection);

// a bug that escapes every handler guard must not take the editor's linter down with it
process.on('uncaughtException', (e) => ctx.log.failure('uncaught exception', e));
process.on('unhandledRejection', (e) => ctx.log.failure('unhandled rejection', e));

connection.listen();
