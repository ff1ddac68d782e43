import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiskFiles } from '../../common/fs-files';
import type { ReadinessResult } from '../../common/protocol';
import { defaultRegistry, initPython, scanWorkspace } from '../../rules';
import { CLI, ensureBuilt as ensureCli, runCli } from '../cli/helpers';
import { ensureBuilt as ensureServer, LspClient, SERVER, TempWorkspace } from '../lsp/client';

/**
 * Security of the adapters' outputs:
 *  - secrets are masked in every output: `mlready check` in every format, `mlready report` in
 *    Markdown and HTML, and the language server's diagnostics, code actions, readiness answer,
 *    log messages and stderr never contain a raw secret of the S1xx fixtures;
 *  - no network: a scan opens no socket and resolves no name (the CLI and the server run with a
 *    preload that makes every network entry point throw and records the attempt).
 */

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const SECRET_FIXTURES = fs.readdirSync(FIXTURES).filter((d) => /^S10[1-6]-/.test(d) && fs.existsSync(path.join(FIXTURES, d, 'flagged')));

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyDir(path.join(from, e.name), path.join(to, e.name));
    else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

/** One workspace with every flagged secret fixture in its own folder. */
function secretsWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-secrets-')));
  for (const d of SECRET_FIXTURES) copyDir(path.join(FIXTURES, d, 'flagged'), path.join(dir, d));
  return dir;
}

/**
 * The raw secret values: the text each S101–S106 finding points at (its range is the secret),
 * and for private keys and JSON-escaped text the key's body lines. Names (`ARG HF_TOKEN`) and the
 * code of a notebook cell (S102 points at the cell whose outputs leak) are not secrets.
 */
async function rawSecrets(dir: string): Promise<string[]> {
  await initPython();
  const result = await scanWorkspace(new DiskFiles(dir), defaultRegistry());
  const out = new Set<string>();
  for (const f of result.findings) {
    if (!/^S10[13456]$/.test(f.code) || !f.file) continue;
    const value = fs.readFileSync(path.join(dir, f.file), 'utf8').slice(f.fileRange.start, f.fileRange.end);
    if (/^[A-Z_]+$/.test(value) || value.length < 8) continue;
    if (value.includes('-----BEGIN')) {
      for (const line of value.split(/\\n|\n/)) if (/^[A-Za-z0-9+/=]{20,}$/.test(line.trim())) out.add(line.trim());
    } else out.add(value);
  }
  return [...out];
}

function assertNoSecret(output: string, secrets: string[], where: string): void {
  const leaked = secrets.filter((s) => output.includes(s) || output.includes(JSON.stringify(s).slice(1, -1)));
  assert.deepEqual(leaked, [], `${where} shows raw secrets`);
}

describe('reliability: security of the outputs', function () {
  this.timeout(120_000);
  let dir: string;
  let secrets: string[];

  before(async () => {
    ensureCli();
    ensureServer();
    dir = secretsWorkspace();
    secrets = await rawSecrets(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the secret fixtures give raw secrets to look for', () => {
    assert.ok(SECRET_FIXTURES.length >= 5, SECRET_FIXTURES.join(' '));
    assert.ok(secrets.length >= 20, `${secrets.length} secrets: the fixtures changed?`);
    // the inputs do contain them, so a leak would show
    const all = SECRET_FIXTURES.flatMap((d) => [...new DiskFilesSync(path.join(dir, d)).texts()]).join('\n');
    for (const s of secrets) assert.ok(all.includes(s), s.slice(0, 4));
  });

  it('mlready check in every format and mlready report in Markdown and HTML never show a raw secret', async () => {
    const runs: [string, string[]][] = [
      ...['text', 'json', 'sarif', 'markdown', 'github', 'gitlab', 'junit'].map((format) => [`check --format ${format}`, ['check', '.', '--format', format, '--fail-on', 'never']] as [string, string[]]),
      ...['markdown', 'html'].map((format) => [`report --format ${format}`, ['report', '.', '--format', format]] as [string, string[]]),
    ];
    // two at a time: the CI machine has two cores
    for (let i = 0; i < runs.length; i += 2) {
      await Promise.all(
        runs.slice(i, i + 2).map(async ([name, args]) => {
          const run = await runCli(args, { cwd: dir, env: { FORCE_COLOR: args.includes('text') ? '1' : undefined } });
          assert.equal(run.code, 0, `${name}: ${run.stderr}`);
          assert.match(run.stdout, /S10[1-6]/, `${name} reports the secrets`);
          assertNoSecret(run.stdout + run.stderr, secrets, name);
        }),
      );
    }
  });

  it('the language server never shows a raw secret: diagnostics, code actions, readiness, logs, stderr', async () => {
    const ws = Object.assign(Object.create(TempWorkspace.prototype) as TempWorkspace, { dir, uri: pathToFileURL(dir).href });
    const client = await LspClient.start({ workspace: ws });
    try {
      const expected = SECRET_FIXTURES.length;
      await client.waitFor('diagnostics of the secret fixtures', () => {
        const folders = new Set([...client.published.values()].filter((p) => p.diagnostics.some((d) => /^S10[1-6]$/.test(String(d.code)))).map((p) => p.uri.slice(ws.uri.length + 1).split('/')[0]));
        return folders.size >= expected ? true : undefined;
      }, 60_000);
      // open one file too, so that buffer diagnostics are covered as well as the scan's
      const settings = path.join(dir, 'S101-hardcoded-secret', 'settings.py');
      const settingsUri = pathToFileURL(settings).href;
      client.open(settingsUri, 'python', fs.readFileSync(settings, 'utf8'), 7);
      await client.diagnosticsFor(settingsUri, (d, p) => p.version === 7 && d.length > 0, 20_000);
      const outputs: string[] = [];
      for (const p of client.published.values()) {
        outputs.push(JSON.stringify(p));
        for (const d of p.diagnostics as Diagnostic[]) {
          const actions = await client.codeActions(p.uri, d.range, [d]);
          outputs.push(JSON.stringify(actions.map((a) => ({ title: a.title, edit: a.edit, command: a.command }))));
        }
      }
      outputs.push(JSON.stringify(await client.request<ReadinessResult>('mlready/readiness', {})));
      outputs.push(JSON.stringify(client.logs), client.stderr, JSON.stringify(client.statuses));
      assert.ok(outputs.join('\n').includes('S101'));
      assertNoSecret(outputs.join('\n'), secrets, 'the language server');
    } finally {
      await client.shutdown();
    }
  });

  describe('no network during a scan', () => {
    const preload = path.join(os.tmpdir(), `mlready-no-network-${process.pid}.js`);
    const log = path.join(os.tmpdir(), `mlready-no-network-${process.pid}.log`);
    before(() => {
      fs.writeFileSync(
        preload,
        `'use strict';
const fs = require('fs');
const LOG = ${JSON.stringify(log)};
function trap(name) {
  return function () {
    fs.appendFileSync(LOG, name + '\\n');
    throw new Error('mlready test: network access ' + name);
  };
}
const net = require('net');
for (const k of ['connect', 'createConnection', 'createServer']) net[k] = trap('net.' + k);
net.Socket.prototype.connect = trap('net.Socket.connect');
const tls = require('tls');
tls.connect = trap('tls.connect');
const dns = require('dns');
for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) dns[k] = trap('dns.' + k);
for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6']) dns.promises[k] = trap('dns.promises.' + k);
for (const m of ['http', 'https', 'http2']) {
  const mod = require(m);
  for (const k of ['request', 'get', 'connect', 'createServer']) if (typeof mod[k] === 'function') mod[k] = trap(m + '.' + k);
}
require('dgram').createSocket = trap('dgram.createSocket');
globalThis.fetch = trap('fetch');
globalThis.WebSocket = trap('WebSocket');
`,
      );
    });
    beforeEach(() => fs.rmSync(log, { force: true }));
    after(() => {
      fs.rmSync(preload, { force: true });
      fs.rmSync(log, { force: true });
    });
    const attempts = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

    it('the trap works: a process that connects is caught', async () => {
      const child = spawn(process.execPath, ['--require', preload, '-e', "try { require('https').get('https://example.com') } catch {} ; try { require('dns').lookup('example.com', () => {}) } catch {}"], { stdio: 'ignore' });
      await new Promise((r) => child.on('close', r));
      assert.deepEqual(attempts(), ['https.get', 'dns.lookup']);
    });

    it('mlready check and mlready report open no socket', async () => {
      const project = path.join(FIXTURES, 'D101-unvalidated-read', 'flagged');
      for (const args of [['check', dir, '--format', 'sarif', '--fail-on', 'never'], ['check', project, '--format', 'json', '--fail-on', 'never'], ['report', dir, '--format', 'html']]) {
        const run = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--require ${preload}` } });
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.length > 100);
      }
      assert.deepEqual(attempts(), []);
      void CLI;
    });

    it('the language server opens no socket during initialize and a workspace scan', async () => {
      const server = spawn(process.execPath, ['--require', preload, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const conn = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
      conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      conn.onRequest('client/registerCapability', () => null);
      conn.onRequest('window/workDoneProgress/create', () => null);
      const published = new Set<string>();
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => void published.add(p.uri));
      conn.listen();
      try {
        const root = pathToFileURL(dir).href;
        await conn.sendRequest('initialize', { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'w' }], capabilities: { workspace: { configuration: true, workspaceFolders: true } } });
        await conn.sendNotification('initialized', {});
        const deadline = Date.now() + 60_000;
        while (published.size < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok(published.size >= 5, `the scan published ${published.size} files`);
        const r = await conn.sendRequest<ReadinessResult>('mlready/readiness', {});
        assert.ok(r.folders.length === 1);
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } finally {
        server.kill('SIGKILL');
        conn.dispose();
      }
      assert.deepEqual(attempts(), []);
    });
  });
});

/** Every file's text under a folder (to check that the inputs hold the secrets). */
class DiskFilesSync {
  constructor(private readonly root: string) {}
  *texts(): Iterable<string> {
    const walk = function* (d: string): Iterable<string> {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) yield* walk(full);
        else yield fs.readFileSync(full, 'utf8');
      }
    };
    yield* walk(this.root);
  }
}
