// The formatter as it was before output was streamed (cli/formats/gitlab.ts), verbatim but for import paths:
// the reference that test/cli/streaming.test.ts holds the streamed output to. Do not update it with the formats.
import type { Finding, Severity } from '../../../rules';
import type { CheckReport } from '../../../cli/report';
import { fingerprints } from './fingerprint';

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

function issue(report: CheckReport, f: Finding, fingerprint: string): object | null {
  const file = f.file ?? report.anchor;
  if (file === null) return null;
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

export function formatGitlab(report: CheckReport): string {
  const prints = fingerprints(report.findings);
  const issues = report.findings.map((f) => issue(report, f, prints.get(f)!)).filter((x) => x !== null);
  return `${JSON.stringify(issues, null, 2)}\n`;
}
