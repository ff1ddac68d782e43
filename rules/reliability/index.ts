import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { clusterObjectCollector } from './collector';
import cronWithoutConcurrencyPolicy from './cron-without-concurrency-policy';
import deployWithoutEvaluationGate from './deploy-without-evaluation-gate';
import gpuWithoutLimit from './gpu-without-limit';
import ignoredStepFailure from './ignored-step-failure';
import { imagePinCollector } from './image-pins';
import invalidPipelineConfig from './invalid-pipeline-config';
import invalidYaml from './invalid-yaml';
import missingHealthProbe from './missing-health-probe';
import missingResourceLimits from './missing-resource-limits';
import missingRetryPolicy from './missing-retry-policy';
import missingTimeout from './missing-timeout';
import pipelineScriptMissing from './pipeline-script-missing';
import pythonSyntaxError from './python-syntax-error';
import { scriptLinkCollector } from './scripts';
import singleReplicaEndpoint from './single-replica-endpoint';

/** The reliability family (L): files that cannot run, and pipeline steps without resources, retries, timeouts or probes. */
export const reliabilityRules: Rule[] = [
  invalidYaml,
  pythonSyntaxError,
  missingResourceLimits,
  gpuWithoutLimit,
  missingRetryPolicy,
  missingTimeout,
  missingHealthProbe,
  singleReplicaEndpoint,
  cronWithoutConcurrencyPolicy,
  ignoredStepFailure,
  deployWithoutEvaluationGate,
  invalidPipelineConfig,
  pipelineScriptMissing,
];

/**
 * Facts for the rules above and for other families: cluster objects (LimitRange, autoscalers),
 * pipeline → script links (`runs-scripts`, `pipeline-script:<path>`, and the engine's
 * `PIPELINE_STEP`, which raises a linked script's findings to production-stage severities), and
 * the image pins the workspace already uses (for R120's fix, see image-pins.ts).
 */
export const reliabilityCollectors: FactCollector[] = [clusterObjectCollector, scriptLinkCollector, imagePinCollector];

export { imagePinFixes } from './image-pins';
export { isPipelineScript, pipelineOfScript, PIPELINE_SCRIPT_TAG, RUNS_SCRIPTS } from './scripts';
