import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';

/** The reproducibility family (R): seeds, pins, moving references, DVC, run order. */
export const reproducibilityRules: Rule[] = [];
export const reproducibilityCollectors: FactCollector[] = [];
