import { CONFIG_FILE_NAMES, defaultConfig, isIgnoredPath, parseConfig, type ConfigProblem, type ResolvedConfig } from '../core/config';
import { defaultRegistry } from '../all';
import { buildFinding } from '../core/engine';
import { WorkspaceFacts } from '../core/facts';
import type { Registry } from '../core/registry';
import type { Finding, SkippedFile } from '../core/types';
import { TextUnit } from '../core/units';
import { classify, type SourceKind } from '../documents/document';
import { FileAnalyzer, factsToData, type AnalyzeOutcome, type FinalizedFile } from './analysis';
import { decodeFile, oversize } from './decode';
import { GitignoreMatcher } from './gitignore';
import { anyRoom, freeWorker, PoolError, type AnalysisPool } from './pool';
import { runWorkspaceRules } from './workspace-rules';

/**
 * The one way the engine sees a workspace. Adapters implement it: the CLI over the disk, the
 * language server over open buffers first and the disk second.
 */
export interface WorkspaceFiles {
  /**
   * Relative, `/`-separated paths of files, not descending into folders for which `descend` is false.
   * A folder's files are listed before its subfolders are asked about, and the next path is not
   * asked for before the caller is done with the last one: the caller reads the root config and
   * each folder's .gitignore as they come, and `descend` uses them.
   */
  list(descend: (dir: string) => boolean): AsyncIterable<string>;
  read(path: string): Promise<Uint8Array>;
  /** Size in bytes, for files that are listed but not read (data files); optional. */
  size?(path: string): Promise<number>;
}

export type { SuppressionRecordData as SuppressionRecord } from './analysis';
import type { SuppressionRecordData as SuppressionRecord } from './analysis';

export interface ScanResult {
  findings: Finding[];
  files: { scanned: number; skipped: SkippedFile[] };
  facts: WorkspaceFacts;
  suppressions: SuppressionRecord[];
  config: ResolvedConfig;
  configPath?: string;
  configProblems: ConfigProblem[];
  ruleErrors: { file: string; code: string; message: string }[];
}

type LoadedConfig = { config: ResolvedConfig; path?: string; problems: ConfigProblem[]; text?: string };

export async function loadConfig(files: WorkspaceFiles, registry: Registry, listed: Set<string>): Promise<LoadedConfig> {
  for (const name of CONFIG_FILE_NAMES) {
    if (listed.has(name)) return configFromBytes(name, await files.read(name), registry);
  }
  return { config: defaultConfig(), problems: [] };
}

function configFromBytes(name: string, bytes: Uint8Array, registry: Registry): LoadedConfig {
  const decoded = decodeFile(name, bytes);
  if ('skip' in decoded) return { config: defaultConfig(), path: name, problems: [{ message: `mlready.yaml could not be read: ${decoded.skip}`, start: 0, end: 0 }] };
  const { config, problems } = parseConfig(decoded.text, new Set(registry.rules.map((r) => r.code)));
  return { config, path: name, problems, text: decoded.text };
}

/** Optional settings of a scan, for adapters that need more than the defaults. */
export interface ScanOptions {
  /**
   * A configuration given explicitly (the CLI's `--config FILE`), read by the adapter and used
   * instead of the root mlready.yaml; `path` names it in findings about its problems.
   */
  config?: { path: string; text: string };
  /**
   * Worker threads for the per-file analysis (pool.ts), kept by the adapter across scans. Used only
   * with the default registry (workers build their own). Results are the same with or without.
   */
  pool?: AnalysisPool;
  /** Lines of pending results an analyser keeps before it re-lints at the end (analysis.ts DEFAULT_RETAIN_LINES). */
  retainLines?: number;
  /**
   * Analyse in the pool's workers only, never in the calling thread, whenever the pool gives this
   * scan a worker: the language server's heap then holds only results (plain data), and the scan's
   * garbage goes with the worker when the pool is closed.
   */
  offload?: boolean;
}

function givenConfig(given: { path: string; text: string }, registry: Registry): LoadedConfig {
  const { config, problems } = parseConfig(given.text, new Set(registry.rules.map((r) => r.code)));
  return { config, path: given.path, problems, text: given.text };
}

export async function scanWorkspace(files: WorkspaceFiles, registry: Registry, override?: Partial<ResolvedConfig>, scanOptions: ScanOptions = {}): Promise<ScanResult> {
  const pool = scanOptions.pool && registry === defaultRegistry() ? scanOptions.pool : undefined;
  if (!pool) return scan(files, registry, override, scanOptions, undefined);
  try {
    return await scan(files, registry, override, scanOptions, pool);
  } catch (e) {
    if (!(e instanceof PoolError)) throw e;
    // a worker failed: this scan and the next ones run in process
    pool.markBroken();
    return scan(files, registry, override, scanOptions, undefined);
  }
}

/** What became of one file the scan meant to analyse. */
type Outcome = AnalyzeOutcome | { unreadable: string };

async function scan(files: WorkspaceFiles, registry: Registry, override: Partial<ResolvedConfig> | undefined, scanOptions: ScanOptions, pool: AnalysisPool | undefined): Promise<ScanResult> {
  const paths: string[] = [];
  const installed = new Map<string, string>();
  // the root config and the .gitignore files are read as the listing meets them, so that `descend`
  // can leave out the folders git ignores (and never list them); each is read once
  const configBytes = new Map<string, Uint8Array>();
  const metadata = new Map<string, string>();
  const gitignore = new GitignoreMatcher();
  const given = scanOptions.config ? givenConfig(scanOptions.config, registry) : undefined;
  let found: { name?: string; loaded: LoadedConfig } | undefined;
  const loadedConfig = (): LoadedConfig => {
    if (given) return given;
    const name = CONFIG_FILE_NAMES.find((n) => configBytes.has(n));
    if (!found || found.name !== name) found = { name, loaded: name ? configFromBytes(name, configBytes.get(name)!, registry) : { config: defaultConfig(), problems: [] } };
    return found.loaded;
  };
  const respectGitignore = () => override?.respectGitignore ?? loadedConfig().config.respectGitignore;
  const descend = (dir: string) =>
    venvDescend(dir, installed) ?? (!isIgnoredPath(defaultConfig(), `${dir}/`) && !(gitignore.size > 0 && respectGitignore() && gitignore.ignoresDir(dir)));
  for await (const p of files.list(descend)) {
    paths.push(p);
    if (!given && CONFIG_FILE_NAMES.includes(p)) configBytes.set(p, await files.read(p));
    else if (METADATA_FILE.test(p)) {
      try {
        const decoded = decodeFile(p, await files.read(p), 256 * 1024);
        if ('text' in decoded) {
          metadata.set(p, decoded.text);
          if (GITIGNORE_FILE.test(p)) gitignore.add(p, decoded.text);
        }
      } catch {
        // unreadable metadata: the rules that need it see nothing
      }
    }
  }
  paths.sort();
  const loaded = loadedConfig();
  const config = { ...loaded.config, ...override };
  const facts = new WorkspaceFacts();
  for (const [name, version] of installed) facts.installed.set(name, version);

  // files git ignores are not part of the project: not analysed, not counted, not skipped; the
  // .gitignore/.gitattributes files themselves are kept (rules read them), unless their folder is ignored
  const gitignored = (path: string) =>
    config.respectGitignore && (METADATA_FILE.test(path) ? gitignore.ignoresFolderOf(path) : gitignore.ignoresFile(path));
  const analysed: { path: string; kind: SourceKind }[] = [];
  for (const path of paths) {
    if (isIgnoredPath(config, path) || gitignored(path)) continue;
    facts.paths.add(path);
    const kind = classify(path);
    if (kind) {
      analysed.push({ path, kind });
      continue;
    }
    if (METADATA_FILE.test(path)) {
      const text = metadata.get(path);
      if (text !== undefined) facts.texts.set(path, text);
    } else if (files.size && DATA_FILE.test(path)) {
      try {
        facts.sizes.set(path, await files.size(path));
      } catch {
        // a file that vanished or cannot be read has no size: nothing to judge
      }
    }
  }

  // analysis: in this thread, and in the pool's workers when it has any for this scan
  const local = new FileAnalyzer(registry, config, scanOptions.retainLines);
  const workers = pool?.begin(config, analysed.length, scanOptions.retainLines) ?? [];
  const outcomes = new Map<string, Outcome | Promise<Outcome>>();
  // reads run ahead of the analysis, so the thread never waits for the disk between two files
  const reads = new ReadAhead(files, analysed.map((a) => a.path), READ_AHEAD);
  for (const { path, kind } of analysed) {
    const read = await reads.next();
    if ('outcome' in read) {
      outcomes.set(path, read.outcome);
      continue;
    }
    let worker = freeWorker(workers);
    while (!worker && scanOptions.offload && workers.some((w) => !w.failure)) {
      await anyRoom(workers);
      worker = freeWorker(workers);
    }
    if (worker) {
      const pending = worker.analyze(path, kind, read.bytes);
      pending.catch(() => undefined); // awaited below; a failure there aborts the pooled scan
      outcomes.set(path, pending);
    } else outcomes.set(path, local.analyze(path, kind, read.bytes));
  }

  const skipped: SkippedFile[] = [];
  const ruleErrors: ScanResult['ruleErrors'] = [];
  let scanned = 0;
  for (const { path } of analysed) {
    const outcome = await outcomes.get(path)!;
    if ('unreadable' in outcome) skipped.push({ file: path, reason: outcome.unreadable });
    else if ('skip' in outcome) skipped.push({ file: path, reason: outcome.skip });
    else {
      facts.set(outcome.facts);
      for (const e of outcome.ruleErrors) ruleErrors.push({ file: path, ...e });
      scanned++;
    }
  }
  outcomes.clear();

  const finalized = new Map<string, FinalizedFile>();
  const remote = workers.length ? Promise.all(workers.map((w) => w.finalize(factsToData(facts)))) : Promise.resolve([]);
  remote.catch(() => undefined);
  for (const f of local.finalize(facts)) finalized.set(f.path, f);
  const shared = new StringTable();
  for (const list of await remote) for (const f of list) finalized.set(f.path, shareStrings(f, shared));

  const findings: Finding[] = [];
  const suppressions: SuppressionRecord[] = [];
  for (const { path } of analysed) {
    const f = finalized.get(path);
    if (!f) continue;
    findings.push(...f.findings);
    suppressions.push(...f.suppressions);
  }
  findings.push(...configFindings(loaded, registry, config));
  findings.push(...runWorkspaceRules(registry, config, facts));
  return { findings, files: { scanned, skipped }, facts, suppressions, config, configPath: loaded.path, configProblems: loaded.problems, ruleErrors };
}

/** Files whose reads may be in flight ahead of the analysis (bounds the bytes held). */
const READ_AHEAD = 8;

type FileRead = { bytes: Uint8Array } | { outcome: Outcome };

/**
 * Reads files in order, keeping up to `ahead` reads in flight beyond the one asked for. A file over
 * the size limit is not read at all (a notebook with megabytes of outputs); a read that fails
 * becomes the file's outcome.
 */
class ReadAhead {
  private readonly inFlight: Promise<FileRead>[] = [];
  private nextIndex = 0;

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly paths: string[],
    private readonly ahead: number,
  ) {}

  next(): Promise<FileRead> {
    while (this.inFlight.length <= this.ahead && this.nextIndex < this.paths.length) this.inFlight.push(readOne(this.files, this.paths[this.nextIndex++]));
    const read = this.inFlight.shift();
    if (!read) throw new Error('mlready: read past the last file of the scan');
    return read;
  }
}

async function readOne(files: WorkspaceFiles, path: string): Promise<FileRead> {
  try {
    const size = files.size ? await files.size(path).catch(() => undefined) : undefined;
    const tooLarge = size !== undefined ? oversize(path, size) : undefined;
    if (tooLarge) return { outcome: { skip: tooLarge } };
    return { bytes: await files.read(path) };
  } catch (e) {
    return { outcome: { unreadable: `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } };
  }
}

/** Data and model files whose size the reproducibility rules judge (large files must be versioned). */
const DATA_FILE = /\.(csv|tsv|txt|jsonl|json|parquet|feather|arrow|orc|avro|xlsx?|h5|hdf5|hdf|npy|npz|pkl|pickle|joblib|pt|pth|ckpt|onnx|safetensors|bin|tfrecords?|zip|gz|bz2|xz|zst|tar|tgz|7z|db|sqlite|mat|nc|zarr|png|jpe?g|tiff?|wav|mp3|mp4)$/i;

/** Repository metadata that says which files git ignores or stores in LFS. */
const METADATA_FILE = /(^|\/)\.(gitignore|gitattributes)$/;
const GITIGNORE_FILE = /(^|\/)\.gitignore$/;

/** The project's own virtual environment: `.venv/lib/pythonX.Y/site-packages` (or `venv/`, Windows `Lib/`). */
const SITE_PACKAGES = /^\.?venv\/(?:lib\/python[0-9.]+|Lib)\/site-packages$/;
const DIST_INFO = /^(.+)-([^-]+)\.dist-info$/;

/**
 * Lets the listing walk down to the virtual environment's site-packages and records each
 * `<name>-<version>.dist-info` folder there (installed versions, used to pin dependencies)
 * without descending into any package; the files listed there stay ignored. Undefined for every
 * other folder, which the ignore rules decide.
 */
function venvDescend(dir: string, installed: Map<string, string>): boolean | undefined {
  const parent = dir.slice(0, dir.lastIndexOf('/'));
  if (SITE_PACKAGES.test(parent)) {
    const m = DIST_INFO.exec(dir.slice(parent.length + 1));
    if (m) installed.set(m[1].toLowerCase().replace(/[-_.]+/g, '-'), m[2]);
    return false;
  }
  if (SITE_PACKAGES.test(dir)) return true;
  return /^\.?venv(?:\/lib(?:\/python[0-9.]+)?|\/Lib)?$/.test(dir) ? true : undefined;
}

function configFindings(loaded: LoadedConfig, registry: Registry, config: ResolvedConfig): Finding[] {
  const rule = registry.byCode('G001');
  if (!rule || !loaded.path) return [];
  const unit = new TextUnit(loaded.text ?? '', undefined);
  const out: Finding[] = [];
  for (const p of loaded.problems) {
    const f = buildFinding(rule, { unit, start: p.start, end: p.end, message: `${p.message} The default is used instead.`, path: loaded.path }, null, config.stage, config);
    if (f) {
      delete f.unit;
      out.push(f);
    }
  }
  return out;
}

/** One copy of each repeated string (intern table for results that crossed from a worker). */
class StringTable {
  private readonly strings = new Map<string, string>();
  get(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }
}

/**
 * Results from a worker are structured clones: every finding carries its own copy of its code,
 * name, category, severity, file and doc link. A workspace has tens of thousands of findings and a
 * few hundred distinct such strings, and the language server keeps them all: share them.
 */
function shareStrings(file: FinalizedFile, table: StringTable): FinalizedFile {
  for (const f of file.findings) {
    f.code = table.get(f.code);
    f.name = table.get(f.name);
    f.category = table.get(f.category) as Finding['category'];
    f.severity = table.get(f.severity) as Finding['severity'];
    f.docUrl = table.get(f.docUrl);
    if (f.file !== null) f.file = table.get(f.file);
    for (const x of f.fixes) {
      x.title = table.get(x.title);
      x.applicability = table.get(x.applicability) as typeof x.applicability;
    }
  }
  return file;
}
