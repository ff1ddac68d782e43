import type { Finding, Severity } from '../../rules';
import type { Palette } from '../color';
import { countBySeverity, groupByFile, plural, reachesFailOn, severityCount, type CheckReport } from '../report';
import { joined, type Chunks } from './stream';

/**
 * `--format text`, for people: findings grouped by file, one line each as
 * `path[:cell N]:line:col severity CODE name message`, then a summary with the score.
 * Positions here are 1-based, as editors and terminals expect (cell N counts every cell of the
 * notebook from 1); the machine formats keep the contract's 0-based positions.
 */
export function* textFormat(report: CheckReport, options: { color: Palette; quiet: boolean }): Chunks {
  const c = options.color;
  // every line ends with a line break (no line at all: no text)
  for (const group of groupByFile(report.findings)) {
    if (!options.quiet) yield `${c.bold(c.cyan(printable(group.file ?? '(project)')))}\n`;
    for (const f of group.findings) yield `${findingLine(f, c)}\n`;
    if (!options.quiet) yield '\n';
  }
  if (!options.quiet) for (const line of summary(report, c)) yield `${line}\n`;
}

export function formatText(report: CheckReport, options: { color: Palette; quiet: boolean }): string {
  return joined(textFormat(report, options));
}

export function textLocation(f: Finding): string {
  if (f.file === null) return '(project)';
  const cell = f.cell !== undefined ? `:cell ${f.cell + 1}` : '';
  return `${printable(f.file)}${cell}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

function findingLine(f: Finding, c: Palette): string {
  const fixable = f.fixes.length ? c.dim(' [fixable]') : '';
  return `${c.bold(textLocation(f))} ${severityLabel(f.severity, c)} ${c.bold(f.code)} ${c.dim(f.name)} ${oneLine(f.message)}${fixable}`;
}

function severityLabel(s: Severity, c: Palette): string {
  switch (s) {
    case 'error':
      return c.red(s);
    case 'warning':
      return c.yellow(s);
    case 'info':
      return c.blue(s);
    default:
      return c.dim(s);
  }
}

function summary(report: CheckReport, c: Palette): string[] {
  const out: string[] = [];
  const n = report.findings.length;
  const counts = countBySeverity(report.findings);
  const bySeverity = (Object.keys(counts) as Severity[]).filter((s) => counts[s]).map((s) => severityCount(counts[s], s));
  const head = n ? `${plural(n, 'finding')} (${bySeverity.join(', ')})` : c.green('No findings');
  const fixable = report.findings.filter((f) => f.fixes.some((x) => x.applicability === 'safe')).length;
  const parts = [head, `${plural(report.scanned.length, 'file')} analysed`];
  if (report.skipped.length) parts.push(`${report.skipped.length} skipped`);
  const failing = report.findings.filter((f) => reachesFailOn(f, report.failOn)).length;
  if (failing) parts.push(c.red(`${failing} at or above --fail-on ${report.failOn}`));
  if (fixable) parts.push(`${fixable} fixable with --fix`);
  parts.push(`readiness score ${c.bold(`${report.score.overall}/100`)}`);
  out.push(parts.join(' · '));
  for (const s of report.skipped) out.push(c.dim(`skipped ${printable(s.file)}: ${s.reason}`));
  if (report.fixed) out.push(`Applied ${plural(report.fixed.applied, 'fix', 'fixes')} in ${plural(report.fixed.files, 'file')}.`);
  return out;
}

/** Messages are one line in a terminal report. */
function oneLine(s: string): string {
  return printable(s.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** Control characters from file names or quoted code must not drive the terminal (escape sequences). */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}
