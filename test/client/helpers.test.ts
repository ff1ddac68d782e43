import { strict as assert } from 'assert';
import { classifyDocTarget, docArgument, docFileForCode, docPickItems } from '../../client/docs/doc-target';
import { normalizeCounts } from '../../client/server-api';
import { countsSummary, RESTRICTED_TOOLTIP, statusPresentation, type StatusModel } from '../../client/status-text';
import { fixAllConfirmation, fixAllDone, plural, scanSummary, scoreBar } from '../../client/text';

/** The client's pure helpers: wording of the status bar, doc links, readiness rows. */
const COMMANDS = { readiness: 'mlready.showReadiness', output: 'mlready.showOutput' };
const base: StatusModel = { trusted: true, enabled: true, server: 'running', scanning: false };
const counts = (error = 0, warning = 0, info = 0, hint = 0) => ({ error, warning, info, hint });

describe('client: status bar text', () => {
  it('shows the score with error and warning badges, and opens the readiness view', () => {
    const p = statusPresentation({ ...base, score: 72, counts: counts(1, 5, 3), files: 12 }, COMMANDS);
    assert.equal(p.text, '$(checklist) 72 $(error) 1 $(warning) 5');
    assert.equal(p.command, COMMANDS.readiness);
    assert.match(p.tooltip, /ML readiness 72\/100/);
    assert.match(p.tooltip, /1 error, 5 warnings, 3 infos in 12 files/);
    assert.equal(p.accessibleLabel, 'mlready readiness 72 of 100, 1 error, 5 warnings, 3 infos');
  });

  it('has no badges when there is nothing to fix', () => {
    assert.equal(statusPresentation({ ...base, score: 100, counts: counts() }, COMMANDS).text, '$(checklist) 100');
  });

  it('spins while the server starts or a scan runs', () => {
    assert.equal(statusPresentation({ ...base, scanning: true, score: 40 }, COMMANDS).text, '$(sync~spin) mlready');
    assert.match(statusPresentation({ ...base, server: 'starting' }, COMMANDS).tooltip, /Starting/);
    assert.match(statusPresentation({ ...base, scanning: true, message: 'Scanning 120 files…' }, COMMANDS).tooltip, /Scanning 120 files…/);
  });

  it('says "restricted" in an untrusted workspace and explains read-only analysis', () => {
    const p = statusPresentation({ ...base, trusted: false, score: 80 }, COMMANDS);
    assert.equal(p.text, '$(shield) mlready (restricted)');
    assert.ok(p.tooltip.startsWith(RESTRICTED_TOOLTIP));
    assert.match(p.tooltip, /read-only/);
    assert.match(p.tooltip, /80\/100/);
    assert.equal(p.command, COMMANDS.readiness, 'the score is read-only, so it stays available');
    assert.equal(statusPresentation({ ...base, trusted: false, scanning: true }, COMMANDS).text, '$(sync~spin) mlready (restricted)');
  });

  it('points to the output when the server is down, and names the setting when disabled', () => {
    const stopped = statusPresentation({ ...base, server: 'stopped', score: 50 }, COMMANDS);
    assert.equal(stopped.command, COMMANDS.output);
    assert.match(stopped.tooltip, /not running/);
    assert.match(statusPresentation({ ...base, enabled: false }, COMMANDS).tooltip, /mlready\.enable/);
  });

  it('invites a first scan before any score exists', () => {
    const p = statusPresentation(base, COMMANDS);
    assert.equal(p.text, '$(checklist) mlready');
    assert.match(p.tooltip, /No readiness score yet/);
  });

  it('summarises counts with plurals and skips zeros', () => {
    assert.equal(countsSummary(counts(0, 1, 0, 2)), '1 warning, 2 hints');
    assert.equal(countsSummary(counts()), 'no findings');
    assert.equal(countsSummary(undefined), '');
  });

  it('fills counts a server left out', () => {
    assert.deepEqual(normalizeCounts({ error: 2 }), counts(2));
    assert.deepEqual(normalizeCounts({ error: Number.NaN, warning: 1 } as never), counts(0, 1));
    assert.equal(normalizeCounts(null), undefined);
  });
});

describe('client: rule documentation links', () => {
  it('opens shipped docs in the preview and web docs in the browser', () => {
    assert.deepEqual(classifyDocTarget('file:///ext/docs/rules/P101-hardcoded-user-path.md'), {
      kind: 'preview',
      uri: 'file:///ext/docs/rules/P101-hardcoded-user-path.md',
    });
    assert.deepEqual(classifyDocTarget('https://github.com/mlready/mlready/blob/main/docs/rules/P101-x.md'), {
      kind: 'external',
      uri: 'https://github.com/mlready/mlready/blob/main/docs/rules/P101-x.md',
    });
  });

  it('refuses other schemes and garbage', () => {
    for (const bad of ['command:workbench.action.terminal.new', 'javascript:alert(1)', 'vscode://settings', 'not a url', '']) {
      assert.equal(classifyDocTarget(bad), undefined, bad);
    }
  });

  it('accepts a URI string, a Uri-like object, { href } or a rule code', () => {
    assert.deepEqual(docArgument('P101'), { code: 'P101' });
    assert.deepEqual(docArgument(' https://x/y.md '), { uri: 'https://x/y.md' });
    assert.deepEqual(docArgument({ href: 'file:///d/P101-a.md' }), { uri: 'file:///d/P101-a.md' });
    assert.deepEqual(docArgument({ code: 'G901' }), { code: 'G901' });
    const uriLike = { scheme: 'file', toString: () => 'file:///d/P102-b.md' };
    assert.deepEqual(docArgument(uriLike), { uri: 'file:///d/P102-b.md' });
    assert.equal(docArgument(undefined), undefined);
    assert.equal(docArgument({ scheme: 'file' }), undefined, 'a plain object has no meaningful toString');
    assert.equal(docArgument(42), undefined);
  });

  it('finds a doc file by code and lists docs sorted by code', () => {
    const files = ['README.md', 'P102-hardcoded-absolute-path.md', 'G901-suppression-without-reason.md', 'P101-hardcoded-user-path.md'];
    assert.equal(docFileForCode(files, 'P101'), 'P101-hardcoded-user-path.md');
    assert.equal(docFileForCode(files, 'P999'), undefined);
    assert.deepEqual(
      docPickItems(files).map((i) => `${i.code} ${i.name}`),
      ['G901 suppression-without-reason', 'P101 hardcoded-user-path', 'P102 hardcoded-absolute-path'],
    );
  });
});

describe('client: wording helpers', () => {
  it('pluralises', () => {
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(2, 'safe fix', 'safe fixes'), '2 safe fixes');
  });

  it('draws a bounded score bar', () => {
    assert.equal(scoreBar(0), '░░░░░░░░░░');
    assert.equal(scoreBar(100), '██████████');
    assert.equal(scoreBar(72), '███████░░░');
    assert.equal(scoreBar(180), '██████████');
    assert.equal(scoreBar(-5), '░░░░░░░░░░');
  });

  it('words the fix-all confirmation and result', () => {
    assert.equal(fixAllConfirmation(1, 1), 'Apply 1 safe fix in 1 file?');
    assert.equal(fixAllConfirmation(12, 5), 'Apply 12 safe fixes in 5 files?');
    assert.equal(fixAllDone(3, 2), 'mlready applied 3 safe fixes in 2 files.');
  });

  it('summarises a scan over one or several folders', () => {
    assert.equal(scanSummary([]), 'no workspace folder to scan.');
    assert.equal(scanSummary([{ scanned: 40, skipped: 0, findings: 7, score: 72.4 }]), 'scanned 40 files, 7 findings; readiness 72/100.');
    assert.equal(
      scanSummary([
        { scanned: 1, skipped: 2, findings: 1, score: 90 },
        { scanned: 3, skipped: 0, findings: 0, score: 100 },
      ]),
      'scanned 4 files, 1 finding, 2 skipped; readiness 90 / 100.',
    );
  });
});
