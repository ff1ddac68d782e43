import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { defineRule, type EditSpec, type FixSpec, type RuleContext } from '../core/rule';
import { type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName, pythonStringLiteral, statementOf } from '../documents/python/syntax';
import { ensureImport } from '../fixes/python-edits';
import { hasLineage, modelSaves, type ModelSave } from './model-saves';

export const DVC_OUT_TAG = 'governance:dvc-out:';

function describePath(save: ModelSave): string {
  const t = save.literalPath ?? save.pathText ?? save.pathArg?.text ?? 'a file';
  return t.length > 70 ? `${t.slice(0, 67)}…` : t;
}

/** `churn_model` from `models/churn_model.joblib`, else the model variable, else `model`. */
export function registeredName(save: ModelSave): string {
  const fromPath = save.literalPath?.split(/[\\/]/).filter(Boolean).pop()?.replace(/\.[A-Za-z0-9]+$/, '');
  const fromModel = save.model ? dottedName(save.model)?.split('.').pop() : undefined;
  const name = (fromPath && /[A-Za-z]/.test(fromPath) ? fromPath : fromModel) ?? 'model';
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'model';
}

/** True when dvc.yaml lists the path as a stage output, or a `.dvc` file tracks it. */
function trackedByDvc(facts: WorkspaceFacts, path: string): boolean {
  const p = path.replace(/^\.\//, '');
  if (facts.paths.has(`${p}.dvc`)) return true;
  const outs = facts.cached('governance:dvc-outs', () => facts.tagsWithPrefix(DVC_OUT_TAG).map((t) => t.replace(/^\.\//, '').replace(/\/+$/, '')));
  return outs.some((out) => p === out || p.startsWith(`${out}/`) || p.endsWith(`/${out}`));
}

/** Where a line logging the model goes: after the save's statement, or after the `with open(…)` block that holds it. */
function insertionPoint(save: ModelSave): Node {
  let stmt = statementOf(save.call.node);
  for (let p = stmt.parent; p; p = p.parent) {
    if (p.type === 'with_statement' && /\bopen\s*\(/.test(p.namedChild(0)?.text ?? '')) {
      stmt = p;
      break;
    }
    if (p.type === 'function_definition' || p.type === 'module') break;
  }
  return stmt;
}

function trackerInUse(ctx: RuleContext, program: PythonProgram): 'mlflow' | 'wandb' | null {
  if (program.imports.imports('mlflow')) return 'mlflow';
  if (program.imports.imports('wandb')) return 'wandb';
  const allowed = ctx.config.allow.tracking.map((t) => t.toLowerCase());
  if (allowed.includes('mlflow')) return 'mlflow';
  if (allowed.includes('wandb')) return 'wandb';
  return null;
}

const eols = new WeakMap<PythonUnit, string>();

/** The unit's line ending, found once per unit (every fix asks, and the answer scans the whole text). */
function eolOf(unit: PythonUnit): string {
  let eol = eols.get(unit);
  if (eol === undefined) eols.set(unit, (eol = unit.text.includes('\r\n') ? '\r\n' : '\n'));
  return eol;
}

const importEdits = new ProgramCache<Map<string, EditSpec | null>>();

/** `ensureImport(program, module)`, computed once per program and module (each finding's fix asks); a fresh copy each time. */
function importEdit(program: PythonProgram, module: string): EditSpec | null {
  let perModule = importEdits.get(program);
  if (!perModule) importEdits.set(program, (perModule = new Map()));
  let edit = perModule.get(module);
  if (edit === undefined) perModule.set(module, (edit = ensureImport(program, module)));
  return edit ? { ...edit } : null;
}

function loggingFix(ctx: RuleContext, program: PythonProgram, save: ModelSave): FixSpec | undefined {
  const tracker = trackerInUse(ctx, program);
  if (!tracker) return undefined;
  const unit = save.call.unit;
  const stmt = insertionPoint(save);
  const line = unit.lines.lineOf(stmt.startIndex);
  const indent = /^[ \t]*/.exec(unit.lines.lineText(line))![0];
  const lastLine = unit.lines.lineOf(stmt.endIndex);
  const at = unit.lines.lineEnd(lastLine);
  const registered = registeredName(save);
  const name = pythonStringLiteral(registered);
  const pathExpr = save.pathNode && save.pathNode.type !== 'identifier' && save.pathNode.type !== 'string' ? save.pathArg?.text : (save.pathNode?.text ?? save.pathArg?.text);
  const modelExpr = save.model && dottedName(save.model) ? save.model.text : null;
  let code: string;
  let title: string;
  if (tracker === 'mlflow') {
    if (save.flavor && save.flavor !== 'onnx' && save.flavor !== 'transformers' && modelExpr) {
      code = `mlflow.${save.flavor}.log_model(${modelExpr}, "model", registered_model_name=${name})`;
      title = `Log the model to MLflow and register it as ${registered}`;
    } else if (save.flavor === 'onnx' && pathExpr) {
      code = `mlflow.onnx.log_model(onnx.load(${pathExpr}), "model", registered_model_name=${name})`;
      title = `Log the ONNX model to MLflow and register it as ${registered}`;
    } else if (pathExpr) {
      code = save.flavor === 'transformers' ? `mlflow.log_artifacts(${pathExpr}, artifact_path=${name})` : `mlflow.log_artifact(${pathExpr}, artifact_path=${name})`;
      title = `Log the saved model to the MLflow run (artifact ${registeredName(save)})`;
    } else return undefined;
  } else {
    if (!pathExpr) return undefined;
    code = `wandb.log_artifact(${pathExpr}, name=${name}, type="model")`;
    title = `Log the saved model to W&B as the model artifact ${registered}`;
  }
  const edits: EditSpec[] = [{ unit, start: at, end: at, newText: `${eolOf(unit)}${indent}${code}` }];
  const imp = importEdit(program, tracker);
  if (imp) edits.unshift(imp);
  if (save.flavor === 'onnx' && tracker === 'mlflow') {
    const onnxImport = importEdit(program, 'onnx');
    if (onnxImport) edits.unshift(onnxImport);
  }
  return { title, applicability: 'unsafe', edits };
}

export default defineRule({
  code: 'G101',
  name: 'model-artifact-without-lineage',
  category: 'governance',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A trained model is written to a plain file (`pickle.dump`, `joblib.dump`, `torch.save`, `model.save`, `save_model`, `save_pretrained`, ONNX export) with no version in its name and no registry or tracker record in the same flow.',
    why:
      'A file such as `model.pkl` says nothing about the code, data, parameters and metrics that produced it, and the next run overwrites it. When a prediction is questioned, or a model must be rolled back, nobody can tell which model is serving or recreate it. A registry entry or a tracked artifact keeps that lineage. Saves are accepted when the same function (or notebook/module top level) logs to MLflow, W&B, ClearML, Neptune, Comet, DVCLive, pushes to the Hugging Face Hub or a cloud model registry, when autologging is on, when the path carries a version or run id, when it is a managed platform\'s output folder (SageMaker, Vertex AI, AzureML), or when DVC tracks the file.',
    example: 'joblib.dump(model, "models/churn.joblib")',
    useInstead: 'joblib.dump(model, "models/churn.joblib")\nmlflow.sklearn.log_model(model, "model", registered_model_name="churn")',
    fixSafety:
      'Unsafe: a line that logs the model to the tracker the file already uses (MLflow: `mlflow.<flavor>.log_model(model, "model", registered_model_name=…)` or `mlflow.log_artifact`; W&B: `wandb.log_artifact(path, type="model")`) is added after the save. It needs an active run and credentials for the tracking server, and registering creates a new model version each run. No fix is offered when the file uses no tracker.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const save of modelSaves(program)) {
      if (hasLineage(program, save)) continue;
      const fix = loggingFix(ctx, program, save);
      const path = save.literalPath;
      const what = save.pathText ? `\`${describePath(save)}\`` : 'a file';
      ctx.report({
        unit: save.call.unit,
        start: save.call.node.startIndex,
        end: save.call.node.endIndex,
        message: `\`${save.api}\` writes the model to ${what} with no version in the name and no registry or tracker record in this flow: nobody can tell later which code, data and run produced it, or roll back to the previous one. Log it to your tracker with a registered name.`,
        fixes: fix ? [fix] : [],
        when: path ? (facts) => !trackedByDvc(facts, path) : undefined,
      });
    }
  },
});
