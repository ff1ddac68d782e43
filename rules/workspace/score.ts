import type { WorkspaceFacts } from '../core/facts';
import { CATEGORIES, type Category, type Finding, type Severity } from '../core/types';

/**
 * The readiness score, 0–100 per category and overall. Findings deduct points by severity,
 * normalised by project size (per 1,000 lines, with a floor so a tiny project is not excused), so
 * a large project is not punished for being large. Every deduction is listed with its source.
 * (The practice checklist of DESIGN.md §5 extends this: see issue 9.)
 */
export interface ScoreDeduction {
  category: Category;
  code: string;
  file: string | null;
  points: number;
}

export interface ReadinessScore {
  overall: number;
  categories: Record<Category, number>;
  deductions: ScoreDeduction[];
}

const WEIGHT: Record<Severity, number> = { error: 8, warning: 3, info: 1, hint: 0 };

export function computeScore(findings: readonly Finding[], facts: WorkspaceFacts): ReadinessScore {
  const size = Math.max(1, facts.totalLines / 1000);
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 100])) as Record<Category, number>;
  const deductions: ScoreDeduction[] = [];
  for (const f of findings) {
    const points = WEIGHT[f.severity] / Math.sqrt(size);
    if (points <= 0) continue;
    deductions.push({ category: f.category, code: f.code, file: f.file, points });
    categories[f.category] -= points;
  }
  for (const c of CATEGORIES) categories[c] = Math.max(0, Math.round(categories[c]));
  const overall = Math.round(CATEGORIES.reduce((n, c) => n + categories[c], 0) / CATEGORIES.length);
  return { overall, categories, deductions };
}
