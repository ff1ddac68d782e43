import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import { ensureImport } from '../fixes/python-edits';

function isConstantString(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.type === 'string') return !node.namedChildren.some((c) => c?.type === 'interpolation');
  if (node.type === 'concatenated_string') return node.namedChildren.every((c) => !c || isConstantString(c));
  return false;
}

export default defineRule({
  code: 'S130',
  name: 'eval-on-data',
  category: 'security',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary: '`eval` or `exec` runs a string that is not a constant: text read from a file, a request, a config value, a model\'s output or a variable.',
    why:
      'Whoever controls that text controls the process: a crafted config value, dataset row, API payload or LLM answer becomes code with the job\'s credentials. `exec(open("setup.py").read())` in a notebook runs whatever the file holds at the time. Calls with a constant string are not reported.',
    example: 'params = eval(open("params.txt").read())\nthreshold = eval(request.args["threshold"])',
    useInstead: 'import ast\nimport json\n\nparams = json.load(open("params.json"))\nthreshold = float(request.args["threshold"])  # or ast.literal_eval for Python literals',
    fixSafety:
      'Unsafe: `eval(x)` becomes `ast.literal_eval(x)`, which accepts only Python literals (numbers, strings, tuples, lists, dicts, sets, booleans, None) and raises on anything else, expressions included. `exec` has no fix.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const shadowed = (name: string) => ctx.fileFacts.definitions.has(name) || !!program.imports.binding(name);
    for (const call of program.calls()) {
      // only a call named eval/exec, or resolving to the builtin, can be one: skip the rest before looking at their callee
      if (call.method !== 'eval' && call.method !== 'exec' && call.qualified !== 'builtins.eval' && call.qualified !== 'builtins.exec') continue;
      const fn = call.node.childForFieldName('function');
      let name: string | undefined;
      if (fn?.type === 'identifier' && (fn.text === 'eval' || fn.text === 'exec') && !shadowed(fn.text)) name = fn.text;
      else if (call.qualified === 'builtins.eval' || call.qualified === 'builtins.exec') name = call.qualified.slice(9);
      if (!name || !call.positional.length) continue;
      const arg = call.positional[0];
      if (isConstantString(arg)) continue;
      const fixes: FixSpec[] = [];
      if (name === 'eval' && call.positional.length === 1 && call.keywords.size === 0 && fn) {
        const edits: EditSpec[] = [{ unit: call.unit, start: fn.startIndex, end: fn.endIndex, newText: 'ast.literal_eval' }];
        const imp = ensureImport(program, 'ast');
        if (imp) edits.unshift(imp);
        fixes.push({ title: 'Parse literals only (ast.literal_eval)', applicability: 'unsafe', edits });
      }
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        message: `\`${name}\` runs \`${arg.text.length > 40 ? `${arg.text.slice(0, 37)}…` : arg.text}\` as Python code: whoever controls that text controls the process. Parse data with json, ast.literal_eval or a typed config loader instead.`,
        fixes,
      });
    }
  },
});
