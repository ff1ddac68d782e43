import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * A real VS Code (code-server from the npm registry, on its own Node 24) driven through Debian's
 * Chromium by playwright-core. Everything lives in temporary folders; the editor runs in its own
 * process group, killed as a whole when the editor stops, when the test process exits, or when it
 * is interrupted. See ../shared/editor-e2e.md.
 *
 * Nothing here skips: an editor that cannot start is an error with the code-server log attached.
 */
export const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.MLREADY_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e');
const NODE24_BIN = path.join(CACHE, 'node24', 'bin');
const CODE_SERVER = path.join(CACHE, 'code-server', 'bin', 'code-server');
const CHROMIUM = process.env.MLREADY_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT = path.join(ROOT, 'test-output', 'e2e');

/** Polls are generous: the CI machine has 2 loaded cores and the extension host starts slowly. */
export const SLOW = 90_000;

export interface Editor {
  page: Page;
  /** The workspace folder (a fresh copy of the source folder). */
  workspace: string;
  stop(): Promise<void>;
  /** Saves a PNG of the whole window as test-output/e2e/NN-name.png and returns its path. */
  shot(name: string): Promise<string>;
}

// ---------------------------------------------------------------------------------------------
// process groups: killed on stop, and in any case when this process exits or is interrupted

const liveGroups = new Set<number>();
const liveFolders = new Set<string>();

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
  liveGroups.delete(pgid);
}

function cleanUpAll(): void {
  for (const pgid of [...liveGroups]) killGroup(pgid);
  for (const dir of [...liveFolders]) fs.rmSync(dir, { recursive: true, force: true });
  liveFolders.clear();
}

process.on('exit', cleanUpAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUpAll();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

// ---------------------------------------------------------------------------------------------

let outputPrepared = false;
let shots = 0;

/** Empties test-output/e2e once per run, so every screenshot there comes from this run. */
function prepareOutput(): void {
  if (outputPrepared) return;
  outputPrepared = true;
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
}

function editorEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
  };
}

export function findVsix(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(ROOT, `mlready-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  return vsix;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Polls `probe` until it returns something other than undefined; the last error is reported. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number = SLOW): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export interface StartOptions {
  /** Names the log copied to test-output/e2e. */
  name: string;
  /** Turn Workspace Trust on (and do not pass --disable-workspace-trust): the folder is untrusted. */
  trust?: boolean;
  settings?: Record<string, unknown>;
}

export async function startEditor(sourceWorkspace: string, options: StartOptions): Promise<Editor> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}: run test/e2e/setup.sh`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run test/e2e/setup.sh`);
  prepareOutput();
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-e2e-'));
  liveFolders.add(tmp);
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(sourceWorkspace, workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'security.workspace.trust.enabled': options.trust ?? false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // no suggestion popups or auto-closed brackets while the tests type
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
      'editor.suggestOnTriggerCharacters': false,
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      ...options.settings,
    }),
  );
  const env = editorEnv(tmp);
  const logPath = path.join(tmp, 'code-server.log');
  const keepLog = () => {
    try {
      fs.copyFileSync(logPath, path.join(OUTPUT, `${options.name}-code-server.log`));
    } catch {
      // no log yet
    }
  };
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', findVsix()], { env, encoding: 'utf8', timeout: 180_000 });
  if (install.status !== 0 || !/successfully installed/i.test(`${install.stdout}${install.stderr}`)) {
    throw new Error(`installing the vsix into code-server failed (status ${install.status}, ${install.error?.message ?? 'no error'}):\n${install.stderr}\n${install.stdout}`);
  }

  const port = await freePort();
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions];
  if (!options.trust) args.push('--disable-workspace-trust');
  args.push(workspace);
  const log = fs.openSync(logPath, 'w');
  // detached: its own process group (setsid), so the extension host and the language server die with it
  const server: ChildProcess = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', log, log] });
  const pgid = server.pid;
  if (pgid) liveGroups.add(pgid);
  let exited: string | undefined;
  server.on('exit', (code, signal) => (exited = `code-server exited (code ${code}, signal ${signal})`));
  let browser: Browser | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await browser?.close().catch(() => undefined);
    if (pgid) killGroup(pgid);
    fs.closeSync(log);
    keepLog();
    // VS Code's own logs (extension host, the mlready output channel …) for whoever reads a failure
    try {
      fs.cpSync(path.join(userData, 'logs'), path.join(OUTPUT, `${options.name}-logs`), { recursive: true });
    } catch {
      // none written
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    liveFolders.delete(tmp);
  };
  try {
    await waitFor(
      'code-server /healthz',
      async () => {
        if (exited) throw new Error(exited);
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined;
      },
      SLOW,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: SLOW,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    // the mlready status bar item: the extension is installed, enabled and activated
    await page.locator(MLREADY_STATUS).waitFor({ timeout: 120_000 });
    process.stdout.write(`      (editor "${options.name}" ready in ${Math.round((Date.now() - started) / 1000)} s)\n`);
    return {
      page,
      workspace,
      stop,
      async shot(name: string) {
        const file = path.join(OUTPUT, `${String(++shots).padStart(2, '0')}-${name}.png`);
        // the pointer rests where the last click was (often the title bar): park it on empty Explorer space
        await page.mouse.move(190, 720);
        await page.screenshot({ path: file });
        return file;
      },
    };
  } catch (e) {
    if (browser) {
      const pages = browser.contexts().flatMap((c) => c.pages());
      await pages[0]?.screenshot({ path: path.join(OUTPUT, `${options.name}-start-failure.png`) }).catch(() => undefined);
    }
    await stop();
    const tail = fs.existsSync(path.join(OUTPUT, `${options.name}-code-server.log`)) ? fs.readFileSync(path.join(OUTPUT, `${options.name}-code-server.log`), 'utf8').slice(-3000) : '(no log)';
    throw new Error(`the editor did not start: ${(e as Error).message}\n--- code-server log ---\n${tail}`);
  }
}

// ---------------------------------------------------------------------------------------------
// driving the UI

/** The mlready status bar item (id `<publisher>.<name>.mlready.status`). */
export const MLREADY_STATUS = '.statusbar-item[id$="mlready.status"]';

const QUICK_INPUT = '.quick-input-widget input.input';

/**
 * Opens a quick input with `key` and types `text` into it, retrying: key presses right after a load
 * or a focus change get lost, and a quick input that is closing still looks visible for a moment.
 */
async function fillQuickInput(page: Page, key: string, text: string, what: string): Promise<Locator> {
  const input = page.locator(QUICK_INPUT);
  await waitFor(
    what,
    async () => {
      if (!(await input.isVisible())) {
        await page.keyboard.press(key);
        await input.waitFor({ state: 'visible', timeout: 3000 });
      }
      await input.fill(text, { timeout: 3000 });
      return (await input.inputValue()) === text ? true : undefined;
    },
    60_000,
  );
  return input;
}

/** Runs a command from the palette by its exact title ("mlready: Scan Workspace"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = await fillQuickInput(page, 'F1', `>${title}`, 'the command palette');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  // the row whose label is exactly the title (the list also holds fuzzy matches)
  const index = await waitFor(`the command "${title}" in the palette`, async () => {
    const labels = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent?.trim() ?? ''));
    const i = labels.indexOf(title);
    return i >= 0 ? i : undefined;
  }, 30_000);
  await rows.nth(index).click();
  await input.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
}

/** Opens a workspace file with Quick Open and waits for its tab to be the active one. */
export async function openFile(page: Page, relative: string): Promise<void> {
  await fillQuickInput(page, 'Control+P', relative, 'quick open');
  const base = path.basename(relative);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await activeTab(page, base).waitFor({ timeout: 60_000 });
}

export function activeTab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/** "Ln 9, Col 35" of the active text editor (cell editors included), or undefined. */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number; text: string } | undefined> {
  const item = page.locator('.statusbar-item[id="status.editor.selection"]');
  if (!(await item.isVisible())) return undefined;
  const text = (await item.innerText()).trim();
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]), text } : undefined;
}

/** Moves the cursor with Go to Line (Ctrl+G), retried until the status bar shows the position. */
export async function goToLine(page: Page, line: number, column: number): Promise<void> {
  await waitFor(`the cursor at Ln ${line}, Col ${column}`, async () => {
    await fillQuickInput(page, 'Control+G', `:${line}:${column}`, 'go to line');
    await page.keyboard.press('Enter');
    const at = await waitFor('the new cursor position', async () => {
      const p = await cursorPosition(page);
      return p && p.line === line && p.column === column ? p : undefined;
    }, 5000).catch(() => undefined);
    return at ? true : undefined;
  }, 60_000);
}

/**
 * The Problems panel, focused, filtered by `filter` (the filter box matches message, code and file);
 * returns its rows. Always sets the filter, so a filter left by an earlier step cannot hide rows.
 * The list is virtualised: filter to what you look for rather than scroll.
 */
export async function problems(page: Page, filter: string): Promise<Locator> {
  await runCommand(page, 'Problems: Focus on Problems View');
  const box = page.locator('.part.panel .viewpane-filter input');
  const badge = page.locator('.part.panel .viewpane-filter-badge');
  await box.waitFor({ timeout: 30_000 });
  // clear first and wait for the "Showing n of m" badge to go, then filter and wait for it to come
  // back: the filter is applied after a debounce, and until then the list shows the old rows
  await box.fill('');
  await waitFor('the Problems filter to clear', async () => ((await badge.isVisible()) ? undefined : true), 15_000);
  if (filter) {
    await box.fill(filter);
    await waitFor(`the Problems filter "${filter}" to apply`, async () => ((await badge.isVisible()) && /Showing/.test(await badge.innerText()) ? true : undefined), 15_000);
  }
  return page.locator('.markers-panel .monaco-list-row');
}

/** Problems rows that are markers (not file headers), as text with the rule code and position. */
export async function problemRows(page: Page, filter: string, hasText?: string | RegExp): Promise<Locator> {
  const rows = await problems(page, filter);
  const markers = rows.filter({ hasText: /\[Ln \d+, Col \d+\]/ });
  return hasText === undefined ? markers : markers.filter({ hasText });
}

/** The content of the mlready "ML Readiness" webview (the outer iframe of our extension, then its active frame). */
export function readinessFrame(page: Page) {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=mlready.mlready"]').frameLocator('iframe#active-frame');
}

/** A visible notification toast containing `text`. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await waitFor('every editor to close', async () => ((await page.locator('.tabs-container .tab').count()) === 0 ? true : undefined), 30_000);
}
