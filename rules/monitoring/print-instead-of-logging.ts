import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import { contains, decoratorCallee, decoratorsOf } from './scopes';
import { basicConfigEdit, isBuiltinPrint, levelForPrint, mainGuard, moduleLogger, printAsLogCall } from './logging';
import { swallowedHandlers } from '../reliability/swallowed-errors';
import { reportedMetricPrints } from './metrics';
import { servingOf } from './serving';

/** Files where printing is the interface or the code is not pipeline, serving or library code. */
const NOT_PIPELINE_CODE = /(^|\/)(setup|conftest|noxfile|fabfile|__main__|manage)\.py$|(^|\/)docs?\/(source\/)?conf\.py$/;

export default defineRule({
  code: 'M103',
  name: 'print-instead-of-logging',
  category: 'monitoring',
  severity: 'info',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary: '`print` is used for diagnostics in pipeline, serving or library code, instead of a module logger.',
    why:
      'Printed lines have no level, no timestamp, no logger name and no structure: they cannot be filtered, routed to the log platform or turned into alerts, and in a server they interleave on stdout between workers. In a request handler they are the only trace of what the model did. Logging keeps the same information searchable and lets operators change verbosity without a deploy. Printing stays fine where it is the interface: the `if __name__ == "__main__":` block of a script, click/typer commands, notebooks\' exploratory cells (a notebook is only checked at the production stage) and tests. Prints in a serving handler are warnings; elsewhere they are informational.',
    example: 'def train(df):\n    ...\n    print(f"epoch {epoch} loss {loss:.4f}")',
    useInstead:
      'import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef train(df):\n    ...\n    log.info("epoch %d loss %.4f", epoch, loss)',
    fixSafety:
      'Unsafe: the `print` becomes a call to the module logger (`log = logging.getLogger(__name__)` is added when the module has none) with %-style arguments, formatted as before (f-string fields with simple format specs map to %-directives, others keep `format(value, spec)`). The output moves from stdout to the logging handlers: an INFO line is not shown until logging is configured, so the fix also adds `logging.basicConfig(level=logging.INFO)` to the `__main__` block of a script that configures nothing. Calls with `*args`, a non-literal `sep` or a `file=` other than stdout/stderr are not fixed.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path) || NOT_PIPELINE_CODE.test(ctx.doc.path)) return;
    if (program.isNotebook && ctx.stage !== 'production') return;
    const metricPrints = new Set(reportedMetricPrints(program, ctx.doc.path, ctx.config).map((m) => m.print.node.id));
    const swallowed = swallowedHandlers(program).map((h) => h.block);
    const guard = mainGuard(program);
    const serving = servingOf(program);
    const handlers = serving.handlers();
    const commands = cliCommands(program);
    const logger = { value: undefined as ReturnType<typeof moduleLogger> | undefined };
    const getLogger = () => (logger.value ??= moduleLogger(program));
    for (const call of program.calls()) {
      if (!isBuiltinPrint(program, call) || metricPrints.has(call.node.id)) continue;
      if (guard && contains(guard, call.node)) continue;
      if (swallowed.some((b) => contains(b, call.node))) continue; // L101 reports the handler
      if (commands.some((fn) => contains(fn, call.node))) continue;
      const file = call.keywords.get('file');
      if (file && !['sys.stdout', 'sys.stderr'].includes(program.resolve(file) ?? '')) continue; // writing to a file
      const inHandler = handlers.some((h) => contains(h.fn, call.node));
      const fixes: FixSpec[] = [];
      const log = getLogger();
      const level = levelForPrint(program, call);
      const replacement = printAsLogCall(program, call, log.name, level);
      if (replacement) {
        const edits: EditSpec[] = [{ unit: call.unit, start: call.node.startIndex, end: call.node.endIndex, newText: replacement }];
        edits.push(...log.block);
        const config = basicConfigEdit(program, log);
        if (config) edits.push(config);
        fixes.push({ title: `Replace \`print\` with \`${log.name}.${level}(...)\``, applicability: 'unsafe', edits });
      }
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        severity: inHandler ? 'warning' : undefined,
        message: inHandler
          ? '`print` in a prediction handler: the output has no level, timestamp or request context and interleaves between workers, so what the model did for a request cannot be found later; use a logger.'
          : '`print` instead of logging: the line has no level, timestamp or logger name, so it cannot be filtered, routed or alerted on in production; use a module logger.',
        fixes,
      });
    }
  },
});

/** Functions that are click or typer commands: their output is the command's interface. */
function cliCommands(program: NonNullable<import('../documents/document').AnalyzedDocument['python']>): Node[] {
  if (!program.imports.imports('click') && !program.imports.imports('typer') && !program.imports.imports('fire')) return [];
  const out: Node[] = [];
  for (const { node } of program.nodes('function')) {
    const isCommand = decoratorsOf(node).some((d) => {
      const callee = decoratorCallee(d);
      const q = program.resolve(callee) ?? '';
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
      return /^(click|typer)\./.test(q) || method === 'command' || method === 'group' || method === 'callback';
    });
    if (isCommand) out.push(node);
  }
  return out;
}
