import { pathToFileURL } from 'url';
import { docUrl, type Finding, type Range, type Rule, type Severity } from '../../rules';
import type { CheckReport } from '../report';
import { ruleDocsMarkdown, ruleDocsText } from '../rule-docs';
import { fingerprinter } from './fingerprint';
import { jsonChunks, joined, LazyArray, type Chunks } from './stream';

/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning. Every rule is described (help from its
 * docs), every result points into the file's own text — for a notebook, into the .ipynb JSON, which
 * is what GitHub shows — and workspace-level findings are anchored on a project file because GitHub
 * refuses an upload in which any result has no location.
 */
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/mlready/mlready';

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** GitHub ranks security alerts by this score (0–10) on the rule. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '3.0', hint: '1.0' };

function sarifRule(rule: Rule): object {
  // GitHub filters alerts by tag; the security category is already the `security` tag it knows
  const tags = ['mlready', rule.category];
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.docs.summary.trim() },
    fullDescription: { text: `${rule.docs.summary.trim()} ${rule.docs.why.trim()}` },
    help: { text: ruleDocsText(rule), markdown: ruleDocsMarkdown(rule) },
    helpUri: docUrl(rule),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags,
      category: rule.category,
      ...(rule.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
    },
  };
}

/** SARIF regions are 1-based; endColumn is the column just after the region. */
export function sarifRegion(r: Range): object {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function encodeUri(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

function locations(report: CheckReport, f: Finding): object[] | undefined {
  const file = f.file ?? report.anchor;
  if (file === null) return undefined;
  const physicalLocation: Record<string, unknown> = {
    artifactLocation: { uri: encodeUri(report.locator.ciPath(file)), uriBaseId: '%SRCROOT%' },
  };
  const range = f.file !== null ? report.locator.rangeInFile(f) : null;
  physicalLocation.region = range ? sarifRegion(range) : { startLine: 1 };
  const location: Record<string, unknown> = { physicalLocation };
  if (f.file === null) location.message = { text: 'Project-level finding (anchored on this file).' };
  return [location];
}

export function sarifLog(report: CheckReport): object {
  const rules = [...report.registry.rules].sort((a, b) => a.code.localeCompare(b.code));
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  // each result is built as it is written (jsonChunks), in report order as the fingerprints need
  const results = new LazyArray(function* () {
    const print = fingerprinter();
    for (const f of report.findings) yield sarifResult(f, print(f));
  }, true);
  const sarifResult = (f: Finding, fingerprint: string) => {
    const result: Record<string, unknown> = {
      ruleId: f.code,
      level: sarifLevel(f.severity),
      message: { text: f.message },
    };
    const index = ruleIndex.get(f.code);
    if (index !== undefined) result.ruleIndex = index;
    const locs = locations(report, f);
    if (locs) result.locations = locs;
    result.partialFingerprints = { 'mlready/v1': fingerprint };
    result.properties = { category: f.category, docUrl: f.docUrl, ...(f.cell !== undefined ? { notebookCell: f.cell } : {}) };
    return result;
  };
  const baseUri = pathToFileURL(report.locator.ciBase).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mlready',
            version: report.version,
            semanticVersion: report.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.ruleErrors.map((e) => ({
              level: 'error',
              message: { text: `Rule ${e.code} failed on ${e.file}; its findings for that file are missing.` },
              associatedRule: { id: e.code },
            })),
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: baseUri.endsWith('/') ? baseUri : `${baseUri}/` } },
        columnKind: 'utf16CodeUnits',
        results,
        properties: { score: report.score.overall },
      },
    ],
  };
}

/** The SARIF log as `JSON.stringify(sarifLog(report), null, 2)` prints it, and a line break, in pieces. */
export function* sarifFormat(report: CheckReport): Chunks {
  yield* jsonChunks(sarifLog(report));
  yield '\n';
}

export function formatSarif(report: CheckReport): string {
  return joined(sarifFormat(report));
}
