import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import dataLeakage from './data-leakage';
import { dvcCollector, paramsReadCollector } from './dvc';
import dvcLockMissing from './dvc-lock-missing';
import dvcScriptNotInDeps from './dvc-script-not-in-deps';
import dvcStageWithoutOutputs from './dvc-stage-without-outputs';
import dvcUndeclaredParams from './dvc-undeclared-params';
import implicitHyperparameters from './implicit-hyperparameters';
import unpinnedDependency, { mlprojectCollector } from './unpinned-dependency';
import unpinnedAction from './unpinned-action';
import unpinnedImage from './unpinned-image';
import unpinnedInstall from './unpinned-install';
import unpinnedModelRevision from './unpinned-model-revision';
import unseededEstimator from './unseeded-estimator';
import unseededGlobalRng from './unseeded-global-rng';
import unseededTraining, { seedCollector } from './unseeded-training';
import notebookExecutionOrder from './notebook-execution-order';
import untrackedLargeData from './untracked-large-data';
import { versionCollector } from './versions';

/** The reproducibility family (R): seeds, pins, moving references, DVC, run order. */
export const reproducibilityRules: Rule[] = [
  unseededEstimator,
  unseededGlobalRng,
  unseededTraining,
  implicitHyperparameters,
  dataLeakage,
  unpinnedDependency,
  unpinnedInstall,
  unpinnedImage,
  unpinnedAction,
  unpinnedModelRevision,
  dvcScriptNotInDeps,
  dvcStageWithoutOutputs,
  dvcUndeclaredParams,
  dvcLockMissing,
  untrackedLargeData,
  notebookExecutionOrder,
];
export const reproducibilityCollectors: FactCollector[] = [seedCollector, versionCollector, mlprojectCollector, dvcCollector, paramsReadCollector];
