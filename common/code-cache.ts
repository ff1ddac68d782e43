import * as crypto from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';

/**
 * Runs a bundle (dist/*-bundle.js) with a V8 code cache, so that a new process does not compile
 * again the functions the last one compiled: the CLI's start, the language server's first
 * diagnostics and each analysis worker's start are dominated by compiling code that is the same
 * on every run. The entries dist/cli.js, dist/server.js and dist/worker.js are this loader and
 * nothing else (common/entries/).
 *
 * The cache is mlready's own file, never a user's: in `MLREADY_CODE_CACHE` (the extension passes
 * its global storage folder) or in a per-user folder under the system temp directory (mode 0700,
 * used only when owned by this user, since a code cache is trusted as compiled code).
 * `MLREADY_CODE_CACHE=off` turns it off. V8 rejects a cache made from other source, by another V8
 * version or with other flags, and then the bundle compiles as usual and the cache is made anew.
 * Any failure of the cache itself only means running without it.
 */

/** Runs the bundle as if Node had loaded it as the main module (or as a worker's entry). */
export function runBundle(bundleFile: string, options: { writeAfterMs?: number; v8Flags?: string[] } = {}): void {
  // before anything compiles, so that every run (and its code cache) has the same flags
  for (const flag of options.v8Flags ?? []) v8.setFlagsFromString(flag);
  const source = fs.readFileSync(bundleFile, 'utf8').replace(/^#!.*/, '');
  const cacheFile = cacheFileFor(bundleFile, source);
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  let script: vm.Script;
  try {
    script = new vm.Script(Module.wrap(source), { filename: bundleFile, cachedData: cached });
  } catch (e) {
    if (!cached) throw e;
    script = new vm.Script(Module.wrap(source), { filename: bundleFile });
  }
  if (cacheFile && (!cached || script.cachedDataRejected)) scheduleWrite(script, cacheFile, options.writeAfterMs);
  if (process.env.MLREADY_DEBUG) {
    const status = !cacheFile ? 'off' : !cached ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
    process.stderr.write(`mlready: code cache ${status}${cacheFile ? ` (${cacheFile})` : ''}\n`);
  }

  const bundleModule = new Module(bundleFile, require.main ?? undefined);
  bundleModule.filename = bundleFile;
  bundleModule.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundleFile));
  const bundleRequire = Module.createRequire(bundleFile) as NodeJS.Require & { main: NodeJS.Module | undefined };
  // the bundle decides whether it is the program (`require.main === module`) as if Node ran it
  bundleRequire.main = require.main === module || !require.main ? bundleModule : require.main;
  if (require.main === module) process.argv[1] = bundleFile;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, bundleFile, path.dirname(bundleFile));
}

function cacheDir(): string | undefined {
  const configured = process.env.MLREADY_CODE_CACHE;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return path.join(os.tmpdir(), `mlready-code-cache${uid !== undefined ? `-${uid}` : ''}`);
}

/**
 * One file per bundle, V8 version and bundle content. V8 checks a cache against the source's
 * length only, so the name carries a hash of the content: a rebuilt bundle of the same length must
 * never run the code compiled from the old one.
 */
function cacheFileFor(bundleFile: string, source: string): string | undefined {
  const dir = cacheDir();
  if (!dir) return undefined;
  const digest = crypto.createHash('sha1').update(source).digest('hex').slice(0, 20);
  return path.join(dir, `${path.basename(bundleFile, '.js')}-${process.versions.v8}-${process.arch}-${digest}.cache`);
}

function readCache(file: string): Buffer | undefined {
  try {
    const stat = fs.statSync(path.dirname(file));
    // a folder someone else could write to is not trusted with compiled code
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache once the process has done its first work (functions compile lazily, and the
 * cache holds those compiled so far): after `writeAfterMs` (a long-running server), or at exit.
 */
function scheduleWrite(script: vm.Script, file: string, writeAfterMs: number | undefined): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temp, file); // atomic: a process starting meanwhile reads the old cache or the new one
      removeStale(file);
    } catch {
      // no cache this time
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // nothing more to do
      }
    }
  };
  if (writeAfterMs !== undefined) setTimeout(write, writeAfterMs).unref();
  process.once('exit', write);
  (globalThis as Record<symbol, unknown>)[WRITE_NOW] = write;
}

/** Deletes the caches of earlier builds of the same bundle (same V8), so the folder does not grow. */
function removeStale(current: string): void {
  const dir = path.dirname(current);
  const prefix = path.basename(current).replace(/[0-9a-f]{20}\.cache$/, '');
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.cache') && name !== path.basename(current)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Where the bundle finds `write` when it wants the cache written now: a thread ended from outside
 * (an analysis worker, terminated with its pool) calls it after a full round of work
 * (rules/workspace/worker.ts names the same symbol; the engine does not import adapters' code).
 */
const WRITE_NOW = Symbol.for('mlready.code-cache.write');
