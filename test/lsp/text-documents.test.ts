import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver/node';
import { applyEdits, codes, editsFor, ensureBuilt, LspClient, rangeAt, TempWorkspace } from './client';

// one portability finding and nothing else (other families' rules must not make these tests flaky)
const TRAIN = ['"""Where the training data lives."""', '', 'DATA = "/home/ana/data/train.csv"', ''].join('\n');

describe('LSP: text documents', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient;

  before(() => ensureBuilt());
  beforeEach(async () => {
    // on disk the module is clean: diagnostics must follow the buffer, and fall back to the disk on close
    ws = new TempWorkspace({ 'src/train.py': 'x = 1\n' });
    client = await LspClient.start({ workspace: ws, initializationOptions: { docsBaseUri: 'file:///ext/docs/rules/' } });
  });
  afterEach(async () => {
    await client.shutdown();
    ws.dispose();
  });

  it('announces incremental text sync, notebook sync and code actions', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepStrictEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    const selector = caps.notebookDocumentSync && 'notebookSelector' in caps.notebookDocumentSync ? caps.notebookDocumentSync.notebookSelector : [];
    assert.deepStrictEqual((selector[0] as { notebook: unknown }).notebook, { notebookType: 'jupyter-notebook' });
    assert.deepStrictEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.mlready'], resolveProvider: true });
  });

  it('registers file watchers for the kinds it analyses and mlready.yaml', async () => {
    const reg = await client.waitFor('watcher registration', () => client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = (reg.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern).join(' ');
    assert.match(globs, /\*\*\/\*\.\{py,pyw,ipynb,yaml,yml,txt,in,toml\}/);
  });

  it('publishes diagnostics on open, updates them on change and falls back to the disk on close', async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN);
    const opened = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.deepStrictEqual(codes(opened), ['P101']);
    assert.deepStrictEqual(opened[0].range, rangeAt(2, 8, 2, 32));
    assert.strictEqual(client.published.get(uri)!.version, 1);

    // incremental change: a second hard-coded path on a new line
    client.change(uri, 2, [{ range: rangeAt(3, 0), text: 'OUT = "/Users/ana/out"\n' }]);
    const changed = await client.diagnosticsFor(uri, (_, p) => p.version === 2);
    assert.deepStrictEqual(codes(changed), ['P101', 'P101']);
    assert.strictEqual(changed[1].range.start.line, 3);

    // removing both paths clears the diagnostics
    client.change(uri, 3, [{ text: 'import os\nDATA = os.environ["DATA"]\n' }]);
    assert.deepStrictEqual(await client.diagnosticsFor(uri, (_, p) => p.version === 3), []);

    client.change(uri, 4, [{ text: TRAIN }]);
    await client.diagnosticsFor(uri, (d, p) => p.version === 4 && d.length === 1);
    client.close(uri);
    // the file on disk has no finding
    assert.deepStrictEqual(await client.nextDiagnostics(uri), []);
  });

  it('clears the diagnostics of a closed buffer whose file does not exist on disk', async () => {
    const uri = ws.uriOf('scratch.py');
    client.open(uri, 'python', TRAIN);
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    client.close(uri);
    await client.diagnosticsFor(uri, (d) => d.length === 0);
  });

  it('carries code, source, severity, the rule doc link and which fixes exist (not their edits) in the diagnostic', async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN);
    const [d] = await client.diagnosticsFor(uri, (x) => x.length > 0);
    assert.strictEqual(d.code, 'P101');
    assert.strictEqual(d.source, 'mlready');
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.codeDescription?.href, 'file:///ext/docs/rules/P101-hardcoded-user-path.md');
    const data = d.data as { fixes: { title: string; applicability: string }[]; ignorable?: boolean; versions: Record<string, number> };
    assert.strictEqual(data.fixes.length, 1);
    assert.deepStrictEqual(Object.keys(data.fixes[0]).sort(), ['applicability', 'title'], 'the edits stay in the server');
    assert.strictEqual(data.fixes[0].applicability, 'safe');
    assert.strictEqual(data.ignorable, true);
    assert.deepStrictEqual(data.versions, { [uri]: 1 });
  });

  it('finds the fixes of a diagnostic by its code and range', async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN);
    const [d] = await client.diagnosticsFor(uri, (x) => x.length > 0);
    const moved = { ...d, range: { start: { line: d.range.start.line + 1, character: 0 }, end: { line: d.range.start.line + 1, character: 3 } } };
    const movedTitles = (await client.codeActions(uri, moved.range, [moved])).map((a) => a.title);
    assert.deepStrictEqual(movedTitles, ['Show documentation for P101'], 'no finding there: no fix');
    // another rule's code at the same place is not this finding: no fix, only its documentation
    const other = { ...d, code: 'P102', data: { ...(d.data as object), code: 'P102', name: 'hardcoded-host' } };
    const otherTitles = (await client.codeActions(uri, d.range, [other])).map((a) => a.title);
    assert.deepStrictEqual(otherTitles, ['Show documentation for P102']);
  });

  it("applies a diagnostic's quick fix, after which the finding is gone", async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore P101 for this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for P101'));
    const fix = actions.find((a) => a.isPreferred)!;
    assert.match(fix.title, /environment variable DATA/);
    assert.strictEqual(fix.kind, 'quickfix');
    const fixed = applyEdits(TRAIN, editsFor(fix.edit, uri));
    assert.ok(fixed.startsWith('"""Where the training data lives."""\nimport os\n'), fixed);
    assert.match(fixed, /DATA = os\.environ\.get\("DATA", "\/home\/ana\/data\/train\.csv"\)/);
    client.change(uri, 2, [{ text: fixed }]);
    assert.deepStrictEqual(await client.diagnosticsFor(uri, (_, p) => p.version === 2), []);
  });

  it('offers no edits from a diagnostic computed for an older version', async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    client.change(uri, 2, [{ range: rangeAt(0, 0), text: '# comment\n' }]);
    await client.diagnosticsFor(uri, (_, p) => p.version === 2);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    assert.deepStrictEqual(
      actions.map((a) => a.title),
      ['Show documentation for P101'],
    );
  });

  it('"Ignore CODE for this line" inserts the suppression comment above, with the indentation', async () => {
    const uri = ws.uriOf('src/train.py');
    const text = 'def load():\n    return open("/home/ana/data/train.csv")\n';
    client.open(uri, 'python', text);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics, ['quickfix']);
    const ignore = actions.find((a) => a.title === 'Ignore P101 for this line')!;
    const ignored = applyEdits(text, editsFor(ignore.edit, uri));
    assert.strictEqual(ignored, 'def load():\n    # mlready: ignore[P101] reason: <why this is acceptable>\n    return open("/home/ana/data/train.csv")\n');
    client.change(uri, 2, [{ text: ignored }]);
    // the finding is suppressed; the placeholder reason is reported until a real one is written
    assert.deepStrictEqual(codes(await client.diagnosticsFor(uri, (_, p) => p.version === 2)), ['G901']);
  });

  it('source.fixAll.mlready applies every safe fix of the document at once', async () => {
    const uri = ws.uriOf('src/train.py');
    const text = 'TRAIN = "/home/ana/data/train.csv"\nTEST = "/home/ana/data/test.csv"\n';
    client.open(uri, 'python', text);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length === 2);
    // lightbulb requests (no `only`) do not compute fix-all
    assert.ok(!(await client.codeActions(uri, rangeAt(0), [])).some((a) => a.kind === 'source.fixAll.mlready'));
    const [fixAll] = await client.codeActions(uri, rangeAt(0), diagnostics, ['source.fixAll']);
    assert.strictEqual(fixAll.kind, 'source.fixAll.mlready');
    const fixed = applyEdits(text, editsFor(fixAll.edit, uri));
    // one import for both fixes
    assert.strictEqual(fixed.match(/^import os$/gm)?.length, 1);
    client.change(uri, 2, [{ text: fixed }]);
    assert.deepStrictEqual(await client.diagnosticsFor(uri, (_, p) => p.version === 2), []);
  });

  it('uses versioned documentChanges when the client supports them', async () => {
    await client.shutdown();
    client = await LspClient.start({ workspace: ws, documentChanges: true });
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', TRAIN, 7);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const change = actions.find((a) => a.isPreferred)!.edit!.documentChanges![0] as { textDocument: { uri: string; version: number } };
    assert.deepStrictEqual(change.textDocument, { uri, version: 7 });
  });

  it('lints MLproject YAML: a /home path in an entry point command', async () => {
    const uri = ws.uriOf('MLproject');
    const text = ['name: churn', 'entry_points:', '  main:', '    command: "python /home/ana/churn/train.py --epochs 10"', ''].join('\n');
    client.open(uri, 'yaml', text);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.deepStrictEqual(codes(diagnostics), ['P101']);
    assert.strictEqual(diagnostics[0].range.start.line, 3);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const ignore = actions.find((a) => a.title === 'Ignore P101 for this line')!;
    const ignored = applyEdits(text, editsFor(ignore.edit, uri));
    assert.match(ignored, /\n {4}# mlready: ignore\[P101\] reason: <why this is acceptable>\n {4}command:/);
  });

  it('keeps only the newest version after a burst of changes', async () => {
    const uri = ws.uriOf('src/train.py');
    client.open(uri, 'python', 'x = 1\n');
    await client.diagnosticsFor(uri, (_, p) => p.version === 1);
    let text = 'x = 1\n';
    for (let v = 2; v <= 301; v++) {
      const line = `P${v} = "/home/ana/${v}.csv"\n`;
      client.change(uri, v, [{ range: rangeAt(v - 1, 0), text: line }]);
      text += line;
    }
    const final = await client.diagnosticsFor(uri, (_, p) => p.version === 301);
    assert.strictEqual(final.length, 300);
    // every publication was for a version the server had at the time, in order
    const versions = client.history.filter((p) => p.uri === uri).map((p) => p.version!);
    assert.deepStrictEqual(versions, [...versions].sort((a, b) => a - b));
    assert.ok(versions.length < 50, `debounced: ${versions.length} publications for 301 versions`);
    void text;
  });

  it('survives bad input: binary content and a huge buffer', async () => {
    const bin = ws.uriOf('blob.py');
    client.open(bin, 'python', 'x = 1\u0000\u0001\u0002' + '\u0000'.repeat(100));
    assert.deepStrictEqual(await client.diagnosticsFor(bin), []);
    const huge = ws.uriOf('huge.py');
    client.open(huge, 'python', `DATA = "/home/ana/x.csv"\n${'#'.repeat(3 * 1024 * 1024)}\n`);
    assert.deepStrictEqual(await client.diagnosticsFor(huge), []);
    // the server still works
    const ok = ws.uriOf('ok.py');
    client.open(ok, 'python', TRAIN);
    assert.deepStrictEqual(codes(await client.diagnosticsFor(ok, (d) => d.length > 0)), ['P101']);
  });

  it('exits with code 0 after shutdown and exit', async () => {
    assert.strictEqual(await client.shutdown(), 0);
  });
});

export type { Diagnostic };
