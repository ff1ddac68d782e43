import type { Finding } from '../../rules';
import { groupByFile, type CheckReport } from '../report';
import { joined, type Chunks } from './stream';

/**
 * `--format junit`: JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps). One test case per
 * analysed file, passing when the file has no finding, with one <failure> per finding; skipped
 * files are skipped test cases, and project-level findings fail a "(project)" test case.
 */
export function* junitFormat(report: CheckReport): Chunks {
  const byFile = new Map(groupByFile(report.findings).map((g) => [g.file, g.findings]));
  const files = [...new Set([...report.scanned, ...[...byFile.keys()].filter((k): k is string => k !== null)])].sort();
  const project = byFile.get(null);
  // the counts head the document, so they are counted before any test case is printed
  let failures = project ? 1 : 0;
  for (const file of files) if (byFile.get(file)?.length) failures++;
  const tests = files.length + (project ? 1 : 0) + report.skipped.length;
  const skipped = report.skipped.length;
  const attrs = `tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}"`;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="mlready" ${attrs}>\n`;
  yield `  <testsuite name="mlready" ${attrs}>\n`;
  yield `    <properties>\n      <property name="readiness-score" value="${report.score.overall}"/>\n      <property name="version" value="${xml(report.version)}"/>\n    </properties>\n`;
  for (const file of files) yield `${testcase(report.locator.ciPath(file), byFile.get(file) ?? [], file)}\n`;
  if (project) yield `${testcase('(project)', project, null)}\n`;
  for (const s of report.skipped) yield `    <testcase classname="mlready" name="${xml(report.locator.ciPath(s.file))}">\n      <skipped message="${xml(s.reason)}"/>\n    </testcase>\n`;
  yield '  </testsuite>\n';
  yield '</testsuites>\n';
}

export function formatJunit(report: CheckReport): string {
  return joined(junitFormat(report));
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
