import { CATEGORIES, type Finding } from '../../rules';
import type { CheckReport } from '../report';
import { jsonChunks, joined, lazyArray, type Chunks } from './stream';

/**
 * `--format json`: the contract of DESIGN.md §4, relied on by users' CI scripts. Fields are built
 * one by one (never by spreading a Finding) so engine-internal fields such as `fileRange`, edit
 * payloads or `stage` cannot leak into it; new fields are only ever added.
 */
export const JSON_REPORT_VERSION = 1;

export function jsonFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: f.code,
    name: f.name,
    category: f.category,
    severity: f.severity,
    file: f.file,
  };
  if (f.cell !== undefined) out.cell = f.cell;
  out.range = {
    start: { line: f.range.start.line, character: f.range.start.character },
    end: { line: f.range.end.line, character: f.range.end.character },
  };
  out.message = f.message;
  out.fixes = f.fixes.map((x) => ({ title: x.title, applicability: x.applicability }));
  out.docUrl = f.docUrl;
  return out;
}

/**
 * The report as it is printed. The findings are a lazy array: each finding's object is built when
 * it is written (jsonChunks), so the 60k objects of a large workspace never all exist at once.
 */
export function jsonReport(report: CheckReport): object {
  return {
    version: JSON_REPORT_VERSION,
    root: report.root,
    findings: lazyArray(report.findings, jsonFinding, true),
    score: {
      overall: report.score.overall,
      categories: Object.fromEntries(CATEGORIES.map((c) => [c, report.score.categories[c]])),
      // the explanation (issue 9): added fields; overall and categories stay the contract
      stage: report.score.stage,
      practices: report.score.practices.map((p) => ({ id: p.id, title: p.title, category: p.category, section: p.section, status: p.status, expected: p.expected, points: p.points, earned: p.earned, evidence: p.evidence })),
      losses: Object.fromEntries(CATEGORIES.map((c) => [c, report.score.details[c].losses.map((l) => ({ kind: l.kind, id: l.id, points: l.points, exact: l.exact }))])),
      mlTestScore: report.score.mlTestScore,
    },
    files: {
      scanned: report.scanned.length,
      skipped: report.skipped.map((s) => ({ file: s.file, reason: s.reason })),
    },
    // the governance audit trail: every inline suppression, with its reason and whether it silenced anything
    suppressions: report.suppressions.map((s) => ({
      file: s.file,
      ...(s.cell !== undefined ? { cell: s.cell } : {}),
      line: s.line,
      codes: [...s.codes],
      reason: s.reason,
      fileLevel: s.fileLevel,
      used: s.used,
    })),
  };
}

/** The text of `JSON.stringify(jsonReport(report), null, 2)` and a line break, in pieces. */
export function* jsonFormat(report: CheckReport): Chunks {
  yield* jsonChunks(jsonReport(report));
  yield '\n';
}

export function formatJson(report: CheckReport): string {
  return joined(jsonFormat(report));
}
