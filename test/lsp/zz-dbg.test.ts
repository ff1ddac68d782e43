import { LspClient, TempWorkspace } from '/work/main/test/lsp/client';
describe('dbg', function () {
  this.timeout(30000);
  it('x', async () => {
    const ws = new TempWorkspace({ 'src/a.py': 'x = 1\n' });
    const client = await LspClient.start({ workspace: ws, settings: { debounceMs: 50 } });
    const t0 = Date.now();
    client.conn.onNotification('mlready/readinessChanged', (p: unknown) => console.log(Date.now() - t0, 'RC', JSON.stringify(p)));
    client.conn.onNotification('mlready/status', (p: any) => console.log(Date.now() - t0, 'ST', p.state, p.findings));
    client.conn.onNotification('textDocument/publishDiagnostics', (p: any) => console.log(Date.now() - t0, 'PD', p.uri.slice(-8), p.diagnostics.length));
    await client.waitFor('first scan', () => client.statuses.find((s) => s.state === 'idle'));
    const uri = ws.uriOf('src/a.py');
    client.open(uri, 'python', 'x = 1\n');
    await new Promise((r) => setTimeout(r, 1500));
    console.log(Date.now() - t0, 'CHANGE');
    client.change(uri, 2, [{ text: 'x = 1\nDATA = "/home/ana/data.csv"\n' }]);
    await new Promise((r) => setTimeout(r, 3000));
    await client.shutdown(); ws.dispose();
  });
});
