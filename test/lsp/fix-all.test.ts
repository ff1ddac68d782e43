import * as assert from 'assert';
import type { FixAllWorkspaceResult } from '../../common/protocol';
import { notebook } from '../cli/helpers';
import { applyEdits, codes, editsFor, ensureBuilt, LspClient, rangeAt, TempWorkspace } from './client';

/**
 * Fix-all in the editor runs the fixes to a fixed point, as the CLI's --fix does: a fix that
 * enables another (N105 moves a late import up and leaves an empty cell, N106 deletes that cell)
 * is completed in the same action, so running fix-all a second time changes nothing.
 */
const NB = notebook([
  { type: 'markdown', source: '# Churn exploration' },
  { type: 'code', source: 'import pandas as pd\n' },
  { type: 'code', source: 'df = pd.DataFrame({"a": [1]})\n' },
  { type: 'code', source: 'import numpy as np\n' },
  { type: 'code', source: 'np.zeros(3)\n' },
]);

describe('LSP: fix-all to a fixed point', function () {
  this.timeout(30000);
  let ws: TempWorkspace;
  let client: LspClient;
  before(() => ensureBuilt());
  beforeEach(async () => {
    ws = new TempWorkspace({ 'nb/explore.ipynb': NB });
    client = await LspClient.start({ workspace: ws });
  });
  afterEach(async () => {
    await client.shutdown();
    ws.dispose();
  });

  it('moves the late import and deletes the cell it empties in one action; a second fix-all offers nothing', async () => {
    const uri = ws.uriOf('nb/explore.ipynb');
    client.open(uri, 'json', NB);
    const diagnostics = await client.diagnosticsFor(uri, (d) => codes(d).includes('N105'));
    assert.ok(!codes(diagnostics).includes('N106'), 'no empty cell before the fix');
    const [fixAll] = await client.codeActions(uri, rangeAt(0), diagnostics, ['source.fixAll']);
    assert.strictEqual(fixAll.kind, 'source.fixAll.mlready');
    const fixed = applyEdits(NB, editsFor(fixAll.edit, uri));
    const cells = (JSON.parse(fixed) as { cells: { source: string[] }[] }).cells.map((c) => c.source.join(''));
    assert.deepStrictEqual(cells, ['# Churn exploration', 'import pandas as pd\nimport numpy as np\n', 'df = pd.DataFrame({"a": [1]})\n', 'np.zeros(3)\n']);

    client.change(uri, 2, [{ text: fixed }]);
    const after = await client.diagnosticsFor(uri, (_, p) => p.version === 2);
    assert.ok(!codes(after).some((c) => c === 'N105' || c === 'N106'), codes(after).join(' '));
    const again = await client.codeActions(uri, rangeAt(0), after, ['source.fixAll']);
    assert.ok(!again.some((a) => a.kind === 'source.fixAll.mlready'), 'nothing left to fix');
  });

  it('does the same for a closed notebook in mlready/fixAllWorkspace', async () => {
    const uri = ws.uriOf('nb/explore.ipynb');
    await client.diagnosticsFor(uri, (d) => codes(d).includes('N105'), 20000);
    const result = await client.request<FixAllWorkspaceResult>('mlready/fixAllWorkspace', {});
    const fixed = applyEdits(NB, editsFor(result.edit, uri));
    const cells = (JSON.parse(fixed) as { cells: { source: string[] }[] }).cells.map((c) => c.source.join(''));
    assert.deepStrictEqual(cells, ['# Churn exploration', 'import pandas as pd\nimport numpy as np\n', 'df = pd.DataFrame({"a": [1]})\n', 'np.zeros(3)\n']);
  });
});
