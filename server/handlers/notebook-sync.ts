import type { ServerContext } from '../context';
import { guardNotification } from '../safe';

/**
 * Notebook documents (LSP 3.17): the notebook is linted as one program whenever a cell is added,
 * moved, removed or edited; diagnostics go to each cell's URI and removed cells are cleared.
 */
export function registerNotebookSync(ctx: ServerContext): void {
  const { docs, log } = ctx;
  docs.notebooks.onDidOpen(
    guardNotification(log, 'notebookDocument/didOpen', (nb) => {
      const entry = docs.openNotebook(nb);
      // the .ipynb file's own diagnostics (from the scan, in JSON positions) would duplicate the cells'
      if (!entry.folder.isLoose) {
        const fileUri = entry.folder.uriOf(entry.path);
        if (entry.folder.publishedClosed.delete(fileUri)) ctx.connection.sendDiagnostics({ uri: fileUri, diagnostics: [] });
      }
      void ctx.linter.request(nb.uri, true);
    }),
  );
  docs.notebooks.onDidChange(
    guardNotification(log, 'notebookDocument/didChange', (event) => {
      const entry = docs.notebook(event.notebookDocument.uri);
      if (!entry?.linted) return;
      entry.afterScan = false;
      void ctx.linter.request(entry.uri);
    }),
  );
  docs.notebooks.onDidClose(
    guardNotification(log, 'notebookDocument/didClose', (nb) => {
      const entry = docs.closeNotebook(nb.uri);
      if (!entry) return;
      ctx.linter.cancel(nb.uri);
      ctx.linter.clearNotebook(entry);
      void ctx.workspace.documentClosed(entry.folder, entry.path, nb.uri).catch((e) => log.failure('notebookDocument/didClose', e, entry.path));
    }),
  );
}
