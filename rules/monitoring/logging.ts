import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { dottedName, isMainGuard, pythonStringLiteral, stringParts } from '../documents/python/syntax';
import { LOG_METHODS, LOGGER_FACTORIES, LOGGER_NAME, LOGGING_CONFIG } from './catalog';
import { moduleBlock } from './edits';
import { scopesOf } from './scopes';

/**
 * Logging for the fixes: the module logger (found, or added as `log = logging.getLogger(__name__)`)
 * and the conversion of a `print(...)` call into a logger call with %-style arguments, so that the
 * message is only formatted when a handler wants it and its arguments stay structured.
 */

export interface ModuleLogger {
  name: string;
  /** The edits that define it (and import logging), when it does not exist yet. */
  block: EditSpec[];
}

const loggers = new ProgramCache<ModuleLogger>();

export function moduleLogger(program: PythonProgram): ModuleLogger {
  return loggers.of(program, () => findModuleLogger(program));
}

function findModuleLogger(program: PythonProgram): ModuleLogger {
  const scopes = scopesOf(program);
  for (const node of scopes.moduleAssignments()) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const q = program.resolve(right.childForFieldName('function'));
    if (q === 'logging.getLogger') return { name: left.text, block: [] };
  }
  const name = scopes.freshName('log', 'logger', '_log', '_logger');
  const loggingBound = program.imports.binding('logging')?.qualified === 'logging';
  return { name, block: moduleBlock(program, loggingBound ? [] : ['import logging'], [`${name} = logging.getLogger(__name__)`]) };
}

/** True for the builtin `print` (not shadowed by an import or a definition). */
export function isBuiltinPrint(program: PythonProgram, call: CallSite): boolean {
  if (call.callee !== 'print' || program.imports.binding('print')) return false;
  return scopesOf(program).functionsNamed('print').length === 0;
}

/** A call that writes to a logger (stdlib, structlog, loguru, Flask's `app.logger` …). */
export function isLoggerCall(program: PythonProgram, call: CallSite): boolean {
  if (!call.method || !LOG_METHODS.has(call.method) || !call.receiver) return false;
  const q = call.qualified ?? '';
  if (/^(logging|structlog|loguru|logzero|absl\.logging)(\.|$)/.test(q)) return true;
  let root: Node | null = call.receiver;
  while (root && (root.type === 'call' || root.type === 'attribute') && !LOGGER_NAME.test(dottedName(root) ?? '')) {
    root = root.type === 'call' ? (root.childForFieldName('function')?.childForFieldName('object') ?? null) : root.childForFieldName('object');
  }
  if (!root) return false;
  const dotted = dottedName(root);
  if (dotted && LOGGER_NAME.test(dotted)) return true;
  if (root.type === 'identifier') {
    const v = scopesOf(program).valueOf(root.text, call.node);
    if (v?.type === 'call' && LOGGER_FACTORIES.test(program.resolve(v.childForFieldName('function')) ?? '')) return true;
  }
  return false;
}

/** `logging.basicConfig(...)` (or dictConfig/fileConfig) somewhere in the program. */
export function configuresLogging(program: PythonProgram): boolean {
  return configured.of(program, () => program.calls().some((c) => LOGGING_CONFIG.test(c.qualified ?? '')));
}

/** Per program: asked once per print that a fix converts. */
const configured = new ProgramCache<boolean>();
const guards = new ProgramCache<Node | null>();

/** The `if __name__ == "__main__":` block at module level, if any. */
export function mainGuard(program: PythonProgram): Node | null {
  return guards.of(program, () => findMainGuard(program));
}

function findMainGuard(program: PythonProgram): Node | null {
  // the modules' own statements (not the parent of every if)
  for (const unit of program.units) {
    if (unit.root.type !== 'module') continue;
    for (const node of unit.root.children) if (node.type === 'if_statement' && node.isNamed && isMainGuard(node)) return node;
  }
  return null;
}

// -----------------------------------------------------------------------------------------------
// print(...) → log.info("...", args)

interface Part {
  lit?: string;
  /** A %-directive and its argument. */
  spec?: string;
  arg?: string;
  /** Literal text that is already a %-format (left side of `"…" % x`): not escaped. */
  raw?: boolean;
}

/** The logger call that replaces `print(...)`, or null when the conversion would not say the same thing. */
export function printAsLogCall(program: PythonProgram, call: CallSite, logger: string, level: string): string | null {
  if (call.hasSplat || call.positional.length === 0) return null;
  let sep = ' ';
  for (const [name, value] of call.keywords) {
    if (name === 'sep') {
      const v = plainString(value);
      if (v === null) return null;
      sep = v;
    } else if (name === 'file') {
      const q = program.resolve(value);
      if (q !== 'sys.stdout' && q !== 'sys.stderr') return null;
    } else if (name !== 'end' && name !== 'flush') return null;
  }
  const parts: Part[] = [];
  for (let i = 0; i < call.positional.length; i++) {
    if (i > 0 && sep) parts.push({ lit: sep });
    const p = partsOf(program, call.positional[i]);
    if (!p) return null;
    parts.push(...p);
  }
  return logCall(logger, level, parts);
}

/** The logger call for a message made of literal text and argument expressions. */
function logCall(logger: string, level: string, parts: Part[]): string {
  const args = parts.filter((p) => p.arg !== undefined).map((p) => p.arg!);
  const fmt = parts.map((p) => (p.spec ?? (p.raw || args.length === 0 ? p.lit : p.lit!.replace(/%/g, '%%')) ?? '')).join('');
  return `${logger}.${level}(${pythonStringLiteral(fmt)}${args.map((a) => `, ${a}`).join('')})`;
}

/** A simple message: the same text as a log call with no arguments. */
export function logMessageCall(logger: string, level: string, message: string, args: string[] = []): string {
  return `${logger}.${level}(${pythonStringLiteral(message)}${args.map((a) => `, ${a}`).join('')})`;
}

function plainString(node: Node): string | null {
  if (node.type !== 'string') return null;
  const parts = stringParts(node);
  return parts.prefix.includes('b') ? null : parts.value;
}

function argText(node: Node): string {
  return node.type === 'expression_list' || node.type === 'yield' || node.type === 'named_expression' ? `(${node.text})` : node.text;
}

function partsOf(program: PythonProgram, node: Node): Part[] | null {
  if (node.type === 'string') {
    const parts = stringParts(node);
    if (parts.prefix.includes('b')) return [{ spec: '%s', arg: node.text }];
    if (parts.value !== null) return [{ lit: parts.value }];
    return fstringParts(node, parts.prefix.includes('r'));
  }
  if (node.type === 'concatenated_string') {
    const out: Part[] = [];
    for (const c of node.namedChildren) {
      if (!c || c.type === 'comment') continue;
      const p = partsOf(program, c);
      if (!p) return null;
      out.push(...p);
    }
    return out;
  }
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return partsOf(program, node.namedChild(0)!);
  if (node.type === 'binary_operator') {
    const op = node.childForFieldName('operator')?.text;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (op === '%' && left && right && plainString(left) !== null) {
      const fmt = plainString(left)!;
      const directives = (fmt.replace(/%%/g, '').match(/%/g) ?? []).length;
      if (/%\(/.test(fmt)) return [{ spec: '%s', arg: node.text }];
      if (right.type === 'tuple') {
        const items = right.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
        if (items.some((i) => i.type === 'list_splat')) return [{ spec: '%s', arg: node.text }];
        return [{ lit: fmt, raw: true }, ...items.map((i) => ({ arg: argText(i), spec: '' }))];
      }
      if (directives === 1) return [{ lit: fmt, raw: true }, { arg: argText(right), spec: '' }];
      return [{ spec: '%s', arg: node.text }];
    }
    if (op === '+' && left && right) {
      const leaves = flattenPlus(node);
      if (leaves.some((l) => l.type === 'string' || l.type === 'concatenated_string')) {
        const out: Part[] = [];
        for (const leaf of leaves) {
          const p = leaf.type === 'string' || leaf.type === 'concatenated_string' ? partsOf(program, leaf) : strCall(program, leaf) ?? [{ spec: '%s', arg: argText(leaf) }];
          if (!p) return null;
          out.push(...p);
        }
        return out;
      }
    }
  }
  if (node.type === 'call') {
    const s = strCall(program, node);
    if (s) return s;
    const fn = node.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
      const obj = fn.childForFieldName('object');
      const fmt = obj ? plainString(obj) : null;
      if (fmt !== null) {
        const converted = formatMethodParts(fmt, node);
        if (converted) return converted;
      }
    }
  }
  return [{ spec: '%s', arg: argText(node) }];
}

function flattenPlus(node: Node): Node[] {
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    return [...flattenPlus(node.childForFieldName('left')!), ...flattenPlus(node.childForFieldName('right')!)];
  }
  if (node.type === 'parenthesized_expression' && node.namedChild(0)?.type === 'binary_operator') return flattenPlus(node.namedChild(0)!);
  return [node];
}

/** `str(x)` → %s x; `repr(x)` → %r x (the builtins only). */
function strCall(program: PythonProgram, node: Node): Part[] | null {
  if (node.type !== 'call') return null;
  const fn = node.childForFieldName('function');
  const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c && c.type !== 'comment') ?? [];
  if (fn?.type !== 'identifier' || args.length !== 1 || args[0]!.type === 'keyword_argument' || args[0]!.type === 'list_splat') return null;
  if (program.imports.binding(fn.text) || scopesOf(program).functionsNamed(fn.text).length) return null;
  if (fn.text === 'str') return [{ spec: '%s', arg: argText(args[0]!) }];
  if (fn.text === 'repr') return [{ spec: '%r', arg: argText(args[0]!) }];
  return null;
}

/** A Python format spec as a %-directive, when they mean the same. */
function directive(spec: string, conversion: string | null): string | null {
  if (!spec) return conversion === 'r' ? '%r' : conversion === 'a' ? '%a' : '%s';
  if (conversion) return null;
  const m = /^([+ ])?(0)?(\d+)?(\.\d+)?([dfFeEgGxXo])$/.exec(spec);
  if (!m) return null;
  return `%${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}${m[4] ?? ''}${m[5]}`;
}

function fstringParts(node: Node, raw: boolean): Part[] | null {
  const out: Part[] = [];
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'string_content') out.push({ lit: decodeContent(child, raw) });
    else if (child.type === 'interpolation') {
      const expr = child.namedChildren.find((c) => c && c.type !== 'type_conversion' && c.type !== 'format_specifier');
      if (!expr) return null;
      const conv = child.namedChildren.find((c) => c?.type === 'type_conversion')?.text.slice(1) ?? null;
      const specNode = child.namedChildren.find((c) => c?.type === 'format_specifier');
      if (specNode?.namedChildren.some((c) => c?.type === 'format_expression')) return null;
      const spec = specNode ? specNode.text.replace(/^:/, '') : '';
      const eq = child.children.find((c) => c?.type === '=');
      if (eq) out.push({ lit: child.text.slice(1, eq.endIndex - child.startIndex) });
      const d = directive(spec, eq && !spec && !conv ? 'r' : conv);
      const converted = conv ? `${conv === 'r' ? 'repr' : conv === 'a' ? 'ascii' : 'str'}(${expr.text})` : argText(expr);
      if (d) out.push({ spec: d, arg: argText(expr) });
      else out.push({ spec: '%s', arg: `format(${converted}, ${pythonStringLiteral(spec)})` });
    }
  }
  return out;
}

/** The text of an f-string's literal piece: `{{` → `{`, escapes decoded unless raw. */
function decodeContent(node: Node, raw: boolean): string {
  const src = node.text;
  const base = node.startIndex;
  let text = '';
  let last = 0;
  for (const c of node.children) {
    if (!c) continue;
    text += src.slice(last, c.startIndex - base);
    if (c.type === 'escape_interpolation') text += c.text[0];
    else if (c.type === 'escape_sequence') text += raw ? c.text : unescape(c.text);
    else text += c.text;
    last = c.endIndex - base;
  }
  return text + src.slice(last);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

function unescape(seq: string): string {
  const e = seq.slice(1);
  if (/^(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})$/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
  if (/^[0-7]{1,3}$/.test(e)) return String.fromCharCode(parseInt(e, 8));
  if (e === '\n' || e === '\r\n') return '';
  return ESCAPES[e] ?? seq;
}

/** `"acc {:.3f} on {}".format(acc, split)` → parts; null when the template is not a simple one. */
function formatMethodParts(fmt: string, call: Node): Part[] | null {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return null;
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  const keywords = new Map(args.filter((a) => a.type === 'keyword_argument').map((a) => [a.childForFieldName('name')?.text ?? '', a.childForFieldName('value')!]));
  const out: Part[] = [];
  let lit = '';
  let auto = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if ((c === '{' || c === '}') && fmt[i + 1] === c) {
      lit += c;
      i++;
      continue;
    }
    if (c === '}') return null;
    if (c !== '{') {
      lit += c;
      continue;
    }
    const close = fmt.indexOf('}', i);
    if (close < 0) return null;
    const field = fmt.slice(i + 1, close);
    if (field.includes('{')) return null;
    const m = /^([A-Za-z_]\w*|\d+)?(?:!([rsa]))?(?::(.*))?$/.exec(field);
    if (!m) return null;
    const expr = m[1] === undefined ? positional[auto++] : /^\d+$/.test(m[1]) ? positional[Number(m[1])] : keywords.get(m[1]);
    if (!expr) return null;
    const d = directive(m[3] ?? '', m[2] ?? null);
    if (!d) return null;
    if (lit) out.push({ lit });
    lit = '';
    out.push({ spec: d, arg: argText(expr) });
    i = close;
  }
  if (lit) out.push({ lit });
  return out;
}

/** The logger call that replaces a print, choosing the level from where it is. */
export function levelForPrint(program: PythonProgram, call: CallSite): string {
  for (let n = call.node.parent; n && n.type !== 'function_definition'; n = n.parent) if (n.type === 'except_clause') return 'exception';
  const file = call.keywords.get('file');
  if (file && program.resolve(file) === 'sys.stderr') return 'warning';
  return 'info';
}

/**
 * `logging.basicConfig(level=logging.INFO)` at the top of the `__main__` block, so that a script
 * whose prints became INFO logs still shows them when run. Null when the program configures
 * logging already, has no `__main__` block, or will not have `logging` bound.
 */
export function basicConfigEdit(program: PythonProgram, logger: ModuleLogger): EditSpec | null {
  // the same for every print of the program: computed once, a copy for each fix
  const cached = basicConfigs.get(program);
  if (cached?.logger === logger) return cached.edit && { ...cached.edit };
  const edit = computeBasicConfigEdit(program, logger);
  basicConfigs.set(program, { logger, edit });
  return edit && { ...edit };
}

const basicConfigs = new ProgramCache<{ logger: ModuleLogger; edit: EditSpec | null }>();

function computeBasicConfigEdit(program: PythonProgram, logger: ModuleLogger): EditSpec | null {
  if (configuresLogging(program)) return null;
  const guard = mainGuard(program);
  const first = guard?.childForFieldName('consequence')?.namedChildren.find((c) => c && c.type !== 'comment');
  if (!guard || !first) return null;
  const bound = program.imports.binding('logging')?.qualified === 'logging' || logger.block.some((e) => e.newText.includes('import logging'));
  if (!bound) return null;
  const unit = scopesOf(program).unitOf(first);
  const line = unit.lines.lineOf(first.startIndex);
  const start = unit.lines.lineStart(line);
  const indent = unit.text.slice(start, first.startIndex);
  if (!/^[ \t]*$/.test(indent)) return null;
  const eol = unit.text.includes('\r\n') ? '\r\n' : '\n';
  return { unit, start, end: start, newText: `${indent}logging.basicConfig(level=logging.INFO)${eol}` };
}
