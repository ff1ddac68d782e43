import type { ResolvedConfig, SeveritySetting } from './config';
import type { Rule } from './rule';
import type { Severity, Stage } from './types';

/**
 * A finding's severity: the rule's default (or the one the report asked for), moved by the stage,
 * then overridden by mlready.yaml (`categories`, then `rules`, the most specific wins).
 * Exploration lowers expectations by one level, production raises them by one; security findings
 * never drop below their default, and hints stay hints.
 */
const ORDER: Severity[] = ['hint', 'info', 'warning', 'error'];

export function stageSeverity(rule: Rule, base: Severity, stage: Stage): SeveritySetting {
  const explicit = rule.stageSeverity?.[stage];
  if (explicit && base === rule.severity) return explicit;
  const i = ORDER.indexOf(base);
  if (stage === 'exploration' && rule.category !== 'security') return ORDER[Math.max(0, i - 1)];
  if (stage === 'production' && base !== 'hint') return ORDER[Math.min(ORDER.length - 1, i + 1)];
  return base;
}

export function resolveSeverity(rule: Rule, requested: Severity | undefined, stage: Stage, config: ResolvedConfig): SeveritySetting {
  const fromRule = config.rules[rule.code]?.severity;
  if (fromRule) return fromRule;
  const fromCategory = config.categories[rule.category];
  if (fromCategory) return fromCategory;
  return stageSeverity(rule, requested ?? rule.severity, stage);
}

export function severityRank(s: Severity): number {
  return ORDER.indexOf(s);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}
