import type { SyntaxNode } from '../documents/python/syntax-tree';
import { isTestPath, type ResolvedConfig } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { ensureImport } from '../fixes/python-edits';
import { AUTOLOGGED } from './catalog';
import { isCalledTracked, isTrackerWrapper, kedroMlflow, projectTracker } from './collector';
import { wrapStatement } from './edits';
import { scopeOf, scopesOf } from './scopes';
import { trackingOf, type TrainingSite } from './tracking';

type Tracker = 'mlflow' | 'wandb';

export default defineRule({
  code: 'M101',
  name: 'untracked-training',
  category: 'monitoring',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A model is trained (scikit-learn, XGBoost, LightGBM, CatBoost or Keras `fit`, `xgb.train`, a PyTorch loop with `optimizer.step()`, a Hugging Face `Trainer.train()`) outside any tracked experiment run.',
    why:
      'Without a tracked run, the parameters, data, metrics and artifacts of the training are lost: nobody can say which run produced the model in production, compare it with the next one, or reproduce it when it misbehaves. Training counts as tracked inside `with mlflow.start_run():` (or `wandb.init()`, Neptune, Comet, ClearML, Aim, DVCLive, a TensorBoard writer), after `mlflow.autolog()` earlier in the program (earlier notebook cells included), in a function that logs to a tracker, when a tracking callback or `report_to` is passed, or when the project\'s own tracking wrapper or the caller of the training function does it. A notebook gets this finding once, on its first training.',
    example: 'from sklearn.ensemble import RandomForestClassifier\n\nclf = RandomForestClassifier(n_estimators=300)\nclf.fit(X_train, y_train)',
    useInstead:
      'import mlflow\nfrom sklearn.ensemble import RandomForestClassifier\n\nclf = RandomForestClassifier(n_estimators=300)\nmlflow.autolog()\nwith mlflow.start_run():\n    clf.fit(X_train, y_train)',
    fixSafety:
      'Unsafe: the fix wraps the training in a run of the tracker the project already uses (MLflow when it uses none): `mlflow.autolog()` + `with mlflow.start_run():` for library models, `mlflow.log_metric("loss", …)` for PyTorch loops, `report_to=` for Hugging Face trainers, or `wandb.init()` with its config. The program then writes to a tracking store (a local `mlruns/` folder or the server in `MLFLOW_TRACKING_URI`) and needs the tracker installed.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const tracking = trackingOf(program, ctx.doc.path, ctx.config.allow.tracking);
    const done = new Set<string>();
    for (const site of tracking.trainingSites()) {
      const group = program.isNotebook ? 'notebook' : String(scopeOf(site.call.node)?.id ?? 'module');
      if (done.has(group)) continue;
      const verdict = tracking.verdict(site.kind === 'loop' ? site.statement : site.call.node, site.kind === 'loop');
      if (verdict.tracked) continue;
      done.add(group);
      const path = ctx.doc.path;
      const candidates = [...verdict.candidates];
      const callers = [...verdict.callerKeys];
      // the tree is gone once the workspace is complete: build both variants now, choose then
      const own = fileTracker(program, ctx.config);
      const variants: Record<Tracker, FixSpec | null> = {
        mlflow: own === 'wandb' ? null : fixFor(program, site, 'mlflow'),
        wandb: own === 'mlflow' ? null : fixFor(program, site, 'wandb'),
      };
      ctx.report({
        unit: site.unit,
        start: site.start,
        end: site.end,
        message: messageFor(site, program.isNotebook),
        when: (facts) => !(kedroMlflow(facts) || candidates.some((c) => isTrackerWrapper(facts, c, path)) || callers.some((k) => isCalledTracked(facts, k))),
        deferredFixes: (facts) => {
          const fix = variants[own ?? projectTracker(facts) ?? 'mlflow'];
          return fix ? [fix] : [];
        },
      });
    }
  },
});

function messageFor(site: TrainingSite, notebook: boolean): string {
  const lost = 'its parameters, metrics and model are not recorded, so the model that reaches production cannot be traced back to the run that produced it';
  switch (site.kind) {
    case 'loop':
      return `This training loop (\`${site.label}\`) runs outside any tracked run: ${lost}.`;
    case 'hf-trainer':
      return `\`${site.label}\` reports to no experiment tracker (\`report_to\` ${site.hfReportTo ? 'is "none"' : 'is not set'}): ${lost}.`;
    default:
      return notebook
        ? `This notebook trains a model (\`${site.label}\`) without tracking the run: ${lost}.`
        : `Model training (\`${site.label}\`) is not tracked: ${lost}.`;
  }
}

/** The tracker the file uses, else the one mlready.yaml allows; null: the project's (or MLflow) decides. */
function fileTracker(program: PythonProgram, config: ResolvedConfig): Tracker | null {
  if (program.imports.imports('mlflow')) return 'mlflow';
  if (program.imports.imports('wandb')) return 'wandb';
  for (const t of config.allow.tracking) if (t === 'mlflow' || t === 'wandb') return t;
  return null;
}

function fixFor(program: PythonProgram, site: TrainingSite, tracker: Tracker): FixSpec | null {
  const edits: (EditSpec | null)[] = [];
  let title: string;
  if (site.kind === 'hf-trainer') {
    const args = site.hfArgs;
    if (!args) return null;
    if (site.hfReportTo) edits.push({ unit: site.unit, start: site.hfReportTo.startIndex, end: site.hfReportTo.endIndex, newText: `"${tracker}"` });
    else {
      const list = args.childForFieldName('arguments');
      const items = list?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
      const lastArg = items[items.length - 1];
      if (!list) return null;
      if (lastArg) edits.push({ unit: site.unit, start: lastArg.endIndex, end: lastArg.endIndex, newText: `, report_to="${tracker}"` });
      else edits.push({ unit: site.unit, start: list.startIndex + 1, end: list.startIndex + 1, newText: `report_to="${tracker}"` });
    }
    title = `Report this trainer's runs to ${tracker === 'mlflow' ? 'MLflow' : 'Weights & Biases'} (\`report_to="${tracker}"\`)`;
    return { title, applicability: 'unsafe', edits: edits.filter((e): e is EditSpec => !!e) };
  }
  const scopes = scopesOf(program);
  const run = scopes.freshName('run', 'wandb_run', 'tracked_run');
  const sklearnApi = ['sklearn', 'xgboost', 'lightgbm', 'catboost'].includes(site.framework) && !!site.receiver;
  let wrap: EditSpec | null;
  if (site.kind === 'loop') {
    const inner = lossLogLine(site, tracker, run);
    wrap = wrapStatement(program, site.unit, site.statement, {
      header: tracker === 'mlflow' ? 'with mlflow.start_run():' : `with wandb.init(job_type="train") as ${run}:`,
      inner: inner ? [inner] : [],
    });
    title = tracker === 'mlflow' ? 'Track this training loop in an MLflow run and log its loss' : 'Track this training loop in a Weights & Biases run and log its loss';
  } else if (tracker === 'mlflow') {
    wrap = wrapStatement(program, site.unit, site.statement, {
      before: AUTOLOGGED.has(site.framework) ? ['mlflow.autolog()'] : [],
      header: 'with mlflow.start_run():',
      lastInside: !AUTOLOGGED.has(site.framework) && sklearnApi ? [`mlflow.log_params(${site.receiver}.get_params())`] : [],
    });
    title = AUTOLOGGED.has(site.framework) ? 'Track this training in an MLflow run (`mlflow.autolog()` + `with mlflow.start_run():`)' : 'Track this training in an MLflow run and log its parameters';
  } else {
    wrap = wrapStatement(program, site.unit, site.statement, {
      header: `with wandb.init(job_type="train") as ${run}:`,
      lastInside: sklearnApi ? [`${run}.config.update(${site.receiver}.get_params())`] : [],
    });
    title = 'Track this training in a Weights & Biases run';
  }
  if (!wrap) return null;
  edits.push(wrap, ensureImport(program, tracker));
  return { title, applicability: 'unsafe', edits: edits.filter((e): e is EditSpec => !!e) };
}

/** `mlflow.log_metric("loss", loss.item(), step=epoch)` after the statement of the loop body that steps the optimizer. */
function lossLogLine(site: TrainingSite, tracker: Tracker, run: string): { node: SyntaxNode; lines: string[] } | null {
  if (!site.loss || !site.stepStatement) return null;
  const body = site.statement.childForFieldName('body');
  let stmt = site.stepStatement;
  while (stmt.parent && stmt.parent.id !== body?.id) stmt = stmt.parent;
  if (stmt.parent?.id !== body?.id) return null;
  const step = site.stepVar ? `, step=${site.stepVar}` : '';
  const line = tracker === 'mlflow' ? `mlflow.log_metric("loss", ${site.loss}.item()${step})` : `${run}.log({"loss": ${site.loss}.item()}${step})`;
  return { node: stmt, lines: [line] };
}
