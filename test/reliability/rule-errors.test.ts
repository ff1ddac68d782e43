import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';

/**
 * A rule that throws, in the real adapters: the CLI and the server are run from source (tsx) with
 * a preload that adds a rule Z999 throwing an error that quotes the file's content. Its error is
 * reported once per rule and file, by code and path, never with the content; the other rules'
 * findings are still reported.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const MARKER = 'CONTENT_MUST_NOT_LEAK_7f3a';
const FLAGGED = `DATA = "/home/ana/x.csv"  # ${MARKER}\n`;

describe('reliability: a rule that throws, in the CLI and the server', function () {
  this.timeout(90_000);
  let dir: string;
  let preload: string;

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-throwing-')));
    fs.writeFileSync(path.join(dir, 'a.py'), FLAGGED);
    fs.writeFileSync(path.join(dir, 'b.py'), FLAGGED);
    preload = path.join(dir, '..', `mlready-throwing-rule-${process.pid}.js`);
    fs.writeFileSync(
      preload,
      `'use strict';
const all = require(${JSON.stringify(path.join(ROOT, 'rules', 'all.ts'))});
const base = all.ALL_RULES.find((r) => r.code === 'P101');
all.ALL_RULES.push({ ...base, code: 'Z999', name: 'always-throws', check(ctx) { throw new Error('boom: ' + ctx.doc.text); } });
`,
    );
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(preload, { force: true });
  });

  function fromSource(entry: string, args: string[]) {
    return spawn(process.execPath, ['--require', 'tsx/cjs', '--require', preload, path.join(ROOT, entry), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  it('CLI: one line per file naming the rule, no content, the other findings kept', async () => {
    const child = fromSource('cli/main.ts', ['check', dir, '--format', 'json', '--fail-on', 'never', '--jobs', '1']);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { findings: { file: string; code: string }[] };
    assert.deepEqual(report.findings.filter((f) => f.code === 'P101').map((f) => f.file).sort(), ['a.py', 'b.py']);
    const lines = stderr.split('\n').filter((l) => l.includes('Z999'));
    assert.deepEqual(lines.sort(), ['mlready: rule Z999 failed on a.py; its findings for that file are missing.', 'mlready: rule Z999 failed on b.py; its findings for that file are missing.']);
    assert.ok(!stdout.includes(MARKER) || JSON.parse(stdout).findings.every((f: { message: string }) => !f.message.includes(MARKER)), 'no content in the findings');
    assert.ok(!stderr.includes(MARKER), 'the error message (which quotes the file) is not shown');
  });

  it('server: logged once per rule and file, without content; diagnostics of the other rules published', async () => {
    const server = fromSource('server/server.ts', ['--stdio']);
    const conn = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    let stderr = '';
    server.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const logs: string[] = [];
    const published = new Map<string, { version?: number; diagnostics: { code: string }[] }>();
    conn.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: { code: string }[] }) => void published.set(p.uri, p));
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ debounceMs: 0 })));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const waitFor = async (what: string, check: () => boolean, ms = 40_000) => {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; logs: ${logs.join(' | ').slice(-1500)}; stderr: ${stderr.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const root = pathToFileURL(dir).href;
      await conn.sendRequest('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'w' }], capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
      await conn.sendNotification('initialized', {});
      const a = `${root}/a.py`;
      await waitFor('diagnostics of a.py and b.py from the scan', () => ['a.py', 'b.py'].every((f) => published.get(`${root}/${f}`)?.diagnostics.some((d) => d.code === 'P101')));
      // the open buffer is linted again and again: still one log line for a.py
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: a, languageId: 'python', version: 1, text: FLAGGED } });
      for (let v = 2; v <= 6; v++) {
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri: a, version: v }, contentChanges: [{ text: FLAGGED.repeat(v) }] });
        await waitFor(`version ${v}`, () => published.get(a)?.version === v);
      }
      assert.equal(published.get(a)!.diagnostics.filter((d) => d.code === 'P101').length, 6, 'P101 still published');
      const errors = logs.filter((l) => l.includes('Z999'));
      assert.deepEqual(errors.sort(), ["mlready: rule Z999 failed on a.py; the other rules' findings are still reported.", "mlready: rule Z999 failed on b.py; the other rules' findings are still reported."]);
      assert.ok(!logs.join('\n').includes(MARKER) && !stderr.includes(MARKER), 'no content in the logs');
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
    } finally {
      server.kill('SIGKILL');
      conn.dispose();
    }
  });
});
