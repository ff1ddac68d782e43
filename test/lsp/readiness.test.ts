import * as assert from 'assert';
import type { ReadinessChangedParams, ReadinessResult } from '../../common/protocol';
import { ensureBuilt, LspClient, TempWorkspace } from './client';

/** `mlready/readiness` (the panel's data) and `mlready/readinessChanged` (its live updates). */
const TRAIN = 'import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\n\ndf = pd.read_csv("data.csv")\nRandomForestClassifier().fit(df, df["y"])\n';

function notebookJson(source: string[]): string {
  return JSON.stringify({ cells: [{ cell_type: 'markdown', metadata: {}, source: ['# T'] }, { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('LSP: readiness', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    ws.dispose();
  });

  it('returns the score with practices and losses, ranked gaps, per-file counts and findings to jump to', async () => {
    ws = new TempWorkspace({ 'src/train.py': TRAIN, 'nb/eda.ipynb': notebookJson(['X = "/home/ana/x.csv"\n']), 'requirements.txt': 'pandas\n' });
    client = await LspClient.start({ workspace: ws, initializationOptions: { docsBaseUri: 'file:///ext/docs/rules/' } });
    await client.request('mlready/scanWorkspace', {});
    const { folders } = await client.request<ReadinessResult>('mlready/readiness', {});
    const folder = folders[0];
    const score = folder.score;
    assert.strictEqual(score.stage, 'pilot');
    // the same engine numbers as the CLI: every category's losses add up to 100 − its score
    for (const [c, v] of Object.entries(score.categories)) {
      assert.strictEqual(score.details![c as keyof typeof score.categories].losses.reduce((k, l) => k + l.points, 0), 100 - v, c);
    }
    const tracking = score.practices!.find((p) => p.id === 'experiment-tracking')!;
    assert.strictEqual(tracking.status, 'missing');
    assert.strictEqual(tracking.docUrl, 'file:///ext/docs/rules/M101-untracked-training.md', 'practice docs follow docsBaseUri');
    // gaps ranked by impact, with locations as URIs
    const impacts = folder.gaps!.map((g) => g.impact);
    assert.deepStrictEqual(impacts, [...impacts].sort((a, b) => b - a));
    const pins = folder.gaps!.find((g) => g.id === 'dependencies-pinned')!;
    assert.strictEqual(pins.locations[0].uri, ws.uriOf('requirements.txt'));
    // findings for click-to-jump: a notebook finding carries its cell
    const nb = folder.findings!.find((f) => f.path === 'nb/eda.ipynb' && f.code === 'P101')!;
    assert.strictEqual(nb.cell, 1);
    assert.strictEqual(nb.uri, ws.uriOf('nb/eda.ipynb'));
    assert.deepStrictEqual(nb.range.start, { line: 0, character: 5 });
    const file = folder.files.find((f) => f.path === 'src/train.py')!;
    assert.ok((file.byCategory.monitoring ?? 0) >= 1);
    assert.strictEqual(folder.findingsTruncated, false);
    assert.ok(score.mlTestScore!.sections.data.total >= 1);
  });

  it('notifies mlready/readinessChanged within a second of an edit, without a workspace scan', async () => {
    ws = new TempWorkspace({ 'src/a.py': 'x = 1\n' });
    client = await LspClient.start({ workspace: ws, settings: { debounceMs: 50 } });
    const changes: ReadinessChangedParams[] = [];
    const arrivals: number[] = [];
    /** Scans started when each notification arrived: a later rescan (facts changed) must not be what produced it. */
    const scansAtArrival: number[] = [];
    const scans = () => client!.statuses.filter((s) => s.state === 'scanning').length;
    client.conn.onNotification('mlready/readinessChanged', (p: ReadinessChangedParams) => {
      changes.push(p);
      arrivals.push(Date.now());
      scansAtArrival.push(scans());
    });
    await client.waitFor('first scan', () => client!.statuses.find((s) => s.state === 'idle'));
    const before = (await client.request<ReadinessResult>('mlready/readiness', {})).folders[0];
    const scansBefore = scans();
    const uri = ws.uriOf('src/a.py');
    client.open(uri, 'python', 'x = 1\n');
    await client.diagnosticsFor(uri);
    changes.length = 0;
    arrivals.length = 0;
    scansAtArrival.length = 0;
    const edited = Date.now();
    client.change(uri, 2, [{ text: 'x = 1\nDATA = "/home/ana/data.csv"\n' }]);
    await client.waitFor('readinessChanged', () => (changes.length ? changes : undefined), 3000);
    assert.ok(arrivals[arrivals.length - 1] - edited < 1000, `notified after ${arrivals[arrivals.length - 1] - edited} ms`);
    assert.deepStrictEqual(changes[0].folderUris, [ws.uri]);
    const after = (await client.request<ReadinessResult>('mlready/readiness', {})).folders[0];
    assert.ok(after.findings!.some((f) => f.code === 'P101' && f.path === 'src/a.py'));
    assert.ok(after.score.categories.portability < before.score.categories.portability);
    assert.strictEqual(scansAtArrival[0], scansBefore, 'notified before any rescan');
  });
});
