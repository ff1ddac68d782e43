/** The server's own building blocks, tested without a process: locators, fix selection, debouncing, logging. */
import * as assert from 'assert';
import type { Connection } from 'vscode-languageserver/node';
import { initPython, loadDocument, type Finding, type UnitEdit } from '../../rules';
import { ignoreEdit } from '../../server/lint/analyze';
import { safeFixEdits, cellBasesOf, toWorkspaceEdit } from '../../server/lint/fix-edits';
import { notebookCellsLocator, notebookJsonLocator } from '../../server/lint/locate';
import { lineStartsOf } from '../../server/lint/positions';
import { LintScheduler } from '../../server/lint/scheduler';
import { Log } from '../../server/log';
import { normalizeSettings } from '../../server/settings';
import { childUri } from '../../server/uri';

const pos = (line: number, character: number) => ({ line, character });

function edit(cell: number | undefined, start: number, end: number, newText: string): UnitEdit {
  return { ...(cell !== undefined ? { cell } : {}), range: { start: pos(0, start), end: pos(0, end) }, start, end, fileStart: start, fileEnd: end, newText };
}

function finding(edits: UnitEdit[], cell?: number): Finding {
  return {
    code: 'P101',
    name: 'hardcoded-user-path',
    category: 'portability',
    severity: 'warning',
    message: 'm',
    file: 'nb.ipynb',
    ...(cell !== undefined ? { cell } : {}),
    range: { start: pos(0, 0), end: pos(0, 1) },
    fileRange: { start: 0, end: 1 },
    fixes: [{ title: 'fix', applicability: 'safe', edits }],
    docUrl: 'https://example/P101',
  };
}

describe('server units', () => {
  before(() => initPython());

  describe('locators', () => {
    it('escapes text inserted into a notebook cell for its JSON string, and maps file offsets to positions', () => {
      const text = '{\n "source": ["a = 1\\n"]\n}';
      const locator = notebookJsonLocator('file:///nb.ipynb', lineStartsOf(text));
      const at = text.indexOf('a = 1');
      const e = locator.edit({ ...edit(0, 0, 0, 'say "hi"\n'), fileStart: at, fileEnd: at })!;
      assert.deepStrictEqual(e.range.start, pos(1, at - text.indexOf('\n') - 1));
      assert.strictEqual(e.newText, 'say \\"hi\\"\\n');
      // an edit of the JSON itself (no cell) is not escaped
      assert.strictEqual(locator.edit(edit(undefined, 0, 1, '"'))!.newText, '"');
    });

    it('places cell findings on their cell URI and whole-notebook findings on the first cell', () => {
      const locator = notebookCellsLocator(['cell:0', 'cell:1']);
      assert.strictEqual(locator.finding(finding([], 1))!.uri, 'cell:1');
      assert.deepStrictEqual(locator.finding(finding([])), { uri: 'cell:0', range: { start: pos(0, 0), end: pos(0, 0) } });
      assert.strictEqual(locator.edit(edit(undefined, 0, 0, 'x')), undefined);
      assert.strictEqual(notebookCellsLocator([]).finding(finding([])), undefined);
    });
  });

  describe('fix-all edits', () => {
    it('in notebook documents, fixes at the same offsets of different cells do not count as overlapping', () => {
      const cells = ['a = "/home/x"', 'b = "/home/y"'];
      const findings = [finding([edit(0, 4, 13, 'A')], 0), finding([edit(1, 4, 13, 'B')], 1)];
      const locator = notebookCellsLocator(['cell:0', 'cell:1']);
      assert.strictEqual(safeFixEdits(findings, locator, cellBasesOf(cells)).fixes, 2);
      // without cell bases the engine would see one overlap
      assert.strictEqual(safeFixEdits(findings, locator).fixes, 1);
    });

    it('never combines overlapping fixes in one document', () => {
      const findings = [finding([edit(undefined, 0, 10, 'x')]), finding([edit(undefined, 5, 12, 'y')])];
      const locator = notebookJsonLocator('file:///a', lineStartsOf('0123456789abcdef'));
      assert.strictEqual(safeFixEdits(findings, locator).fixes, 1);
    });

    it('keeps an edit shared by two fixes (the same import) once', () => {
      const e = { uri: 'file:///a.py', range: { start: pos(0, 0), end: pos(0, 0) }, newText: 'import os\n' };
      const we = toWorkspaceEdit([e, { ...e }, { ...e, newText: 'x' }], false, () => undefined);
      assert.strictEqual(we.changes!['file:///a.py'].length, 2);
      const versioned = toWorkspaceEdit([e], true, () => 4);
      assert.deepStrictEqual((versioned.documentChanges![0] as { textDocument: unknown }).textDocument, { uri: 'file:///a.py', version: 4 });
    });
  });

  describe('"ignore for this line" edit', () => {
    const at = (line: number): Finding => ({ ...finding([]), range: { start: pos(line, 4), end: pos(line, 8) } });

    it('inserts the comment above, with the line indentation and the file line ending', () => {
      const doc = loadDocument('a.py', 'def f():\r\n    return "/home/x"\r\n');
      try {
        const e = ignoreEdit(doc, at(1))!;
        assert.strictEqual(e.newText, '    # mlready: ignore[P101] reason: <why this is acceptable>\r\n');
        assert.strictEqual(e.start, 10);
      } finally {
        doc.dispose();
      }
    });

    it('offers none inside a multi-line string or a YAML block scalar, nor for suppression findings', () => {
      const py = loadDocument('a.py', 'X = """\nline /home/x\n"""\n');
      const yaml = loadDocument('MLproject', 'entry_points:\n  main:\n    command: |\n      python /home/ana/t.py\n');
      try {
        assert.strictEqual(ignoreEdit(py, at(1)), undefined);
        assert.strictEqual(ignoreEdit(yaml, at(3)), undefined);
        assert.ok(ignoreEdit(yaml, at(2)));
        assert.strictEqual(ignoreEdit(py, { ...at(0), code: 'G901' }), undefined);
      } finally {
        py.dispose();
        yaml.dispose();
      }
    });
  });

  describe('scheduler', () => {
    it('coalesces a burst into one run', async () => {
      const runs: string[] = [];
      const s = new LintScheduler((k) => runs.push(k), 1000);
      for (let i = 0; i < 20; i++) s.schedule('a', 20);
      s.schedule('b', 20);
      await new Promise((r) => setTimeout(r, 120));
      assert.deepStrictEqual(runs.sort(), ['a', 'b']);
      s.dispose();
    });

    it('still runs at least every maxWait while changes keep coming', async () => {
      let runs = 0;
      const s = new LintScheduler(() => runs++, 40);
      const started = Date.now();
      while (Date.now() - started < 250) {
        s.schedule('a', 30);
        await new Promise((r) => setTimeout(r, 5));
      }
      s.dispose();
      assert.ok(runs >= 2, `runs: ${runs}`);
    });

    it('adapts the debounce: none after a quiet spell, the last lint\'s duration during a burst', () => {
      const s = new LintScheduler(() => {}, 500);
      assert.equal(s.delayFor('a', 50), 50, 'never linted: the full debounce');
      s.ran('a', 8);
      const t = Date.now();
      assert.equal(s.delayFor('a', 50, t + 60), 0, 'quiet for longer than the debounce: at once');
      assert.equal(s.delayFor('a', 50, t + 10), 8, 'right after a lint: as long as it took');
      s.ran('a', 300);
      assert.equal(s.delayFor('a', 50, Date.now() + 10), 50, 'a slow lint: capped by the debounce');
      s.cancel('a');
      assert.equal(s.delayFor('a', 50), 50);
      s.dispose();
    });

    it('settles once the lints scheduled so far have ended, not those scheduled later', async () => {
      const ends = new Map<string, () => void>();
      const events: string[] = [];
      const s = new LintScheduler((k) => new Promise<void>((resolve) => ends.set(k, () => (events.push(`end ${k}`), resolve()))), 1000);
      s.schedule('a', 0);
      s.schedule('b', 30);
      const settled = s.settled().then(() => events.push('settled'));
      await new Promise((r) => setTimeout(r, 10));
      s.schedule('c', 0); // after settled() was asked for: not waited for
      await new Promise((r) => setTimeout(r, 50));
      assert.deepStrictEqual([...ends.keys()].sort(), ['a', 'b', 'c'], 'all three ran');
      ends.get('c')!();
      ends.get('a')!();
      await new Promise((r) => setImmediate(r));
      assert.deepStrictEqual(events, ['end c', 'end a'], 'b is still running');
      ends.get('b')!();
      await settled;
      assert.deepStrictEqual(events, ['end c', 'end a', 'end b', 'settled']);
      s.dispose();
    });

    it('settles for a lint that was cancelled or disposed before it ran, and for one that failed', async () => {
      const s = new LintScheduler((k) => (k === 'bad' ? Promise.reject(new Error('lint failed')) : undefined), 1000);
      s.schedule('a', 5_000);
      s.schedule('b', 5_000);
      s.schedule('bad', 0);
      const settled = s.settled();
      s.cancel('a');
      await new Promise((r) => setTimeout(r, 20));
      s.dispose();
      await settled;
    });
  });

  describe('log', () => {
    const fake = () => {
      const lines: string[] = [];
      const push = (m: string) => lines.push(m);
      return { lines, log: new Log({ console: { error: push, info: push, warn: push, debug: push } } as unknown as Connection) };
    };

    it('logs a rule error once per rule and file', () => {
      const { lines, log } = fake();
      log.ruleError('P101', 'a.py');
      log.ruleError('P101', 'a.py');
      log.ruleError('P101', 'b.py');
      assert.strictEqual(lines.length, 2);
      assert.match(lines[0], /rule P101 failed on a\.py/);
    });

    it('never logs an error message (it may quote the file)', () => {
      const { lines, log } = fake();
      log.failure('lint', new SyntaxError('Unexpected token in "password=hunter2"'), 'a.py');
      assert.match(lines[0], /lint on a\.py failed: SyntaxError/);
      assert.ok(!lines[0].includes('hunter2'));
    });
  });

  it('settings: wrong types fall back to the defaults', () => {
    assert.deepStrictEqual(normalizeSettings({ enable: 'yes', debounceMs: -5, stage: 'prod', scanWorkspace: false }), { enable: true, scanWorkspace: false, debounceMs: 0, stage: null });
    assert.deepStrictEqual(normalizeSettings(undefined), { enable: true, scanWorkspace: true, debounceMs: 50, stage: null });
  });

  it('URIs of workspace files are encoded as VS Code encodes them', () => {
    assert.strictEqual(childUri('file:///w/proj', 'notebooks/my eda (v2).ipynb'), 'file:///w/proj/notebooks/my%20eda%20%28v2%29.ipynb');
  });
});
