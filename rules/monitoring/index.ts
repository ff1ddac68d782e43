import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';

/** The monitoring family (M): experiment tracking, logging, serving metrics, drift. */
export const monitoringRules: Rule[] = [];
export const monitoringCollectors: FactCollector[] = [];
