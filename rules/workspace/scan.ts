import { CONFIG_FILE_NAMES, defaultConfig, isIgnoredPath, parseConfig, type ConfigProblem, type ResolvedConfig } from '../core/config';
import { buildFinding, finalizeDocument, lintDocument, type DocumentResult, type LintOptions } from '../core/engine';
import { WorkspaceFacts } from '../core/facts';
import type { Registry } from '../core/registry';
import type { Finding, SkippedFile } from '../core/types';
import { TextUnit } from '../core/units';
import { classify, loadDocument } from '../documents/document';
import { decodeFile } from './decode';
import { runWorkspaceRules } from './workspace-rules';

/**
 * The one way the engine sees a workspace. Adapters implement it: the CLI over the disk, the
 * language server over open buffers first and the disk second.
 */
export interface WorkspaceFiles {
  /** Relative, `/`-separated paths of files, not descending into folders for which `descend` is false. */
  list(descend: (dir: string) => boolean): AsyncIterable<string>;
  read(path: string): Promise<Uint8Array>;
}

export interface SuppressionRecord {
  file: string;
  cell?: number;
  line: number;
  codes: string[];
  reason: string | null;
  fileLevel: boolean;
  used: boolean;
}

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

export async function loadConfig(files: WorkspaceFiles, registry: Registry, listed: Set<string>): Promise<{ config: ResolvedConfig; path?: string; problems: ConfigProblem[]; text?: string }> {
  for (const name of CONFIG_FILE_NAMES) {
    if (!listed.has(name)) continue;
    const decoded = decodeFile(name, await files.read(name));
    if ('skip' in decoded) return { config: defaultConfig(), path: name, problems: [{ message: `mlready.yaml could not be read: ${decoded.skip}`, start: 0, end: 0 }] };
    const { config, problems } = parseConfig(decoded.text, new Set(registry.rules.map((r) => r.code)));
    return { config, path: name, problems, text: decoded.text };
  }
  return { config: defaultConfig(), problems: [] };
}

export async function scanWorkspace(files: WorkspaceFiles, registry: Registry, override?: Partial<ResolvedConfig>): Promise<ScanResult> {
  const paths: string[] = [];
  for await (const p of files.list((dir) => !isIgnoredPath(defaultConfig(), `${dir}/`))) paths.push(p);
  paths.sort();
  const listed = new Set(paths);
  const loaded = await loadConfig(files, registry, listed);
  const config = { ...loaded.config, ...override };
  const options: LintOptions = { config, registry };
  const facts = new WorkspaceFacts();
  const skipped: SkippedFile[] = [];
  const results: DocumentResult[] = [];
  const ruleErrors: ScanResult['ruleErrors'] = [];
  let scanned = 0;
  for (const path of paths) {
    if (isIgnoredPath(config, path)) continue;
    facts.paths.add(path);
    const kind = classify(path);
    if (!kind) continue;
    let bytes: Uint8Array;
    try {
      bytes = await files.read(path);
    } catch (e) {
      skipped.push({ file: path, reason: `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    const decoded = decodeFile(path, bytes);
    if ('skip' in decoded) {
      skipped.push({ file: path, reason: decoded.skip });
      continue;
    }
    const doc = loadDocument(path, decoded.text, kind);
    try {
      const result = lintDocument(doc, options);
      results.push(result);
      facts.set(result.facts);
      for (const e of result.ruleErrors) ruleErrors.push({ file: path, ...e });
      scanned++;
    } finally {
      doc.dispose();
    }
  }
  const findings: Finding[] = [];
  for (const result of results) findings.push(...finalizeDocument(result, facts, options));
  findings.push(...configFindings(loaded, registry, config));
  findings.push(...runWorkspaceRules(registry, config, facts));
  const suppressions: SuppressionRecord[] = results.flatMap((r) =>
    r.suppressions.map((s) => ({ file: r.path, ...(s.unit.cell !== undefined ? { cell: s.unit.cell } : {}), line: s.line, codes: s.codes, reason: s.reason, fileLevel: s.fileLevel, used: s.used })),
  );
  return { findings, files: { scanned, skipped }, facts, suppressions, config, configPath: loaded.path, configProblems: loaded.problems, ruleErrors };
}

function configFindings(loaded: Awaited<ReturnType<typeof loadConfig>>, registry: Registry, config: ResolvedConfig): Finding[] {
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
