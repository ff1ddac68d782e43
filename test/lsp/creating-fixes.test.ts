import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { applyEdits, ensureBuilt, LspClient, TempWorkspace } from './client';

/**
 * The D101 contract generator through the language server: offered only to clients that can
 * create files, completed from the data sample on `codeAction/resolve`, never over an existing file.
 */
const TRAIN = 'import pandas as pd\n\n\ndef load():\n    df = pd.read_csv("data/customers.csv")\n    return df[df["age"] > 18]\n';
const CSV = 'id,age,country,spend\n1,34,DE,10.5\n2,22,FR,3.0\n3,45,DE,\n';
const GENERATE = /^Generate a pandera schema for `customers` from data\/customers\.csv/;

describe('LSP: fixes that create files', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient | undefined;

  before(() => ensureBuilt());
  beforeEach(() => {
    ws = new TempWorkspace({ 'src/train.py': TRAIN, 'data/customers.csv': CSV });
  });
  afterEach(async () => {
    await client?.shutdown();
    client = undefined;
    ws.dispose();
  });

  async function generateAction(c: LspClient): Promise<{ action: CodeAction | undefined; all: CodeAction[] }> {
    const uri = ws.uriOf('src/train.py');
    c.open(uri, 'python', TRAIN);
    // the first lint may precede the workspace scan that finds the sample; the relint after it names the sample
    const fromSample = (x: Diagnostic) => x.code === 'D101' && (x.data as { fixes: { title: string }[] }).fixes.some((f) => GENERATE.test(f.title));
    const diagnostics = await c.diagnosticsFor(uri, (d) => d.some(fromSample), 20000);
    const d101 = diagnostics.filter((d) => d.code === 'D101');
    const all = await c.codeActions(uri, d101[0].range, d101, ['quickfix']);
    return { action: all.find((a) => GENERATE.test(a.title)), all };
  }

  it('resolves the action into create-file operations with content inferred from the sample, then the edits', async () => {
    client = await LspClient.start({ workspace: ws, documentChanges: true, resourceOperations: ['create'], codeActionResolve: true });
    const { action } = await generateAction(client);
    assert.ok(action, 'the generate-contract fix is offered');
    assert.strictEqual(action.edit, undefined, 'the sample is read only on resolve');
    assert.ok(!action.isPreferred, 'an unsafe fix is never the preferred one');

    const resolved = await client.request<CodeAction>('codeAction/resolve', action);
    const changes = resolved.edit!.documentChanges!;
    const creates = changes.filter((c): c is CreateFile => 'kind' in c && c.kind === 'create');
    assert.deepStrictEqual(creates.map((c) => path.relative(ws.dir, new URL(c.uri).pathname)).sort(), ['src/schemas/customers.odcs.yaml', 'src/schemas/customers.py']);
    assert.ok(creates.every((c) => !c.options?.overwrite && !c.options?.ignoreIfExists));
    const edits = changes.filter((c): c is TextDocumentEdit => 'textDocument' in c);
    const schema = edits.find((e) => e.textDocument.uri === ws.uriOf('src/schemas/customers.py'))!.edits as TextEdit[];
    assert.match(schema[0].newText, /"age": pa\.Column\("int64", pa\.Check\.ge\(0\)\)/);
    assert.match(schema[0].newText, /3 rows sampled/);
    // creation comes before the edit that imports the new module
    const trainAt = changes.findIndex((c) => 'textDocument' in c && c.textDocument.uri === ws.uriOf('src/train.py'));
    assert.ok(trainAt > changes.findIndex((c) => 'kind' in c && c.kind === 'create'));
    const train = changes[trainAt] as TextDocumentEdit;
    assert.strictEqual(train.textDocument.version, 1);
    const fixed = applyEdits(TRAIN, train.edits as TextEdit[]);
    assert.match(fixed, /^from schemas\.customers import CUSTOMERS_SCHEMA$/m);
    assert.match(fixed, /df = CUSTOMERS_SCHEMA\.validate\(pd\.read_csv\("data\/customers\.csv"\)\)/);
    assert.ok(!fs.existsSync(path.join(ws.dir, 'src/schemas')), 'the server itself writes nothing');
  });

  it('completes the edit at once for a client without resolve support', async () => {
    client = await LspClient.start({ workspace: ws, documentChanges: true, resourceOperations: ['create'] });
    const { action } = await generateAction(client);
    assert.ok(action?.edit?.documentChanges?.some((c) => 'kind' in c && c.kind === 'create'));
  });

  it('is not offered to a client that cannot create files, while the other fixes are', async () => {
    client = await LspClient.start({ workspace: ws, documentChanges: true });
    const { action, all } = await generateAction(client);
    assert.strictEqual(action, undefined);
    assert.ok(all.some((a) => a.title.startsWith('Ignore D101')));
  });

  it('is not offered when a file it would create exists', async () => {
    ws.write('src/schemas/customers.odcs.yaml', 'mine: true\n');
    client = await LspClient.start({ workspace: ws, documentChanges: true, resourceOperations: ['create'], codeActionResolve: true });
    const { action, all } = await generateAction(client);
    assert.strictEqual(action, undefined);
    assert.ok(!all.some((a) => /ODCS/.test(a.title)));
  });

  it('resolves to no edit when the file appeared after the action was offered', async () => {
    client = await LspClient.start({ workspace: ws, documentChanges: true, resourceOperations: ['create'], codeActionResolve: true });
    const { action } = await generateAction(client);
    ws.write('src/schemas/customers.py', 'CUSTOMERS_SCHEMA = None\n');
    const resolved = await client.request<CodeAction>('codeAction/resolve', action);
    assert.strictEqual(resolved.edit, undefined);
    assert.strictEqual(fs.readFileSync(path.join(ws.dir, 'src/schemas/customers.py'), 'utf8'), 'CUSTOMERS_SCHEMA = None\n');
  });
});
