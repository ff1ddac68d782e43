import * as assert from 'assert';
import { spawn } from 'child_process';
import type { ReadinessResult } from '../../common/protocol';
import { codes, ensureBuilt, LspClient, rangeAt, SERVER, TempWorkspace } from './client';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';

describe('LSP: bad input and faults', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    ws?.dispose();
  });

  it('scans a workspace with binary, invalid and oversized files: reports them, keeps going', async () => {
    ws = new TempWorkspace({
      'broken.ipynb': '{"cells": [',
      'blob.py': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'latin1.py': new Uint8Array([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]),
      'big.py': `X = 1\n${'#'.repeat(3 * 1024 * 1024)}\n`,
      'deep.yaml': `${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      'ok.py': 'DATA = "/home/ana/x.csv"\n',
    });
    client = await LspClient.start({ workspace: ws });
    const n001 = await client.diagnosticsFor(ws.uriOf('broken.ipynb'), (d) => d.length > 0);
    assert.deepStrictEqual(codes(n001), ['N001']);
    assert.deepStrictEqual(codes(await client.diagnosticsFor(ws.uriOf('ok.py'), (d) => d.length > 0)).filter((c) => c.startsWith('P')), ['P101']);
    const { folders } = await client.request<ReadinessResult>('mlready/readiness', {});
    const skipped = folders[0].skipped.map((s) => s.file).sort();
    assert.deepStrictEqual(skipped, ['big.py', 'blob.py', 'latin1.py']);
  });

  it('survives a document closed right after a change, requests for unknown documents, and odd params', async () => {
    ws = new TempWorkspace({});
    client = await LspClient.start({ workspace: ws });
    const uri = ws.uriOf('a.py');
    client.open(uri, 'python', 'x = 1\n');
    client.change(uri, 2, [{ range: rangeAt(0, 0), text: 'DATA = "/home/ana/x"\n' }]);
    client.close(uri);
    assert.deepStrictEqual(await client.codeActions(ws.uriOf('never-opened.py'), rangeAt(0), [], ['source.fixAll']), []);
    assert.deepStrictEqual(await client.codeActions(uri, rangeAt(0), [{ range: rangeAt(0), message: 'x', source: 'mlready', data: { v: 99 } }]), []);
    assert.deepStrictEqual((await client.request<ReadinessResult>('mlready/readiness', { folderUri: 'file:///nowhere' })).folders, []);
    // a notebook change for a notebook that was never opened is ignored
    client.notification('notebookDocument/didChange', { notebookDocument: { uri: 'file:///x.ipynb', version: 2 }, change: {} });
    const other = ws.uriOf('b.py');
    client.open(other, 'python', 'DATA = "/home/ana/x"\n');
    assert.ok((await client.diagnosticsFor(other, (d) => d.length > 0)).length > 0);
    // the closed, never-saved buffer has no diagnostics left
    assert.deepStrictEqual(client.published.get(uri)?.diagnostics ?? [], []);
  });

  it('exits when the client process dies', async function () {
    this.timeout(20000);
    const parent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    conn.listen();
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      await conn.sendRequest('initialize', { processId: parent.pid, rootUri: null, capabilities: {} });
      parent.kill('SIGKILL');
      const code = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 12000))]);
      assert.notStrictEqual(code, 'alive', 'server still running 12 s after its client died');
    } finally {
      parent.kill('SIGKILL');
      server.kill('SIGKILL');
      conn.dispose();
    }
  });
});
