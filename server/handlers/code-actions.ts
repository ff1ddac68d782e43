import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../../common/protocol';
import type { ServerContext } from '../context';
import { isDiagnosticData, type DiagnosticData } from '../lint/diagnostics';
import { safeFixEdits, toWorkspaceEdit } from '../lint/fix-edits';
import type { LocatedEdit } from '../lint/locate';
import { guardRequest } from '../safe';

/**
 * Quick fixes come from the diagnostic's own data (no server state, as in Ruff's server): its
 * fixes, "Ignore CODE for this line" and "Show documentation for CODE". `source.fixAll.mlready`
 * lints the document afresh and applies only its safe, non-overlapping fixes.
 */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(guardRequest(ctx.log, 'codeAction', (params: CodeActionParams) => codeActions(ctx, params), () => []));
}

function codeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      if (d.source === 'mlready' && isDiagnosticData(d.data)) actions.push(...quickFixes(ctx, d, d.data));
    }
  }
  // fix-all lints the document, so it is computed only when asked for (Source Action menu, on save)
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(ctx, params.textDocument.uri);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

function quickFixes(ctx: ServerContext, diagnostic: Diagnostic, data: DiagnosticData): CodeAction[] {
  const actions: CodeAction[] = [];
  // a diagnostic from before the last edit carries edits for text that is gone: offer none of them
  const current = Object.entries(data.versions ?? {}).every(([uri, version]) => ctx.docs.versionOf(uri) === version);
  if (current) {
    let preferred = false;
    for (const fix of data.fixes) {
      const isPreferred: boolean = !preferred && fix.applicability === 'safe';
      preferred ||= isPreferred;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], ...(isPreferred ? { isPreferred } : {}), edit: edit(ctx, fix.edits) });
    }
    if (data.ignore) actions.push({ title: `Ignore ${data.code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(ctx, [data.ignore]) });
  }
  const title = `Show documentation for ${data.code}`;
  actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [data.docUrl] } });
  return actions;
}

function fixAllAction(ctx: ServerContext, uri: string): CodeAction | undefined {
  const fresh = ctx.linter.fresh(uri);
  if (!fresh) return undefined;
  const { edits, fixes } = safeFixEdits(fresh.analysis.findings, fresh.locator, fresh.cellBases);
  if (fixes === 0) return undefined;
  return { title: `Fix all safe mlready problems (${fixes})`, kind: FIX_ALL_KIND, edit: edit(ctx, edits) };
}

function edit(ctx: ServerContext, edits: LocatedEdit[]) {
  return toWorkspaceEdit(edits, ctx.features.documentChanges, (uri) => ctx.docs.versionOf(uri));
}
