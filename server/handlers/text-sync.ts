import { CONFIG_FILE_NAMES } from '../../rules';
import type { ServerContext } from '../context';
import { guardNotification } from '../safe';

/** Text documents (incremental sync): lint on open at once, on change after the debounce, and hand back to the disk on close. */
export function registerTextSync(ctx: ServerContext): void {
  const { docs, log } = ctx;
  docs.texts.onDidOpen(
    guardNotification(log, 'didOpen', ({ document }) => {
      const entry = docs.openText(document);
      if (!entry) return;
      // diagnostics published for the file while it was closed are replaced by the buffer's
      if (!entry.folder.isLoose) entry.folder.publishedClosed.delete(entry.folder.uriOf(entry.path));
      void ctx.linter.request(document.uri, true);
    }),
  );
  docs.texts.onDidChangeContent(
    guardNotification(log, 'didChange', ({ document }) => {
      const entry = docs.text(document.uri);
      // the open event already asked for the first lint, which reads the newest text
      if (!entry || !entry.linted) return;
      entry.afterScan = false;
      void ctx.linter.request(document.uri);
      if (!entry.folder.isLoose && CONFIG_FILE_NAMES.includes(entry.path)) ctx.workspace.configChanged(entry.folder);
    }),
  );
  docs.texts.onDidClose(
    guardNotification(log, 'didClose', ({ document }) => {
      const entry = docs.closeText(document.uri);
      if (!entry) return;
      ctx.linter.cancel(document.uri);
      void ctx.workspace.documentClosed(entry.folder, entry.path, document.uri).catch((e) => log.failure('didClose', e, entry.path));
      // unsaved edits of the config are gone with its buffer
      if (!entry.folder.isLoose && CONFIG_FILE_NAMES.includes(entry.path)) ctx.workspace.configChanged(entry.folder);
    }),
  );
}
