import * as vscode from 'vscode';
import { classifyDocTarget, docArgument, docFileForCode, docPickItems } from '../docs/doc-target';
import type { CommandServices } from './context';

/**
 * `mlready.showRuleDocs [uri | code]`: open a rule's documentation. The shipped docs (file URIs into
 * the extension's docs/rules/) open in the Markdown preview; web links open in the browser. With no
 * argument, pick a rule from the shipped docs.
 */
export async function showRuleDocs({ extensionUri }: CommandServices, arg?: unknown): Promise<void> {
  const docsFolder = vscode.Uri.joinPath(extensionUri, 'docs', 'rules');
  const parsed = docArgument(arg);
  let target: string | undefined;
  if (!parsed) target = await pickDoc(docsFolder);
  else if ('code' in parsed) target = await docForCode(docsFolder, parsed.code);
  else target = parsed.uri;
  if (!target) return;

  const classified = classifyDocTarget(target);
  if (!classified) {
    void vscode.window.showWarningMessage(`mlready: not a documentation link: ${target}`);
    return;
  }
  const uri = vscode.Uri.parse(classified.uri, true);
  if (classified.kind === 'external') {
    await vscode.env.openExternal(uri);
    return;
  }
  if (uri.path.endsWith('.md')) {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return;
    } catch {
      // the built-in Markdown extension is disabled: fall back to the source
    }
  }
  await vscode.window.showTextDocument(uri, { preview: true });
}

async function docFiles(docsFolder: vscode.Uri): Promise<string[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(docsFolder);
    return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  } catch {
    return [];
  }
}

async function docForCode(docsFolder: vscode.Uri, code: string): Promise<string | undefined> {
  const file = docFileForCode(await docFiles(docsFolder), code);
  if (!file) void vscode.window.showWarningMessage(`mlready: no documentation found for ${code}.`);
  return file ? vscode.Uri.joinPath(docsFolder, file).toString() : undefined;
}

async function pickDoc(docsFolder: vscode.Uri): Promise<string | undefined> {
  const items = docPickItems(await docFiles(docsFolder));
  if (items.length === 0) {
    void vscode.window.showWarningMessage('mlready: the rule documentation is not installed with this extension.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.code, description: i.name, file: i.file })),
    { title: 'mlready rule documentation', placeHolder: 'Rule code or name', matchOnDescription: true },
  );
  return picked ? vscode.Uri.joinPath(docsFolder, picked.file).toString() : undefined;
}
