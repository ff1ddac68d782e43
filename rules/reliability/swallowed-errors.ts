import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { MODEL_LOADERS, PREDICT_METHODS, TRAIN_FUNCTIONS } from '../monitoring/catalog';
import { eolOf, indentUnitOf, lineIndentOf } from '../monitoring/edits';
import { isBuiltinPrint, logMessageCall, moduleLogger, printAsLogCall } from '../monitoring/logging';
import { scopesOf, statements } from '../monitoring/scopes';
import { servingOf } from '../monitoring/serving';

type Operation = 'data loading' | 'model loading' | 'training' | 'prediction';

const DATA_READERS = /^(pandas|polars|dask\.dataframe|modin\.pandas|pyarrow(\.\w+)*|numpy|datasets|h5py|xarray|cv2|PIL\.Image|imageio|skimage\.io|json|yaml|csv|sqlite3|duckdb|tensorflow\.data(\.\w+)*|tensorflow\.io(\.\w+)*|requests|httpx|urllib\.request|boto3|s3fs|gcsfs|fsspec|smart_open|google\.cloud\.storage|great_expectations)\.(read_\w+|scan_\w+|load\w*|safe_load|open\w*|get|post|urlopen|from_\w+|connect|sql|query|download\w*|fetch\w*|imread|Dataset\w*|list_files|TFRecordDataset|parquet\.read_table|read_table|reader|DictReader)$/;
const DATA_METHODS = /^(read_\w+|scan_\w+|load_dataset|load_from_disk|get_object|download_file|download_fileobj|download_to_filename|download_as_\w+|fetchall|fetchone|fetchmany|read_sql\w*|urlopen|imread)$/;
const SPARK_READ = /(^|\.)read(Stream)?$/;

export default defineRule({
  code: 'L101',
  name: 'swallowed-errors',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary: 'A catch-all `except:` / `except Exception:` whose body only passes, continues or prints, around data loading, model loading, training or prediction.',
    why:
      'The error disappears: the pipeline carries on without its data or its model, publishes a stale or half-trained model, or serves a default answer, and the failure surfaces much later, far from its cause — or never. An orchestrator cannot retry or alert on a step that reports success. Narrow handlers (`except FileNotFoundError:`) are deliberate and left alone, and so are handlers that log, re-raise or return a fallback.',
    example: 'try:\n    df = pd.read_parquet(PATH)\nexcept Exception:\n    pass',
    useInstead: 'try:\n    df = pd.read_parquet(PATH)\nexcept Exception:\n    log.exception("Loading data failed")\n    raise',
    fixSafety:
      'Two fixes. "Log the error and re-raise" (unsafe: the step now fails instead of carrying on, which is the point). "Log the error with its traceback" keeps the control flow (`continue` stays) and adds `log.exception(...)`: safe when the handler only passed, unsafe when it replaces prints (their output moves to logging). The first is offered first unless the handler skips an item of a loop (`continue`).',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const h of swallowedHandlers(program)) {
      const { clause, unit, kinds, op } = h;
      const colon = clause.children.find((c) => c?.type === ':');
      const head = clause.text.slice(0, (colon?.endIndex ?? clause.startIndex + 7) - clause.startIndex).replace(/\s+/g, ' ');
      const does = kinds.includes('print') ? 'only prints' : kinds.includes('continue') ? 'skips to the next item' : 'passes';
      ctx.report({
        unit,
        start: clause.startIndex,
        end: colon?.endIndex ?? clause.startIndex + 6,
        message: `\`${head}\` around ${op} ${does}: the error is swallowed, the pipeline carries on without ${op === 'training' ? 'a trained model' : op === 'prediction' ? 'a prediction' : op === 'model loading' ? 'its model' : 'its data'}, and the failure surfaces later, far from its cause.`,
        fixes: fixesFor(program, unit, clause, h.block, h.body, kinds, op),
      });
    }
  },
});

export interface SwallowedHandler {
  clause: Node;
  unit: PythonUnit;
  block: Node;
  body: Node[];
  kinds: Kind[];
  op: Operation;
}

const handlersCache = new ProgramCache<SwallowedHandler[]>();

/**
 * Catch-all handlers that swallow the error of a pipeline operation (M103 leaves their prints to
 * this rule). Found once per program: L101 and M103 both ask. Do not mutate the list.
 */
export function swallowedHandlers(program: PythonProgram): SwallowedHandler[] {
  let handlers = handlersCache.get(program);
  if (!handlers) handlersCache.set(program, (handlers = findSwallowedHandlers(program)));
  return handlers;
}

function findSwallowedHandlers(program: PythonProgram): SwallowedHandler[] {
  const out: SwallowedHandler[] = [];
  for (const { node: clause, unit } of program.nodes('except')) {
    if (!catchAll(program, clause)) continue;
    const block = clause.namedChildren.find((c) => c?.type === 'block') ?? null;
    const body = statements(block);
    if (!block || !body.length) continue;
    const kinds = body.map((s) => swallowKind(program, s));
    if (kinds.some((k) => k === null)) continue;
    const tryStmt = clause.parent;
    if (tryStmt?.type !== 'try_statement') continue;
    const op = operationIn(program, tryStmt.childForFieldName('body'), scopesOf(program).scopeOf(clause));
    if (!op) continue;
    out.push({ clause, unit, block, body, kinds: kinds as Kind[], op });
  }
  return out;
}

type Kind = 'pass' | 'continue' | 'print';

/** `except:`, `except Exception:`, `except BaseException as e:`, `except (ValueError, Exception):`. */
function catchAll(program: PythonProgram, clause: Node): boolean {
  if (clause.children.some((c) => c?.type === '*')) return false; // except* handles exception groups
  const value = clause.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
  if (!value) return true;
  const types = value.type === 'as_pattern' ? value.namedChild(0) : value;
  const names = types?.type === 'tuple' || types?.type === 'parenthesized_expression' ? types.namedChildren : [types];
  return names.some((n) => !!n && n.type === 'identifier' && (n.text === 'Exception' || n.text === 'BaseException') && !program.imports.binding(n.text));
}

function swallowKind(program: PythonProgram, stmt: Node): Kind | null {
  if (stmt.type === 'pass_statement') return 'pass';
  if (stmt.type === 'continue_statement') return 'continue';
  if (stmt.type === 'expression_statement' && stmt.namedChildCount === 1) {
    const e = stmt.namedChild(0)!;
    if (e.type === 'ellipsis') return 'pass';
    if (e.type === 'string') return 'pass'; // a comment written as a string
    if (e.type === 'call') {
      const site = scopesOf(program).callOf(e);
      if (site && isBuiltinPrint(program, site)) return 'print';
    }
  }
  return null;
}

/** What the guarded code does that a pipeline cannot carry on without. */
function operationIn(program: PythonProgram, body: Node | null, scope: Node | null): Operation | null {
  if (!body) return null;
  const scopes = scopesOf(program);
  const serving = servingOf(program);
  const calls = scopes.callsWithin(body).filter((c) => (scopes.scopeOf(c.node)?.id ?? -1) === (scope?.id ?? -1));
  const found = new Set<Operation>();
  for (const c of calls) {
    const op = operationOf(program, serving, c);
    if (op) found.add(op);
  }
  for (const op of ['training', 'prediction', 'model loading', 'data loading'] as const) if (found.has(op)) return op;
  return null;
}

function operationOf(program: PythonProgram, serving: ReturnType<typeof servingOf>, c: CallSite): Operation | null {
  const q = c.qualified ?? '';
  if (TRAIN_FUNCTIONS.has(q) || ((c.method === 'fit' || c.method === 'partial_fit') && c.receiver && c.positional.length > 0) || c.method === 'backward') return 'training';
  if (c.method && PREDICT_METHODS.has(c.method) && c.method !== 'encode' && c.method !== 'infer' && c.receiver) return 'prediction';
  if (serving.isModelCall(c)) return 'prediction';
  if (MODEL_LOADERS.test(q) || c.method === 'from_pretrained' || c.method === 'load_model') return 'model loading';
  if (DATA_READERS.test(q) || (c.method && DATA_METHODS.test(c.method))) return 'data loading';
  if (c.callee === 'open' && !program.imports.binding('open')) return 'data loading';
  if (c.receiver && SPARK_READ.test(c.receiver.text) && c.method && /^(parquet|csv|json|table|load|orc|text|format)$/.test(c.method)) return 'data loading';
  return null;
}

const MESSAGES: Record<Operation, string> = {
  'data loading': 'Loading data failed',
  'model loading': 'Loading the model failed',
  training: 'Training failed',
  prediction: 'Prediction failed',
};

function fixesFor(program: PythonProgram, unit: PythonUnit, clause: Node, block: Node, body: Node[], kinds: Kind[], op: Operation): FixSpec[] {
  const logger = moduleLogger(program);
  const logLines: string[] = [];
  let converted = true;
  body.forEach((stmt, i) => {
    if (kinds[i] !== 'print') return;
    const call = scopesOf(program).callOf(stmt.namedChild(0)!)!;
    const line = printAsLogCall(program, call, logger.name, 'exception');
    if (line) logLines.push(line);
    else converted = false;
  });
  if (!converted) return [];
  if (!logLines.length) logLines.push(logMessageCall(logger.name, 'exception', MESSAGES[op]));
  const keepsGoing = kinds.includes('continue');
  const logOnly = replaceBody(program, unit, clause, block, body, [...logLines, ...(keepsGoing ? ['continue'] : [])]);
  const reraise = replaceBody(program, unit, clause, block, body, [...logLines, 'raise']);
  const fixes: FixSpec[] = [];
  if (reraise) fixes.push({ title: 'Log the error with its traceback and re-raise it', applicability: 'unsafe', edits: [reraise, ...logger.block] });
  if (logOnly) fixes.push({ title: `Log the error with its traceback (\`${logger.name}.exception\`)`, applicability: kinds.includes('print') ? 'unsafe' : 'safe', edits: [logOnly, ...logger.block] });
  return keepsGoing ? fixes.reverse() : fixes;
}

/** Replaces the handler's statements with `lines`, one per line, at the handler body's indentation. */
function replaceBody(program: PythonProgram, unit: PythonUnit, clause: Node, block: Node, body: Node[], lines: string[]): EditSpec | null {
  const eol = eolOf(unit);
  const first = body[0];
  const last = body[body.length - 1];
  const sameLine = unit.lines.lineOf(first.startIndex) === unit.lines.lineOf(clause.startIndex);
  if (sameLine) {
    const headerIndent = lineIndentOf(unit, clause);
    if (headerIndent === null) return null;
    const indent = headerIndent + indentUnitOf(program);
    const colon = clause.children.find((c) => c?.type === ':');
    return { unit, start: colon?.endIndex ?? block.startIndex, end: last.endIndex, newText: eol + lines.map((l) => indent + l).join(eol) };
  }
  const indent = lineIndentOf(unit, first);
  if (indent === null) return null;
  return { unit, start: unit.lines.lineStart(unit.lines.lineOf(first.startIndex)), end: last.endIndex, newText: lines.map((l) => indent + l).join(eol) };
}
