import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { collectMonitoringFacts } from './collector';
import untrackedTraining from './untracked-training';

/** The monitoring family (M): experiment tracking, logging, serving metrics, drift. */
export const monitoringRules: Rule[] = [untrackedTraining];
export const monitoringCollectors: FactCollector[] = [collectMonitoringFacts];
