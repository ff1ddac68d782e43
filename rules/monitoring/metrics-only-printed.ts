import type { Node } from '../documents/python/syntax-tree';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { ensureImport } from '../fixes/python-edits';
import { projectTracker } from './collector';
import { insertAfter } from './edits';
import { basicConfigEdit, levelForPrint, moduleLogger, printAsLogCall } from './logging';
import { metricKey, reportedMetricPrints, type MetricPrint } from './metrics';

type Variant = 'mlflow' | 'wandb' | 'logging';

export default defineRule({
  code: 'M102',
  name: 'metrics-only-printed',
  category: 'monitoring',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'Evaluation metrics (`accuracy_score`, `roc_auc_score`, `f1_score`, `mean_squared_error`, `classification_report`, a model\'s `score`, the loss of a training loop …) reach `print` and nothing else.',
    why:
      'A printed number disappears with the console or the job log: runs cannot be compared, a model cannot be promoted on its numbers, and a drop in quality between two trainings goes unnoticed. Metrics belong in the experiment tracker (or at least in structured logs), next to the parameters that produced them. The value is followed through variables, arithmetic and formatting: a metric that also goes anywhere else (a tracker, a logger, a return value) is not reported, and neither are sklearn metrics computed while MLflow autolog is on, which records them. In a notebook that tracks nothing, the missing tracking is reported once instead (M101).',
    example: 'acc = accuracy_score(y_test, clf.predict(X_test))\nprint(f"accuracy: {acc:.3f}")',
    useInstead: 'acc = accuracy_score(y_test, clf.predict(X_test))\nprint(f"accuracy: {acc:.3f}")\nmlflow.log_metric("accuracy", acc)',
    fixSafety:
      'Unsafe: the fix records the printed metrics in the tracker the project uses (`mlflow.log_metric`, `wandb.log`), which writes to a tracking store (and starts a run when none is active); in a project with no tracker, it turns the `print` into a call to the module logger, whose output goes where logging is configured (nowhere below WARNING until it is).',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program) return;
    for (const mp of reportedMetricPrints(program, ctx.doc.path, ctx.config)) {
      const names = [...new Set(mp.uses.map((u) => u.name))];
      const list = names.map((n) => `\`${n}\``).join(', ');
      const own: Variant | null = program.imports.imports('mlflow') ? 'mlflow' : program.imports.imports('wandb') ? 'wandb' : null;
      const variants: Record<Variant, FixSpec | null> = {
        mlflow: own && own !== 'mlflow' ? null : trackerFix(program, mp, 'mlflow'),
        wandb: own && own !== 'wandb' ? null : trackerFix(program, mp, 'wandb'),
        logging: own ? null : loggingFix(program, mp),
      };
      ctx.report({
        unit: mp.print.unit,
        start: mp.print.node.startIndex,
        end: mp.print.node.endIndex,
        message: `${list} ${names.length > 1 ? 'are' : 'is'} only printed: the value disappears with the console output, so runs cannot be compared and a drop in quality goes unnoticed; record ${names.length > 1 ? 'them' : 'it'} in the experiment tracker or the logs.`,
        deferredFixes: (facts) => {
          const fix = variants[own ?? projectTracker(facts) ?? 'logging'];
          return fix ? [fix] : [];
        },
      });
    }
  },
});

function printStatement(mp: MetricPrint): Node | null {
  const stmt = mp.print.node.parent;
  return stmt?.type === 'expression_statement' && stmt.namedChildCount === 1 ? stmt : null;
}

/** The epoch or step variable of the loop around the print, when it counts iterations. */
function stepOf(node: Node): string | null {
  for (let n = node.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type !== 'for_statement') continue;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const fn = right?.type === 'call' ? (right.childForFieldName('function')?.text ?? '') : '';
    if (left?.type === 'identifier' && /^(range|trange)$/.test(fn)) return left.text;
    if ((left?.type === 'pattern_list' || left?.type === 'tuple_pattern') && fn === 'enumerate' && left.namedChild(0)?.type === 'identifier') return left.namedChild(0)!.text;
    return null;
  }
  return null;
}

function trackerFix(program: PythonProgram, mp: MetricPrint, tracker: 'mlflow' | 'wandb'): FixSpec | null {
  const stmt = printStatement(mp);
  if (!stmt || mp.uses.some((u) => u.costly || u.expr.text.includes('\n'))) return null;
  const step = stepOf(mp.print.node);
  const keys = new Set<string>();
  const entries = mp.uses.map((u) => {
    let key = metricKey(u.name);
    for (let i = 2; keys.has(key); i++) key = `${metricKey(u.name)}_${i}`;
    keys.add(key);
    const numeric = u.expr.type === 'identifier' || u.expr.type === 'call' ? u.expr.text : `float(${u.expr.text})`;
    // a classification report is text already; a confusion matrix or a support table is not
    const str = u.text && u.fn !== 'classification_report' ? `str(${u.expr.text})` : u.expr.text;
    return { key, expr: u.expr.text, numeric, text: u.text, str };
  });
  let lines: string[];
  if (tracker === 'mlflow') {
    lines = entries.map((e) => (e.text ? `mlflow.log_text(${e.str}, "${e.key}.txt")` : `mlflow.log_metric("${e.key}", ${e.numeric}${step ? `, step=${step}` : ''})`));
  } else {
    const items = entries.map((e) => `"${e.key}": ${e.text ? e.str : e.expr}`);
    if (step && !keys.has('epoch')) items.push(`"epoch": ${step}`);
    lines = [`wandb.log({${items.join(', ')}})`];
  }
  const after = insertAfter(mp.print.unit, stmt, lines);
  if (!after) return null;
  const edits: EditSpec[] = [after];
  const imp = ensureImport(program, tracker);
  if (imp) edits.push(imp);
  const what = [...keys].map((k) => `\`${k}\``).join(', ');
  return { title: tracker === 'mlflow' ? `Record ${what} in the MLflow run` : `Record ${what} in the Weights & Biases run (\`wandb.log\`)`, applicability: 'unsafe', edits };
}

function loggingFix(program: PythonProgram, mp: MetricPrint): FixSpec | null {
  const logger = moduleLogger(program);
  const level = levelForPrint(program, mp.print);
  const call = printAsLogCall(program, mp.print, logger.name, level);
  if (!call) return null;
  const edits: EditSpec[] = [{ unit: mp.print.unit, start: mp.print.node.startIndex, end: mp.print.node.endIndex, newText: call }];
  edits.push(...logger.block);
  const config = basicConfigEdit(program, logger);
  if (config) edits.push(config);
  return { title: `Log the metrics with \`${logger.name}.${level}(...)\` instead of printing them`, applicability: 'unsafe', edits };
}
