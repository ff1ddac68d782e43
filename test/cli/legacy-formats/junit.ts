// The formatter as it was before output was streamed (cli/formats/junit.ts), verbatim but for import paths:
// the reference that test/cli/streaming.test.ts holds the streamed output to. Do not update it with the formats.
import type { Finding } from '../../../rules';
import { groupByFile, type CheckReport } from '../../../cli/report';

/**
 * `--format junit`: JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps). One test case per
 * analysed file, passing when the file has no finding, with one <failure> per finding; skipped
 * files are skipped test cases, and project-level findings fail a "(project)" test case.
 */
export function formatJunit(report: CheckReport): string {
  const byFile = new Map(groupByFile(report.findings).map((g) => [g.file, g.findings]));
  const files = [...new Set([...report.scanned, ...[...byFile.keys()].filter((k): k is string => k !== null)])].sort();
  const cases: string[] = [];
  let failures = 0;
  for (const file of files) {
    const findings = byFile.get(file) ?? [];
    if (findings.length) failures++;
    cases.push(testcase(report.locator.ciPath(file), findings, file));
  }
  const project = byFile.get(null);
  if (project) {
    failures++;
    cases.push(testcase('(project)', project, null));
  }
  for (const s of report.skipped) cases.push(`    <testcase classname="mlready" name="${xml(report.locator.ciPath(s.file))}">\n      <skipped message="${xml(s.reason)}"/>\n    </testcase>`);
  const tests = cases.length;
  const skipped = report.skipped.length;
  const attrs = `tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlready" ${attrs}>`,
    `  <testsuite name="mlready" ${attrs}>`,
    `    <properties>\n      <property name="readiness-score" value="${report.score.overall}"/>\n      <property name="version" value="${xml(report.version)}"/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(name: string, findings: Finding[], file: string | null): string {
  const open = `    <testcase classname="mlready" name="${xml(name)}"${file !== null ? ` file="${xml(name)}"` : ''}`;
  if (!findings.length) return `${open}/>`;
  const failures = findings.map((f) => {
    const where = f.file === null ? '(project)' : `${name}${f.cell !== undefined ? ` cell ${f.cell + 1}` : ''}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const body = `${where} ${f.severity} ${f.code} ${f.name}\n${f.message}\n${f.docUrl}`;
    return `      <failure type="${f.severity}" message="${xml(`${f.code} ${f.name}: ${f.message}`)}">${xmlText(body)}</failure>`;
  });
  return `${open}>\n${failures.join('\n')}\n    </testcase>`;
}

/**
 * Escapes text for XML content, and drops characters XML 1.0 cannot carry at all (most control
 * characters, lone surrogates), which a quoted line of code could contain.
 */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and keep line breaks and tabs (which parsers would normalise to spaces). */
export function xml(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
