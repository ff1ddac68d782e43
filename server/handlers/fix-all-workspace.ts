import { FixAllWorkspaceRequest, type FixAllWorkspaceParams, type FixAllWorkspaceResult } from '../../common/protocol';
import type { ServerContext } from '../context';
import { fixAllText } from '../lint/fix-all-text';
import { toWorkspaceEdit } from '../lint/fix-edits';
import { fixAllEdits } from './code-actions';
import type { LocatedEdit } from '../lint/locate';
import { guardRequest } from '../safe';
import { selectFolders } from './scan-workspace';

/**
 * `mlready/fixAllWorkspace`: the safe fixes of every file as one WorkspaceEdit, for the client to
 * preview and apply. Open documents are linted from their buffers; closed files are read again
 * from the disk (their stored findings only tell which files have safe fixes).
 */
export function registerFixAllWorkspace(ctx: ServerContext): void {
  ctx.connection.onRequest(
    FixAllWorkspaceRequest.method,
    guardRequest(ctx.log, FixAllWorkspaceRequest.method, async (params: FixAllWorkspaceParams | undefined): Promise<FixAllWorkspaceResult> => {
      const edits: LocatedEdit[] = [];
      let fixes = 0;
      const add = (r: { edits: LocatedEdit[]; fixes: number }) => {
        edits.push(...r.edits);
        fixes += r.fixes;
      };
      for (const folder of selectFolders(ctx, params?.folderUri)) {
        for (const e of [...ctx.docs.allTexts(), ...ctx.docs.allNotebooks()]) {
          const fixed = e.folder === folder ? fixAllEdits(ctx, e.uri) : undefined;
          if (fixed) add(fixed);
        }
        for (const [path, findings] of [...folder.findings]) {
          if (ctx.docs.isOpen(folder, path) || !findings.some((f) => f.fixes.some((x) => x.applicability === 'safe'))) continue;
          const closed = await ctx.workspace.analyzeClosed(folder, path);
          if (!closed) continue;
          // to a fixed point, as for open documents; the edit is placed in the file's text as read
          const { edit: change, fixes: n } = fixAllText(closed.text, path, closed.kind, closed.findings, folder.lintOptions, folder.facts);
          if (change) add({ edits: [{ uri: folder.uriOf(path), ...change }], fixes: n });
        }
      }
      const edit = toWorkspaceEdit(edits, ctx.features.documentChanges, (uri) => ctx.docs.versionOf(uri));
      return { version: 1, edit, fixes, files: new Set(edits.map((e) => e.uri)).size };
    }),
  );
}
