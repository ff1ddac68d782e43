import type { Finding, Severity } from '../../rules';
import type { CheckReport } from '../report';
import { fingerprinter } from './fingerprint';
import { jsonChunks, joined, LazyArray, type Chunks } from './stream';

/**
 * `--format gitlab`: GitLab Code Quality report (a JSON array, `artifacts:reports:codequality`).
 * GitLab shows it in merge requests and tracks each issue by its fingerprint, so fingerprints do
 * not depend on line numbers. Every issue needs a path: workspace-level findings are anchored on a
 * project file (see CheckReport.anchor).
 */
export const GITLAB_SEVERITY: Record<Severity, 'critical' | 'major' | 'minor' | 'info'> = {
  error: 'critical',
  warning: 'major',
  info: 'minor',
  hint: 'info',
};

function issue(report: CheckReport, f: Finding, fingerprint: string): object | undefined {
  const file = f.file ?? report.anchor;
  if (file === null) return undefined;
  const range = f.file !== null ? report.locator.rangeInFile(f) : null;
  const where = f.cell !== undefined ? ` (notebook cell ${f.cell + 1}, line ${f.range.start.line + 1})` : f.file === null ? ' (project-level)' : '';
  return {
    type: 'issue',
    description: `${f.code} ${f.name}: ${f.message}${where}`,
    check_name: f.code,
    fingerprint,
    severity: GITLAB_SEVERITY[f.severity],
    location: {
      path: report.locator.ciPath(file),
      lines: { begin: range ? range.start.line + 1 : 1, end: range ? range.end.line + 1 : 1 },
    },
  };
}

/** The issues as a JSON array (`JSON.stringify(issues, null, 2)` and a line break), built and printed one by one. */
export function* gitlabFormat(report: CheckReport): Chunks {
  // every finding gets its fingerprint, also those left out for want of a path, as before
  const issues = new LazyArray(function* () {
    const print = fingerprinter();
    for (const f of report.findings) yield issue(report, f, print(f));
  }, true);
  yield* jsonChunks(issues);
  yield '\n';
}

export function formatGitlab(report: CheckReport): string {
  return joined(gitlabFormat(report));
}
