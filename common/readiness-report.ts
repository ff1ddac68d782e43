import type { Category, CategoryScore, MlTestScore, PracticeStatus, ScoreGap, Severity, Stage } from '../rules';
import { CATEGORY_LABELS } from './category-labels';

/**
 * The shareable readiness report (`mlready report`, and "Export report" in the panel): score,
 * categories with a chart, practices, top gaps, suppressions with their reasons, findings per
 * file. Pure (types only from the engine), so the VS Code client bundles the same code. Markdown
 * escapes HTML and table pipes; HTML escapes every string and is self-contained (inline CSS, an
 * inline SVG chart, no script, no external resource).
 */
export interface ReadinessReportModel {
  /** Project name or PATH as given. */
  root: string;
  version: string;
  generatedAt?: string;
  score: {
    overall: number;
    categories: Record<Category, number>;
    stage?: Stage;
    practices?: {
      id: string;
      title: string;
      category: Category;
      status: PracticeStatus;
      expected: boolean;
      points: number;
      earned: number;
      why: string;
      evidence: string;
      fix: string;
      docUrl?: string;
    }[];
    details?: Record<Category, CategoryScore>;
    mlTestScore?: MlTestScore;
  };
  gaps?: Pick<ScoreGap, 'kind' | 'id' | 'category' | 'title' | 'impact' | 'detail' | 'fix' | 'docUrl'>[];
  findings: { code: string; name: string; category: Category; severity: Severity; message: string; file: string | null; cell?: number; range: { start: { line: number; character: number } }; docUrl?: string }[];
  /** Inline suppressions (the audit trail); undefined when the source cannot tell. */
  suppressions?: { file: string; cell?: number; line: number; codes: string[]; reason: string | null; fileLevel: boolean; used: boolean }[];
  scanned: number;
  skipped: { file: string; reason: string }[];
}

const STATUS_LABEL: Record<PracticeStatus, string> = { met: 'met', partly: 'partly', missing: 'missing', 'not-applicable': 'n/a' };
const STATUS_MARK: Record<PracticeStatus, string> = { met: '✅', partly: '🟡', missing: '❌', 'not-applicable': '➖' };
const SECTION_LABEL = { data: 'Data', model: 'Model', infrastructure: 'Infrastructure', monitoring: 'Monitoring' } as const;

function categoriesOf(model: ReadinessReportModel): Category[] {
  return Object.keys(CATEGORY_LABELS).filter((c) => typeof model.score.categories[c as Category] === 'number') as Category[];
}

function where(f: ReadinessReportModel['findings'][number]): string {
  if (f.file === null) return '(project)';
  return `${f.file}${f.cell !== undefined ? ` cell ${f.cell + 1}` : ''}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
}

function byFile(findings: ReadinessReportModel['findings']): [string | null, ReadinessReportModel['findings']][] {
  const m = new Map<string | null, ReadinessReportModel['findings']>();
  for (const f of findings) {
    const l = m.get(f.file) ?? [];
    l.push(f);
    m.set(f.file, l);
  }
  return [...m].sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : a[0].localeCompare(b[0])));
}

// ─── Markdown ────────────────────────────────────────────────────────────────────────────────

/** One table cell: one line, HTML neutralised, pipes escaped. */
export function mdCell(s: string): string {
  return s
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1');
}

function mdLink(text: string, url: string | undefined): string {
  return url && /^(https?|file):/.test(url) ? `[${mdCell(text)}](${url.replace(/[()\s]/g, encodeURIComponent)})` : mdCell(text);
}

export function readinessMarkdown(model: ReadinessReportModel): string {
  const out: string[] = [`# ML readiness report: ${mdCell(model.root)}`, ''];
  out.push(`**Readiness score: ${model.score.overall}/100**${model.score.stage ? ` · stage: ${model.score.stage}` : ''} · ${model.findings.length} finding${model.findings.length === 1 ? '' : 's'} · ${model.scanned} file${model.scanned === 1 ? '' : 's'} analysed${model.skipped.length ? `, ${model.skipped.length} skipped` : ''}`, '');
  if (model.generatedAt) out.push(`_mlready ${mdCell(model.version)}, ${mdCell(model.generatedAt)}_`, '');

  out.push('## Categories', '', '| Category | Score | Points lost to |', '|---|---:|---|');
  for (const c of categoriesOf(model)) {
    const d = model.score.details?.[c];
    const lost = d?.losses.filter((l) => l.points > 0).map((l) => `${mdCell(l.kind === 'practice' ? l.label : l.id)} −${l.points}`).join(', ') ?? '';
    out.push(`| ${CATEGORY_LABELS[c]}${d && !d.counted ? ' (not counted)' : ''} | ${model.score.categories[c]} | ${lost || '—'} |`);
  }
  out.push('');

  if (model.score.practices?.length) {
    out.push('## Practices', '', '| | Practice | Category | Points | Why | Found | Fix |', '|---|---|---|---:|---|---|---|');
    for (const p of model.score.practices) {
      const points = p.expected && p.status !== 'not-applicable' ? `${p.earned}/${p.points}` : p.status === 'not-applicable' ? 'n/a' : 'not expected';
      out.push(`| ${STATUS_MARK[p.status]} ${STATUS_LABEL[p.status]} | ${mdLink(p.title, p.docUrl)} | ${CATEGORY_LABELS[p.category]} | ${points} | ${mdCell(p.why)} | ${mdCell(p.evidence)} | ${mdCell(p.fix)} |`);
    }
    out.push('');
  }
  const ml = model.score.mlTestScore;
  if (ml) {
    out.push('## ML Test Score view', '', '| Section | Score | Points |', '|---|---:|---:|');
    for (const s of Object.keys(SECTION_LABEL) as (keyof typeof SECTION_LABEL)[]) {
      const v = ml.sections[s];
      out.push(`| ${SECTION_LABEL[s]} | ${v.score ?? 'n/a'} | ${v.points}/${v.total} |`);
    }
    out.push('', `Final ML Test Score (lowest section): **${ml.final}**`, '');
  }
  if (model.gaps?.length) {
    out.push('## Top gaps', '', '| # | Gap | Category | Overall points | What to do |', '|---:|---|---|---:|---|');
    model.gaps.slice(0, 10).forEach((g, i) => out.push(`| ${i + 1} | ${mdLink(g.title, g.docUrl)} | ${CATEGORY_LABELS[g.category]} | +${g.impact} | ${mdCell(g.fix ?? g.detail)} |`));
    out.push('');
  }

  out.push('## Suppressions', '');
  if (!model.suppressions) out.push('Not available from this source; run `mlready report` for the audit trail.', '');
  else if (!model.suppressions.length) out.push('No inline suppressions.', '');
  else {
    out.push('| Location | Codes | Reason | Used |', '|---|---|---|---|');
    for (const s of model.suppressions) {
      const loc = `${s.file}${s.cell !== undefined ? ` cell ${s.cell + 1}` : ''}${s.fileLevel ? ' (whole file)' : `:${s.line + 1}`}`;
      out.push(`| ${mdCell(loc)} | ${mdCell(s.codes.join(', ') || 'all rules')} | ${s.reason ? mdCell(s.reason) : '**missing**'} | ${s.used ? 'yes' : 'no'} |`);
    }
    out.push('');
  }

  out.push('## Findings by file', '');
  if (!model.findings.length) out.push('No findings.', '');
  for (const [file, list] of byFile(model.findings)) {
    out.push(`### ${file === null ? 'Project' : mdCell(file)} (${list.length})`, '', '| Severity | Rule | Location | Message |', '|---|---|---|---|');
    for (const f of list) out.push(`| ${f.severity} | ${mdLink(f.code, f.docUrl)} ${mdCell(f.name)} | ${mdCell(where(f))} | ${mdCell(f.message)} |`);
    out.push('');
  }
  if (model.skipped.length) {
    out.push('## Skipped files', '', '| File | Reason |', '|---|---|');
    for (const s of model.skipped) out.push(`| ${mdCell(s.file)} | ${mdCell(s.reason)} |`);
    out.push('');
  }
  return out.join('\n');
}

// ─── HTML ────────────────────────────────────────────────────────────────────────────────────

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function safeHref(url: string | undefined): string | undefined {
  return url && /^(https?|file):/i.test(url) ? escapeHtml(url) : undefined;
}

function link(text: string, url: string | undefined): string {
  const href = safeHref(url);
  return href ? `<a href="${href}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** A horizontal bar chart of the category scores, as inline SVG (no script, no external resource). */
export function categoryChartSvg(categories: { label: string; score: number }[]): string {
  const rowH = 24;
  const labelW = 150;
  const barW = 300;
  const h = categories.length * rowH + 8;
  const rows = categories
    .map((c, i) => {
      const y = 4 + i * rowH;
      const w = Math.round((Math.max(0, Math.min(100, c.score)) / 100) * barW);
      const cls = c.score >= 80 ? 'good' : c.score >= 50 ? 'fair' : 'poor';
      return `<text x="0" y="${y + 16}" class="lbl">${escapeHtml(c.label)}</text><rect x="${labelW}" y="${y + 4}" width="${barW}" height="14" class="track"/><rect x="${labelW}" y="${y + 4}" width="${w}" height="14" class="bar ${cls}"/><text x="${labelW + barW + 8}" y="${y + 16}" class="val">${c.score}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Category scores" width="${labelW + barW + 40}" height="${h}" viewBox="0 0 ${labelW + barW + 40} ${h}">${rows}</svg>`;
}

const CSS = `body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem;color:#1f2328;max-width:72rem}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right}.score{font-size:2.5rem;font-weight:700}
.met{color:#1a7f37}.partly{color:#9a6700}.missing{color:#cf222e}.not-applicable{color:#656d76}
.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}
svg .lbl,svg .val{font-size:12px;fill:#1f2328}svg .track{fill:#eaeef2}svg .good{fill:#2da44e}svg .fair{fill:#bf8700}svg .poor{fill:#cf222e}
code{font-family:ui-monospace,Consolas,monospace}`;

export function readinessHtml(model: ReadinessReportModel): string {
  const cats = categoriesOf(model);
  const parts: string[] = [];
  parts.push(`<h1>ML readiness report: ${escapeHtml(model.root)}</h1>`);
  parts.push(
    `<p><span class="score">${model.score.overall}/100</span>${model.score.stage ? ` · stage <b>${escapeHtml(model.score.stage)}</b>` : ''} · ${model.findings.length} findings · ${model.scanned} files analysed${model.skipped.length ? `, ${model.skipped.length} skipped` : ''}</p>`,
  );
  if (model.generatedAt) parts.push(`<p><small>mlready ${escapeHtml(model.version)}, ${escapeHtml(model.generatedAt)}</small></p>`);
  parts.push('<h2>Categories</h2>', categoryChartSvg(cats.map((c) => ({ label: CATEGORY_LABELS[c], score: model.score.categories[c] }))));
  parts.push('<table><thead><tr><th>Category</th><th class="num">Score</th><th>Points lost to</th></tr></thead><tbody>');
  for (const c of cats) {
    const d = model.score.details?.[c];
    const lost = d?.losses.filter((l) => l.points > 0).map((l) => `${escapeHtml(l.kind === 'practice' ? l.label : l.id)} −${l.points}`).join(', ');
    parts.push(`<tr><td>${escapeHtml(CATEGORY_LABELS[c])}${d && !d.counted ? ' (not counted)' : ''}</td><td class="num">${model.score.categories[c]}</td><td>${lost || '—'}</td></tr>`);
  }
  parts.push('</tbody></table>');
  if (model.score.practices?.length) {
    parts.push('<h2>Practices</h2><table><thead><tr><th>Status</th><th>Practice</th><th>Category</th><th class="num">Points</th><th>Why</th><th>Found</th><th>Fix</th></tr></thead><tbody>');
    for (const p of model.score.practices) {
      const points = p.expected && p.status !== 'not-applicable' ? `${p.earned}/${p.points}` : p.status === 'not-applicable' ? 'n/a' : 'not expected';
      parts.push(`<tr><td class="${p.status}">${STATUS_LABEL[p.status]}</td><td>${link(p.title, p.docUrl)}</td><td>${escapeHtml(CATEGORY_LABELS[p.category])}</td><td class="num">${points}</td><td>${escapeHtml(p.why)}</td><td>${escapeHtml(p.evidence)}</td><td>${escapeHtml(p.fix)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  const ml = model.score.mlTestScore;
  if (ml) {
    parts.push('<h2>ML Test Score view</h2><table><thead><tr><th>Section</th><th class="num">Score</th><th class="num">Points</th></tr></thead><tbody>');
    for (const s of Object.keys(SECTION_LABEL) as (keyof typeof SECTION_LABEL)[]) parts.push(`<tr><td>${SECTION_LABEL[s]}</td><td class="num">${ml.sections[s].score ?? 'n/a'}</td><td class="num">${ml.sections[s].points}/${ml.sections[s].total}</td></tr>`);
    parts.push(`</tbody></table><p>Final ML Test Score (lowest section): <b>${ml.final}</b></p>`);
  }
  if (model.gaps?.length) {
    parts.push('<h2>Top gaps</h2><table><thead><tr><th class="num">#</th><th>Gap</th><th>Category</th><th class="num">Overall points</th><th>What to do</th></tr></thead><tbody>');
    model.gaps.slice(0, 10).forEach((g, i) => parts.push(`<tr><td class="num">${i + 1}</td><td>${link(g.title, g.docUrl)}</td><td>${escapeHtml(CATEGORY_LABELS[g.category])}</td><td class="num">+${g.impact}</td><td>${escapeHtml(g.fix ?? g.detail)}</td></tr>`));
    parts.push('</tbody></table>');
  }
  parts.push('<h2>Suppressions</h2>');
  if (!model.suppressions) parts.push('<p>Not available from this source; run <code>mlready report</code> for the audit trail.</p>');
  else if (!model.suppressions.length) parts.push('<p>No inline suppressions.</p>');
  else {
    parts.push('<table><thead><tr><th>Location</th><th>Codes</th><th>Reason</th><th>Used</th></tr></thead><tbody>');
    for (const s of model.suppressions) {
      const loc = `${s.file}${s.cell !== undefined ? ` cell ${s.cell + 1}` : ''}${s.fileLevel ? ' (whole file)' : `:${s.line + 1}`}`;
      parts.push(`<tr><td>${escapeHtml(loc)}</td><td>${escapeHtml(s.codes.join(', ') || 'all rules')}</td><td>${s.reason ? escapeHtml(s.reason) : '<b class="missing">missing</b>'}</td><td>${s.used ? 'yes' : 'no'}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  parts.push('<h2>Findings by file</h2>');
  if (!model.findings.length) parts.push('<p>No findings.</p>');
  for (const [file, list] of byFile(model.findings)) {
    parts.push(`<h3>${escapeHtml(file ?? 'Project')} (${list.length})</h3><table><thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th></tr></thead><tbody>`);
    for (const f of list) parts.push(`<tr><td class="${f.severity}">${f.severity}</td><td>${link(f.code, f.docUrl)} ${escapeHtml(f.name)}</td><td>${escapeHtml(where(f))}</td><td>${escapeHtml(f.message)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  if (model.skipped.length) {
    parts.push('<h2>Skipped files</h2><table><thead><tr><th>File</th><th>Reason</th></tr></thead><tbody>');
    for (const s of model.skipped) parts.push(`<tr><td>${escapeHtml(s.file)}</td><td>${escapeHtml(s.reason)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ML readiness report: ${escapeHtml(model.root)}</title>
<style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}

export function renderReadinessReport(format: 'markdown' | 'html', model: ReadinessReportModel): string {
  return format === 'html' ? readinessHtml(model) : readinessMarkdown(model);
}
