import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { collectMonitoringFacts } from './collector';
import metricsOnlyPrinted from './metrics-only-printed';
import printInsteadOfLogging from './print-instead-of-logging';
import unobservedPredictionEndpoint from './unobserved-prediction-endpoint';
import untrackedTraining from './untracked-training';

/** The monitoring family (M): experiment tracking, logging, serving metrics, drift. */
export const monitoringRules: Rule[] = [untrackedTraining, metricsOnlyPrinted, printInsteadOfLogging, unobservedPredictionEndpoint];
export const monitoringCollectors: FactCollector[] = [collectMonitoringFacts];
