import * as vscode from 'vscode';
import { isCancellation, requestErrorMessage } from '../server-session';
import { fixAllConfirmation, fixAllDone } from '../text';
import { ensureTrustedFor } from '../trust';
import type { CommandServices } from './context';

/**
 * `mlready.fixAllWorkspace`: the server computes every safe fix in the workspace as one edit
 * (`mlready/fixAllWorkspace`, not applied by the server); the user sees the count and chooses to
 * apply it directly or review it in VS Code's refactor preview first.
 */
export async function fixAllWorkspace({ session }: CommandServices): Promise<void> {
  if (!(await ensureTrustedFor('apply fixes to the workspace'))) return;
  let plan: Awaited<ReturnType<typeof session.fixAllWorkspace>>;
  try {
    plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'mlready: collecting safe fixes…', cancellable: true },
      (_progress, token) => session.fixAllWorkspace({}, token),
    );
  } catch (e) {
    if (!isCancellation(e)) void vscode.window.showErrorMessage(requestErrorMessage('collecting the workspace fixes', e));
    return;
  }
  if (!plan || plan.fixes === 0 || plan.edit.size === 0) {
    void vscode.window.showInformationMessage('mlready: no safe fixes to apply in the workspace.');
    return;
  }

  const apply = 'Apply';
  const preview = 'Preview…';
  const choice = await vscode.window.showWarningMessage(
    fixAllConfirmation(plan.fixes, plan.files),
    {
      modal: true,
      detail:
        'Only fixes marked safe are applied. Files without unsaved changes are saved afterwards; files you were editing are left unsaved for you to review.',
    },
    apply,
    preview,
  );
  if (!choice) return;

  const before = unsavedDocuments();
  const edit = choice === preview ? needingConfirmation(plan.edit) : plan.edit;
  // with needsConfirmation metadata VS Code opens its refactor preview; false = discarded or failed
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: choice === preview });
  if (!applied) {
    if (choice === apply) void vscode.window.showErrorMessage('mlready: the fixes could not be applied (a file may have changed). Try again.');
    return;
  }
  await saveTouched(plan.edit, before);
  void vscode.window.showInformationMessage(fixAllDone(plan.fixes, plan.files));
}

/** The same edit with every entry marked "needs confirmation", which routes it through the preview. */
function needingConfirmation(edit: vscode.WorkspaceEdit): vscode.WorkspaceEdit {
  const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label: 'mlready safe fix' };
  const out = new vscode.WorkspaceEdit();
  for (const [uri, edits] of edit.entries()) {
    out.set(uri, edits.map((e): [vscode.TextEdit, vscode.WorkspaceEditEntryMetadata] => [e, metadata]));
  }
  return out;
}

/** Documents and notebooks with unsaved changes, which we must not save on the user's behalf. */
function unsavedDocuments(): Set<string> {
  const keys = new Set<string>();
  for (const d of vscode.workspace.textDocuments) if (d.isDirty) keys.add(d.uri.toString());
  for (const n of vscode.workspace.notebookDocuments) if (n.isDirty) keys.add(n.uri.toString());
  return keys;
}

async function saveTouched(edit: vscode.WorkspaceEdit, unsavedBefore: Set<string>): Promise<void> {
  const done = new Set<string>();
  for (const [uri] of edit.entries()) {
    // a cell's edits are saved with its notebook
    const notebook = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document.uri.toString() === uri.toString()));
    const key = (notebook?.uri ?? uri).toString();
    if (done.has(key) || unsavedBefore.has(key)) continue;
    done.add(key);
    if (notebook) {
      if (notebook.isDirty) await notebook.save();
    } else {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document?.isDirty) await document.save();
    }
  }
}
