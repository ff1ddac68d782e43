import { strict as assert } from 'assert';
import { CancellationTokenSource, type Diagnostic } from 'vscode-languageserver/node';
import type { ReadinessResult } from '../../common/protocol';
import { codes, ensureBuilt, LspClient, rangeAt, TempWorkspace } from '../lsp/client';
import { rssMb } from './proc';

/**
 * The language server under load and faults: a burst of 1,000 didChange notifications on one
 * document, requests cancelled mid-flight, documents closed while they are analysed. The server
 * keeps answering, publishes only the newest version's diagnostics, and its memory returns near
 * its baseline (VmRSS of the server process, read from /proc).
 */

const LINE = (v: number) => `P${v} = "/home/ana/${v}.csv"\n`;

describe('reliability: the server under load and faults', function () {
  this.timeout(90_000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    ws?.dispose();
  });

  it('1,000 didChange in a burst: final diagnostics match the final text, nothing stale, memory back near its baseline', async () => {
    ws = new TempWorkspace({});
    client = await LspClient.start({ workspace: ws, settings: { debounceMs: 20 } });
    const uri = ws.uriOf('burst.py');
    // warm up (parser, queries, rules) so that the baseline is a working server's
    client.open(uri, 'python', 'x = 1\n');
    await client.diagnosticsFor(uri, (_, p) => p.version === 1);
    for (let round = 0; round < 3; round++) {
      client.change(uri, 2 + round, [{ text: `${LINE(round)}`.repeat(50) }]);
      await client.diagnosticsFor(uri, (_, p) => p.version === 2 + round);
    }
    client.change(uri, 5, [{ text: 'x = 1\n' }]);
    await client.diagnosticsFor(uri, (_, p) => p.version === 5);
    const before = rssMb(client.proc.pid!);

    // the burst: each change adds one flagged line, and every 100th rewrites the file
    const texts = new Map<number, string>();
    let text = 'x = 1\n';
    const first = 6;
    const last = first + 999;
    for (let v = first; v <= last; v++) {
      if ((v - first) % 100 === 99) {
        text = `${'y = 2\n'.repeat(v % 7)}${LINE(v)}`;
        client.change(uri, v, [{ text }]);
      } else {
        const lines = text.split('\n').length - 1;
        client.change(uri, v, [{ range: rangeAt(lines, 0), text: LINE(v) }]);
        text += LINE(v);
      }
      texts.set(v, text);
    }
    const final = await client.diagnosticsFor(uri, (_, p) => p.version === last, 60_000);
    const expected = (texts.get(last)!.match(/\/home\/ana\//g) ?? []).length;
    assert.equal(final.filter((d) => d.code === 'P101').length, expected, 'the final diagnostics are those of the final text');
    // each P101 sits on a line of the final text that has the path it names
    const finalLines = texts.get(last)!.split('\n');
    for (const d of final.filter((x) => x.code === 'P101')) assert.ok(finalLines[d.range.start.line].includes('/home/ana/'), `diagnostic on line ${d.range.start.line} of the final text`);

    // never stale: versions only grow, and each publication matches the text of its version
    const mine = client.history.filter((p) => p.uri === uri && (p.version ?? 0) >= first);
    const versions = mine.map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'publications in version order');
    for (const p of mine) {
      const t = texts.get(p.version!)!;
      assert.equal(p.diagnostics.filter((d) => d.code === 'P101').length, (t.match(/\/home\/ana\//g) ?? []).length, `publication of version ${p.version} matches that version's text`);
    }
    // nothing is published after the last version's diagnostics
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.history.filter((p) => p.uri === uri).pop()!.version, last);

    // memory: back to the same text as the baseline, then let the server settle
    client.change(uri, last + 1, [{ text: 'x = 1\n' }]);
    await client.diagnosticsFor(uri, (_, p) => p.version === last + 1);
    let after = rssMb(client.proc.pid!);
    const peak = after;
    for (let i = 0; i < 20 && after > before + 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = rssMb(client.proc.pid!);
    }
    console.log(`    burst: ${mine.length} publications for 1,000 changes; server RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB right after, ${after.toFixed(0)} MB settled`);
    assert.ok(after < before + 60, `RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB after the burst`);
  });

  it('answers after requests cancelled mid-flight', async () => {
    ws = new TempWorkspace({ 'train.py': 'DATA = "/home/ana/x.csv"\n', 'nb/a.py': `${LINE(1)}`.repeat(200) });
    client = await LspClient.start({ workspace: ws });
    const uri = ws.uriOf('train.py');
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0, 20_000);
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const source = new CancellationTokenSource();
      const requests = [
        client.conn.sendRequest('mlready/readiness', {}, source.token),
        client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } }, source.token),
        client.conn.sendRequest('mlready/scanWorkspace', {}, source.token),
      ];
      if (i % 3 === 0) source.cancel();
      else setTimeout(() => source.cancel(), i % 5);
      for (const r of await Promise.allSettled(requests)) outcomes.push(r.status === 'fulfilled' ? 'ok' : /cancel/i.test(String((r.reason as Error)?.message)) ? 'cancelled' : `error: ${(r.reason as Error)?.message}`);
    }
    assert.deepEqual(outcomes.filter((o) => o.startsWith('error')), [], 'a cancelled request fails only as cancelled');
    // still answers, with the right result
    const readiness = await client.request<ReadinessResult>('mlready/readiness', {});
    assert.equal(readiness.folders.length, 1);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    assert.ok(actions.some((a) => /P101/.test(a.title)), actions.map((a) => a.title).join(', '));
    assert.ok(!/Error|Unhandled/i.test(client.stderr), client.stderr.slice(-1000));
  });

  it('documents closed while they are analysed: no diagnostics left for them, the server goes on', async () => {
    ws = new TempWorkspace({});
    client = await LspClient.start({ workspace: ws, settings: { debounceMs: 0 } });
    const big = `${LINE(1)}${'y = foo(1, "a")\n'.repeat(20_000)}`;
    const uris: string[] = [];
    for (let i = 0; i < 10; i++) {
      const uri = ws.uriOf(`closing${i}.py`);
      uris.push(uri);
      client.open(uri, 'python', big);
      if (i % 2) await new Promise((r) => setTimeout(r, 30));
      client.change(uri, 2, [{ range: rangeAt(0, 0), text: LINE(2) }]);
      client.close(uri);
    }
    const ok = ws.uriOf('ok.py');
    client.open(ok, 'python', LINE(3));
    assert.deepEqual(codes(await client.diagnosticsFor(ok, (d) => d.length > 0, 60_000)), ['P101']);
    // wait until the server is idle: a round trip after the queued work
    await client.request('mlready/readiness', {});
    await new Promise((r) => setTimeout(r, 1000));
    for (const uri of uris) {
      const last = client.history.filter((p) => p.uri === uri).pop();
      assert.ok(!last || last.diagnostics.length === 0, `closed ${uri} keeps ${last?.diagnostics.length} diagnostics`);
    }
    assert.ok(!/Error|Unhandled/i.test(client.stderr), client.stderr.slice(-1000));
  });

  it('exits cleanly on shutdown + exit (code 0) and on exit alone (code 1)', async () => {
    ws = new TempWorkspace({ 'a.py': LINE(1) });
    client = await LspClient.start({ workspace: ws });
    await client.diagnosticsFor(ws.uriOf('a.py'), (d: Diagnostic[]) => d.length > 0, 20_000);
    assert.equal(await client.shutdown(), 0);
    client = await LspClient.start({ workspace: ws });
    const exited = new Promise<number | null>((r) => client!.proc.on('exit', (code) => r(code)));
    client.notification('exit');
    const code = await Promise.race([exited, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 5000))]);
    assert.equal(code, 1, 'exit without shutdown exits with 1, as LSP says');
  });
});
