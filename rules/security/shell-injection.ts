import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { argument, type PythonProgram } from '../documents/python/program';
import { enclosingFunction } from '../documents/python/syntax';

const SHELL_WHEN_TRUE = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);
const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput', 'commands.getoutput', 'commands.getstatusoutput']);

function isQuoted(program: PythonProgram, node: Node | null | undefined): boolean {
  if (!node) return false;
  let n: Node = node;
  while (n.type === 'parenthesized_expression' && n.namedChild(0)) n = n.namedChild(0)!;
  if (n.type !== 'call') return false;
  const q = program.resolve(n.childForFieldName('function'));
  return q === 'shlex.quote' || q === 'pipes.quote' || q === 'shlex.join';
}

function isLiteralString(node: Node): boolean {
  return (node.type === 'string' && !node.namedChildren.some((c) => c?.type === 'interpolation')) || node.type === 'concatenated_string' || node.type === 'integer';
}

/** How a command string is built from values, or null when it is constant or every value is shell-quoted. */
function builtFrom(program: PythonProgram, node: Node, depth = 0): string | null {
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return builtFrom(program, node.namedChild(0)!, depth);
  if (node.type === 'string') {
    const fields = node.namedChildren.filter((c): c is Node => c?.type === 'interpolation');
    if (!fields.length) return null;
    return fields.every((f) => isQuoted(program, f.namedChild(0))) ? null : 'an f-string';
  }
  if (node.type === 'binary_operator') {
    const op = node.childForFieldName('operator')?.text;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (op === '+' && left && right) {
      const parts = [left, right].filter((p) => !isLiteralString(p) && builtFrom(program, p, depth) !== null);
      const values = [left, right].filter((p) => !isLiteralString(p) && !isQuoted(program, p) && p.type !== 'binary_operator');
      return parts.length || values.length ? 'concatenation' : null;
    }
    if (op === '%' && left && isLiteralString(left) && right) {
      const args = right.type === 'tuple' ? right.namedChildren.filter((c): c is Node => !!c) : [right];
      return args.every((a) => isLiteralString(a) || isQuoted(program, a)) ? null : '%-formatting';
    }
    return null;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && fn.childForFieldName('object')?.type === 'string') {
      const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
      return args.every((a) => (a.type === 'keyword_argument' ? isQuoted(program, a.childForFieldName('value')) || isLiteralString(a.childForFieldName('value')!) : isQuoted(program, a) || isLiteralString(a))) ? null : 'str.format';
    }
    return null;
  }
  if (node.type === 'identifier' && depth === 0) {
    // one step back: `cmd = f"…"` assigned earlier in the same function (or module)
    const scope = enclosingFunction(node);
    const assigned = program
      .nodes('assignment')
      .filter(({ node: a }) => a.childForFieldName('left')?.text === node.text && a.endIndex <= node.startIndex && enclosingFunction(a) ?.id === scope?.id)
      .pop();
    const right = assigned?.node.childForFieldName('right');
    if (assigned && assigned.unit.tree === node.tree && right) return builtFrom(program, right, 1);
  }
  return null;
}

export default defineRule({
  code: 'S131',
  name: 'shell-command-from-variables',
  category: 'security',
  severity: 'warning',
  appliesTo: ['python'],
  docs: {
    summary: 'A shell command is built from values (f-string, `+`, `%` or `.format`) and run through a shell: `subprocess.*(…, shell=True)`, `os.system`, `os.popen`, `subprocess.getoutput`.',
    why:
      'A value containing `;`, `&&`, `$( )` or a space runs extra commands or splits into extra arguments: a file name from a bucket listing, a run name, a model id or a request parameter becomes a shell injection, and paths with spaces break the job. Values wrapped in `shlex.quote` are accepted; constant commands are not reported; test folders are not checked.',
    example: 'subprocess.run(f"aws s3 cp {src} {dst} --recursive", shell=True, check=True)\nos.system("python train.py --run " + run_name)',
    useInstead: 'subprocess.run(["aws", "s3", "cp", src, dst, "--recursive"], check=True)\nsubprocess.run([sys.executable, "train.py", "--run", run_name], check=True)',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const call of program.calls()) {
      const q = call.qualified;
      if (!q) continue;
      let viaShell = ALWAYS_SHELL.has(q);
      if (!viaShell && SHELL_WHEN_TRUE.has(q)) viaShell = call.keywords.get('shell')?.type === 'true';
      if (!viaShell) continue;
      const command = argument(call, q.startsWith('os.') ? 'command' : 'args', 0) ?? argument(call, 'cmd', 0);
      if (!command) continue;
      const how = builtFrom(program, command);
      if (!how) continue;
      ctx.report({
        unit: call.unit,
        start: command.startIndex,
        end: command.endIndex,
        message: `The command run by \`${call.callee}\`${SHELL_WHEN_TRUE.has(q) ? ' with shell=True' : ''} is built by ${how}: a value with spaces, \`;\`, \`&&\` or \`$( )\` runs extra commands. Pass a list of arguments without a shell, or quote every value with shlex.quote.`,
      });
    }
  },
});
