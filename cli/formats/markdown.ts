import { CATEGORIES, type Finding } from '../../rules';
import { countBySeverity, plural, severityCount, type CheckReport } from '../report';
import { joined, joinedBy, type Chunks } from './stream';

/**
 * `--format markdown`: a short report for a pull-request comment or a job summary
 * ($GITHUB_STEP_SUMMARY): the score, a table per category, the findings, and the suppressions
 * (the governance audit trail). Positions are 1-based, for people.
 */
export function* markdownFormat(report: CheckReport): Chunks {
  yield* joinedBy(markdownLines(report), '\n');
}

export function formatMarkdown(report: CheckReport): string {
  return joined(markdownFormat(report));
}

/** The report's lines, as they come; joined by line breaks they are the report. */
function* markdownLines(report: CheckReport): Generator<string> {
  // `out` collects a section's few lines; the findings table is yielded row by row
  let out: string[] = ['# mlready readiness report', ''];
  const counts = countBySeverity(report.findings);
  const severities = (Object.keys(counts) as (keyof typeof counts)[]).filter((s) => counts[s]).map((s) => severityCount(counts[s], s));
  out.push(
    `**Readiness score: ${report.score.overall}/100** · ${plural(report.findings.length, 'finding')}${severities.length ? ` (${severities.join(', ')})` : ''} · ${plural(report.scanned.length, 'file')} analysed${report.skipped.length ? `, ${report.skipped.length} skipped` : ''}`,
    '',
  );

  out.push('## Categories', '', '| Category | Score | Findings |', '|---|---:|---:|');
  for (const c of CATEGORIES) out.push(`| ${c} | ${report.score.categories[c]} | ${report.findings.filter((f) => f.category === c).length} |`);
  out.push('');

  out.push('## Findings', '');
  if (!report.findings.length) out.push('No findings.', '');
  else {
    out.push('| Severity | Rule | Location | Message |', '|---|---|---|---|');
    yield* out;
    out = [];
    for (const f of report.findings) yield `| ${f.severity} | [${f.code}](${f.docUrl}) ${cell(f.name)} | ${cell(location(f))} | ${cell(f.message)} |`;
    out.push('');
  }

  out.push('## Suppressions', '');
  if (!report.suppressions.length) out.push('No inline suppressions.', '');
  else {
    out.push('| Location | Codes | Reason | Used |', '|---|---|---|---|');
    for (const s of report.suppressions) {
      const where = `${s.file}${s.cell !== undefined ? ` cell ${s.cell + 1}` : ''}${s.fileLevel ? ' (whole file)' : `:${s.line + 1}`}`;
      out.push(`| ${cell(where)} | ${cell(s.codes.join(', ') || 'all rules')} | ${s.reason ? cell(s.reason) : '**missing**'} | ${s.used ? 'yes' : 'no'} |`);
    }
    out.push('');
  }

  if (report.skipped.length) {
    out.push('## Skipped files', '', '| File | Reason |', '|---|---|');
    for (const s of report.skipped) out.push(`| ${cell(s.file)} | ${cell(s.reason)} |`);
    out.push('');
  }
  yield* out;
}

function location(f: Finding): string {
  if (f.file === null) return '(project)';
  return `${f.file}${f.cell !== undefined ? ` cell ${f.cell + 1}` : ''}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

/**
 * Table cells are one line, with pipes escaped (GFM honours `\|` even inside code spans). HTML is
 * neutralised outside code spans only: inside them `<` is already literal and `&lt;` would show.
 */
function cell(s: string): string {
  return s
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('')
    .replace(/\|/g, '\\|');
}
