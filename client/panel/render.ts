/**
 * HTML of the "ML Readiness" webview, as pure functions (no `vscode` import) so that tests can
 * render hostile workspace content without VS Code. Every string that comes from the workspace
 * (file names, messages, evidence) goes through `escapeHtml`; the page loads nothing (no remote or
 * local resource), and its one script runs under a nonce-only CSP. Clickable things are
 * `<button>`s (keyboard and screen readers for free) that carry an index into `targets`/`docs`,
 * never a path or a URL the page could forge.
 */
import type { FolderReadiness, ReadinessFinding, ReadinessGap, ReadinessLocation, ReadinessPractice } from '../../common/protocol';
import type { Category, PracticeStatus, Severity } from '../../rules';
import { CATEGORY_LABELS } from '../../common/category-labels';

export const CATEGORY_ORDER: readonly Category[] = ['security', 'data-contracts', 'monitoring', 'reproducibility', 'reliability', 'governance', 'portability', 'notebook-hygiene'];
const CATEGORY_SHORT: Record<Category, string> = { monitoring: 'Mon', portability: 'Port', 'data-contracts': 'Data', reproducibility: 'Repro', governance: 'Gov', security: 'Sec', reliability: 'Rel', 'notebook-hygiene': 'NB' };
const STATUS_TEXT: Record<PracticeStatus, string> = { met: 'Met', partly: 'Partly met', missing: 'Missing', 'not-applicable': 'Not applicable' };

/** Where a click goes: a finding or a location, in the shape `revealFinding` opens. */
export interface PanelTarget {
  uri: string;
  cellUri?: string;
  cell?: number;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface PanelModel {
  folder?: FolderReadiness;
  /** Shown instead of a score (no folder, server not running …). */
  message?: string;
  /** True while a rescan runs. */
  busy?: boolean;
}

export interface RenderedPanel {
  body: string;
  targets: PanelTarget[];
  docs: string[];
}

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A nonce: 32 characters from [A-Za-z0-9], from the given random source (crypto in the extension). */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => chars[b % chars.length]).join('');
}

function scoreClass(n: number): string {
  return n >= 80 ? 'good' : n >= 50 ? 'fair' : 'poor';
}

function gauge(score: number): string {
  const r = 52;
  const c = 2 * Math.PI * r;
  const filled = (Math.max(0, Math.min(100, score)) / 100) * c;
  return `<svg class="gauge ${scoreClass(score)}" width="128" height="128" viewBox="0 0 128 128" role="img" aria-label="Overall readiness ${score} of 100">
<circle cx="64" cy="64" r="${r}" class="gauge-track"/><circle cx="64" cy="64" r="${r}" class="gauge-fill" stroke-dasharray="${filled.toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 64 64)"/>
<text x="64" y="70" text-anchor="middle" class="gauge-text">${score}</text></svg>`;
}

const STATUS_ICON: Record<PracticeStatus, string> = {
  met: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3 3 7-7" class="i-met" fill="none" stroke-width="2"/></svg>',
  partly: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" class="i-partly" fill="none" stroke-width="2"/><path d="M8 2a6 6 0 0 1 0 12z" class="i-partly-fill"/></svg>',
  missing: '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 4l8 8M12 4l-8 8" class="i-missing" stroke-width="2"/></svg>',
  'not-applicable': '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 8h8" class="i-na" stroke-width="2"/></svg>',
};

export function renderPanelBody(model: PanelModel): RenderedPanel {
  const targets: PanelTarget[] = [];
  const docs: string[] = [];
  const target = (t: PanelTarget | undefined): string => {
    if (!t) return '';
    targets.push(t);
    return ` data-target="${targets.length - 1}"`;
  };
  const doc = (url: string | undefined): string => {
    if (!url) return '';
    docs.push(url);
    return ` data-doc="${docs.length - 1}"`;
  };
  const toolbar = `<div class="toolbar" role="toolbar" aria-label="Readiness actions">
<button type="button" data-command="rescan"${model.busy ? ' disabled' : ''}>Re-scan</button>
<button type="button" data-command="fixAll">Fix all safe issues in the workspace…</button>
<button type="button" data-command="export">Export report…</button></div>`;
  const folder = model.folder;
  if (!folder) {
    return { body: `${toolbar}<p class="message" role="status">${escapeHtml(model.message ?? 'No readiness score yet.')}</p>`, targets, docs };
  }
  const s = folder.score;
  const parts: string[] = [toolbar];
  const state = model.busy || folder.scanning ? 'Scanning…' : folder.scanned ? (folder.scannedAt ? `Scanned ${escapeHtml(folder.scannedAt.replace('T', ' ').slice(0, 19))}` : 'Scanned') : 'Open files only (the workspace is not scanned yet)';
  const stage = s.stage ?? folder.stage;
  const counts = folder.bySeverity;
  parts.push(`<section class="summary" aria-label="Overall score">${gauge(s.overall)}<div><h1>ML readiness of ${escapeHtml(folder.name)}: ${s.overall}/100</h1>
<p>${stage ? `Stage <b>${escapeHtml(stage)}</b> · ` : ''}${counts.error} errors, ${counts.warning} warnings, ${counts.info} info · ${folder.files.length} files with findings</p><p class="muted" role="status">${state}</p></div></section>`);

  // categories
  parts.push('<section aria-labelledby="h-cat"><h2 id="h-cat">Categories</h2><ul class="bars">');
  for (const c of CATEGORY_ORDER) {
    const v = s.categories[c];
    if (typeof v !== 'number') continue;
    const d = s.details?.[c];
    const lost = d?.losses.filter((l) => l.points > 0).map((l) => `${l.kind === 'practice' ? l.label : l.id} −${l.points}`).join(', ');
    parts.push(`<li><span class="bar-label">${CATEGORY_LABELS[c]}${d && !d.counted ? ' <span class="muted">(not counted)</span>' : ''}</span>
<svg class="bar" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${v}" aria-label="${CATEGORY_LABELS[c]} ${v} of 100" width="100%" height="12" preserveAspectRatio="none"><rect class="bar-track" x="0" y="0" width="100%" height="12"/><rect class="bar-fill ${scoreClass(v)}" x="0" y="0" width="${v}%" height="12"/></svg><span class="bar-value">${v}</span>
${lost ? `<span class="bar-why muted">Lost: ${escapeHtml(lost)}</span>` : ''}</li>`);
  }
  parts.push('</ul></section>');

  // practices
  if (s.practices?.length) {
    parts.push('<section aria-labelledby="h-pr"><h2 id="h-pr">Practices</h2><ul class="practices">');
    for (const p of s.practices) parts.push(practiceItem(p, target, doc));
    parts.push('</ul></section>');
  }

  // top gaps
  const gaps = folder.gaps ?? [];
  parts.push('<section aria-labelledby="h-gaps"><h2 id="h-gaps">Top gaps</h2>');
  if (!gaps.length) parts.push('<p class="muted">Nothing costs points. Well done.</p>');
  else {
    parts.push('<ol class="gaps">');
    for (const g of gaps.slice(0, 10)) parts.push(gapItem(g, target, doc));
    parts.push('</ol>');
  }
  parts.push('</section>');

  // files table
  const cats = CATEGORY_ORDER.filter((c) => folder.files.some((f) => f.byCategory[c]));
  parts.push(`<section aria-labelledby="h-files"><h2 id="h-files">Files</h2>
<div class="filters"><label>Filter <input type="search" id="filter" placeholder="file name or message" aria-label="Filter files and findings"></label>
<label>Category <select id="category" aria-label="Show one category"><option value="">All</option>${cats.map((c) => `<option value="${c}">${CATEGORY_LABELS[c]}</option>`).join('')}</select></label></div>`);
  if (!folder.files.length) parts.push('<p class="muted">No file has findings.</p>');
  else {
    parts.push(`<table id="files" aria-label="Files with findings per category"><thead><tr><th aria-sort="none"><button type="button" data-sort="path">File</button></th><th aria-sort="descending" class="num"><button type="button" data-sort="total">Findings</button></th>${cats
      .map((c) => `<th aria-sort="none" class="num"><button type="button" data-sort="${c}" title="${CATEGORY_LABELS[c]}" aria-label="${CATEGORY_LABELS[c]}">${CATEGORY_SHORT[c]}</button></th>`)
      .join('')}</tr></thead><tbody>`);
    for (const f of folder.files) {
      const first = (folder.findings ?? folder.topFindings).find((x) => x.path === f.path);
      const cells = cats.map((c) => `<td class="num" data-key-${c}="${f.byCategory[c] ?? 0}">${f.byCategory[c] ?? ''}</td>`).join('');
      parts.push(`<tr data-path="${escapeHtml(f.path.toLowerCase())}" data-cats="${Object.keys(f.byCategory).join(' ')}" data-key-path="${escapeHtml(f.path.toLowerCase())}" data-key-total="${f.findings}"><td><button type="button" class="link"${target(first ? findingTarget(first) : { uri: f.uri })}>${escapeHtml(f.path)}</button>${f.open ? ' <span class="muted">(open)</span>' : ''}</td><td class="num">${f.findings}</td>${cells}</tr>`);
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>');

  // findings by file
  const findings = folder.findings ?? [...folder.projectFindings, ...folder.topFindings];
  parts.push(`<section aria-labelledby="h-findings"><h2 id="h-findings">Findings</h2>${folder.findingsTruncated ? '<p class="muted">Only the first findings are listed.</p>' : ''}`);
  const groups = new Map<string, ReadinessFinding[]>();
  for (const f of findings) {
    const key = f.path ?? '(project)';
    const l = groups.get(key) ?? [];
    l.push(f);
    groups.set(key, l);
  }
  for (const [file, list] of groups) {
    parts.push(`<details class="file-group" data-path="${escapeHtml(file.toLowerCase())}"><summary>${escapeHtml(file)} <span class="muted">(${list.length})</span></summary><ul class="findings">`);
    for (const f of list) {
      const where = f.path === null ? 'project' : `${f.cell !== undefined ? `cell ${f.cell + 1}, ` : ''}line ${f.range.start.line + 1}`;
      const label = `${f.severity} ${f.code} ${f.message} at ${f.path ?? 'project'} ${where}`;
      parts.push(`<li data-cat="${f.category}" data-text="${escapeHtml(`${f.code} ${f.message}`.toLowerCase())}"><span class="sev sev-${sev(f.severity)}" aria-hidden="true">${sevGlyph(f.severity)}</span> ${
        f.uri ? `<button type="button" class="link"${target(findingTarget(f))} aria-label="${escapeHtml(label)}">` : '<span>'
      }<b>${escapeHtml(f.code)}</b> ${escapeHtml(f.message)}${f.uri ? '</button>' : '</span>'} <span class="muted">${escapeHtml(where)}</span> <button type="button" class="doc"${doc(f.docUrl)} aria-label="Documentation of ${escapeHtml(f.code)}">docs</button></li>`);
    }
    parts.push('</ul></details>');
  }
  if (!groups.size) parts.push('<p class="muted">No findings.</p>');
  parts.push('</section>');
  return { body: parts.join('\n'), targets, docs };
}

function sev(s: Severity): string {
  return s;
}
function sevGlyph(s: Severity): string {
  return s === 'error' ? '●' : s === 'warning' ? '▲' : s === 'info' ? 'ℹ' : '·';
}

function findingTarget(f: ReadinessFinding): PanelTarget | undefined {
  if (!f.uri) return undefined;
  return { uri: f.uri, ...(f.cellUri ? { cellUri: f.cellUri } : {}), ...(f.cell !== undefined ? { cell: f.cell } : {}), range: f.range };
}

function locationTarget(l: ReadinessLocation): PanelTarget {
  return { uri: l.uri, ...(l.cellUri ? { cellUri: l.cellUri } : {}), ...(l.cell !== undefined ? { cell: l.cell } : {}), ...(l.range ? { range: l.range } : {}) };
}

function locationLabel(l: ReadinessLocation): string {
  return `${l.path}${l.cell !== undefined ? ` cell ${l.cell + 1}` : ''}${l.range ? `:${l.range.start.line + 1}` : ''}`;
}

function practiceItem(p: ReadinessPractice, target: (t: PanelTarget) => string, doc: (u: string | undefined) => string): string {
  const points = p.status === 'not-applicable' ? 'not applicable' : p.expected ? `${p.earned}/${p.points} points` : `not expected before ${p.expectedFrom}`;
  const locs = p.locations.slice(0, 3).map((l) => `<button type="button" class="link"${target(locationTarget(l))}>${escapeHtml(locationLabel(l))}</button>`).join(' ');
  return `<li class="practice st-${p.status}"><span class="status" aria-label="${STATUS_TEXT[p.status]}">${STATUS_ICON[p.status]}</span><div>
<div><b>${escapeHtml(p.title)}</b> <span class="muted">${escapeHtml(CATEGORY_LABELS[p.category])} · ${STATUS_TEXT[p.status]} · ${points}</span></div>
<div>${escapeHtml(p.evidence)}</div>
<div class="muted">Why: ${escapeHtml(p.why)}</div>
${p.status === 'met' || p.status === 'not-applicable' ? '' : `<div>Fix: ${escapeHtml(p.fix)}${p.docUrl ? ` <button type="button" class="doc"${doc(p.docUrl)} aria-label="Documentation: ${escapeHtml(p.title)}">docs</button>` : ''}</div>`}
${locs ? `<div class="locs">${locs}</div>` : ''}</div></li>`;
}

function gapItem(g: ReadinessGap, target: (t: PanelTarget) => string, doc: (u: string | undefined) => string): string {
  const first = g.locations[0];
  const title = first ? `<button type="button" class="link gap-title"${target(locationTarget(first))} aria-label="${escapeHtml(`${g.title}: open ${locationLabel(first)}`)}">${escapeHtml(g.title)}</button>` : `<b>${escapeHtml(g.title)}</b>`;
  return `<li class="gap">${title} <span class="impact">+${g.impact} overall</span> <span class="muted">${escapeHtml(CATEGORY_LABELS[g.category])}</span>
<div>${escapeHtml(g.detail)}</div>${g.fix ? `<div class="muted">Fix: ${escapeHtml(g.fix)}</div>` : ''}${g.docUrl ? `<button type="button" class="doc"${doc(g.docUrl)} aria-label="Documentation: ${escapeHtml(g.title)}">docs</button>` : ''}</li>`;
}

const STYLE = `
body{color:var(--vscode-foreground);background:var(--vscode-editor-background);font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);padding:0 1rem 2rem}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;border-bottom:1px solid var(--vscode-panel-border,var(--vscode-widget-border,transparent));padding-bottom:.2em;margin-top:1.4em}
.muted{color:var(--vscode-descriptionForeground)}
.toolbar{display:flex;gap:.5em;flex-wrap:wrap;margin:.8em 0}
button{font:inherit;color:var(--vscode-button-foreground);background:var(--vscode-button-background);border:1px solid var(--vscode-button-border,transparent);padding:.25em .7em;border-radius:2px;cursor:pointer}
button:hover{background:var(--vscode-button-hoverBackground)}
button:disabled{opacity:.6;cursor:default}
button.link,button.doc,th button{background:none;border:none;padding:0;color:var(--vscode-textLink-foreground);text-align:left}
button.link:hover,button.doc:hover{text-decoration:underline;background:none}
th button{color:var(--vscode-foreground);font-weight:600}
button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:1px solid var(--vscode-focusBorder);outline-offset:2px}
input,select{font:inherit;color:var(--vscode-input-foreground);background:var(--vscode-input-background);border:1px solid var(--vscode-input-border,transparent);padding:.2em .4em}
.summary{display:flex;gap:1.2em;align-items:center}
.gauge-track{fill:none;stroke:var(--vscode-editorWidget-border,var(--vscode-widget-border,#8884));stroke-width:12}
.gauge-fill{fill:none;stroke-width:12;stroke-linecap:round}
.gauge.good .gauge-fill{stroke:var(--vscode-charts-green)}.gauge.fair .gauge-fill{stroke:var(--vscode-charts-yellow)}.gauge.poor .gauge-fill{stroke:var(--vscode-charts-red)}
.gauge-text{fill:var(--vscode-foreground);font-size:28px;font-weight:700}
.bars{list-style:none;padding:0}.bars li{display:grid;grid-template-columns:10em 1fr 3em;gap:.5em;align-items:center;margin:.3em 0}
.bar-track{fill:var(--vscode-editorWidget-background,var(--vscode-input-background));stroke:var(--vscode-contrastBorder,transparent)}
.bar-fill.good{fill:var(--vscode-charts-green)}.bar-fill.fair{fill:var(--vscode-charts-yellow)}.bar-fill.poor{fill:var(--vscode-charts-red)}
.bar-value{text-align:right;font-variant-numeric:tabular-nums}.bar-why{grid-column:2 / 4;font-size:.9em}
.practices,.gaps,.findings{padding-left:0;list-style:none}.gaps{list-style:decimal;padding-left:1.5em}
.practice{display:flex;gap:.6em;margin:.6em 0}.practice .status{padding-top:.15em}
.i-met{stroke:var(--vscode-charts-green)}.i-partly{stroke:var(--vscode-charts-yellow)}.i-partly-fill{fill:var(--vscode-charts-yellow)}.i-missing{stroke:var(--vscode-charts-red)}.i-na{stroke:var(--vscode-descriptionForeground)}
.gap{margin:.5em 0}.impact{font-weight:600}
.locs{display:flex;gap:.8em;flex-wrap:wrap}
.filters{display:flex;gap:1em;margin:.5em 0}
table{border-collapse:collapse;width:100%}th,td{padding:.2em .5em;border-bottom:1px solid var(--vscode-panel-border,var(--vscode-widget-border,transparent));text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:var(--vscode-editorError-foreground)}.sev-warning{color:var(--vscode-editorWarning-foreground)}.sev-info,.sev-hint{color:var(--vscode-editorInfo-foreground)}
.findings li{margin:.2em 0 .2em 1em}
.hidden{display:none}
`;

/** The page's script: actions and clicks become messages; sorting and filtering happen in the page. */
const SCRIPT = `(function(){
const vscode = acquireVsCodeApi();
const main = document.getElementById('main');
let sortKey = 'total', sortDir = -1, folderUri = (vscode.getState() || {}).folderUri;
function post(m){ vscode.postMessage(m); }
document.addEventListener('click', function(e){
  const el = e.target instanceof Element ? e.target.closest('button') : null;
  if (!el) return;
  if (el.dataset.command) post({ command: el.dataset.command });
  else if (el.dataset.target !== undefined) post({ command: 'open', target: Number(el.dataset.target) });
  else if (el.dataset.doc !== undefined) post({ command: 'doc', doc: Number(el.dataset.doc) });
  else if (el.dataset.sort) { const k = el.dataset.sort; sortDir = k === sortKey ? -sortDir : (k === 'path' ? 1 : -1); sortKey = k; sort(); }
});
document.addEventListener('input', function(e){ if (e.target && (e.target.id === 'filter' || e.target.id === 'category')) filter(); });
document.addEventListener('change', function(e){ if (e.target && e.target.id === 'category') filter(); });
function sort(){
  const table = document.getElementById('files'); if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const val = function(r){ const v = r.getAttribute('data-key-' + sortKey) || (r.querySelector('[data-key-' + sortKey + ']') || {getAttribute: function(){ return '0'; }}).getAttribute('data-key-' + sortKey); return sortKey === 'path' ? v : Number(v); };
  rows.sort(function(a,b){ const x = val(a), y = val(b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
  rows.forEach(function(r){ body.appendChild(r); });
  table.querySelectorAll('th').forEach(function(th){ const b = th.querySelector('button'); th.setAttribute('aria-sort', b && b.dataset.sort === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none'); });
  save();
}
function filter(){
  const q = (document.getElementById('filter') || {}).value || '';
  const cat = (document.getElementById('category') || {}).value || '';
  const text = q.toLowerCase();
  document.querySelectorAll('#files tbody tr').forEach(function(r){
    const ok = (!text || r.dataset.path.indexOf(text) >= 0) && (!cat || (' ' + r.dataset.cats + ' ').indexOf(' ' + cat + ' ') >= 0);
    r.classList.toggle('hidden', !ok);
  });
  document.querySelectorAll('.file-group').forEach(function(g){
    let any = false;
    g.querySelectorAll('li').forEach(function(li){
      const ok = (!cat || li.dataset.cat === cat) && (!text || g.dataset.path.indexOf(text) >= 0 || li.dataset.text.indexOf(text) >= 0);
      li.classList.toggle('hidden', !ok); if (ok) any = true;
    });
    g.classList.toggle('hidden', !any);
  });
  save();
}
function save(){ const f = document.getElementById('filter'), c = document.getElementById('category'); vscode.setState({ folderUri: folderUri, sortKey: sortKey, sortDir: sortDir, filter: f ? f.value : '', category: c ? c.value : '' }); }
function restore(){ const s = vscode.getState(); if (!s) return; sortKey = s.sortKey || sortKey; sortDir = s.sortDir || sortDir; const f = document.getElementById('filter'), c = document.getElementById('category'); if (f) f.value = s.filter || ''; if (c) c.value = s.category || ''; sort(); filter(); }
window.addEventListener('message', function(e){
  const m = e.data;
  if (m && m.command === 'update' && typeof m.body === 'string') {
    if (typeof m.folderUri === 'string') folderUri = m.folderUri;
    const open = Array.from(document.querySelectorAll('.file-group[open]')).map(function(d){ return d.dataset.path; });
    const focused = document.activeElement && document.activeElement.id;
    main.innerHTML = m.body;
    document.querySelectorAll('.file-group').forEach(function(d){ if (open.indexOf(d.dataset.path) >= 0) d.open = true; });
    restore();
    if (focused) { const el = document.getElementById(focused); if (el) el.focus(); }
  }
});
restore();
post({ command: 'ready' });
})();`;

/** The whole page. `cspSource` is `webview.cspSource`; nothing is loaded from it, but styles may be. */
export function renderPanelHtml(options: { cspSource: string; nonce: string; body: string }): string {
  const nonce = options.nonce.replace(/[^A-Za-z0-9+/=]/g, '');
  const csp = `default-src 'none'; style-src ${options.cspSource.replace(/[^\w:/.*+\- ]/g, '')} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:;`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>ML Readiness</title>
<style nonce="${nonce}">${STYLE}</style>
</head><body>
<main id="main" aria-label="ML readiness">${options.body}</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>`;
}
