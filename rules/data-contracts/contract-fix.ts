import type { WorkspaceFacts } from '../core/facts';
import type { EditSpec, FixSpec } from '../core/rule';
import type { Fix, FileCreation } from '../core/types';
import type { TextUnit } from '../core/units';
import type { PythonProgram } from '../documents/python/program';
import { importInsertionOffset } from '../fixes/python-edits';
import {
  DEFAULT_MAX_BYTES,
  generateContract,
  renderContract,
  sampleFormatOf,
  stubTable,
  type ContractTarget,
  type PanderaImport,
  type SampleData,
  type SampleFormat,
  type SampleOptions,
  type SchemaBackend,
} from './contract-generator';
import { identifierFor, moduleOf, normalizeDataset, schemasFor, schemaSymbol, type SchemaFact } from './datasets';
import type { Backend } from './python-index';
import type { ReaderFamily, ReadOptions } from './readers';

/**
 * The fixes that put a contract in front of a read (or a write):
 * 1. when the project already has a pandera schema for the dataset, validate through it;
 * 2. otherwise generate one — from a sample of the data when the path the code reads resolves to
 *    a CSV/TSV/JSON-lines/Parquet file in the workspace, else as a stub listing the columns the
 *    code uses — as `schemas/<dataset>.py` plus `<dataset>.odcs.yaml`, and validate through it;
 * 3. the ODCS contract alone, for teams that test contracts with datacontract-cli.
 *
 * Every fix is unsafe: validation rejects data the code used to accept.
 *
 * The engine reads no data file while linting, so a generated fix carries a stub in
 * `createFiles` and, when a sample exists, a `resolve` request: adapters call `resolveFix` with a
 * `SampleReader` (bounded reads of workspace files) before applying it, and get the same fix with
 * the files' content inferred from the sample.
 */

/** What a fix needs to know about one read (or write) site, captured while the tree is alive. */
export interface ContractSite {
  /** Path of the file holding the site. */
  path: string;
  unit: TextUnit;
  /** The expression to wrap in `SCHEMA.validate(...)`. */
  start: number;
  end: number;
  imports: ImportPlan;
  family: ReaderFamily;
  dataset: string | null;
  /** The path the code reads, as written (static part), and whether it is relative to the file's folder. */
  readPath: string | null;
  fileRelative: boolean;
  /** Columns the code uses (`df["a"]`, `usecols=`), for a stub. */
  columns: string[];
  options: ReadOptions;
  /** mlready.yaml rules.D101.options.schemaDir: where generated schema modules go. */
  schemaDir?: string;
  /** Offset order of the site in its program (cell ordinal, offset), to check a local schema is defined before. */
  order: { cell: number; line: number };
}

export interface ImportPlan {
  unit: TextUnit;
  offset: number;
  eol: string;
  atEnd: boolean;
  /** local name → qualified name of every import binding in the program. */
  bindings: Map<string, string>;
  /** Names the program defines or assigns at module level. */
  defined: ReadonlySet<string>;
}

export function importPlan(program: PythonProgram, defined: ReadonlySet<string>): ImportPlan | null {
  const unit = program.units[0];
  if (!unit) return null;
  const offset = importInsertionOffset(unit);
  const bindings = new Map<string, string>();
  for (const b of program.imports.bindings) bindings.set(b.local, b.qualified);
  return { unit, offset, eol: unit.text.includes('\r\n') ? '\r\n' : '\n', atEnd: offset >= unit.text.length && unit.text.length > 0 && !/[\r\n]$/.test(unit.text), bindings, defined };
}

/** `from module import symbol`, or nothing when it is already imported; null when the name is taken by something else. */
function importEdit(plan: ImportPlan, module: string, symbol: string): EditSpec | null | 'conflict' {
  const bound = plan.bindings.get(symbol);
  if (bound === `${module}.${symbol}`) return null;
  if (bound !== undefined || plan.defined.has(symbol)) return 'conflict';
  const statement = `from ${module} import ${symbol}`;
  return { unit: plan.unit, start: plan.offset, end: plan.offset, newText: plan.atEnd ? `${plan.eol}${statement}${plan.eol}` : `${statement}${plan.eol}` };
}

function wrapEdits(site: ContractSite, symbol: string): EditSpec[] {
  return [
    { unit: site.unit, start: site.start, end: site.start, newText: `${symbol}.validate(` },
    { unit: site.unit, start: site.end, end: site.end, newText: ')' },
  ];
}

function backendOf(family: ReaderFamily): SchemaBackend | null {
  if (family === 'pandas' || family === 'dask') return 'pandas';
  if (family === 'polars') return 'polars';
  return null;
}

function compatible(schema: Backend, family: ReaderFamily): boolean {
  if (family === 'pyspark') return schema === 'pyspark';
  if (family === 'polars') return schema === 'polars';
  if (family === 'pandas' || family === 'dask') return schema === 'pandas';
  return false;
}

/** The fixes for one site, in order of preference. */
export function contractFixes(site: ContractSite, facts: WorkspaceFacts, verb: 'read' | 'write' = 'read'): FixSpec[] {
  const fixes: FixSpec[] = [];
  if (site.dataset) {
    const existing = schemasFor(facts, site.dataset).filter((s) => compatible(s.backend, site.family));
    for (const schema of existing) {
      const fix = existingSchemaFix(site, schema, facts, verb);
      if (fix) {
        fixes.push(fix);
        break;
      }
    }
  }
  if (fixes.length || verb === 'write') return fixes;
  fixes.push(...generatedFixes(site, facts));
  return fixes;
}

function existingSchemaFix(site: ContractSite, schema: SchemaFact & { path: string }, facts: WorkspaceFacts, verb: 'read' | 'write'): FixSpec | null {
  const edits: EditSpec[] = [];
  if (schema.path === site.path) {
    // defined in this file: usable when it is defined before the site
    const at = schema.location;
    const cell = at.cell ?? 0;
    if (cell > site.order.cell || (cell === site.order.cell && at.range.start.line > site.order.line)) return null;
  } else {
    if (!schema.path.endsWith('.py')) return null;
    const module = moduleOf(schema.path, facts.paths, site.path);
    const imp = importEdit(site.imports, module, schema.symbol);
    if (imp === 'conflict') return null;
    if (imp) edits.push(imp);
  }
  edits.push(...wrapEdits(site, schema.symbol));
  return {
    title: `Validate the ${verb === 'read' ? 'data read' : 'frame written'} here with the existing schema ${schema.symbol} (${schema.path})`,
    applicability: 'unsafe',
    edits,
  };
}

/** Where a generated module goes: inside the package of a package module, beside a script or notebook. */
export function schemaLocation(site: ContractSite, dataset: string, paths: ReadonlySet<string>): { dir: string; initFile?: string; module: string } {
  const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  if (site.schemaDir) {
    const dir = site.schemaDir.replace(/^\.\/|\/+$/g, '');
    return { dir, module: `${dir.replace(/^src\//, '').replace(/\//g, '.')}.${dataset}` };
  }
  let dir = dirOf(site.path);
  if (dir && paths.has(`${dir}/__init__.py`)) {
    while (dirOf(dir) && paths.has(`${dirOf(dir)}/__init__.py`)) dir = dirOf(dir);
    const schemasDir = `${dir}/schemas`;
    const withInit = new Set(paths);
    withInit.add(`${schemasDir}/__init__.py`);
    return { dir: schemasDir, initFile: paths.has(`${schemasDir}/__init__.py`) ? undefined : `${schemasDir}/__init__.py`, module: moduleOf(`${schemasDir}/${dataset}.py`, withInit) };
  }
  const schemasDir = dir ? `${dir}/schemas` : 'schemas';
  return { dir: schemasDir, module: `schemas.${dataset}` };
}

function panderaImport(facts: WorkspaceFacts): PanderaImport {
  if (facts.importsAnywhere('pandera.pandas')) return 'pandera.pandas';
  if (facts.importsAnywhere('pandera')) return 'pandera';
  return 'pandera.pandas';
}

function generatedFixes(site: ContractSite, facts: WorkspaceFacts): FixSpec[] {
  const backend = backendOf(site.family);
  if (!backend || !site.dataset) return [];
  const dataset = identifierFor(site.dataset) ?? 'dataset';
  const symbol = schemaSymbol(dataset);
  const location = schemaLocation(site, dataset, facts.paths);
  const schemaPath = `${location.dir}/${dataset}.py`;
  const odcsPath = `${location.dir}/${dataset}.odcs.yaml`;
  if (facts.paths.has(schemaPath)) return []; // a module of that name exists but defines no schema we recognise
  const sample = findSample(site, dataset, facts.paths, facts.cached('data-contracts:sample-paths', () => samplePaths(facts.paths)));
  const columns = [...new Set([...(site.options.usecols ?? []), ...site.columns])];
  if (!sample && !columns.length) return []; // nothing to write a contract from
  const target: ContractTarget = {
    dataset,
    symbol,
    backend,
    importStyle: panderaImport(facts),
    samplePath: sample ?? undefined,
    odcsFile: odcsPath.split('/').pop(),
    readBy: site.path,
  };
  const stub = renderContract(stubTable(columns), { ...target, samplePath: undefined });
  const resolve = sample
    ? {
        kind: RESOLVE_KIND,
        data: { sample, format: sampleFormatOf(sample)!, target, schemaPath, odcsPath, options: sampleOptionsOf(site.options) } satisfies ContractRequest as unknown as Record<string, unknown>,
      }
    : undefined;
  const imp = importEdit(site.imports, location.module, symbol);
  if (imp === 'conflict') return [];
  const files: FileCreation[] = [{ path: schemaPath, content: stub.schemaModule }, { path: odcsPath, content: stub.odcs }];
  if (location.initFile) files.push({ path: location.initFile, content: '"""Data contracts: pandera schemas of the datasets this package reads."""\n' });
  const from = sample ? `from ${sample}` : 'from the columns this code uses';
  const fixes: FixSpec[] = [
    {
      title: `Generate a pandera schema for \`${dataset}\` ${from} (${schemaPath}) and validate the read with it`,
      applicability: 'unsafe',
      edits: [...(imp ? [imp] : []), ...wrapEdits(site, symbol)],
      createFiles: files,
      ...(resolve ? { resolve } : {}),
    },
    {
      title: `Write an Open Data Contract (ODCS) for \`${dataset}\` ${from} (${odcsPath})`,
      applicability: 'unsafe',
      edits: [],
      createFiles: [{ path: odcsPath, content: stub.odcs }],
      ...(resolve ? { resolve } : {}),
    },
  ];
  return fixes;
}

function sampleOptionsOf(o: ReadOptions): SampleOptions {
  const out: SampleOptions = {};
  if (o.sep !== undefined) out.sep = o.sep;
  if (o.usecols) out.usecols = o.usecols;
  if (o.names) out.names = o.names;
  if (o.noHeader) out.noHeader = true;
  if (o.indexCol !== undefined) out.indexCol = o.indexCol;
  if (o.parseDates) out.parseDates = o.parseDates;
  if (o.dtype) out.dtype = o.dtype;
  return out;
}

const SAMPLE_MARKERS = /^(?:(.+?)[_.-](?:sample|samples|head|small|example|preview|subset|mini)|(?:sample|samples|example|head|mini)[_.-](.+))$/i;

/** The workspace file the read resolves to, when it is a sample format; else a `<dataset>_sample.*` beside it or anywhere. */
/** The paths a contract can be inferred from, in the set's order and sorted: computed once per workspace, not once per fix. */
export interface SamplePaths {
  inOrder: string[];
  sorted: string[];
}

export function samplePaths(paths: ReadonlySet<string>): SamplePaths {
  const inOrder = [...paths].filter((p) => sampleFormatOf(p) !== null);
  return { inOrder, sorted: [...inOrder].sort() };
}

export function findSample(site: Pick<ContractSite, 'path' | 'readPath' | 'fileRelative'>, dataset: string, paths: ReadonlySet<string>, samples: SamplePaths = samplePaths(paths)): string | null {
  const isSample = (p: string) => sampleFormatOf(p) !== null;
  // the first sample in sorted order that matches: the least of all matching samples
  const firstSample = (test: (p: string) => boolean) => samples.sorted.find(test);
  const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  const readPath = site.readPath;
  if (readPath && !readPath.includes('{…}')) {
    const cleaned = readPath.replace(/^file:\/\//, '').replace(/\\/g, '/');
    const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(cleaned);
    const candidates: string[] = [];
    if (!remote && !cleaned.startsWith('/') && !/^[A-Za-z]:\//.test(cleaned)) {
      if (site.fileRelative) candidates.push(normalize(`${dirOf(site.path)}/${cleaned}`));
      else candidates.push(normalize(cleaned), normalize(`${dirOf(site.path)}/${cleaned}`));
    }
    // an absolute or remote path: its longest tail that exists here (data/customers.csv)
    const segments = cleaned.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '').replace(/^[A-Za-z]:/, '').split('/').filter(Boolean);
    const tails: string[] = [];
    for (let i = 0; i < segments.length - 1; i++) tails.push(segments.slice(i).join('/'));
    candidates.push(...tails);
    for (const c of candidates) {
      if (!c) continue;
      if (c.includes('*')) {
        const re = new RegExp(`(^|/)${c.split('*').map(escapeRe).join('[^/]*')}$`);
        const hit = firstSample((p) => re.test(p));
        if (hit) return hit;
        continue;
      }
      if (paths.has(c) && isSample(c)) return c;
      // a partitioned dataset folder: its first part file
      const inside = firstSample((p) => p.startsWith(`${c}/`));
      if (inside) return inside;
    }
    // the tail of an absolute or remote path under some folder here: prefix/raw/orders.parquet → data/raw/orders.parquet
    for (const t of tails) {
      if (t.includes('*')) continue;
      const hit = firstSample((p) => p.endsWith(`/${t}`));
      if (hit) return hit;
    }
  }
  // a sample named after the dataset: customers_sample.csv, samples/customers.parquet
  const want = normalizeDataset(dataset);
  const near = dirOf(site.path);
  const matches: string[] = [];
  for (const p of samples.inOrder) {
    const base = p.split('/').pop()!.replace(/\.[^.]+$/, '');
    const m = SAMPLE_MARKERS.exec(base);
    const stem = m ? (m[1] ?? m[2]) : /(^|\/)(samples?|examples?)\//i.test(p) ? base : null;
    if (stem && normalizeDataset(stem) === want) matches.push(p);
  }
  matches.sort((a, b) => Number(!a.startsWith(near)) - Number(!b.startsWith(near)) || a.localeCompare(b));
  return matches[0] ?? null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

// ---------------------------------------------------------------- resolution (adapters)

export const RESOLVE_KIND = 'data-contract';

export interface ContractRequest {
  sample: string;
  format: SampleFormat;
  target: ContractTarget;
  schemaPath: string;
  odcsPath: string;
  options: SampleOptions;
}

/**
 * Bounded reads of workspace files, implemented by adapters (the engine reads no file itself).
 * For a CLI: `fs.promises.stat` and `fs.promises.open(...).read(buffer, 0, end - start, start)`.
 */
export interface SampleReader {
  /** Size in bytes of a workspace file, or undefined when there is none. */
  size(path: string): Promise<number | undefined>;
  /** Bytes [start, end) of a workspace file. */
  read(path: string, start: number, end: number): Promise<Uint8Array>;
}

/**
 * Completes a fix before it is applied: for a data-contract fix, the generated files' content is
 * inferred from a bounded sample of the data. Any other fix, or a sample that cannot be read or
 * says nothing, is returned unchanged (its stub content stands). Never throws.
 */
export async function resolveFix(fix: Fix, reader: SampleReader): Promise<Fix> {
  if (fix.resolve?.kind !== RESOLVE_KIND || !fix.createFiles?.length) return fix;
  const request = fix.resolve.data as unknown as ContractRequest;
  try {
    const size = await reader.size(request.sample);
    if (size === undefined) return fix;
    let sample: SampleData;
    if (request.format === 'parquet') {
      sample = {
        format: 'parquet',
        source: {
          byteLength: size,
          slice: async (start: number, end?: number) => toArrayBuffer(await reader.read(request.sample, start, end ?? size)),
        },
      };
    } else {
      const maxBytes = request.options.maxBytes ?? DEFAULT_MAX_BYTES;
      const bytes = await reader.read(request.sample, 0, Math.min(size, maxBytes + 1));
      sample = { format: request.format, bytes };
    }
    const texts = await generateContract(sample, request.target, request.options);
    if (!texts) return fix;
    const { resolve: _resolve, ...rest } = fix;
    return {
      ...rest,
      createFiles: fix.createFiles.map((f) => (f.path === request.schemaPath ? { ...f, content: texts.schemaModule } : f.path === request.odcsPath ? { ...f, content: texts.odcs } : f)),
    };
  } catch {
    return fix;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
