import { SEVERITIES, type Finding, type Fix, type ReadinessScore, type Registry, type ScanResult, type Severity, type SkippedFile, type SuppressionRecord } from '../rules';
import type { FailOn } from './args';
import type { FileLocator } from './locations';

/** Everything a format needs to render one `mlready check` run. */
export interface CheckReport {
  /** mlready's version. */
  version: string;
  /** PATH as the user gave it. */
  root: string;
  findings: Finding[];
  score: ReadinessScore;
  /** Paths of the analysed files, relative to PATH. */
  scanned: string[];
  skipped: SkippedFile[];
  suppressions: SuppressionRecord[];
  /**
   * A file to anchor workspace-level findings on, for consumers that reject results without a file
   * (GitHub code scanning refuses the whole upload, GitLab needs a path): the config, else a root
   * README, else the first analysed file.
   */
  anchor: string | null;
  /** Rules that threw, by code and file only (their messages may quote file content). */
  ruleErrors: { code: string; file: string }[];
  registry: Registry;
  /** The --fail-on level, so that reports can say which findings fail the run. */
  failOn: FailOn;
  /** Fixes written by --fix, when it ran. */
  fixed?: { applied: number; files: number };
  locator: FileLocator;
}

/**
 * The report of a scan. It takes over the scan's findings: their fixes keep only what formats print
 * (title and applicability) and lose their edits and new files, which are a quarter of the memory a
 * large workspace's findings hold and are not needed once the scan (and --fix) is done.
 */
export function buildReport(input: {
  version: string;
  root: string;
  result: ScanResult;
  score: ReadinessScore;
  extraSkipped: SkippedFile[];
  registry: Registry;
  failOn: FailOn;
  locator: FileLocator;
  fixed?: CheckReport['fixed'];
}): CheckReport {
  const { result } = input;
  const skipped = [...result.files.skipped];
  for (const s of input.extraSkipped) if (!skipped.some((k) => k.file === s.file)) skipped.push(s);
  skipped.sort((a, b) => a.file.localeCompare(b.file));
  const ruleErrors = result.ruleErrors.map(({ code, file }) => ({ code, file }));
  const scanned = [...result.facts.files.keys()].sort();
  for (const f of result.findings) if (f.fixes.length) f.fixes = f.fixes.map(namedFix);
  return {
    version: input.version,
    root: input.root,
    findings: result.findings,
    score: input.score,
    scanned,
    skipped,
    suppressions: result.suppressions,
    anchor: anchorFile(result, scanned),
    ruleErrors,
    registry: input.registry,
    failOn: input.failOn,
    fixed: input.fixed,
    locator: input.locator,
  };
}

const NO_EDITS: Fix['edits'] = Object.freeze([]) as unknown as Fix['edits'];

/** A fix as reports show it: its title and applicability, without its edits or files. */
function namedFix(fix: Fix): Fix {
  return { title: fix.title, applicability: fix.applicability, edits: NO_EDITS };
}

/** 0 for error … 3 for hint: lower is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function reachesFailOn(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank(f.severity) <= severityRank(failOn);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** "1 error", "2 warnings", "3 info". */
export function severityCount(n: number, s: Severity): string {
  return plural(n, s, s === 'info' ? 'info' : `${s}s`);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function anchorFile(result: ScanResult, scanned: string[]): string | null {
  if (result.configPath && !result.configPath.startsWith('../')) return result.configPath;
  const readme = [...result.facts.paths].sort().find((p) => /^readme(\.[a-z]+)?$/i.test(p));
  return readme ?? scanned[0] ?? null;
}

/** Findings grouped by file in report order; workspace-level findings (file null) come last. */
export function groupByFile(findings: readonly Finding[]): { file: string | null; findings: Finding[] }[] {
  const groups = new Map<string | null, Finding[]>();
  for (const f of findings) {
    let list = groups.get(f.file);
    if (!list) groups.set(f.file, (list = []));
    list.push(f);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  return keys.map((file) => ({ file, findings: groups.get(file)! }));
}
