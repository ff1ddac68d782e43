import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver/node';
import { applyEdits, cellUri, codes, editsFor, ensureBuilt, LspClient, rangeAt, TempWorkspace } from './client';

/** Portability findings only: other families may add their own findings to the same cells. */
const P = (d: Diagnostic[]) => codes(d).filter((c) => c.startsWith('P'));

describe('LSP: notebooks', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient;

  before(() => ensureBuilt());
  beforeEach(async () => {
    ws = new TempWorkspace({});
    client = await LspClient.start({ workspace: ws });
  });
  afterEach(async () => {
    await client.shutdown();
    ws.dispose();
  });

  describe('as a notebook document (cells synced one by one)', () => {
    let nb: string;
    let cells: { uri: string; text: string }[];

    beforeEach(() => {
      nb = ws.uriOf('notebooks/explore.ipynb');
      // the alias is imported in cell 0 and used in cell 2: only one program sees `system` is `os`
      cells = [
        { uri: cellUri(nb, 'c0'), text: 'import os as system' },
        { uri: cellUri(nb, 'c1'), text: 'x = 1' },
        { uri: cellUri(nb, 'c2'), text: 'system.chdir("/srv/project")' },
      ];
      // a markdown cell is text, not Python: the path in it is no finding
      client.openNotebook(nb, [...cells, { uri: cellUri(nb, 'md'), text: 'Data comes from "/home/ana/data".', kind: 1 }]);
    });

    it('lints the cells as one program and publishes the finding on its cell', async () => {
      const d = await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      assert.deepStrictEqual(P(d), ['P104']);
      const p104 = d.find((x) => x.code === 'P104')!;
      assert.deepStrictEqual(p104.range, rangeAt(0, 14, 0, 26));
      for (const other of [cells[0].uri, cells[1].uri, cellUri(nb, 'md')]) assert.deepStrictEqual(P(client.published.get(other)?.diagnostics ?? []), []);
      // nothing is published on the .ipynb file itself while it is open as a notebook
      assert.strictEqual(client.published.get(nb), undefined);
    });

    it("a quick fix edits the right cells (the import goes to the first cell), and the finding goes", async () => {
      const d = await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      const actions = await client.codeActions(cells[2].uri, d[0].range, d.filter((x) => x.code === 'P104'));
      const fix = actions.find((a) => a.isPreferred)!;
      const cell0 = applyEdits(cells[0].text, editsFor(fix.edit, cells[0].uri));
      const cell2 = applyEdits(cells[2].text, editsFor(fix.edit, cells[2].uri));
      assert.strictEqual(cell0, 'import os as system\nimport os\n');
      assert.strictEqual(cell2, 'system.chdir(os.environ.get("PROJECT_WORKDIR", "/srv/project"))');
      client.changeCell(nb, 2, cells[0].uri, 2, [{ text: cell0 }]);
      client.changeCell(nb, 3, cells[2].uri, 2, [{ text: cell2 }]);
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length === 0);

      const ignore = actions.find((a) => a.title === 'Ignore P104 for this line');
      assert.ok(ignore, 'ignore action offered');
    });

    it('"Ignore" inserts the comment in the cell of the finding', async () => {
      const d = await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      const actions = await client.codeActions(cells[2].uri, d[0].range, d.filter((x) => x.code === 'P104'));
      const ignore = actions.find((a) => a.title === 'Ignore P104 for this line')!;
      assert.deepStrictEqual(Object.keys(ignore.edit!.changes!), [cells[2].uri]);
      assert.strictEqual(applyEdits(cells[2].text, editsFor(ignore.edit, cells[2].uri)), '# mlready: ignore[P104] reason: <why this is acceptable>\nsystem.chdir("/srv/project")');
    });

    it('an edit in another cell updates the diagnostics (the import removed from cell 0)', async () => {
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      client.changeCell(nb, 2, cells[0].uri, 2, [{ range: rangeAt(0, 0, 0, 19), text: 'import sys' }]);
      // `system` no longer names `os`: the chdir finding in cell 2 is gone
      await client.diagnosticsFor(cells[2].uri, (x) => !codes(x).includes('P104'));
    });

    it('an edit publishes the edited cell and the cells whose diagnostics changed, not the others', async () => {
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      const added = { uri: cellUri(nb, 'c3'), text: 'TRAIN = "/home/ana/train.csv"' };
      client.spliceCells(nb, 2, 1, 0, [added], []); // at index 1: cells c0, c3, c1, c2
      await client.diagnosticsFor(added.uri, (x) => P(x).length > 0);
      // a space at the end of the path's line: its findings are the same, but the cell has a new version
      const seen = client.history.length;
      client.changeCell(nb, 3, added.uri, 2, [{ range: rangeAt(0, 29), text: ' ' }]);
      await client.nextDiagnostics(added.uri);
      const after = client.history.slice(seen).map((p) => p.uri);
      assert.deepStrictEqual(after, [added.uri], 'cell 2 (P104, unchanged) is not sent again');
      // the import removed from cell 0: cell 2's finding goes, so cell 2 is published (cell 0 has none)
      client.changeCell(nb, 4, cells[0].uri, 2, [{ range: rangeAt(0, 0, 0, 19), text: 'import sys' }]);
      await client.diagnosticsFor(cells[2].uri, (x) => !codes(x).includes('P104'));
      assert.deepStrictEqual(P(client.published.get(added.uri)!.diagnostics), ['P101']);
    });

    it('inserting, moving and deleting cells moves the diagnostics with them', async () => {
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      // insert a cell at index 1 with a user path
      const added = { uri: cellUri(nb, 'c3'), text: 'TRAIN = "/home/ana/train.csv"' };
      client.spliceCells(nb, 2, 1, 0, [added], []);
      assert.deepStrictEqual(P(await client.diagnosticsFor(added.uri, (x) => P(x).length > 0)), ['P101']);
      assert.deepStrictEqual(P(client.published.get(cells[2].uri)!.diagnostics), ['P104']);

      // move the import cell below the chdir cell: order is now c3, c1, c2, c0 → chdir runs before the import
      client.spliceCells(nb, 3, 0, 4, [added, cells[1], cells[2], cells[0]], [], [added.uri, cells[0].uri, cells[1].uri, cells[2].uri]);
      await client.nextDiagnostics(added.uri);
      assert.deepStrictEqual(P(client.published.get(added.uri)!.diagnostics), ['P101']);

      // delete the cell holding the P101: its diagnostics are cleared
      client.spliceCells(nb, 4, 0, 1, [], [added.uri]);
      await client.diagnosticsFor(added.uri, (x) => x.length === 0);
      assert.deepStrictEqual(P(client.published.get(cells[2].uri)?.diagnostics ?? []), ['P104']);
    });

    it('source.fixAll builds edits per cell', async () => {
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      const [fixAll] = await client.codeActions(cells[2].uri, rangeAt(0), [], ['source.fixAll.mlready']);
      assert.ok(fixAll, 'fix-all offered');
      assert.deepStrictEqual(Object.keys(fixAll.edit!.changes!).sort(), [cells[0].uri, cells[2].uri].sort());
    });

    it('closing the notebook clears its cells', async () => {
      await client.diagnosticsFor(cells[2].uri, (x) => P(x).length > 0);
      client.closeNotebook(nb, [...cells.map((c) => c.uri), cellUri(nb, 'md')]);
      await client.diagnosticsFor(cells[2].uri, (x) => x.length === 0);
    });
  });

  describe('as .ipynb JSON text', () => {
    const notebook = (source: unknown) =>
      JSON.stringify(
        {
          cells: [
            { cell_type: 'markdown', metadata: {}, source: ['# Churn \u00e9tude'] },
            { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source },
          ],
          metadata: { language_info: { name: 'python' } },
          nbformat: 4,
          nbformat_minor: 5,
        },
        null,
        1,
      );

    it('maps cell findings into the JSON text, and quick fixes edit the JSON with escapes', async () => {
      const uri = ws.uriOf('nb.ipynb');
      const text = notebook(['"""Say \\"hi\\"."""\n', 'DATA = "/home/ana/data/train.csv"\n']);
      client.open(uri, 'json', text);
      const d = await client.diagnosticsFor(uri, (x) => P(x).length > 0);
      const p101 = d.find((x) => x.code === 'P101')!;
      const lines = text.split('\n');
      const covered = lines[p101.range.start.line].slice(p101.range.start.character, p101.range.end.character);
      assert.strictEqual(covered, '/home/ana/data/train.csv');
      assert.ok(lines[p101.range.start.line].includes('"DATA = \\"/home/ana/data/train.csv\\"\\n"'));

      const actions = await client.codeActions(uri, p101.range, [p101]);
      const fixed = applyEdits(text, editsFor(actions.find((a) => a.isPreferred)!.edit, uri));
      const source = (JSON.parse(fixed).cells[1].source as string[]).join('');
      assert.strictEqual(source, '"""Say \\"hi\\"."""\nimport os\nDATA = os.environ.get("DATA", "/home/ana/data/train.csv")\n');

      const ignore = actions.find((a) => a.title === 'Ignore P101 for this line')!;
      const ignored = JSON.parse(applyEdits(text, editsFor(ignore.edit, uri)));
      assert.strictEqual((ignored.cells[1].source as string[]).join(''), '"""Say \\"hi\\"."""\n# mlready: ignore[P101] reason: <why this is acceptable>\nDATA = "/home/ana/data/train.csv"\n');

      client.change(uri, 2, [{ text: fixed }]);
      await client.diagnosticsFor(uri, (x, p) => p.version === 2 && P(x).length === 0);
    });

    it('reports invalid notebook JSON as N001 at the broken place', async () => {
      const uri = ws.uriOf('broken.ipynb');
      const text = '{\n "cells": [\n<<<<<<< HEAD\n ]\n}\n';
      client.open(uri, 'json', text);
      const d = await client.diagnosticsFor(uri, (x) => x.length > 0);
      assert.deepStrictEqual(codes(d), ['N001']);
      assert.strictEqual(d[0].range.start.line, 2);
      // a JSON file cannot hold a `#` comment: no ignore action, only the docs
      const actions = await client.codeActions(uri, d[0].range, d);
      assert.deepStrictEqual(actions.map((a) => a.title), ['Show documentation for N001']);
    });
  });
});
