import { defaultConfig, type ResolvedConfig } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { CATEGORIES, type Category, type Finding, type Severity, type Stage } from '../core/types';
import {
  expectedAt,
  ML_TEST_SECTIONS,
  PRACTICE_PROJECT_CODES,
  PRACTICES,
  practiceDocUrl,
  projectView,
  type MlTestSection,
  type PracticeDefinition,
  type PracticeId,
  type PracticeLocation,
  type PracticeStatus,
} from './practices';

/**
 * The readiness score (DESIGN.md §5), 0–100 per category and overall, explainable to the last
 * point.
 *
 * Per category, 100 points:
 * - when at least one of the category's practices is expected at the project's stage and
 *   applies, PRACTICE_SHARE (60) points are shared among those practices by weight: a met practice
 *   earns its share, a partly met one half, a missing one nothing; the other FINDINGS_SHARE (40)
 *   points are the findings budget. Otherwise the whole 100 is the findings budget;
 * - each finding deducts SEVERITY_POINTS[severity] / max(1, lines of code / 1000) from the
 *   budget (density per thousand lines: a big project is not punished for being big, a tiny one is
 *   not excused), never more than the budget (when capped, every finding's deduction is scaled
 *   down by the same factor). Project-level findings that a practice judges (no model card, no
 *   owner, no drift monitoring, no data contract) cost the practice's points only.
 * Every category's losses are listed, in whole points that add up to exactly 100 − score
 * (largest-remainder rounding of the exact values).
 *
 * Overall = weighted mean of the category scores (CATEGORY_WEIGHTS; notebook hygiene counts only
 * when the project has notebooks), again with each category's share of the lost points listed.
 * The ML Test Score view groups the same practices into Data, Model, Infrastructure, Monitoring.
 */
export const PRACTICE_SHARE = 60;
export const FINDINGS_SHARE = 40;
export const SEVERITY_POINTS: Record<Severity, number> = { error: 8, warning: 3, info: 1, hint: 0 };
export const CATEGORY_WEIGHTS: Record<Category, number> = {
  security: 3,
  'data-contracts': 2,
  monitoring: 2,
  reproducibility: 2,
  reliability: 2,
  governance: 2,
  portability: 1,
  'notebook-hygiene': 1,
};
const CREDIT: Record<PracticeStatus, number> = { met: 1, partly: 0.5, missing: 0, 'not-applicable': 0 };

/** One finding's deduction (exact, after the budget cap). */
export interface ScoreDeduction {
  category: Category;
  code: string;
  file: string | null;
  cell?: number;
  line?: number;
  severity?: Severity;
  points: number;
}

export interface PracticeResult {
  id: PracticeId;
  title: string;
  category: Category;
  section: MlTestSection;
  status: PracticeStatus;
  /** Expected at the project's stage; a practice not expected is shown but costs nothing. */
  expected: boolean;
  /** First stage at which it is expected. */
  expectedFrom: Stage;
  weight: number;
  /** Points the practice is worth in its category (0 when not expected or not applicable), and earned. */
  points: number;
  earned: number;
  why: string;
  evidence: string;
  fix: string;
  docUrl?: string;
  codes: string[];
  locations: PracticeLocation[];
}

/** One line of a category's explanation: points lost to a practice or to the findings of one rule. */
export interface ScoreLoss {
  kind: 'practice' | 'findings';
  /** Practice id, or rule code. */
  id: string;
  label: string;
  /** Whole points (they add up to 100 − the category score) and the exact value. */
  points: number;
  exact: number;
  /** For findings: how many, and in how many files. */
  count?: number;
  files?: number;
}

export interface CategoryScore {
  score: number;
  weight: number;
  /** Whether the category counts in the overall score. */
  counted: boolean;
  practicePoints: number;
  practiceEarned: number;
  findingsBudget: number;
  /** Exact deductions before and after the cap. */
  findingsRaw: number;
  findingsDeducted: number;
  findings: number;
  losses: ScoreLoss[];
}

export interface ScoreGap {
  kind: 'practice' | 'findings';
  id: string;
  category: Category;
  title: string;
  /** Points the overall score would gain if the gap closed (exact, rounded to 0.1). */
  impact: number;
  /** Points lost in the category. */
  categoryPoints: number;
  detail: string;
  fix?: string;
  docUrl?: string;
  count?: number;
  status?: PracticeStatus;
  locations: PracticeLocation[];
}

export interface MlTestSectionScore {
  /** 0–100 over the expected, applicable practices; null when none applies. */
  score: number | null;
  /** Paper-style points: 1 per met practice, 0.5 per partly met one. */
  points: number;
  total: number;
  practices: PracticeId[];
}

export interface MlTestScore {
  sections: Record<MlTestSection, MlTestSectionScore>;
  /** The paper's final score: the lowest section points (sections with no practice left out). */
  final: number;
}

export interface ReadinessScore {
  /** 0–100 (contract). */
  overall: number;
  /** 0–100 per category (contract). */
  categories: Record<Category, number>;
  /** Every finding's deduction, so that each lost point has a file behind it. */
  deductions: ScoreDeduction[];
  stage: Stage;
  size: { lines: number; files: number; divisor: number };
  practices: PracticeResult[];
  details: Record<Category, CategoryScore>;
  /** Each counted category's share of the overall points lost, in whole points adding up to 100 − overall. */
  overallLosses: { category: Category; points: number; exact: number }[];
  /** Gaps ranked by impact on the overall score. */
  gaps: ScoreGap[];
  mlTestScore: MlTestScore;
}

export function computeScore(findings: readonly Finding[], facts: WorkspaceFacts, config: ResolvedConfig = defaultConfig()): ReadinessScore {
  const stage = config.stage;
  const view = projectView(findings, facts, config);
  const lines = facts.totalLines;
  const divisor = Math.max(1, lines / 1000);

  // practices
  const practices: PracticeResult[] = PRACTICES.map((def) => judge(def, view, stage));
  for (const c of CATEGORIES) {
    const inCategory = practices.filter((p) => p.category === c && p.expected && p.status !== 'not-applicable');
    const total = inCategory.reduce((k, p) => k + p.weight, 0);
    for (const p of inCategory) {
      p.points = (PRACTICE_SHARE * p.weight) / total;
      p.earned = p.points * CREDIT[p.status];
    }
  }

  // deductions
  const deductions: ScoreDeduction[] = [];
  for (const f of findings) {
    if (PRACTICE_PROJECT_CODES.has(f.code)) continue;
    const points = SEVERITY_POINTS[f.severity] / divisor;
    if (points <= 0) continue;
    const d: ScoreDeduction = { category: f.category, code: f.code, file: f.file, severity: f.severity, points };
    if (f.cell !== undefined) d.cell = f.cell;
    if (f.file !== null) d.line = f.range.start.line;
    deductions.push(d);
  }

  const names = new Map(findings.map((f) => [f.code, f.name]));
  const hasNotebooks = [...facts.files.values()].some((f) => f.kind === 'notebook');
  const details = {} as Record<Category, CategoryScore>;
  const categories = {} as Record<Category, number>;
  for (const c of CATEGORIES) {
    const ps = practices.filter((p) => p.category === c && p.points > 0);
    const practicePoints = ps.reduce((k, p) => k + p.points, 0);
    const practiceEarned = ps.reduce((k, p) => k + p.earned, 0);
    const budget = ps.length ? FINDINGS_SHARE : 100;
    const mine = deductions.filter((d) => d.category === c);
    const raw = mine.reduce((k, d) => k + d.points, 0);
    const factor = raw > budget ? budget / raw : 1;
    for (const d of mine) d.points *= factor;
    const deducted = Math.min(raw, budget);
    const exactLosses: Omit<ScoreLoss, 'points'>[] = [];
    for (const p of ps) if (p.points - p.earned > 1e-9) exactLosses.push({ kind: 'practice', id: p.id, label: `${p.title}: ${p.status}`, exact: p.points - p.earned });
    const byCode = new Map<string, { exact: number; count: number; files: Set<string | null> }>();
    for (const d of mine) {
      const g = byCode.get(d.code) ?? { exact: 0, count: 0, files: new Set() };
      g.exact += d.points;
      g.count++;
      g.files.add(d.file);
      byCode.set(d.code, g);
    }
    for (const [code, g] of [...byCode].sort((a, b) => b[1].exact - a[1].exact || a[0].localeCompare(b[0]))) {
      exactLosses.push({ kind: 'findings', id: code, label: `${code} ${names.get(code) ?? ''}`.trim(), exact: g.exact, count: g.count, files: [...g.files].filter((f) => f !== null).length });
    }
    const lost = exactLosses.reduce((k, l) => k + l.exact, 0);
    const score = clamp(Math.round(100 - lost));
    const whole = apportion(exactLosses.map((l) => l.exact), 100 - score);
    const losses = exactLosses.map((l, i) => ({ ...l, points: whole[i], exact: round2(l.exact) }));
    categories[c] = score;
    details[c] = {
      score,
      weight: CATEGORY_WEIGHTS[c],
      counted: c !== 'notebook-hygiene' || hasNotebooks,
      practicePoints: round2(practicePoints),
      practiceEarned: round2(practiceEarned),
      findingsBudget: budget,
      findingsRaw: round2(raw),
      findingsDeducted: round2(deducted),
      findings: findings.filter((f) => f.category === c).length,
      losses,
    };
  }

  // overall
  const counted = CATEGORIES.filter((c) => details[c].counted);
  const totalWeight = counted.reduce((k, c) => k + CATEGORY_WEIGHTS[c], 0);
  const exactOverall = counted.reduce((k, c) => k + CATEGORY_WEIGHTS[c] * categories[c], 0) / totalWeight;
  const overall = clamp(Math.round(exactOverall));
  const overallExact = counted.map((c) => (CATEGORY_WEIGHTS[c] * (100 - categories[c])) / totalWeight);
  const overallWhole = apportion(overallExact, 100 - overall);
  const overallLosses = counted.map((c, i) => ({ category: c, points: overallWhole[i], exact: round2(overallExact[i]) })).filter((l) => l.exact > 0);

  // gaps: every practice or rule that costs points, by what closing it would bring to the overall score
  const gaps: ScoreGap[] = [];
  for (const c of CATEGORIES) {
    const share = details[c].counted ? CATEGORY_WEIGHTS[c] / totalWeight : 0;
    for (const loss of details[c].losses) {
      if (loss.kind === 'practice') {
        const p = practices.find((x) => x.id === loss.id)!;
        gaps.push({ kind: 'practice', id: p.id, category: c, title: p.title, impact: round1(loss.exact * share), categoryPoints: loss.exact, detail: p.evidence, fix: p.fix, docUrl: p.docUrl, status: p.status, locations: p.locations });
      } else {
        const list = findings.filter((f) => f.code === loss.id && f.category === c);
        const first = list[0];
        gaps.push({
          kind: 'findings',
          id: loss.id,
          category: c,
          title: `${loss.label} (${loss.count} finding${loss.count === 1 ? '' : 's'})`,
          impact: round1(loss.exact * share),
          categoryPoints: loss.exact,
          detail: first?.message ?? '',
          fix: first?.fixes.length ? first.fixes[0].title : undefined,
          docUrl: first?.docUrl,
          count: loss.count,
          locations: list.filter((f) => f.file !== null).slice(0, 20).map((f) => ({ file: f.file!, ...(f.cell !== undefined ? { cell: f.cell } : {}), range: f.range })),
        });
      }
    }
  }
  gaps.sort((a, b) => b.impact - a.impact || b.categoryPoints - a.categoryPoints || a.id.localeCompare(b.id));

  for (const p of practices) {
    p.points = round2(p.points);
    p.earned = round2(p.earned);
  }
  for (const d of deductions) d.points = round2(d.points);
  return {
    overall,
    categories,
    deductions,
    stage,
    size: { lines, files: facts.files.size, divisor: round2(divisor) },
    practices,
    details,
    overallLosses,
    gaps,
    mlTestScore: mlTestScore(practices),
  };
}

function judge(def: PracticeDefinition, view: ReturnType<typeof projectView>, stage: Stage): PracticeResult {
  let j;
  try {
    j = def.judge(view);
  } catch {
    j = { status: 'not-applicable' as const, evidence: 'Could not be judged.', locations: [] };
  }
  const expected = expectedAt(def, stage);
  return {
    id: def.id,
    title: def.title,
    category: def.category,
    section: def.section,
    status: j.status,
    expected,
    expectedFrom: def.expectedFrom,
    weight: def.weight,
    points: 0,
    earned: 0,
    why: def.why,
    evidence: expected || j.status === 'not-applicable' ? j.evidence : `${j.evidence} (Not expected at the ${stage} stage: no points.)`,
    fix: def.fix,
    docUrl: practiceDocUrl(def),
    codes: def.codes,
    locations: j.locations,
  };
}

function mlTestScore(practices: PracticeResult[]): MlTestScore {
  const sections = {} as Record<MlTestSection, MlTestSectionScore>;
  for (const s of ML_TEST_SECTIONS) {
    const ps = practices.filter((p) => p.section === s && p.expected && p.status !== 'not-applicable');
    const weight = ps.reduce((k, p) => k + p.weight, 0);
    sections[s] = {
      score: ps.length ? Math.round((100 * ps.reduce((k, p) => k + p.weight * CREDIT[p.status], 0)) / weight) : null,
      points: ps.reduce((k, p) => k + CREDIT[p.status], 0),
      total: ps.length,
      practices: ps.map((p) => p.id),
    };
  }
  const counted = ML_TEST_SECTIONS.filter((s) => sections[s].total > 0);
  return { sections, final: counted.length ? Math.min(...counted.map((s) => sections[s].points)) : 0 };
}

/**
 * Whole numbers proportional to `values` that add up to `total` (largest remainder), so that an
 * explanation's points add up exactly to the rounded score.
 */
export function apportion(values: number[], total: number): number[] {
  const sum = values.reduce((k, v) => k + v, 0);
  if (values.length === 0 || total <= 0 || sum <= 0) return values.map(() => 0);
  const scaled = values.map((v) => (v * total) / sum);
  const out = scaled.map(Math.floor);
  let rest = total - out.reduce((k, v) => k + v, 0);
  const order = scaled.map((v, i) => ({ i, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    out[i]++;
    rest--;
  }
  return out;
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, n));
}
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
