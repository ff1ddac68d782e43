import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { Applicability, Finding, Severity } from '../../rules';
import type { LocatedFinding } from './analyze';

/**
 * Findings as LSP diagnostics. `Diagnostic.data` says which quick fixes a diagnostic has (titles
 * and safety), whether it can be ignored, and the versions of the documents its fixes touch, so
 * a code action from an outdated diagnostic is recognised and offers no stale edit. The edits
 * themselves stay in the server with the open document (`OpenText.published`) until a code action
 * asks for them: they were two thirds of every publication (a 2,000-line module: 317 KB per
 * keystroke, serialised, sent and parsed again).
 */

export interface FixSummary {
  title: string;
  applicability: Applicability;
}

export interface DiagnosticData {
  v: 2;
  code: string;
  name: string;
  fixes: FixSummary[];
  /** An "ignore this line" edit exists. */
  ignorable?: true;
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
  const data: DiagnosticData = { v: 2, code: f.code, name: f.name, fixes: l.fixes.map((x) => ({ title: x.title, applicability: x.applicability })) };
  if (l.ignore) data.ignorable = true;
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
  return !!d && d.v === 2 && typeof d.code === 'string' && Array.isArray(d.fixes);
}
