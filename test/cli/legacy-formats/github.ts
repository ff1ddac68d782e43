// The formatter as it was before output was streamed (cli/formats/github.ts), verbatim but for import paths:
// the reference that test/cli/streaming.test.ts holds the streamed output to. Do not update it with the formats.
import type { Finding, Severity } from '../../../rules';
import { plural, type CheckReport } from '../../../cli/report';

/**
 * `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on
 * the pull request's files: `::warning file=…,line=…,col=…,title=CODE name::message`. Paths are
 * relative to the checkout (see FileLocator.ciPath); notebook findings point at the .ipynb lines.
 */
export function githubLevel(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'notice';
}

/** Escaping of a command's message (https://github.com/actions/toolkit, core/src/command.ts). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also escape the separators `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(report: CheckReport, f: Finding): string {
  const props: [string, string | number][] = [];
  if (f.file !== null) {
    props.push(['file', report.locator.ciPath(f.file)]);
    const r = report.locator.rangeInFile(f);
    if (r) {
      props.push(['line', r.start.line + 1], ['endLine', r.end.line + 1]);
      // columns only make sense on a one-line range
      if (r.start.line === r.end.line) props.push(['col', r.start.character + 1], ['endColumn', Math.max(r.end.character, r.start.character + 1)]);
    }
  }
  props.push(['title', `${f.code} ${f.name}`]);
  const where = f.cell !== undefined ? ` (notebook cell ${f.cell + 1}, line ${f.range.start.line + 1})` : '';
  const body = `${f.message}${where}\n${f.docUrl}`;
  return `::${githubLevel(f.severity)} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(body)}`;
}

export function formatGithub(report: CheckReport, options: { quiet: boolean }): string {
  const lines = report.findings.map((f) => annotation(report, f));
  if (!options.quiet) lines.push(`mlready: ${plural(report.findings.length, 'finding')} in ${plural(report.scanned.length, 'file')} · readiness score ${report.score.overall}/100`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
