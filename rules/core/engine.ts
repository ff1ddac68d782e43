import type { Node } from '../documents/python/syntax-tree';
import type { AnalyzedDocument } from '../documents/document';
import { stageFor, type ResolvedConfig } from './config';
import { collectFileFacts } from './fact-collectors';
import type { FileFacts, WorkspaceFacts } from './facts';
import { docUrl, type Registry } from './registry';
import type { EditSpec, FindingLocation, FixSpec, ReportSpec, Rule, RuleContext, RuleTarget } from './rule';
import { resolveSeverity } from './severity';
import { collectSuppressions, suppressionCovers, type Suppression } from './suppressions';
import type { Finding, Fix, Severity, Stage, UnitEdit } from './types';
import type { TextUnit } from './units';

/**
 * Runs the rules on one document. Two steps, so that project-level judgements can wait for the
 * whole workspace: `lintDocument` runs every applicable rule and returns pending findings, some of
 * which carry a `when` condition on the workspace facts; `finalizeDocument` evaluates the
 * conditions and applies suppressions. The language server does both at once with the facts it
 * has; the CLI finalizes after every file has been read.
 */

export interface PendingFinding extends Finding {
  when?: (facts: WorkspaceFacts) => boolean;
  /** Fixes computed from the complete workspace facts (ReportSpec.deferredFixes). */
  deferredFixes?: (facts: WorkspaceFacts) => FixSpec[];
  /** The unit the finding is in, kept for suppression matching; never serialised. */
  unit?: TextUnit;
  /** The severity the report asked for (ReportSpec.severity), kept to re-resolve it for a pipeline step. */
  requestedSeverity?: Severity;
}

export interface DocumentResult {
  path: string;
  findings: PendingFinding[];
  facts: FileFacts;
  suppressions: Suppression[];
  /** Rules that threw: reported once by the adapter, without the file's content. */
  ruleErrors: { code: string; message: string }[];
}

export interface LintOptions {
  config: ResolvedConfig;
  registry: Registry;
  /** Overrides the stage from mlready.yaml (a notebook run by a pipeline is production). */
  stage?: Stage;
}

export function targetsOf(doc: AnalyzedDocument): RuleTarget[] {
  const targets: RuleTarget[] = [];
  if (doc.python) targets.push('python');
  if (doc.kind !== 'python') targets.push(doc.kind);
  return targets;
}

export function lintDocument(doc: AnalyzedDocument, options: LintOptions): DocumentResult {
  const { config, registry } = options;
  const stage = options.stage ?? stageFor(config, doc.path);
  const facts = collectFileFacts(doc, registry.collectors);
  const findings: PendingFinding[] = [];
  const ruleErrors: DocumentResult['ruleErrors'] = [];
  const targets = targetsOf(doc);
  for (const rule of registry.rulesFor(targets)) {
    if (!rule.check || isDisabled(rule, config)) continue;
    const ctx = makeContext(rule, doc, config, stage, facts, findings);
    try {
      rule.check(ctx);
    } catch (e) {
      ruleErrors.push({ code: rule.code, message: (e as Error)?.message ?? String(e) });
    }
  }
  return { path: doc.path, findings, facts, suppressions: collectSuppressions(doc), ruleErrors };
}

function isDisabled(rule: Rule, config: ResolvedConfig): boolean {
  return config.rules[rule.code]?.severity === 'off' || (config.categories[rule.category] === 'off' && !config.rules[rule.code]?.severity);
}

function makeContext(rule: Rule, doc: AnalyzedDocument, config: ResolvedConfig, stage: Stage, fileFacts: FileFacts, out: PendingFinding[]): RuleContext {
  const options = { ...(rule.options ?? {}), ...(config.rules[rule.code]?.options ?? {}) };
  const ctx: RuleContext = {
    rule,
    doc,
    config,
    stage,
    options,
    fileFacts,
    report(spec: ReportSpec) {
      const f = buildFinding(rule, spec, doc, stage, config);
      if (f) out.push(f);
    },
    reportNode(unit: TextUnit, node: Node, message: string, extra = {}) {
      ctx.report({ ...extra, unit, start: node.startIndex, end: node.endIndex, message });
    },
  };
  return ctx;
}

export function buildFinding(rule: Rule, spec: ReportSpec, doc: AnalyzedDocument | null, stage: Stage, config: ResolvedConfig): PendingFinding | null {
  const severity = resolveSeverity(rule, spec.severity, stage, config);
  if (severity === 'off') return null;
  const unit = spec.unit ?? doc?.file;
  const start = spec.start ?? 0;
  const end = spec.end ?? start;
  const range = unit ? unit.lines.rangeOf(start, end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const finding: PendingFinding = {
    code: rule.code,
    name: rule.name,
    category: rule.category,
    severity,
    message: spec.message,
    file: spec.path !== undefined ? spec.path : (doc?.path ?? null),
    range,
    fileRange: unit ? { start: unit.toFileOffset(start), end: unit.toFileOffset(end) } : { start: 0, end: 0 },
    fixes: (spec.fixes ?? []).map(toFix),
    docUrl: docUrl(rule),
    unit,
  };
  if (unit?.cell !== undefined) finding.cell = unit.cell;
  if (stage === 'production') finding.stage = stage;
  if (spec.when) finding.when = spec.when;
  if (spec.deferredFixes) finding.deferredFixes = spec.deferredFixes;
  if (spec.severity) finding.requestedSeverity = spec.severity;
  return finding;
}

/**
 * Fixes already converted, by spec: a rule may give one fix to many findings (N105's shared fix
 * has an edit per finding), which converted each time cost the square of their number. A Fix is
 * never changed once made, so the findings share it.
 */
const convertedFixes = new WeakMap<FixSpec, Fix>();

function toFix(spec: FixSpec): Fix {
  let fix = convertedFixes.get(spec);
  if (!fix) convertedFixes.set(spec, (fix = convertFix(spec)));
  return fix;
}

function convertFix(spec: FixSpec): Fix {
  const fix: Fix = { title: spec.title, applicability: spec.applicability, edits: spec.edits.map(toEdit) };
  if (spec.createFiles?.length) fix.createFiles = spec.createFiles.map((f) => ({ ...f }));
  if (spec.resolve) fix.resolve = spec.resolve;
  return fix;
}

export function toEdit(e: EditSpec): UnitEdit {
  const edit: UnitEdit = {
    range: e.unit.lines.rangeOf(e.start, e.end),
    start: e.start,
    end: e.end,
    fileStart: e.unit.toFileOffset(e.start),
    fileEnd: e.unit.toFileOffset(e.end),
    newText: e.newText,
  };
  if (e.unit.cell !== undefined) edit.cell = e.unit.cell;
  return edit;
}

/**
 * Evaluates pending conditions and applies inline suppressions. Adds governance findings for
 * suppressions without a reason, suppressions of enforced rules, and suppressions that silence
 * nothing.
 */
export function finalizeDocument(result: DocumentResult, facts: WorkspaceFacts, options: LintOptions, doc?: AnalyzedDocument): Finding[] {
  const { config, registry } = options;
  // a file that a pipeline runs (a notebook executed by dvc, papermill, Airflow …) is production
  const step = pipelineStepOf(facts, result.path);
  const stage = step ? 'production' : (options.stage ?? stageFor(config, result.path));
  const kept: PendingFinding[] = [];
  const enforced = new Set(config.policy.enforce.map((c) => c.toUpperCase()));
  const fileLevel = result.suppressions.filter((s) => s.fileLevel);
  const lineLevel = result.suppressions.filter((s) => !s.fileLevel);
  const enforcedHits = new Set<Suppression>();
  for (const pending of result.findings) {
    if (pending.when && !safeWhen(pending, facts)) continue;
    // a copy, so that finalizing the same result again (new facts) starts from the same fixes
    let f = pending.deferredFixes ? { ...pending, fixes: [...pending.fixes, ...deferredFixes(pending, facts)] } : pending;
    if (step && f.stage !== 'production') {
      const raised = atProductionStage(f, registry, config);
      if (!raised) continue;
      f = raised;
    }
    const line = f.range.start.line;
    const matches = [
      ...fileLevel.filter((s) => suppressionCovers(s, f.code, f.name)),
      ...lineLevel.filter(
        (s) =>
          sameUnit(s.unit, f.unit) &&
          suppressionCovers(s, f.code, f.name) &&
          ((s.line >= line && s.line <= f.range.end.line) || (s.ownLine && s.line === line - 1)),
      ),
    ];
    if (matches.length && enforced.has(f.code.toUpperCase())) {
      for (const s of matches) enforcedHits.add(s);
      kept.push(f);
      continue;
    }
    if (matches.length) {
      for (const s of matches) s.used = true;
      continue;
    }
    kept.push(f);
  }
  const engineRule = (code: string) => registry.byCode(code);
  const report = (code: string, s: Suppression, message: string) => {
    const rule = engineRule(code);
    if (!rule || config.rules[code]?.severity === 'off') return;
    const f = buildFinding(rule, { unit: s.unit, start: s.start, end: s.end, message }, doc ?? null, stage, config);
    if (f) {
      f.file = result.path;
      kept.push(f);
    }
  };
  for (const s of result.suppressions) {
    const codes = s.codes.length ? s.codes.join(', ') : 'all rules';
    if (!s.reason) report('G901', s, `Suppression of ${codes} has no reason: add \`reason: …\` so reviewers know why this is acceptable.`);
    if (enforcedHits.has(s)) {
      report('G903', s, `Policy enforces ${s.codes.filter((c) => enforced.has(c.toUpperCase())).join(', ') || codes}: it cannot be suppressed inline.`);
    } else if (!s.used && s.codes.length > 0) {
      // a mistyped code (`ignore[P1O1]`) silences nothing, and says so
      const unknown = s.codes.filter((c) => !registry.byCode(c) && !registry.byName(c));
      report('G902', s, unknown.length ? `Suppression names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not mlready rules' : 'is not an mlready rule'}: it silences nothing.` : `Unused suppression: no ${codes} finding here to silence.`);
    }
  }
  return kept.map(strip).sort(compareFindings);
}

/**
 * Fact value key (`FileFacts.values`) by which a collector declares that other files run as a
 * production step whatever stage mlready.yaml gives them: a notebook executed by a pipeline
 * (dvc.yaml, papermill, Airflow, Kubeflow …). The stage of a file is decided before its rules run,
 * from the configuration alone; `finalizeDocument`, which sees the workspace facts, then gives the
 * findings of such a file the severities of the production stage (configured `rules`/`categories`
 * severities still win). Rules that must know it while checking use `pipelineStepOf` in `when`.
 */
export const PIPELINE_STEP = 'engine.pipeline-step';

export interface PipelineStep {
  /** Workspace paths the reference may designate (`/`-separated, relative to the root), any of which matches. */
  paths: string[];
  /** What runs it, for messages: "dvc.yaml stage `train`", "papermill in dags/report.py". */
  via: string;
  /** Where the reference is. */
  location?: FindingLocation;
}

/** The pipeline reference that makes `path` a production step, if any file declared one. */
export function pipelineStepOf(facts: WorkspaceFacts, path: string): PipelineStep | undefined {
  // asked for every file a scan finalizes: one table per state of the facts, not a pass over every file's facts
  const byPath = facts.cached('engine:pipeline-steps', () => {
    const table = new Map<string, PipelineStep>();
    for (const file of facts.files.values()) {
      for (const value of (file.values?.get(PIPELINE_STEP) ?? []) as PipelineStep[]) {
        for (const p of value?.paths ?? []) if (!table.has(p)) table.set(p, value);
      }
    }
    return table;
  });
  return byPath.get(path);
}

function atProductionStage(f: PendingFinding, registry: Registry, config: ResolvedConfig): PendingFinding | null {
  const rule = registry.byCode(f.code);
  if (!rule) return f;
  const severity = resolveSeverity(rule, f.requestedSeverity, 'production', config);
  if (severity === 'off') return null;
  return { ...f, severity, stage: 'production' };
}

function safeWhen(f: PendingFinding, facts: WorkspaceFacts): boolean {
  try {
    return f.when!(facts);
  } catch {
    return true;
  }
}

function deferredFixes(f: PendingFinding, facts: WorkspaceFacts): Fix[] {
  try {
    return f.deferredFixes!(facts).map(toFix);
  } catch {
    return [];
  }
}

function sameUnit(a: TextUnit, b: TextUnit | undefined): boolean {
  return a === b || (!!b && a.cell !== undefined && a.cell === b.cell);
}

function strip(f: PendingFinding): Finding {
  const { when: _when, unit: _unit, deferredFixes: _deferred, requestedSeverity: _requested, ...rest } = f;
  return rest;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file === b.file ? 0 : (a.file ?? '').localeCompare(b.file ?? '')) ||
    (a.cell ?? -1) - (b.cell ?? -1) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code === b.code ? 0 : a.code.localeCompare(b.code))
  );
}
