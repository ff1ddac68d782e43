import * as v8 from 'v8';
import * as vm from 'vm';
import type { ResolvedConfig } from '../core/config';
import { finalizeDocument, lintDocument, type DocumentResult, type LintOptions } from '../core/engine';
import { WorkspaceFacts, type FileFacts } from '../core/facts';
import type { Registry } from '../core/registry';
import type { Finding } from '../core/types';
import { TextUnit } from '../core/units';
import { loadDocument, type AnalyzedDocument, type SourceKind } from '../documents/document';
import { decodeFile } from './decode';

/**
 * The per-file half of a workspace scan, in two steps, so that it can run in the scanning thread or
 * in worker threads (pool.ts) with the same results: `analyze` decodes, parses and lints one file
 * and keeps its pending result (whose conditions and deferred fixes are closures, so they stay
 * where they were made); `finalize` evaluates them against the complete workspace facts. Only
 * plain data leaves an analyser: file facts, findings, suppression records.
 */

/** A suppression as reported in ScanResult (see scan.ts SuppressionRecord). */
export interface SuppressionRecordData {
  file: string;
  cell?: number;
  line: number;
  codes: string[];
  reason: string | null;
  fileLevel: boolean;
  used: boolean;
}

export type AnalyzeOutcome =
  | { skip: string }
  | { facts: FileFacts; ruleErrors: { code: string; message: string }[] };

export interface FinalizedFile {
  path: string;
  findings: Finding[];
  suppressions: SuppressionRecordData[];
}

/** Facts of a workspace as plain data (structured-clone safe), in insertion order. */
export interface FactsData {
  files: FileFacts[];
  paths: string[];
  installed: [string, string][];
  sizes: [string, number][];
  texts: [string, string][];
}

export function factsToData(facts: WorkspaceFacts): FactsData {
  return { files: [...facts.files.values()], paths: [...facts.paths], installed: [...facts.installed], sizes: [...facts.sizes], texts: [...facts.texts] };
}

export function factsFromData(data: FactsData): WorkspaceFacts {
  const facts = new WorkspaceFacts();
  // paths first, in their own order (set() would add analysed files' paths again, a no-op)
  for (const p of data.paths) facts.paths.add(p);
  for (const f of data.files) facts.set(f);
  for (const [k, v] of data.installed) facts.installed.set(k, v);
  for (const [k, v] of data.sizes) facts.sizes.set(k, v);
  for (const [k, v] of data.texts) facts.texts.set(k, v);
  return facts;
}

/**
 * A pending result refers to the units its findings and suppressions are in; a Python unit holds
 * its (disposed) tree's node wrappers and index, several kB per line, which a scan would keep for
 * every file until it finalizes. `finalizeDocument` needs of a unit only its identity, cell, line
 * index and file offsets: the result keeps a plain TextUnit with those instead.
 */
function detachUnits(result: DocumentResult): void {
  const light = new Map<TextUnit, TextUnit>();
  const detach = (unit: TextUnit): TextUnit => {
    const known = light.get(unit);
    if (known) return known;
    const d: TextUnit = Object.assign(Object.create(TextUnit.prototype) as TextUnit, { text: unit.text, cell: unit.cell, lines: unit.lines, fileOffsets: (unit as unknown as { fileOffsets?: unknown }).fileOffsets });
    light.set(unit, d);
    return d;
  };
  for (const f of result.findings) if (f.unit) f.unit = detach(f.unit);
  for (const s of result.suppressions) s.unit = detach(s.unit);
}

/**
 * Conditions (`when`) and deferred fixes are closures made while rules checked the document, and
 * V8 keeps a closure's whole scope alive: through the rule context they hold the document, its
 * program, units, node index and syntax trees until the scan finalizes, which made a scan's memory
 * grow with the workspace. Once the document is linted, only offsets, text and line indexes are
 * meaningful: everything else is dropped here (a syntax tree's nodes lose their links to each
 * other), so that a pending result costs about its text.
 */
export function releaseDocument(doc: AnalyzedDocument): void {
  doc.python?.release();
  const d = doc as unknown as Record<string, unknown>;
  for (const key of ['python', 'notebook', 'yaml', 'requirements', 'toml', 'dockerfile']) if (key in d) d[key] = undefined;
}

/**
 * Lines of files whose pending results carry closures that one analyser keeps until `finalize`.
 * Once its document is released (`releaseDocument`: trees, call sites and every family's
 * per-program answers, which live in the program's ProgramCaches) such a result costs about what
 * a result without closures does, some 450 bytes a line with its findings and text. Beyond this
 * budget a file's text is kept instead and the file is linted again when the workspace facts are
 * complete, a bound on memory for very large workspaces at the price of analysing that overflow
 * twice. Results are the same either way.
 */
export const DEFAULT_RETAIN_LINES = 400_000;

/**
 * When to force a full garbage collection between two files. Linting allocates a great deal that
 * lives as long as one file's analysis, so it outlives the young generation, and V8, seeing the old
 * one grow fast, lets it grow to several times the live data before it collects: peak memory then
 * follows the workspace's size rather than what the scan keeps. A collection is forced when the
 * heap has grown by half the live data it held after the last one, plus a margin: peaks stay near
 * the live data, and since each collection costs about the live data, their total stays in
 * proportion to the workspace (collecting every so many lines instead costs its square).
 */
export const GC_GROWTH = 0.5;
export const GC_MARGIN_BYTES = 48 * 1024 * 1024;

/**
 * V8's gc() (with --expose-gc). Node 20's V8 (11.3) runs a young-generation collection when given
 * any options object, even `{ type: 'major' }`: a full collection is asked for without options.
 */
type GcFunction = (options?: { type: 'minor' }) => void;

let gcFunction: GcFunction | null | undefined;

/**
 * A full collection. `returnMemory`: it also compacts every fragmented page, so that the heap
 * shrinks to its live data at once and the process gives the rest back to the system (a regular
 * one compacts only the worst pages, and V8's memory reducer does the rest seconds later): for a
 * long-lived process after a burst of work, such as the language server after a workspace scan.
 */
export function collectGarbage(options: { returnMemory?: boolean } = {}): void {
  if (gcFunction === undefined) resolveGc();
  if (!gcFunction) return;
  if (!options.returnMemory) return gcFunction();
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gcFunction();
  } finally {
    // as resolveGc: a V8 code cache written later must match a fresh process's flags
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

function resolveGc(): void {
  gcFunction = null;
  try {
    const exposed = (globalThis as { gc?: GcFunction }).gc;
    if (typeof exposed === 'function') gcFunction = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      const fn = vm.runInNewContext('gc') as unknown;
      if (typeof fn === 'function') gcFunction = fn as GcFunction;
      // the flags as they were: a V8 code cache written later must match a fresh process's flags
      v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    gcFunction = null;
  }
}

/** A young-generation (minor) collection, where the runtime allows forcing one; see collectGarbage. */
export function collectYoungGarbage(): void {
  if (gcFunction === undefined) resolveGc();
  gcFunction?.({ type: 'minor' });
}

/** Analyses files and keeps their pending results until `finalize`. One per thread. */
export class FileAnalyzer {
  private readonly pending = new Map<string, DocumentResult>();
  /** Files analysed beyond the budget: linted again at `finalize`. */
  private readonly relint: { path: string; kind: SourceKind; text: string }[] = [];
  private retainedLines = 0;
  private options: LintOptions;

  private retainLines: number;

  constructor(registry: Registry, config: ResolvedConfig, retainLines?: number) {
    this.retainLines = retainLines ?? DEFAULT_RETAIN_LINES;
    this.options = { config, registry };
  }

  /** Starts a new scan with this config: pending results of an earlier one are dropped. */
  reset(config: ResolvedConfig, retainLines: number): void {
    this.pending.clear();
    this.relint.length = 0;
    this.retainedLines = 0;
    this.retainLines = retainLines;
    this.options = { config, registry: this.options.registry };
  }

  analyze(path: string, kind: SourceKind, bytes: Uint8Array): AnalyzeOutcome {
    const decoded = decodeFile(path, bytes);
    if ('skip' in decoded) return { skip: decoded.skip };
    const result = this.lint(path, kind, decoded.text);
    if (result.findings.some((f) => f.when || f.deferredFixes)) {
      if (this.retainedLines + result.facts.lines > this.retainLines) {
        this.relint.push({ path, kind, text: decoded.text });
        return { facts: result.facts, ruleErrors: result.ruleErrors };
      }
      this.retainedLines += result.facts.lines;
    }
    this.pending.set(path, result);
    return { facts: result.facts, ruleErrors: result.ruleErrors };
  }

  /** Heap in use after the last forced collection (bytes). */
  private liveAfterGc = 0;

  private lint(path: string, kind: SourceKind, text: string): DocumentResult {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used > this.liveAfterGc * (1 + GC_GROWTH) + GC_MARGIN_BYTES) {
      collectGarbage();
      this.liveAfterGc = v8.getHeapStatistics().used_heap_size;
    }
    const doc = loadDocument(path, text, kind);
    try {
      const result = lintDocument(doc, this.options);
      detachUnits(result);
      return result;
    } finally {
      doc.dispose();
      releaseDocument(doc);
    }
  }

  /** Finalizes every file analysed since `reset` against the workspace facts, and forgets them. */
  finalize(facts: WorkspaceFacts): FinalizedFile[] {
    const out: FinalizedFile[] = [];
    for (const result of this.pending.values()) out.push(this.finalizeOne(result, facts));
    this.pending.clear();
    for (const { path, kind, text } of this.relint.splice(0)) out.push(this.finalizeOne(this.lint(path, kind, text), facts));
    this.retainedLines = 0;
    return out;
  }

  private finalizeOne(result: DocumentResult, facts: WorkspaceFacts): FinalizedFile {
    const findings = finalizeDocument(result, facts, this.options);
    const suppressions = result.suppressions.map((s) => ({ file: result.path, ...(s.unit.cell !== undefined ? { cell: s.unit.cell } : {}), line: s.line, codes: s.codes, reason: s.reason, fileLevel: s.fileLevel, used: s.used }));
    return { path: result.path, findings, suppressions };
  }

  /** Files waiting for `finalize`: kept, and to lint again. */
  get size(): { kept: number; relint: number } {
    return { kept: this.pending.size, relint: this.relint.length };
  }
}
