import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { existingText, diskSampleReader } from '../../common/workspace-files-io';
import { planFileCreation, resolveFix, type Fix } from '../../rules';
import type { FolderIndex } from '../workspace-index';
import type { LocatedFix } from './analyze';
import { toWorkspaceEdit } from './fix-edits';

/**
 * Quick fixes that add files (a generated data contract) as LSP workspace edits: create each new
 * file, insert its content, then edit the documents. The content is completed from a bounded
 * sample of the data only when the user picks the action (`codeAction/resolve`), not each time
 * the light bulb is shown. A file that exists with other content is never replaced: such a fix is
 * not offered, and if the file appeared in between, the resolved action carries no edit.
 */

export function createsFiles(fix: LocatedFix): boolean {
  return (fix.createFiles?.length ?? 0) > 0 || fix.resolve !== undefined;
}

/** Current text of a workspace file: the editor's buffer when open, else the disk. */
export type TextOf = (relPath: string) => string | undefined;

export function folderTextOf(folder: FolderIndex, buffer: (path: string) => string | undefined): TextOf {
  return (p) => buffer(p) ?? existingText(folder.root!, p);
}

/** Whether the fix can be offered in this folder now: its files are creatable without replacing anything. */
export function canOfferCreatingFix(fix: LocatedFix, folder: FolderIndex, textOf: TextOf): boolean {
  if (folder.isLoose || !folder.root) return false;
  return planFileCreation(asFix(fix), textOf).ok;
}

/** The workspace edit of a file-creating fix, completed from its data sample; undefined when it can no longer apply. */
export async function creatingFixEdit(fix: LocatedFix, folder: FolderIndex, textOf: TextOf, versionOf: (uri: string) => number | undefined): Promise<WorkspaceEdit | undefined> {
  if (folder.isLoose || !folder.root || !folder.uri) return undefined;
  const resolved = await resolveFix(asFix(fix), diskSampleReader(folder.root));
  const plan = planFileCreation(resolved, textOf);
  if (!plan.ok) return undefined;
  const changes: (CreateFile | TextDocumentEdit)[] = [];
  for (const file of plan.create) {
    const uri = folder.uriOf(file.path);
    // no overwrite, no ignoreIfExists: the client fails the whole edit rather than touch an existing file
    changes.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.content }] });
  }
  const edits = toWorkspaceEdit(fix.edits, true, versionOf);
  changes.push(...((edits.documentChanges ?? []) as TextDocumentEdit[]));
  return { documentChanges: changes };
}

/** The engine's view of a located fix, for planning (edits are not used by the planner or resolver). */
function asFix(fix: LocatedFix): Fix {
  return { title: fix.title, applicability: fix.applicability, edits: [], ...(fix.createFiles ? { createFiles: fix.createFiles } : {}), ...(fix.resolve ? { resolve: fix.resolve } : {}) };
}
