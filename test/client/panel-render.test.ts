import { strict as assert } from 'assert';
import type { FolderReadiness, ReadinessFinding } from '../../common/protocol';
import { escapeHtml, makeNonce, renderPanelBody, renderPanelHtml } from '../../client/panel/render';
import { readinessTreeModel } from '../../client/tree/model';

/** The readiness webview's HTML, rendered without VS Code: hostile workspace strings stay text, the CSP is strict. */
const HOSTILE = `<img src=x onerror=alert(1)></script><script>alert(2)</script>"'\``;

function finding(over: Partial<ReadinessFinding> = {}): ReadinessFinding {
  return { code: 'P101', name: 'hardcoded-user-path', category: 'portability', severity: 'warning', message: `path ${HOSTILE}`, path: `src/${HOSTILE}.py`, uri: `file:///w/src/x.py`, range: { start: { line: 3, character: 1 }, end: { line: 3, character: 9 } }, docUrl: 'file:///ext/docs/P101.md', ...over };
}

function folder(): FolderReadiness {
  const cats = { monitoring: 40, portability: 97, 'data-contracts': 100, reproducibility: 100, governance: 100, security: 100, reliability: 100, 'notebook-hygiene': 100 } as const;
  return {
    folderUri: 'file:///w',
    name: `w ${HOSTILE}`,
    stage: 'pilot',
    score: {
      overall: 88,
      categories: { ...cats },
      deductions: [],
      stage: 'pilot',
      practices: [{ id: 'experiment-tracking', title: 'Experiment tracking configured', category: 'monitoring', section: 'model', status: 'missing', expected: true, expectedFrom: 'exploration', weight: 2, points: 60, earned: 0, why: 'why', evidence: `evidence ${HOSTILE}`, fix: 'fix', codes: ['M101'], docUrl: 'https://x/M101.md', locations: [{ path: `${HOSTILE}.py`, uri: 'file:///w/a.py', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] }],
    },
    gaps: [{ kind: 'findings', id: 'P101', category: 'portability', title: `P101 ${HOSTILE}`, impact: 1.2, categoryPoints: 3, detail: HOSTILE, locations: [{ path: 'nb.ipynb', uri: 'file:///w/nb.ipynb', cell: 2, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } } }] }],
    bySeverity: { error: 0, warning: 1, info: 0, hint: 0 },
    byCategory: { portability: 1 },
    files: [{ path: `src/${HOSTILE}.py`, uri: 'file:///w/src/x.py', findings: 1, byCategory: { portability: 1 }, bySeverity: { error: 0, warning: 1, info: 0, hint: 0 }, open: false }],
    topFindings: [finding()],
    findings: [finding(), finding({ code: 'N101', category: 'notebook-hygiene', path: 'nb.ipynb', uri: 'file:///w/nb.ipynb', cell: 2, message: 'cell' })],
    projectFindings: [],
    skipped: [],
    scanned: true,
    scanning: false,
  };
}

describe('client: readiness panel HTML', () => {
  it('shows hostile file names and messages only as text', () => {
    const { body, targets, docs } = renderPanelBody({ folder: folder() });
    assert.ok(!body.includes('<img'), 'no img element');
    assert.ok(!/<script/i.test(body), 'no script element in the body');
    assert.ok(!body.includes('</script>'));
    assert.ok(body.includes('&#60;img src=x onerror=alert(1)&#62;'), 'the name appears escaped');
    assert.ok(!/onerror=alert\(1\)>/.test(body));
    // clicks carry indexes, never paths: the notebook finding opens its cell at its range
    assert.ok(targets.some((t) => t.uri === 'file:///w/nb.ipynb' && t.cell === 2 && t.range?.start.line === 1));
    assert.ok(docs.includes('https://x/M101.md'));
    assert.match(body, /data-target="\d+"/);
    assert.ok(!/data-target="[^"\d]/.test(body));
  });

  it('has a strict CSP with the nonce and no remote source; only the nonced script runs', () => {
    const nonce = makeNonce((n) => new Uint8Array(n).map((_, i) => i * 7));
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    const html = renderPanelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, body: renderPanelBody({ folder: folder() }).body });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp);
    assert.match(csp!, /^default-src 'none'; /);
    assert.ok(csp!.includes(`script-src 'nonce-${nonce}'`));
    assert.ok(csp!.includes(`style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-${nonce}'`));
    assert.ok(!/unsafe-inline|unsafe-eval|https?:\/\/(?!file\+\.vscode-resource)/.test(csp!));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${nonce}">`]);
    assert.ok(!/\s(src|href)="(https?:)?\/\//.test(html), 'no remote resource');
    assert.ok(!/\son[a-z]+=/i.test(html.replace(/&#60;img src=x onerror=alert\(1\)&#62;/g, '')), 'no inline event handlers');
    assert.ok(!/\sstyle="/.test(html), 'no style attributes (blocked by the CSP)');
  });

  it('renders score, bars with accessible names, practices, gaps and the sortable table', () => {
    const { body } = renderPanelBody({ folder: folder() });
    assert.match(body, /aria-label="Overall readiness 88 of 100"/);
    assert.match(body, /role="meter"[^>]*aria-valuenow="40"[^>]*aria-label="Monitoring 40 of 100"/);
    assert.match(body, /Experiment tracking configured/);
    assert.match(body, /\+1\.2 overall/);
    assert.match(body, /<th aria-sort="none"><button type="button" data-sort="path">File<\/button><\/th>/);
    for (const c of ['rescan', 'fixAll', 'export']) assert.match(body, new RegExp(`data-command="${c}"`));
  });

  it('escapes like the HTML spec needs, and says so when there is no folder', () => {
    assert.equal(escapeHtml(`<a href="x">'&\``), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#96;');
    assert.match(renderPanelBody({ message: HOSTILE }).body, /&#60;img/);
  });

  it('builds the tree Readiness → category (weakest first) → file → finding', () => {
    const [root] = readinessTreeModel([folder()]);
    assert.equal(root.label, 'Readiness 88/100');
    assert.equal(root.children![0].label, 'Monitoring');
    const portability = root.children!.find((c) => c.label === 'Portability')!;
    assert.equal(portability.children![0].label, `src/${HOSTILE}.py`);
    assert.equal(portability.children![0].children![0].finding?.code, 'P101');
  });
});
