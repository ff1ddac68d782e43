import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * A real VS Code (code-server from the npm registry, on its own Node 24) driven through Debian's
 * Chromium by playwright-core. Everything lives in temporary folders; the editor runs in its own
 * process group so that its extension host dies with it. See ../shared/editor-e2e.md.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.MLREADY_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e');
const NODE24_BIN = path.join(CACHE, 'node24', 'bin');
const CODE_SERVER = path.join(CACHE, 'code-server', 'bin', 'code-server');
export const OUTPUT = path.join(ROOT, 'test-output', 'e2e');

export interface Editor {
  page: Page;
  workspace: string;
  stop(): Promise<void>;
  shot(name: string): Promise<string>;
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

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export async function startEditor(sourceWorkspace: string, options: { trust?: boolean; settings?: Record<string, unknown> } = {}): Promise<Editor> {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}: run test/e2e/setup.sh`);
  fs.mkdirSync(OUTPUT, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-e2e-'));
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
      ...options.settings,
    }),
  );
  const env = editorEnv(tmp);
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', findVsix()], { env, encoding: 'utf8', timeout: 120000 });
  if (install.status !== 0) throw new Error(`installing the vsix failed: ${install.stderr || install.stdout}`);

  const port = await freePort();
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions];
  if (!options.trust) args.push('--disable-workspace-trust');
  args.push(workspace);
  const log = fs.openSync(path.join(tmp, 'code-server.log'), 'w');
  const server: ChildProcess = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', log, log] });
  const killGroup = () => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let browser: Browser | undefined;
  try {
    await waitFor('code-server /healthz', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined), 60000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
    let shots = 0;
    return {
      page,
      workspace,
      async shot(name: string) {
        const file = path.join(OUTPUT, `${String(++shots).padStart(2, '0')}-${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async stop() {
        await browser?.close().catch(() => undefined);
        killGroup();
        fs.closeSync(log);
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    killGroup();
    const tail = fs.readFileSync(path.join(tmp, 'code-server.log'), 'utf8').slice(-2000);
    throw new Error(`the editor did not start: ${(e as Error).message}\n--- code-server log ---\n${tail}`);
  }
}

/** Runs a command from the palette by its title ("mlready: Scan Workspace"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await waitFor('the command palette', async () => {
    await page.keyboard.press('F1');
    return (await input.isVisible({ timeout: 1000 })) ? true : undefined;
  }, 30000);
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open. */
export async function openFile(page: Page, relative: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await waitFor('quick open', async () => {
    await page.keyboard.press('Control+P');
    return (await input.isVisible({ timeout: 1000 })) ? true : undefined;
  }, 30000);
  // typing (not fill) makes Quick Open search as a person's keystrokes do
  await page.keyboard.type(relative, { delay: 10 });
  const base = path.basename(relative);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: base }).first().waitFor({ timeout: 30000 });
}

export { waitFor };
