import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readinessHtml, readinessMarkdown, type ReadinessReportModel } from '../../cli/report-readiness';
import { CLI, ensureBuilt, REPO } from './helpers';

/** `mlready report`: Markdown and self-contained HTML, run through the real bundle, and escaping of hostile content. */
const HOSTILE = '<img src=x onerror=alert(1)></script>"\'|`';

function model(): ReadinessReportModel {
  return {
    root: `proj ${HOSTILE}`,
    version: '0.0.0',
    score: {
      overall: 42,
      categories: { monitoring: 10, portability: 100, 'data-contracts': 50, reproducibility: 60, governance: 70, security: 0, reliability: 90, 'notebook-hygiene': 100 },
      stage: 'pilot',
      practices: [{ id: 'no-secrets', title: 'No secrets in the code', category: 'security', status: 'missing', expected: true, points: 60, earned: 0, why: 'why', evidence: `found in ${HOSTILE}`, fix: 'fix', docUrl: 'javascript:alert(1)' }],
    },
    gaps: [{ kind: 'practice', id: 'no-secrets', category: 'security', title: 'No secrets', impact: 12, detail: HOSTILE, fix: 'rotate', docUrl: 'https://example.com/doc' }],
    findings: [{ code: 'S101', name: 'hardcoded-secret', category: 'security', severity: 'error', message: `secret ${HOSTILE}`, file: `src/${HOSTILE}.py`, range: { start: { line: 2, character: 4 } } }],
    suppressions: [{ file: 'a.py', line: 1, codes: ['P101'], reason: `because ${HOSTILE}`, fileLevel: false, used: true }],
    scanned: 1,
    skipped: [],
  };
}

describe('cli: mlready report', function () {
  this.timeout(120000);
  before(() => ensureBuilt());

  it('HTML escapes every workspace string, has no script, no external resource, and an SVG chart', () => {
    const html = readinessHtml(model());
    assert.ok(!html.includes('<img'), 'no raw img tag');
    assert.ok(!/<script/i.test(html), 'no script at all');
    assert.ok(!html.includes('</script>'));
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;'), 'hostile text shown as text');
    assert.ok(!html.includes('href="javascript:'), 'unsafe link dropped');
    assert.ok(html.includes('<a href="https://example.com/doc">'));
    assert.match(html, /<svg[^>]+role="img"[^>]+aria-label="Category scores"/);
    assert.ok(!/(src|href)="(https?:)?\/\/(?!example\.com)/.test(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')), 'no external resource');
    assert.match(html, /default-src 'none'/);
  });

  it('Markdown neutralises HTML and table pipes', () => {
    const md = readinessMarkdown(model());
    assert.ok(!md.includes('<img'));
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.match(md, /\| because &lt;img src=x onerror=alert\(1\)&gt;&lt;\/script&gt;"'\\\|\\` \|/);
    assert.match(md, /## Suppressions/);
    assert.match(md, /\*\*Readiness score: 42\/100\*\*/);
  });

  it('writes both formats for a project, with practices, gaps, suppressions and findings per file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-report-'));
    try {
      fs.writeFileSync(path.join(dir, 'train.py'), 'import pandas as pd\ndf = pd.read_csv("/home/alice/data.csv")  # mlready: ignore[P101] reason: sample path\n');
      const md = execFileSync(process.execPath, [CLI, 'report', dir], { cwd: REPO, encoding: 'utf8' });
      assert.match(md, /^# ML readiness report: /);
      for (const h of ['## Categories', '## Practices', '## Top gaps', '## Suppressions', '## Findings by file']) assert.ok(md.includes(h), h);
      assert.match(md, /\| train\.py:2 \| P101 \| sample path \| yes \|/);
      const out = path.join(dir, 'report.html');
      const r = spawnSync(process.execPath, [CLI, 'report', dir, '--format', 'html', '--output', out], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const html = fs.readFileSync(out, 'utf8');
      assert.match(html, /^<!DOCTYPE html>/);
      assert.ok(!/<script/i.test(html));
      const json = JSON.parse(execFileSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never'], { cwd: REPO, encoding: 'utf8' }));
      assert.ok(md.includes(`**Readiness score: ${json.score.overall}/100**`), 'same number as check --format json');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown format with exit code 2', () => {
    const r = spawnSync(process.execPath, [CLI, 'report', '.', '--format', 'pdf'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be one of markdown, html/);
  });
});
