import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The CLI tests run the real bundle (`node dist/cli.js`) on temporary projects, as CI would.
 * The bundle is rebuilt first when it is missing or older than the sources it is built from.
 */
export const REPO = path.resolve(__dirname, '..', '..');
/** MLREADY_TEST_CLI runs the tests against another build of the CLI (e.g. one installed from `npm pack`). */
export const CLI = process.env.MLREADY_TEST_CLI ? path.resolve(process.env.MLREADY_TEST_CLI) : path.join(REPO, 'dist', 'cli.js');
const SOURCES = ['cli', 'rules', 'common', 'package.json', 'esbuild.mjs'];

function newestMtime(p: string): number {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function ensureBuilt(): void {
  if (process.env.MLREADY_TEST_CLI) return;
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((s) => path.join(REPO, s)).filter((p) => fs.existsSync(p)).map(newestMtime));
  if (built >= sources) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'pipe', timeout: 180_000 });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js …` without a terminal; colour variables are cleared unless given. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.MLREADY_DEBUG;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary project folder with the given files (path → text or bytes). */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-cli-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A notebook (nbformat 4) with the given cells; code cell sources are split into lines as Jupyter writes them. */
export function notebook(cells: { type: 'code' | 'markdown'; source: string }[]): string {
  const nb = {
    cells: cells.map((c) => ({
      cell_type: c.type,
      metadata: {},
      source: c.source.split(/(?<=\n)/),
      ...(c.type === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Every file under a folder with its content and modification time, to prove nothing was written. */
export function snapshot(dir: string): Map<string, { mtimeMs: number; content: string }> {
  const out = new Map<string, { mtimeMs: number; content: string }>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), { mtimeMs: fs.statSync(full).mtimeMs, content: fs.readFileSync(full).toString('base64') });
    }
  };
  walk(dir);
  return out;
}

/** The 0-based line and character of an offset in a text (lines end at \n, \r\n or \r). */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** 0-based lines of a text, split as the engine splits them. */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
