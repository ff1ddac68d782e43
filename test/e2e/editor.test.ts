import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import {
  activeTab,
  closeAllEditors,
  cursorPosition,
  goToLine,
  MLREADY_STATUS,
  notification,
  openFile,
  problemRows,
  readinessFrame,
  ROOT,
  runCommand,
  SLOW,
  startEditor,
  waitFor,
  type Editor,
} from './harness';

/**
 * The packaged extension in a real VS Code, as a person uses it: squiggles and Problems entries
 * with rule codes and doc links, a quick fix, a notebook in the notebook editor, pipeline YAML, the
 * readiness panel from the status bar, the palette commands, and Restricted Mode. Each step leaves a
 * screenshot in test-output/e2e/. Expected positions come from the built CLI run on the same
 * workspace copy, not from the extension.
 */
const EXAMPLES = path.join(ROOT, 'examples');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface CliFinding {
  file: string | null;
  cell?: number;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface CliReport {
  findings: CliFinding[];
  score: { overall: number; categories: Record<string, number> };
}

/** `mlready check <dir> --format json`, from the same build as the packaged extension. */
function cliCheck(dir: string): CliReport {
  const out = execFileSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as CliReport;
}

function findOne(report: CliReport, file: string, code: string, messagePart: string): CliFinding {
  const f = report.findings.find((x) => x.file === file && x.code === code && x.message.includes(messagePart));
  assert.ok(f, `the CLI reports no ${code} in ${file} mentioning ${messagePart}; it reports: ${report.findings.filter((x) => x.file === file).map((x) => x.code).join(', ')}`);
  return f;
}

/** How VS Code prints a position in the Problems panel: 1-based. */
function lnCol(f: CliFinding): string {
  return `[Ln ${f.range.start.line + 1}, Col ${f.range.start.character + 1}]`;
}

// the panel's category labels, by the CLI's category ids
const CATEGORY_LABELS: Record<string, string> = {
  security: 'Security',
  'data-contracts': 'Data contracts',
  monitoring: 'Monitoring',
  reproducibility: 'Reproducibility',
  reliability: 'Reliability',
  governance: 'Governance',
  portability: 'Portability',
  'notebook-hygiene': 'Notebook hygiene',
};

async function squiggleCount(page: Page, scope = ''): Promise<number> {
  return page.locator(`${scope} .view-overlays [class*="squiggly-"]`.trim()).count();
}

/** Saves the active editor until `file` on disk satisfies `saved` (a lost key press or a slow save is retried). */
async function saveUntil(page: Page, file: string, saved: (text: string) => boolean): Promise<void> {
  await waitFor(`${path.basename(file)} to be saved`, async () => {
    if (saved(fs.readFileSync(file, 'utf8'))) return true;
    await runCommand(page, 'File: Save');
    await new Promise((r) => setTimeout(r, 1000));
    return saved(fs.readFileSync(file, 'utf8')) ? true : undefined;
  }, SLOW);
}

async function hidePanel(page: Page): Promise<void> {
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
  await waitFor('the panel to hide', async () => ((await page.locator('.part.panel').isVisible()) ? undefined : true), 15_000);
}

describe('mlready in a real VS Code', function () {
  let editor: Editor;
  let page: Page;
  /** The CLI's view of the untouched workspace copy. */
  let baseline: CliReport;

  before(async function () {
    editor = await startEditor(EXAMPLES, { name: 'trusted' });
    page = editor.page;
    baseline = cliCheck(editor.workspace);
  });

  after(async () => {
    await editor?.stop();
  });

  it('1. shows diagnostics in a Python file as squiggles and in the Problems panel, with the rule code and a doc link', async () => {
    const expected = findOne(baseline, 'src/churn/features.py', 'P101', 'customers.csv');
    await openFile(page, 'src/churn/features.py');
    await waitFor('a squiggle from mlready in features.py', async () => ((await squiggleCount(page, '.editor-group-container .monaco-editor')) > 0 ? true : undefined), SLOW);
    const rows = await problemRows(page, 'customers.csv', 'P101');
    await rows.first().waitFor({ timeout: SLOW });
    const rowText = await rows.first().innerText();
    assert.match(rowText, /home folder/);
    assert.ok(rowText.includes(lnCol(expected)), `the Problems entry ${JSON.stringify(rowText)} is not at the CLI's ${lnCol(expected)}`);
    assert.match(rowText, /mlready/);
    // the rule code is rendered as a link to the rule's documentation page shipped in the extension
    const link = rows.first().locator('a', { hasText: 'P101' }).first();
    await link.waitFor({ timeout: 10_000 });
    const target = `${(await link.getAttribute('href')) ?? ''} ${(await link.getAttribute('title')) ?? ''} ${(await link.getAttribute('aria-label')) ?? ''}`;
    assert.match(target, /P101-hardcoded-user-path\.md/);
    const docPage = path.join(ROOT, 'docs', 'rules', 'P101-hardcoded-user-path.md');
    assert.ok(fs.existsSync(docPage), `the doc link points at ${docPage}, which does not exist`);
    await editor.shot('python-diagnostics');
  });

  it('2. applies a quick fix from the light bulb menu and the diagnostic goes away', async () => {
    const expected = findOne(baseline, 'src/churn/features.py', 'P101', 'customers.csv');
    await openFile(page, 'src/churn/features.py');
    // inside the flagged path string
    await goToLine(page, expected.range.start.line + 1, expected.range.start.character + 6);
    const action = page.locator('.action-widget .monaco-list-row, .context-view .action-item', { hasText: 'environment variable' }).first();
    await waitFor('the quick fix menu with the environment-variable fix', async () => {
      if (!(await action.isVisible())) await runCommand(page, 'Quick Fix...');
      await action.waitFor({ timeout: 5000 });
      return true;
    }, SLOW);
    await editor.shot('quick-fix-menu');
    await action.click();
    await waitFor('the fixed text', async () => ((await page.locator('.editor-group-container .view-lines').first().innerText()).includes('os.environ.get(') ? true : undefined), 30_000);
    await editor.shot('quick-fix-applied');
    await saveUntil(page, path.join(editor.workspace, 'src/churn/features.py'), (text) => text.includes('os.environ.get('));
    // every "home folder" finding, so the list is not empty by accident: dvc.yaml keeps its own
    await waitFor('the P101 finding of features.py to disappear while dvc.yaml keeps its P101', async () => {
      const texts = await (await problemRows(page, 'home folder', 'P101')).allInnerTexts();
      if (!texts.some((t) => t.includes('customers.csv`')) && texts.some((t) => t.includes('features.parquet'))) return true;
      throw new Error(`entries now: ${JSON.stringify(texts)}`);
    }, SLOW);
  });

  it('3. shows notebook diagnostics on the right cell in the notebook editor, and updates them as a cell is edited', async () => {
    const nbFile = 'notebooks/01_explore.ipynb';
    const nb = JSON.parse(fs.readFileSync(path.join(editor.workspace, nbFile), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
    const cellCount = nb.cells.length;
    const expected = findOne(baseline, nbFile, 'P101', 'customers.xlsx');
    assert.equal(typeof expected.cell, 'number', 'the CLI gives notebook findings a cell index');
    const cell = expected.cell!;

    await openFile(page, nbFile);
    await page.locator('.notebook-editor').first().waitFor({ timeout: SLOW });
    const cellRow = (i: number) => page.locator(`.notebook-editor .monaco-list-row[data-index="${i}"]`);
    // the Problems entry is in cell coordinates (line 2 of the cell, not line 64 of the JSON, which is
    // where the workspace scan placed it before the notebook was opened)
    const rows = await problemRows(page, 'customers.xlsx', 'P101');
    await waitFor(`the notebook's P101 entry, once, at the CLI's cell position ${lnCol(expected)}`, async () => {
      const texts = await rows.allInnerTexts();
      if (texts.length === 1 && texts[0].includes(lnCol(expected))) return true;
      throw new Error(`entries now: ${JSON.stringify(texts)}`);
    }, SLOW);
    // opening it lands on the CLI's cell, whose editor carries the squiggle
    const cellStatus = page.locator('.statusbar-item[id="notebook.activeCellStatus"]');
    await waitFor(`the notebook to focus cell ${cell + 1} from the Problems entry`, async () => {
      if ((await cellStatus.innerText().catch(() => '')).trim() === `Cell ${cell + 1} of ${cellCount}`) return true;
      await rows.first().dblclick();
      return undefined;
    }, SLOW);
    await waitFor(`cell ${cell + 1} focused with a squiggle`, async () => {
      const row = cellRow(cell);
      return /\bfocused\b/.test((await row.getAttribute('class')) ?? '') && (await squiggleCount(page, `.notebook-editor .monaco-list-row[data-index="${cell}"]`)) > 0 ? true : undefined;
    }, 30_000);
    await editor.shot(`notebook-diagnostics-cell-${cell + 1}`);

    // type a hard-coded home path into the first empty code cell
    const empty = nb.cells.findIndex((c) => c.cell_type === 'code' && (Array.isArray(c.source) ? c.source.join('') : c.source).trim() === '');
    assert.ok(empty > 0, 'the example notebook has an empty code cell to type into');
    const target = cellRow(empty);
    const focusCellEditor = async () => {
      // the cell list is virtualised: scroll (wheel) until the cell is rendered and in view
      await waitFor(`cell ${empty + 1} in view`, async () => {
        const list = await page.locator('.notebook-editor .monaco-list').first().boundingBox();
        if (!list) return undefined;
        const box = (await target.count()) ? await target.boundingBox() : null;
        if (box && box.y >= list.y && box.y + Math.min(box.height, 60) <= list.y + list.height) return true;
        await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
        await page.mouse.wheel(0, box && box.y < list.y ? -200 : 200);
        return undefined;
      }, SLOW);
      await waitFor(`the editor of cell ${empty + 1} focused`, async () => {
        if ((await target.locator('.monaco-editor.focused').count()) > 0 && (await cellStatus.innerText()).trim() === `Cell ${empty + 1} of ${cellCount}`) return true;
        await target.locator('.monaco-editor .view-lines').click();
        return undefined;
      }, SLOW);
    };
    await focusCellEditor();
    const line = 'extra = pd.read_csv("/home/dana/extra.csv")';
    await page.keyboard.insertText(line);
    await waitFor('the typed line in the cell', async () => ((await target.locator('.view-lines').innerText()).includes('/home/dana/extra.csv') ? true : undefined), 30_000);
    const added = await waitFor('a P101 Problems entry for the typed path', async () => {
      const r = await problemRows(page, 'extra.csv', 'P101');
      return (await r.count()) > 0 ? r.first() : undefined;
    }, SLOW);
    // the finding covers the path inside the quotes, on the cell's first line (as in features.py)
    assert.ok((await added.innerText()).includes(`[Ln 1, Col ${line.indexOf('/home') + 1}]`), `unexpected position: ${await added.innerText()}`);
    await waitFor(`a squiggle in cell ${empty + 1}`, async () => ((await squiggleCount(page, `.notebook-editor .monaco-list-row[data-index="${empty}"]`)) > 0 ? true : undefined), SLOW);
    await waitFor(`the new entry to open cell ${empty + 1}`, async () => {
      if ((await cellStatus.innerText()).trim() === `Cell ${empty + 1} of ${cellCount}`) return true;
      await added.dblclick();
      return undefined;
    }, 30_000);
    await editor.shot(`notebook-cell-${empty + 1}-edited`);

    // remove the line again: its finding goes, the one of the other cell stays
    await focusCellEditor();
    await waitFor(`cell ${empty + 1} to be empty again`, async () => {
      if ((await target.locator('.view-lines').innerText()).trim() === '') return true;
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      return undefined;
    }, 30_000);
    await waitFor('the P101 entry of the removed line to go while the other cell keeps its own', async () => {
      const texts = await (await problemRows(page, 'home folder', 'P101')).allInnerTexts();
      if (!texts.some((t) => t.includes('extra.csv')) && texts.some((t) => t.includes('customers.xlsx'))) return true;
      throw new Error(`entries now: ${JSON.stringify(texts)}`);
    }, SLOW);
    await editor.shot('notebook-cell-line-removed');
    // leave the notebook file untouched on disk for the readiness scenario
    await page.locator('.tabs-container .tab', { hasText: '01_explore' }).click();
    await runCommand(page, 'View: Revert and Close Editor');
    await page.locator('.tabs-container .tab', { hasText: '01_explore' }).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('4. shows diagnostics of a pipeline YAML file', async () => {
    const expected = findOne(baseline, 'k8s/deployment.yaml', 'P105', '10.20.0.14');
    await openFile(page, 'k8s/deployment.yaml');
    await waitFor('a squiggle in deployment.yaml', async () => ((await squiggleCount(page, '.editor-group-container .monaco-editor')) > 0 ? true : undefined), SLOW);
    // serve.py has a P105 for the same address: take the YAML one
    const rows = await problemRows(page, '10.20.0.14', 'kubernetes config');
    await rows.first().waitFor({ timeout: SLOW });
    assert.match(await rows.first().innerText(), /P105/);
    const rowText = await rows.first().innerText();
    assert.ok(rowText.includes(lnCol(expected)), `the YAML Problems entry ${JSON.stringify(rowText)} is not at the CLI's ${lnCol(expected)}`);
    await editor.shot('yaml-diagnostics');
  });

  it('5. opens the readiness panel from the status bar item, shows the score and categories, and a gap opens its file and line', async () => {
    // the server answers from open buffers; with every editor closed (and saved), it and the CLI see the same files
    await closeAllEditors(page);
    const report = cliCheck(editor.workspace);
    const status = page.locator(MLREADY_STATUS);
    const frame = readinessFrame(page);
    await waitFor('the ML Readiness panel from the status bar item', async () => {
      if (await activeTab(page, 'ML Readiness').isVisible()) return true;
      await status.click();
      await activeTab(page, 'ML Readiness').waitFor({ timeout: 10_000 });
      return true;
    }, SLOW);
    // the panel is live: poll until it shows the CLI's numbers (it refreshes after re-lints)
    const shown = await waitFor(
      `the panel to show the CLI's score ${report.score.overall} and categories ${JSON.stringify(report.score.categories)}`,
      async () => {
        const h1 = await frame.locator('h1').innerText({ timeout: 5000 });
        const m = /ML readiness of workspace: (\d+)\/100/.exec(h1);
        if (!m || Number(m[1]) !== report.score.overall) return undefined;
        const bars = await frame.locator('.bars li').evaluateAll((els) =>
          els.map((e) => ({ label: e.querySelector('.bar-label')?.textContent?.trim() ?? '', value: Number(e.querySelector('.bar-value')?.textContent) })),
        );
        for (const [id, value] of Object.entries(report.score.categories)) {
          const bar = bars.find((b) => b.label.startsWith(CATEGORY_LABELS[id] ?? id));
          if (!bar || bar.value !== value) return undefined;
        }
        return { overall: Number(m[1]), bars };
      },
      SLOW,
    );
    assert.equal(shown.bars.length, Object.keys(report.score.categories).length);
    // the status item may still say "scanning" for a rescan the earlier edits started: poll it too
    const scoreInStatus = new RegExp(`readiness ${report.score.overall} of 100`);
    await waitFor(`the status bar item to show readiness ${report.score.overall}`, async () => (scoreInStatus.test((await status.getAttribute('aria-label')) ?? '') ? true : undefined), SLOW);
    await hidePanel(page);
    await editor.shot('readiness-panel');

    // a gap made of findings in a text file ("M102 metrics-only-printed (2 findings): open src/churn/train.py:20")
    const labels = await frame.locator('button.gap-title').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const gaps = labels
      .map((label, index) => ({ label, index, m: /^([A-Z]\d{3}) .*: open (\S+):(\d+)$/.exec(label) }))
      .filter((g) => g.m && !g.m[2].endsWith('.ipynb'));
    assert.ok(gaps.length > 0, `no gap of findings in a text file among ${JSON.stringify(labels)}`);
    const gap = gaps[0];
    const [, code, file, line] = gap.m!;
    const finding = report.findings.find((f) => f.file === file && f.code === code && f.range.start.line + 1 === Number(line));
    assert.ok(finding, `the CLI has no ${code} at ${file}:${line} (its ${code}: ${report.findings.filter((f) => f.code === code).map((f) => `${f.file}:${f.range.start.line + 1}`).join(', ')})`);
    await frame.locator('button.gap-title').nth(gap.index).click();
    await activeTab(page, path.basename(file)).waitFor({ timeout: SLOW });
    // the finding's range is selected: the cursor sits at its end
    const want = { line: finding.range.end.line + 1, column: finding.range.end.character + 1 };
    const at = await waitFor(`the cursor at Ln ${want.line}, Col ${want.column} of ${file}`, async () => {
      const p = await cursorPosition(page);
      return p && p.line === want.line && p.column === want.column ? p : undefined;
    }, 30_000);
    assert.equal(finding.range.start.line, finding.range.end.line);
    assert.match(at.text, new RegExp(`\\(${finding.range.end.character - finding.range.start.character} selected\\)`));
    await editor.shot('readiness-gap-opened');
  });

  it('6. runs the scan and fix-all commands from the palette', async () => {
    const status = page.locator(MLREADY_STATUS);
    // open buffers equal the disk here (features.py was saved), so the scan agrees with the CLI
    const report = cliCheck(editor.workspace);
    await runCommand(page, 'mlready: Scan Workspace');
    const done = notification(page, /mlready: scanned \d+ files?/).first();
    await done.waitFor({ timeout: SLOW });
    assert.match(await done.innerText(), new RegExp(`scanned \\d+ files?, \\d+ findings?(, \\d+ skipped)?; readiness ${report.score.overall}/100`));
    await waitFor('the status bar item to show the score after the scan', async () => (/readiness \d+ of 100/.test((await status.getAttribute('aria-label')) ?? '') ? true : undefined), SLOW);
    await openFile(page, 'src/churn/train.py');
    assert.ok(!(await page.locator('.editor-group-container .view-lines').first().innerText()).includes('os.environ.get('));
    await runCommand(page, 'mlready: Fix All Safe Issues in This File');
    await waitFor('fix-all to rewrite train.py', async () => ((await page.locator('.editor-group-container .view-lines').first().innerText()).includes('os.environ.get(') ? true : undefined), SLOW);
    await editor.shot('fix-all');
  });
});

describe('mlready in Restricted Mode (untrusted folder)', function () {
  let editor: Editor;
  let page: Page;

  before(async function () {
    // trust on, no startup dialog: the folder simply stays untrusted, as after "Don't Trust"
    editor = await startEditor(EXAMPLES, { name: 'restricted', trust: true, settings: { 'security.workspace.trust.startupPrompt': 'never' } });
    page = editor.page;
  });

  after(async () => {
    await editor?.stop();
  });

  it('7. analyses read-only: "mlready (restricted)" in the status bar, diagnostics shown, fix all refused', async () => {
    const status = page.locator(MLREADY_STATUS);
    await page.locator('.statusbar-item[id="status.workspaceTrust"]', { hasText: 'Restricted Mode' }).waitFor({ timeout: SLOW });
    await waitFor('"mlready (restricted)" in the status bar', async () => ((await status.innerText()).includes('mlready (restricted)') ? true : undefined), SLOW);
    assert.match((await status.getAttribute('aria-label')) ?? '', /restricted mode/);

    await openFile(page, 'src/churn/features.py');
    await waitFor('a squiggle in Restricted Mode', async () => ((await squiggleCount(page, '.editor-group-container .monaco-editor')) > 0 ? true : undefined), SLOW);
    const rows = await problemRows(page, 'customers.csv', 'P101');
    await rows.first().waitFor({ timeout: SLOW });
    // the readiness score is read-only analysis too
    await waitFor('the score in the restricted status item', async () => (/restricted mode, readiness \d+ of 100/.test((await status.getAttribute('aria-label')) ?? '') ? true : undefined), SLOW);
    await editor.shot('restricted-diagnostics');

    const before = fs.readFileSync(path.join(editor.workspace, 'src/churn/features.py'), 'utf8');
    await page.locator('.editor-group-container .view-lines').first().click();
    await runCommand(page, 'mlready: Fix All Safe Issues in This File');
    await notification(page, 'cannot apply fixes in Restricted Mode').first().waitFor({ timeout: SLOW });
    await editor.shot('restricted-fix-all-refused');
    await runCommand(page, 'mlready: Fix All Safe Issues in the Workspace…');
    await notification(page, 'cannot apply fixes to the workspace in Restricted Mode').first().waitFor({ timeout: SLOW });
    // nothing changed: not the buffer, not the disk
    assert.ok(!(await page.locator('.editor-group-container .view-lines').first().innerText()).includes('os.environ.get('));
    assert.equal(await page.locator('.tabs-container .tab.dirty').count(), 0, 'an editor became dirty in Restricted Mode');
    assert.equal(fs.readFileSync(path.join(editor.workspace, 'src/churn/features.py'), 'utf8'), before);
    for (const rel of fs.readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })) {
      const src = path.join(EXAMPLES, rel);
      if (fs.statSync(src).isFile()) assert.ok(fs.readFileSync(src).equals(fs.readFileSync(path.join(editor.workspace, rel))), `${rel} changed in Restricted Mode`);
    }
  });
});
