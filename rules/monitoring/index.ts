import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import swallowedErrors from '../reliability/swallowed-errors';
import airflowDagWithoutFailureAlert from './airflow-dag-without-failure-alert';
import { collectMonitoringFacts } from './collector';
import metricsOnlyPrinted from './metrics-only-printed';
import noDriftMonitoring from './no-drift-monitoring';
import printInsteadOfLogging from './print-instead-of-logging';
import unobservedPredictionEndpoint from './unobserved-prediction-endpoint';
import untrackedTraining from './untracked-training';

/**
 * The monitoring family (M): experiment tracking, metrics, logging, serving metrics, drift and
 * pipeline alerts; and the reliability rule about swallowed errors (L101), which shares its analysis.
 */
export const monitoringRules: Rule[] = [
  untrackedTraining,
  metricsOnlyPrinted,
  printInsteadOfLogging,
  unobservedPredictionEndpoint,
  noDriftMonitoring,
  airflowDagWithoutFailureAlert,
  swallowedErrors,
];
export const monitoringCollectors: FactCollector[] = [collectMonitoringFacts];
