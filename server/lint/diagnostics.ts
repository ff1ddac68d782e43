import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../../rules';
import type { LocatedFinding, LocatedFix } from './analyze';
import type { LocatedEdit } from './locate';

/**
 * Findings as LSP diagnostics. Everything a code action needs travels in `Diagnostic.data` (as
 * Ruff's server does): the fixes already placed in the editor's documents, the "ignore" edit, the
 * rule doc link, and the versions of the documents they were computed for, so a code action from
 * an outdated diagnostic is recognised and offers no stale edit.
 */

export interface DiagnosticData {
  v: 1;
  code: string;
  name: string;
  docUrl: string;
  fixes: LocatedFix[];
  ignore?: LocatedEdit;
  /** Version of every document the edits touch, at lint time (absent for closed files). */
  versions?: Record<string, number>;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `docsBaseUri + CODE-name.md` when the client ships the docs, else the rule's public URL. */
export function ruleDocUrl(f: Pick<Finding, 'code' | 'name' | 'docUrl'>, docsBaseUri: string | undefined): string {
  if (!docsBaseUri) return f.docUrl;
  const base = docsBaseUri.endsWith('/') ? docsBaseUri : `${docsBaseUri}/`;
  return `${base}${f.code}-${f.name}.md`;
}

export function toDiagnostic(l: LocatedFinding, docsBaseUri: string | undefined, versionOf?: (uri: string) => number | undefined): Diagnostic {
  const f = l.finding;
  const href = ruleDocUrl(f, docsBaseUri);
  const data: DiagnosticData = { v: 1, code: f.code, name: f.name, docUrl: href, fixes: l.fixes };
  if (l.ignore) data.ignore = l.ignore;
  if (versionOf) {
    const versions: Record<string, number> = {};
    for (const uri of new Set([l.uri, ...l.fixes.flatMap((x) => x.edits.map((e) => e.uri)), ...(l.ignore ? [l.ignore.uri] : [])])) {
      const v = versionOf(uri);
      if (v !== undefined) versions[uri] = v;
    }
    data.versions = versions;
  }
  const diagnostic: Diagnostic = {
    range: l.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href },
    source: 'mlready',
    message: f.message,
    data,
  };
  // an unused suppression is dead text: editors grey it out
  if (f.code === 'G902') diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

export function isDiagnosticData(data: unknown): data is DiagnosticData {
  const d = data as DiagnosticData | undefined;
  return !!d && d.v === 1 && typeof d.code === 'string' && Array.isArray(d.fixes);
}
