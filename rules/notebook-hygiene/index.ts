import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import cellSyntaxError from './cell-syntax-error';
import committedOutputs from './committed-outputs';
import emptyCodeCell from './empty-code-cell';
import hiddenState from './hidden-state';
import hugeOutput from './huge-output';
import importOutsideFirstCell from './import-outside-first-cell';
import installInCell from './install-in-cell';
import invalidNotebook from './invalid-notebook';
import longCell from './long-cell';
import longNotebook from './long-notebook';
import missingTitle from './missing-title';
import piiInOutput from './pii-in-output';
import { pipelineStepCollector } from './pipeline-steps';
import savedErrorOutput from './saved-error-output';
import unexecutedCell from './unexecuted-cell';
import untitledNotebook from './untitled-notebook';

/** The notebook-hygiene family (N): how notebooks are kept, saved and run. */
export const notebookRules: Rule[] = [
  invalidNotebook,
  cellSyntaxError,
  savedErrorOutput,
  hugeOutput,
  committedOutputs,
  piiInOutput,
  importOutsideFirstCell,
  emptyCodeCell,
  longCell,
  longNotebook,
  untitledNotebook,
  missingTitle,
  unexecutedCell,
  installInCell,
  hiddenState,
];

/** Tags notebooks that pipelines execute (dvc.yaml, papermill, Airflow, Kubeflow …): see pipeline-steps.ts. */
export const notebookCollectors: FactCollector[] = [pipelineStepCollector];
