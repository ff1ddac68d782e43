import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { inflateRawSync } from 'zlib';

/**
 * Builds the two release artefacts the way a release would — `npm run package` (production bundles
 * and the .vsix) and `npm pack` (the npm tarball) — in a staging copy of the repository, so the
 * repository's own dist/ (which the other suites use) and its .vsix (which the e2e suite installs)
 * are left alone. Sources and node_modules are symlinked; the files the packagers read are copied,
 * and a decoy test/ and examples/ check that nothing of theirs gets in. Built once per mocha run.
 */
export const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** Copied into the stage: what the packagers read and walk (vsce does not follow symlinks). */
const COPIED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', '.npmignore', '.pre-commit-hooks.yaml', 'docs', 'media', 'schemas'];
/** Symlinked: what the build reads. */
const LINKED = ['client', 'server', 'cli', 'rules', 'common', 'node_modules', 'esbuild.mjs', 'tsconfig.json'];

export interface Staged {
  dir: string;
  /** Files the production build wrote to dist/ (names). */
  built: string[];
  vsix: string;
  tarball: string;
  /** `npm pack --json` for the tarball. */
  pack: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number; mode: number }[] };
  seconds: { package: number; pack: number };
}

let staged: Promise<Staged> | undefined;

export function stage(): Promise<Staged> {
  staged ??= build();
  return staged;
}

/** npm with no update check, no audit, no funding messages, never asking the registry when it can avoid it. */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true', ...extra };
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function build(): Promise<Staged> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-stage-'));
  // shared by the files of test/package: removed when mocha exits
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const name of COPIED) {
    const from = path.join(ROOT, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, name), { recursive: true });
  }
  for (const name of LINKED) fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
  // decoys: test and example files sit next to the packaged ones, as in the repository
  fs.cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'test', 'fixtures'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'test', 'fixtures', 'decoy.py'), 'print("decoy")\n');
  fs.writeFileSync(path.join(dir, 'test', 'decoy.test.ts'), '// decoy\n');

  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  let t = Date.now();
  await run(NPM, ['run', 'package'], { cwd: dir, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 });
  const packageSeconds = (Date.now() - t) / 1000;
  const vsix = path.join(dir, `mlready-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  const built = fs.readdirSync(path.join(dir, 'dist')).sort();

  // the production bundles are in dist/ already: the prepack script would build them again
  t = Date.now();
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: dir, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 });
  const pack = JSON.parse(stdout)[0];
  return { dir, built, vsix, tarball: path.join(out, pack.filename), pack, seconds: { package: packageSeconds, pack: (Date.now() - t) / 1000 } };
}

// ---- a minimal zip reader (the .vsix is a zip): entries and their contents ----

export interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

export function readZip(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    entries.push({
      name,
      size,
      read() {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    p += 46 + nameLength + extra + comment;
  }
  return entries;
}
