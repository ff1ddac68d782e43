import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { FixAllWorkspaceResult, ReadinessResult, ScanWorkspaceResult } from '../../common/protocol';
import { applyEdits, codes, editsFor, ensureBuilt, LspClient, TempWorkspace } from './client';

const P = (d: Diagnostic[]) => codes(d).filter((c) => c.startsWith('P'));
const USER_PATH = '"""Paths."""\n\nDATA = "/home/ana/data/train.csv"\n';

function notebookJson(source: string[]): string {
  return JSON.stringify({ cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('LSP: workspace', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    ws.dispose();
  });

  it('scans the folder on start and publishes diagnostics of files that are not open', async () => {
    ws = new TempWorkspace({
      'src/paths.py': USER_PATH,
      'notebooks/eda.ipynb': notebookJson(['x = 1\n', 'DATA = "/home/ana/eda.csv"\n']),
      'src/clean.py': 'x = 1\n',
      '.venv/lib/site.py': USER_PATH,
    });
    client = await LspClient.start({ workspace: ws });
    const py = await client.diagnosticsFor(ws.uriOf('src/paths.py'), (d) => d.length > 0);
    assert.deepStrictEqual(P(py), ['P101']);
    assert.strictEqual(py[0].codeDescription?.href, 'https://github.com/mlready/mlready/blob/main/docs/rules/P101-hardcoded-user-path.md');
    // a closed notebook's finding is placed in its JSON text
    const nbText = fs.readFileSync(path.join(ws.dir, 'notebooks/eda.ipynb'), 'utf8');
    const nbDiagnostics = await client.diagnosticsFor(ws.uriOf('notebooks/eda.ipynb'), (d) => P(d).length > 0);
    const nb = nbDiagnostics.find((d) => d.code === 'P101')!;
    assert.strictEqual(nbText.split('\n')[nb.range.start.line].slice(nb.range.start.character, nb.range.end.character), '/home/ana/eda.csv');
    // status went through scanning to idle
    await client.waitFor('idle status', () => client!.statuses.find((s) => s.state === 'idle' && s.findings > 0));
    assert.ok(client.statuses.some((s) => s.state === 'scanning'));
    // default ignores: virtual environments are not scanned
    assert.strictEqual(client.published.get(ws.uriOf('.venv/lib/site.py')), undefined);
  });

  it('answers mlready/readiness with the score, per-file counts and top findings', async () => {
    ws = new TempWorkspace({ 'src/paths.py': USER_PATH, 'src/more.py': 'A = "/home/bob/a.csv"\nB = "/Users/bob/b.csv"\n' });
    client = await LspClient.start({ workspace: ws });
    const scan = await client.request<ScanWorkspaceResult>('mlready/scanWorkspace', {});
    assert.strictEqual(scan.folders.length, 1);
    assert.strictEqual(scan.folders[0].scanned, 2);
    assert.ok(scan.folders[0].findings >= 3);
    const result = await client.request<ReadinessResult>('mlready/readiness', { top: 2 });
    const folder = result.folders[0];
    assert.strictEqual(result.version, 1);
    assert.ok(folder.score.overall >= 0 && folder.score.overall < 100, `score ${folder.score.overall}`);
    assert.ok(folder.score.categories.portability < 100);
    assert.strictEqual(folder.score.overall, scan.folders[0].score);
    assert.strictEqual(folder.topFindings.length, 2);
    assert.strictEqual(folder.files[0].path, 'src/more.py');
    assert.strictEqual(folder.files[0].byCategory.portability, 2);
    assert.strictEqual(folder.files[0].uri, ws.uriOf('src/more.py'));
    assert.strictEqual(folder.scanned, true);
  });

  it('follows files created, changed and deleted on disk', async () => {
    ws = new TempWorkspace({ 'src/clean.py': 'x = 1\n' });
    client = await LspClient.start({ workspace: ws });
    await client.waitFor('first scan', () => client!.statuses.find((s) => s.state === 'idle'));
    const uri = ws.write('src/new.py', USER_PATH);
    client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    assert.deepStrictEqual(P(await client.diagnosticsFor(uri, (d) => d.length > 0)), ['P101']);
    ws.write('src/new.py', 'DATA = "data/train.csv"\n');
    client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    ws.write('src/new.py', USER_PATH);
    client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await client.diagnosticsFor(uri, (d) => d.length > 0);
    fs.rmSync(path.join(ws.dir, 'src/new.py'));
    client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await client.diagnosticsFor(uri, (d) => d.length === 0);
  });

  it('reports mlready.yaml problems as G001 on the config file and applies a fixed config', async () => {
    ws = new TempWorkspace({ 'mlready.yaml': 'stage: prod\n', 'src/paths.py': USER_PATH });
    client = await LspClient.start({ workspace: ws });
    const config = ws.uriOf('mlready.yaml');
    const [g001] = await client.diagnosticsFor(config, (d) => d.length > 0);
    assert.strictEqual(g001.code, 'G001');
    assert.strictEqual(g001.range.start.line, 0);
    await client.diagnosticsFor(ws.uriOf('src/paths.py'), (d) => P(d).length > 0);
    // turning P101 off in the config clears it from the unopened file
    ws.write('mlready.yaml', 'stage: production\nrules:\n  P101: off\n');
    client.notification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
    await client.diagnosticsFor(config, (d) => d.length === 0);
    await client.diagnosticsFor(ws.uriOf('src/paths.py'), (d) => P(d).length === 0);
  });

  it('returns the safe fixes of every file from mlready/fixAllWorkspace', async () => {
    ws = new TempWorkspace({ 'src/a.py': USER_PATH, 'src/b.py': 'B = "/Users/bob/b.csv"\n' });
    client = await LspClient.start({ workspace: ws });
    await client.diagnosticsFor(ws.uriOf('src/b.py'), (d) => d.length > 0);
    const open = ws.uriOf('src/a.py');
    client.open(open, 'python', `${USER_PATH}OUT = "/home/ana/out"\n`);
    await client.diagnosticsFor(open, (d, p) => p.version === 1 && P(d).length === 2);
    const result = await client.request<FixAllWorkspaceResult>('mlready/fixAllWorkspace', {});
    assert.strictEqual(result.files, 2);
    assert.strictEqual(result.fixes, 3);
    const b = applyEdits(fs.readFileSync(path.join(ws.dir, 'src/b.py'), 'utf8'), editsFor(result.edit, ws.uriOf('src/b.py')));
    assert.strictEqual(b, 'import os\nB = os.environ.get("B", "/Users/bob/b.csv")\n');
    // the open file's edits are computed from its buffer, not the disk
    const a = applyEdits(`${USER_PATH}OUT = "/home/ana/out"\n`, editsFor(result.edit, open));
    assert.match(a, /OUT = os\.environ\.get\("OUT", "\/home\/ana\/out"\)/);
  });

  it('does not publish unopened files when mlready.scanWorkspace is false', async () => {
    ws = new TempWorkspace({ 'src/paths.py': USER_PATH });
    client = await LspClient.start({ workspace: ws, settings: { scanWorkspace: false } });
    const open = ws.uriOf('src/open.py');
    client.open(open, 'python', USER_PATH);
    await client.diagnosticsFor(open, (d) => d.length > 0);
    await client.waitFor('idle status', () => client!.statuses.find((s) => s.state === 'idle'));
    assert.strictEqual(client.published.get(ws.uriOf('src/paths.py')), undefined);
  });

  it('re-pulls settings on didChangeConfiguration (enable: false clears diagnostics)', async () => {
    ws = new TempWorkspace({});
    client = await LspClient.start({ workspace: ws });
    const uri = ws.uriOf('a.py');
    client.open(uri, 'python', USER_PATH);
    await client.diagnosticsFor(uri, (d) => d.length > 0);
    client.settings = { enable: false };
    client.notification('workspace/didChangeConfiguration', { settings: null });
    await client.diagnosticsFor(uri, (d) => d.length === 0);
  });
});
