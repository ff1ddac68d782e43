import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../../common/protocol';
import type { ServerContext } from '../context';
import type { LocatedFinding, LocatedFix } from '../lint/analyze';
import { canOfferCreatingFix, createsFiles, creatingFixEdit, folderTextOf } from '../lint/creating-fix';
import { docUrl as rulesDocUrl } from '../../rules';
import { isDiagnosticData, ruleDocUrl, type DiagnosticData } from '../lint/diagnostics';
import { fixAllText } from '../lint/fix-all-text';
import { safeFixEdits, toWorkspaceEdit } from '../lint/fix-edits';
import type { LocatedEdit } from '../lint/locate';
import { guardRequest } from '../safe';
import type { FolderIndex } from '../workspace-index';

/**
 * Quick fixes of a diagnostic: its fixes, "Ignore CODE for this line" and "Show documentation for
 * CODE". The diagnostic's data says which exist and for which document versions; their edits come
 * from the finding the last lint of the open document published (`published`), found again by its
 * code and range, and are offered only while those versions are current. `source.fixAll.mlready`
 * lints the document afresh and applies only its safe, non-overlapping fixes. Fixes that create
 * files are offered only to clients that can create files, and completed on `codeAction/resolve`.
 */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(guardRequest(ctx.log, 'codeAction', (params: CodeActionParams) => codeActions(ctx, params), () => []));
  ctx.connection.onCodeActionResolve(guardRequest(ctx.log, 'codeAction/resolve', (action: CodeAction) => resolveAction(ctx, action)));
}

/** What a lazily completed action carries to `codeAction/resolve`. */
interface CreatingFixData {
  mlready: 'creating-fix';
  /** The document the diagnostic is on, to find its workspace folder again. */
  uri: string;
  fix: LocatedFix;
}

async function codeActions(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      if (d.source === 'mlready' && isDiagnosticData(d.data)) actions.push(...(await quickFixes(ctx, params.textDocument.uri, d, d.data)));
    }
  }
  // fix-all lints the document, so it is computed only when asked for (Source Action menu, on save)
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(ctx, params.textDocument.uri);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

async function quickFixes(ctx: ServerContext, uri: string, diagnostic: Diagnostic, data: DiagnosticData): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  // a diagnostic from before the last edit is about text that is gone: offer none of its edits
  const current = Object.entries(data.versions ?? {}).every(([u, version]) => ctx.docs.versionOf(u) === version);
  const located = current ? publishedFinding(ctx, uri, diagnostic, data) : undefined;
  if (located) {
    let preferred = false;
    for (const fix of located.fixes) {
      const isPreferred: boolean = !preferred && fix.applicability === 'safe';
      preferred ||= isPreferred;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], ...(isPreferred ? { isPreferred } : {}) };
      if (!createsFiles(fix)) actions.push({ ...action, edit: edit(ctx, fix.edits) });
      else {
        const creating = await creatingAction(ctx, uri, fix, action);
        if (creating) actions.push(creating);
      }
    }
    if (located.ignore) actions.push({ title: `Ignore ${data.code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(ctx, [located.ignore]) });
  }
  // the diagnostic's own link, or the same one again (a client may not keep codeDescription)
  const docUrl = diagnostic.codeDescription?.href ?? ruleDocUrl({ code: data.code, name: data.name, docUrl: rulesDocUrl(data) }, ctx.docsBaseUri);
  const title = `Show documentation for ${data.code}`;
  actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [docUrl] } });
  return actions;
}

/**
 * The placed finding behind a diagnostic: the one with its code and range on its document in the
 * last lint published for the open document (current, since the data's versions are).
 */
function publishedFinding(ctx: ServerContext, uri: string, diagnostic: Diagnostic, data: DiagnosticData): LocatedFinding | undefined {
  const published = (ctx.docs.text(uri) ?? ctx.docs.notebookOfCell(uri) ?? ctx.docs.notebook(uri))?.published;
  return published?.find((l) => l.uri === uri && l.finding.code === data.code && sameRange(l.range, diagnostic.range));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

async function creatingAction(ctx: ServerContext, uri: string, fix: LocatedFix, action: CodeAction): Promise<CodeAction | undefined> {
  if (!ctx.features.createFiles) return undefined;
  const folder = folderOf(ctx, uri);
  if (!folder || !canOfferCreatingFix(fix, folder, textOf(ctx, folder))) return undefined;
  if (ctx.features.codeActionResolve) {
    const data: CreatingFixData = { mlready: 'creating-fix', uri, fix };
    return { ...action, data };
  }
  const workspaceEdit = await creatingFixEdit(fix, folder, textOf(ctx, folder), (u) => ctx.docs.versionOf(u));
  return workspaceEdit ? { ...action, edit: workspaceEdit } : undefined;
}

async function resolveAction(ctx: ServerContext, action: CodeAction): Promise<CodeAction> {
  const data = action.data as CreatingFixData | undefined;
  if (data?.mlready !== 'creating-fix' || action.edit) return action;
  const folder = folderOf(ctx, data.uri);
  const workspaceEdit = folder && (await creatingFixEdit(data.fix, folder, textOf(ctx, folder), (u) => ctx.docs.versionOf(u)));
  if (!workspaceEdit) {
    ctx.log.info(`"${data.fix.title}" was not applied: a file it would create now exists, or the document is gone.`);
    return action;
  }
  return { ...action, edit: workspaceEdit };
}

function folderOf(ctx: ServerContext, uri: string): FolderIndex | undefined {
  return ctx.docs.text(uri)?.folder ?? ctx.docs.notebookOfCell(uri)?.folder ?? ctx.docs.notebook(uri)?.folder;
}

function textOf(ctx: ServerContext, folder: FolderIndex) {
  return folderTextOf(folder, (p) => ctx.docs.bufferText(folder, p));
}

function fixAllAction(ctx: ServerContext, uri: string): CodeAction | undefined {
  const { edits, fixes } = fixAllEdits(ctx, uri) ?? { edits: [], fixes: 0 };
  if (fixes === 0) return undefined;
  return { title: `Fix all safe mlready problems (${fixes})`, kind: FIX_ALL_KIND, edit: edit(ctx, edits) };
}

/**
 * The safe fixes of an open document: for a text document, applied to a fixed point in memory
 * (fixAllText); for a notebook document, whose cells are separate documents, one pass.
 */
export function fixAllEdits(ctx: ServerContext, uri: string): { edits: LocatedEdit[]; fixes: number } | undefined {
  const fresh = ctx.linter.fresh(uri);
  if (!fresh) return undefined;
  const open = ctx.docs.text(uri);
  const doc = ctx.docs.texts.get(uri);
  if (fresh.cellBases || !open || !doc) return safeFixEdits(fresh.analysis.findings, fresh.locator, fresh.cellBases);
  const { edit: change, fixes } = fixAllText(doc.getText(), open.path, open.kind, fresh.analysis.findings, open.folder.lintOptions, open.folder.facts);
  return { edits: change ? [{ uri, ...change }] : [], fixes };
}

function edit(ctx: ServerContext, edits: LocatedEdit[]) {
  return toWorkspaceEdit(edits, ctx.features.documentChanges, (uri) => ctx.docs.versionOf(uri));
}
