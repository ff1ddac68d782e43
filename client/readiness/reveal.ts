import * as vscode from 'vscode';
import type { ReadinessFinding } from '../server-api';

/**
 * Opens the file (or notebook cell) of a finding at its range. Shared by every readiness view.
 * Notebook findings open in the notebook editor on their cell when possible.
 */
export async function revealFinding(f: ReadinessFinding): Promise<void> {
  const selection = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
  if (f.cellUri) {
    await vscode.window.showTextDocument(vscode.Uri.parse(f.cellUri, true), { selection });
    return;
  }
  if (!f.uri) return;
  const uri = vscode.Uri.parse(f.uri, true);
  if (f.cell !== undefined && uri.path.endsWith('.ipynb')) {
    try {
      const notebook = await vscode.workspace.openNotebookDocument(uri);
      if (f.cell < notebook.cellCount) {
        await vscode.window.showNotebookDocument(notebook, { selections: [new vscode.NotebookRange(f.cell, f.cell + 1)] });
        await vscode.window.showTextDocument(notebook.cellAt(f.cell).document, { selection });
        return;
      }
    } catch {
      // no notebook support (e.g. Jupyter disabled): open the JSON instead
    }
  }
  await vscode.window.showTextDocument(uri, { selection: f.cell === undefined ? selection : undefined });
}
