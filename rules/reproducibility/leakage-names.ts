import type { Node } from '../documents/python/syntax-tree';
import { memoizeByString } from '../core/memo';

/** Names data-leakage gives things: the data an expression reads, and what names say about test data. */

/** Methods whose receiver is a model and whose first argument is the data. */
export const MODEL_METHODS = new Set(['transform', 'fit_transform', 'predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'inverse_transform', 'score', 'fit_resample', 'fit_predict', 'fit', 'partial_fit']);

/** Prefix of the name under which a transformer's fitted state is tracked (`@fit:scaler`). */
export const STATE = '@fit:';

/**
 * Names that hold data in an expression, appended to `out` in source order: the object of
 * subscripts and attributes, method receivers, call arguments. One array for the whole walk.
 */
export function dataNames(node: Node | null | undefined, out: string[], depth = 0): string[] {
  if (!node || depth > 100) return out;
  switch (node.type) {
    case 'identifier':
      out.push(node.text);
      break;
    case 'subscript':
      dataNames(node.childForFieldName('value'), out, depth + 1);
      break;
    case 'attribute':
      dataNames(node.childForFieldName('object'), out, depth + 1);
      break;
    case 'parenthesized_expression':
    case 'list':
    case 'tuple':
    case 'expression_list':
    case 'binary_operator':
    case 'boolean_operator':
    case 'comparison_operator':
    case 'conditional_expression':
    case 'unary_operator':
    case 'not_operator':
      for (const c of node.namedChildren) dataNames(c, out, depth + 1);
      break;
    case 'call':
      callDataNames(node, out, depth);
      break;
  }
  return out;
}

function callDataNames(node: Node, out: string[], depth: number): void {
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  const positional = args?.type === 'argument_list' ? args.namedChildren : null;
  if (fn?.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = fn.childForFieldName('object');
    // scaler.transform(X): the rows are X's; the output also depends on what the scaler was fitted on
    if (MODEL_METHODS.has(method)) {
      const first = positional?.find(isPositional);
      if (first) dataNames(first, out, depth + 1);
      if (receiver) out.push(STATE + receiver.text);
      return;
    }
    dataNames(receiver, out, depth + 1);
  }
  if (positional) for (const c of positional) if (isPositional(c)) dataNames(c, out, depth + 1);
}

function isPositional(c: Node): boolean {
  return c.type !== 'keyword_argument' && c.type !== 'comment';
}

/** `X_test`, `test_df`, `df_test`, `Xtest`: named as test data (and not also as train data). Remembered per name. */
export const nameSaysTest = memoizeByString(computeNameSaysTest);

function computeNameSaysTest(name: string): boolean {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/_+/);
  const test = parts.some((p) => p === 'test' || p === 'tst' || p === 'xtest' || p === 'ytest' || p === 'holdout');
  const train = parts.some((p) => p === 'train' || p === 'trn' || p === 'xtrain' || p === 'ytrain' || p === 'full' || p === 'all');
  return test && !train;
}
