import type { Node } from '../documents/python/syntax-tree';
import { isScalar } from 'yaml';
import { isTestPath } from '../core/config';
import { defineRule, type FixSpec, type RuleContext } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName, pythonStringLiteral, stringParts } from '../documents/python/syntax';
import { yscalars } from '../documents/yaml-nodes';
import { appendItem, removeItem } from '../security/call-edits';
import { assignmentsTo } from './model-saves';
import { piiKind, type PiiKind } from './pii';

/** Names of variables that hold model inputs or feature column lists. */
const FEATURE_VAR = /^(x|X)(_[A-Za-z0-9]+)?$|feature|feats?$|predictors?|covariates?|regressors$|^inputs?$|input_(cols|columns|features)|independent|(cat|categorical|num|numeric|numerical|text|model|training|train)_(cols|columns|vars|variables)$|^(use_?cols|cols_to_use|columns_to_use)$/i;
/** Keyword arguments that take feature column lists. */
const FEATURE_KWARGS = new Set(['features', 'feature_names', 'feature_cols', 'feature_columns', 'feature_list', 'categorical_feature', 'categorical_features', 'cat_features', 'numeric_features', 'numerical_features', 'text_features', 'inputCols', 'input_cols', 'inputCol', 'x', 'X', 'predictors', 'covariates', 'feature_col_names']);
/** Methods whose first argument is the model's input. */
const FIT_METHODS = new Set(['fit', 'fit_transform', 'partial_fit', 'train', 'predict', 'predict_proba', 'score', 'fit_predict', 'DMatrix', 'Dataset', 'Pool', 'TabularDataset', 'from_pandas']);
const COLUMN_TRANSFORMERS = new Set(['ColumnTransformer', 'make_column_transformer']);
/** YAML keys that list model input columns (params.yaml, Kedro parameters, feature store configs). */
const YAML_FEATURE_KEY = /^(features?|feature_(cols|columns|names|list)|input_(cols|columns|features)|inputs|x_cols|predictors|covariates|(categorical|numerical|numeric|cat|num|text)_(features|cols|columns))$/i;

interface Site {
  unit: PythonUnit;
  literal: Node;
  column: string;
  kind: PiiKind;
  where: string;
  container: Node;
}

function parentSkippingParens(n: Node): Node | null {
  let p = n.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  return p;
}

function assignedName(n: Node): string | null {
  const p = parentSkippingParens(n);
  if (p?.type === 'assignment' && p.childForFieldName('right')?.id === n.id) {
    const left = p.childForFieldName('left');
    return left?.type === 'attribute' ? (left.childForFieldName('attribute')?.text ?? null) : (left?.text ?? null);
  }
  return null;
}

/** Whether a list of column names is used as model features, and how (for the message); null when it is not. */
function featureContext(program: PythonProgram, list: Node): string | null {
  const name = assignedName(list);
  if (name && FEATURE_VAR.test(name)) return `the feature list \`${name}\``;
  const parent = parentSkippingParens(list);
  if (!parent) return null;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('value')?.id === list.id) {
    const kw = parent.childForFieldName('name')?.text ?? '';
    if (FEATURE_KWARGS.has(kw)) return `\`${kw}=\``;
    return null;
  }
  // `df[["age", "email"]]` assigned to X, or passed to fit/predict
  if (parent.type === 'subscript' && parent.childForFieldName('subscript')?.id === list.id) {
    const target = assignedName(parent);
    if (target && FEATURE_VAR.test(target)) return `the model input \`${target}\``;
    const args = parentSkippingParens(parent);
    if (args?.type === 'argument_list' && args.parent?.type === 'call') {
      const fn = args.parent.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      const first = args.namedChildren.find((c) => c && c.type !== 'comment');
      if (method && FIT_METHODS.has(method.split('.').pop()!) && first?.id === parent.id) return `the input of \`${method}\``;
    }
    return null;
  }
  // ColumnTransformer([("enc", OneHotEncoder(), ["country", "email"])]) / make_column_transformer((enc, ["email"]))
  if (parent.type === 'tuple') {
    let call: Node | null = parent.parent;
    while (call && call.type !== 'call' && (call.type === 'list' || call.type === 'argument_list' || call.type === 'parenthesized_expression')) call = call.parent;
    if (call?.type === 'call') {
      const fn = call.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      if (method && COLUMN_TRANSFORMERS.has(method)) return `the columns of \`${method}\``;
    }
  }
  return null;
}

/** `df.drop(columns=[…])`, `df.drop([…], axis=1)`: the list of dropped columns, if this is a drop. */
function dropList(call: Node): Node | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'drop') return null;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  for (const a of args) if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'columns') return a.childForFieldName('value');
  const axis = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'axis');
  const axisValue = axis?.childForFieldName('value')?.text;
  if (args[0] && args[0].type !== 'keyword_argument' && (axisValue === '1' || axisValue === '"columns"' || axisValue === "'columns'")) return args[0];
  return null;
}

function stringsOf(list: Node | null): { node: Node; value: string }[] {
  if (!list || (list.type !== 'list' && list.type !== 'tuple' && list.type !== 'set' && list.type !== 'string')) return [];
  const items = list.type === 'string' ? [list] : list.namedChildren.filter((c): c is Node => c?.type === 'string');
  return items.map((node) => ({ node, value: stringParts(node).value ?? '' })).filter((s) => s.value);
}

/** Columns a DataFrame variable is known to have: `usecols=`, `names=`, `dtype={…}`, `DataFrame({…})`, `DataFrame(…, columns=[…])`, `df[[…]]`. */
function knownColumns(program: PythonProgram, name: string, before: Node): string[] | null {
  let right: Node | null = null;
  for (const { node, unit } of assignmentsTo(program, name)) {
    if (unit.tree === before.tree && node.startIndex > before.startIndex) continue;
    right = node.childForFieldName('right');
  }
  if (!right) return null;
  if (right.type === 'subscript') return stringsOf(right.childForFieldName('subscript')).map((s) => s.value) || null;
  if (right.type !== 'call') return null;
  const args = right.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
  const kw = (k: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value') ?? null;
  for (const k of ['usecols', 'names', 'columns']) {
    const cols = stringsOf(kw(k));
    if (cols.length) return cols.map((s) => s.value);
  }
  const dict = kw('dtype') ?? (/(^|\.)DataFrame$/.test(dottedName(right.childForFieldName('function')) ?? '') ? (args.find((a) => a.type === 'dictionary') ?? null) : null);
  if (dict?.type === 'dictionary') {
    const keys = dict.namedChildren.map((p) => p?.childForFieldName('key')).filter((k): k is Node => k?.type === 'string').map((k) => stringParts(k).value ?? '');
    if (keys.length) return keys.filter(Boolean);
  }
  return null;
}

function message(column: string, kind: PiiKind, where: string): string {
  return `Column \`${column}\` (${kind.label}) is used as a model feature in ${where}: it identifies a person, so the model can memorise and expose individuals, and the model and its training data become subject to personal-data obligations (purpose, access and deletion requests, retention). Drop it, or replace it with a derived, non-identifying feature.`;
}

function pythonSites(program: PythonProgram): Site[] {
  const out: Site[] = [];
  // a list holds many literals, and a column name recurs: each question is answered once
  const contexts = new Map<Node, string | null>();
  const kinds = new Map<string, PiiKind | null>();
  for (const literal of program.strings()) {
    if (literal.docstring || literal.value === null) continue;
    const container = parentSkippingParens(literal.node);
    if (!container || (container.type !== 'list' && container.type !== 'tuple' && container.type !== 'set')) continue;
    let kind = kinds.get(literal.value);
    if (kind === undefined) kinds.set(literal.value, (kind = piiKind(literal.value)));
    if (!kind) continue;
    let where = contexts.get(container);
    if (where === undefined) contexts.set(container, (where = featureContext(program, container)));
    if (!where) continue;
    out.push({ unit: literal.unit, literal: literal.node, column: literal.value, kind, where, container });
  }
  return out;
}

function checkPython(ctx: RuleContext, program: PythonProgram): void {
  for (const s of pythonSites(program)) {
    const fix = removeItem(s.unit, s.container, s.literal);
    const fixes: FixSpec[] = fix ? [{ title: `Remove \`${s.column}\` from the features`, applicability: 'unsafe', edits: [fix] }] : [];
    ctx.report({ unit: s.unit, start: s.literal.startIndex, end: s.literal.endIndex, message: message(s.column, s.kind, s.where), fixes });
  }
  // `X = df.drop(columns=["target"])` on a frame whose columns are known: what is not dropped is a feature
  for (const call of program.calls()) {
    if (call.method !== 'drop' || call.receiver?.type !== 'identifier') continue;
    const target = assignedName(call.node);
    if (!target || !FEATURE_VAR.test(target)) continue;
    const dropped = dropList(call.node);
    if (!dropped) continue;
    const known = knownColumns(program, call.receiver.text, call.node);
    if (!known) continue;
    const droppedNames = new Set(stringsOf(dropped).map((s) => s.value));
    for (const column of known) {
      const kind = piiKind(column);
      if (!kind || droppedNames.has(column)) continue;
      const add = dropped.type === 'list' || dropped.type === 'tuple' ? appendItem(call.unit, dropped, pythonStringLiteral(column)) : null;
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        message: message(column, kind, `\`${target}\` (\`${call.receiver.text}\` keeps it: it is not dropped)`),
        fixes: add ? [{ title: `Drop \`${column}\` too`, applicability: 'unsafe', edits: [add] }] : [],
      });
    }
  }
}

function checkYaml(ctx: RuleContext): void {
  const yaml = ctx.doc.yaml;
  if (!yaml) return;
  for (const { doc, kind } of yaml.documents) {
    if (kind === 'mlready-config' || kind === 'github-actions' || kind === 'gitlab-ci') continue;
    for (const { scalar, path } of yscalars(doc.contents)) {
      if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range || typeof path[path.length - 1] !== 'number') continue;
      const key = path[path.length - 2];
      if (typeof key !== 'string' || !YAML_FEATURE_KEY.test(key) || path.some((p) => typeof p === 'string' && /drop|exclude|ignore|remove|pii|sensitive/i.test(p))) continue;
      const k = piiKind(scalar.value);
      if (!k) continue;
      ctx.report({ unit: ctx.doc.file, start: scalar.range[0], end: scalar.range[1], message: message(scalar.value, k, `\`${key}\``) });
    }
  }
}

export default defineRule({
  code: 'G104',
  name: 'pii-used-as-feature',
  category: 'governance',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A column whose name denotes directly identifying personal data (email, phone, name, postal address, national id, date of birth, IP address, card or bank account number; English and common European spellings) is selected as a model feature: in a feature list, `df[[…]]` passed to `fit`/assigned to `X`, a `ColumnTransformer`, a feature keyword, a `X = df.drop(columns=[…])` that keeps it, or a `features:` list in a YAML config.',
    why:
      'Identifiers rarely generalise: the model memorises individuals, can leak them through its predictions or weights, and can act as a proxy for protected attributes. Using them makes the model and its training data subject to personal-data obligations (purpose limitation, access and deletion requests, retention), whatever the jurisdiction. Dropping them, or deriving a non-identifying feature (email domain, account age), is the clean pattern; derived columns such as `email_domain` or `has_phone` are not reported, and test folders are not checked.',
    example: 'X = df[["age", "tenure", "email", "phone"]]\nmodel.fit(X, y)',
    useInstead: 'df["email_domain"] = df["email"].str.split("@").str[-1]\nX = df.drop(columns=["churned", "email", "phone", "name"])\nmodel.fit(X, y)',
    fixSafety: 'Unsafe: removing the column from the feature list (or adding it to the dropped columns) changes the model\'s inputs: the model must be retrained, and serving code that sends the column must be updated.',
  },
  check(ctx) {
    if (isTestPath(ctx.config, ctx.doc.path)) return;
    if (ctx.doc.python) checkPython(ctx, ctx.doc.python);
    checkYaml(ctx);
  },
});
