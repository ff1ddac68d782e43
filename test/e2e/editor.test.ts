import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openFile, runCommand, startEditor, waitFor, type Editor } from './harness';

/**
 * The packaged extension in a real VS Code, as a person uses it: squiggles and Problems entries
 * with rule codes and doc links, a quick fix from the light bulb, notebooks, pipeline YAML and the
 * palette commands. Each step leaves a screenshot in test-output/e2e/.
 */
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

describe('mlready in a real VS Code', function () {
  let editor: Editor;

  before(async function () {
    editor = await startEditor(EXAMPLES);
  });

  after(async () => {
    await editor?.stop();
  });

  async function problemsRows(text: string | RegExp) {
    const { page } = editor;
    // focus (not toggle) the Problems view, so calling this twice keeps it open
    await runCommand(page, 'Problems: Focus on Problems View');
    return page.locator('.markers-panel .monaco-list-row', { hasText: text });
  }

  it('shows diagnostics in a Python file as squiggles and in the Problems panel, with a doc link', async () => {
    const { page } = editor;
    await openFile(page, 'src/churn/features.py');
    await waitFor('a squiggle from mlready', async () => ((await page.locator('.view-overlays .squiggly-error, .view-overlays .squiggly-warning').count()) > 0 ? true : undefined), 90000);
    const rows = await problemsRows('P101');
    await rows.first().waitFor({ timeout: 30000 });
    const rowText = await rows.first().innerText();
    assert.match(rowText, /home folder/);
    // the rule code is rendered as a link to the rule's documentation page shipped in the extension
    const link = rows.first().locator('a', { hasText: 'P101' }).first();
    await link.waitFor({ timeout: 10000 });
    const target = `${(await link.getAttribute('href')) ?? ''} ${(await link.getAttribute('title')) ?? ''} ${(await link.getAttribute('aria-label')) ?? ''}`;
    assert.match(target, /P101-hardcoded-user-path\.md/);
    await editor.shot('python-diagnostics');
  });

  it('applies a quick fix from the light bulb and the diagnostic goes away', async () => {
    const { page } = editor;
    await openFile(page, 'src/churn/features.py');
    await page.keyboard.press('Control+G');
    await page.keyboard.type('9:35');
    await page.keyboard.press('Enter');
    await runCommand(page, 'Quick Fix...');
    const action = page.locator('.action-widget .monaco-list-row, .context-view .action-item', { hasText: 'environment variable' }).first();
    await action.waitFor({ timeout: 30000 });
    await editor.shot('quick-fix-menu');
    await action.click();
    await waitFor('the fixed text', async () => ((await page.locator('.view-lines').innerText()).includes('os.environ.get(') ? true : undefined), 30000);
    await page.keyboard.press('Control+S');
    const rows = await problemsRows(/customers\.csv` points into/);
    await waitFor('the P101 finding to disappear', async () => ((await rows.count()) === 0 ? true : undefined), 30000);
    await editor.shot('quick-fix-applied');
  });

  it('shows diagnostics of a pipeline YAML file', async () => {
    const { page } = editor;
    await openFile(page, 'k8s/deployment.yaml');
    const rows = await problemsRows('P105');
    await rows.first().waitFor({ timeout: 60000 });
    await editor.shot('yaml-diagnostics');
  });

  it('runs the scan and fix-all commands from the palette', async () => {
    const { page } = editor;
    await runCommand(page, 'mlready: Scan Workspace');
    const status = page.locator('.statusbar-item', { hasText: /mlready|readiness/i }).first();
    await status.waitFor({ timeout: 60000 });
    await openFile(page, 'src/churn/train.py');
    await runCommand(page, 'mlready: Fix All Safe Issues in This File');
    await waitFor('fix-all to rewrite train.py', async () => ((await page.locator('.view-lines').innerText()).includes('os.environ.get(') ? true : undefined), 60000);
    await editor.shot('fix-all');
    assert.ok(fs.existsSync(path.join(editor.workspace, 'src/churn/train.py')));
  });
});
