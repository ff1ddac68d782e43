import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import type { RuleContext } from '../core/rule';
import { type PythonProgram, type StringLiteral, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName, positionalIndex } from '../documents/python/syntax';
import { absoluteFolderPrefix, findCommandPaths, findLocations, isAllowed, type PathMatch } from './detect';

/**
 * Locations written as Python string literals, with the context that decides whether they are a
 * portability problem: a value that is only the default of an environment lookup or a CLI option
 * is already configurable; a route such as "/predict" is not a file; docstrings are prose.
 */
export interface LocationSite {
  literal: StringLiteral;
  match: PathMatch;
  /** Offsets in the unit of the reported range: the match itself when the literal has no escapes. */
  start: number;
  end: number;
  /** The match is the literal's whole value, so the literal itself can be replaced by a setting. */
  whole: boolean;
  /** Bound to a path-like name or passed to an I/O call. */
  usedAsPath: boolean;
  route: boolean;
  /** The argument of `os.chdir`: reported by P104 alone. */
  chdir: boolean;
}

const ENV_LOOKUPS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault', 'os.environb.get']);
const OPTION_CALLS = new Set(['add_argument', 'option', 'Option', 'Argument', 'argument', 'Field', 'DEFINE_string', 'get']);
const ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'add_url_rule', 'add_api_route', 'api_route', 'websocket', 'include_router', 'mount', 'Blueprint', 'APIRouter', 'urljoin', 'request']);
const PATH_NAME = /(path|dir|directory|file|filename|folder|root|location|loc|dest|destination|src|source|output|input|uri|out|in|home|cache|store|storage|bucket|prefix)s?$/i;
const IO_METHODS = /^(open|Path|PurePath|PosixPath|WindowsPath|join|exists|isfile|isdir|makedirs|mkdir|listdir|scandir|walk|glob|iglob|rglob|chdir|copy|copyfile|copytree|move|rmtree|remove|unlink|rename|load|loads|save|dump|savez|savetxt|loadtxt|genfromtxt|read_[a-z_]+|to_[a-z_]+|scan_[a-z_]+|sink_[a-z_]+|write_[a-z_]+|from_pretrained|save_pretrained|load_model|save_model|log_artifact|log_artifacts|load_dataset|load_from_disk|save_to_disk|imread|imwrite|Image|open_dataset|File|connect|create_engine|TensorBoard|SummaryWriter|ModelCheckpoint|CSVLogger|set_tracking_uri|set_registry_uri|ImageFolder|DataLoader|FileHandler|basicConfig|table|parquet|csv|json|text|orc|load_state_dict)$/;

const LOCATION_CHAR = /[/\\:~.]/;

/** A per-program answer that also depends on the rule context's config and path; computed once for each. */
type ContextAnswer<T> = { config: RuleContext['config']; path: string; value: T };

function perContext<T>(cache: ProgramCache<ContextAnswer<T>>, ctx: RuleContext, program: PythonProgram, compute: () => T): T {
  const cached = cache.get(program);
  if (cached && cached.config === ctx.config && cached.path === ctx.doc.path) return cached.value;
  const value = compute();
  cache.set(program, { config: ctx.config, path: ctx.doc.path, value });
  return value;
}

const siteCache = new ProgramCache<ContextAnswer<LocationSite[]>>();

/** Every hardcoded location in the program's strings; computed once per program and config (five rules read it). */
export function pythonLocationSites(ctx: RuleContext, program: PythonProgram): LocationSite[] {
  return perContext(siteCache, ctx, program, () => computeLocationSites(ctx, program));
}

function computeLocationSites(ctx: RuleContext, program: PythonProgram): LocationSite[] {
  if (isTestPath(ctx.config, ctx.doc.path)) return [];
  const out: LocationSite[] = [];
  for (const literal of program.strings()) {
    if (literal.docstring || literal.prefix.includes('b')) continue;
    // every location has one of these characters in its text: an f-string whose source has none is skipped before building its shape
    if (literal.value === null && !LOCATION_CHAR.test(literal.node.text)) continue;
    const fstring = literal.value === null ? fstringShape(literal) : null;
    const value = literal.value ?? fstring!.prefix;
    const matches = literal.value !== null ? findLocations(value) : fstringLocations(fstring!);
    // command paths need a '/': most literals skip the call lookup
    if (value.includes('/') && isShellCommand(program, literal.node)) {
      for (const m of findCommandPaths(value)) if (!matches.some((o) => m.start < o.end && o.start < m.end)) matches.push(m);
    }
    if (matches.length === 0) continue;
    if (isConfigurableDefault(program, literal.node) || isProse(program, literal.node)) continue;
    // offsets in the source of each character of the value (escapes included); f-strings are read raw
    const offsets = literal.value !== null ? valueOffsets(literal) : null;
    const at = (i: number) => (fstring ? fstring.toSource(i) : offsets === VERBATIM ? literal.contentStart + i : offsets ? offsets[i] : -1);
    const route = isRoute(literal.node);
    const usedAsPath = isUsedAsPath(literal.node);
    const chdir = isChdirArgument(program, literal.node);
    for (const match of matches) {
      if (isAllowed(match, ctx.config.allow.paths, ctx.config.allow.hosts)) continue;
      out.push({
        literal,
        match,
        start: at(match.start) >= 0 ? at(match.start) : literal.node.startIndex,
        end: at(match.end) >= 0 ? at(match.end) : literal.node.endIndex,
        whole: literal.value !== null && match.start === 0 && match.end === value.length && literal.node.parent?.type !== 'concatenated_string',
        usedAsPath,
        route,
        chdir,
      });
    }
  }
  return out;
}

/** Offsets of a value that is its source as written (no escapes): character i is at contentStart + i. */
const VERBATIM: number[] = [];

/**
 * For each character of a literal's value, its offset in the unit (and one more entry for the
 * end): `"C:\\data"` maps `\` to the two-character escape. Decodes as `stringParts` does; null when
 * the result would differ from the literal's value (then the whole literal is reported); VERBATIM
 * when the value is its source as written, the usual case, with no list made.
 */
function valueOffsets(literal: StringLiteral): number[] | null {
  const raw = literal.node.text.slice(literal.contentStart - literal.node.startIndex, literal.contentEnd - literal.node.startIndex);
  const offsets: number[] = [];
  let value = '';
  if (literal.prefix.includes('r') || !raw.includes('\\')) {
    // contentEnd - contentStart is raw.length: the end entry would be contentStart + raw.length too
    return raw === literal.value ? VERBATIM : null;
  } else {
    const escape = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/y;
    for (let i = 0; i < raw.length; ) {
      escape.lastIndex = i;
      const m = raw[i] === '\\' ? escape.exec(raw) : null;
      if (!m) {
        offsets.push(literal.contentStart + i);
        value += raw[i++];
        continue;
      }
      const e = m[1];
      const decoded = e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (PY_ESCAPES[e] ?? m[0]);
      for (let k = 0; k < decoded.length; k++) offsets.push(literal.contentStart + i + (decoded === m[0] ? k : 0));
      value += decoded;
      i += m[0].length;
    }
  }
  offsets.push(literal.contentEnd);
  return value === literal.value ? offsets : null;
}

const PY_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** What stands for a `{field}` of an f-string in its shape: no location pattern accepts it as a user, host or bucket name. */
const FIELD = '{…}';

interface FStringShape {
  /** The text before the first field: `f"/home/me/{x}"` → `/home/me/`. */
  prefix: string;
  /** The whole content with every field replaced by FIELD: `postgresql://etl:{…}@10.0.3.17:5432/db`. */
  shape: string;
  /** Offset in the unit of a shape offset (a field maps to its own start, or end). */
  toSource(offset: number): number;
}

/** An f-string as text with holes, so that what is written around its fields can be judged. */
function fstringShape(literal: StringLiteral): FStringShape {
  const node = literal.node;
  const pieces: { shapeStart: number; srcStart: number; length: number; field: boolean; srcEnd: number }[] = [];
  let shape = '';
  let src = literal.contentStart;
  const fields = node.namedChildren.filter((c) => c?.type === 'interpolation');
  for (const f of fields) {
    if (!f || f.startIndex < src) continue;
    const text = node.text.slice(src - node.startIndex, f.startIndex - node.startIndex);
    pieces.push({ shapeStart: shape.length, srcStart: src, length: text.length, field: false, srcEnd: f.startIndex });
    shape += text;
    pieces.push({ shapeStart: shape.length, srcStart: f.startIndex, length: FIELD.length, field: true, srcEnd: f.endIndex });
    shape += FIELD;
    src = f.endIndex;
  }
  const rest = node.text.slice(src - node.startIndex, literal.contentEnd - node.startIndex);
  pieces.push({ shapeStart: shape.length, srcStart: src, length: rest.length, field: false, srcEnd: literal.contentEnd });
  shape += rest;
  const first = shape.indexOf(FIELD);
  return {
    prefix: first < 0 ? shape : shape.slice(0, first),
    shape,
    toSource(offset: number) {
      for (const p of pieces) {
        if (offset > p.shapeStart + p.length) continue;
        if (p.field) return offset === p.shapeStart ? p.srcStart : p.srcEnd;
        return p.srcStart + (offset - p.shapeStart);
      }
      return literal.contentEnd;
    },
  };
}

/**
 * Locations in an f-string: paths from the text before the first field (`f"/home/ana/{x}"`, and
 * `f"/data/{split}.csv"` as the folder `/data/`), hosts and buckets from the whole shape, so that
 * `f"postgresql://{user}:{pw}@10.0.3.17:5432/db"` is a hard-wired host while
 * `f"s3://acme-{env}/x"` and `f"http://{host}:8080"` are built from configuration.
 */
function fstringLocations(f: FStringShape): PathMatch[] {
  const out = findLocations(f.prefix).filter((m) => m.kind !== 'host' && m.kind !== 'cloud');
  if (out.length === 0) {
    const folder = absoluteFolderPrefix(f.prefix);
    if (folder) out.push(folder);
  }
  for (const m of findLocations(f.shape)) {
    if (m.kind !== 'host' && m.kind !== 'cloud') continue;
    const authority = /^[a-z][a-z0-9+.-]*:\/\/?([^/]*)/i.exec(m.text)?.[1] ?? m.text;
    const hostPort = authority.replace(/^.*@/, '');
    const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
    if (host.includes(FIELD) || host === '') continue; // the machine or bucket comes from a field
    if (!out.some((o) => m.start < o.end && o.start < m.end)) out.push(m);
  }
  return out.sort((a, b) => a.start - b.start);
}

function callOf(node: Node): { call: Node; keyword?: string; index: number } | null {
  let arg = node;
  let keyword: string | undefined;
  if (arg.parent?.type === 'keyword_argument') {
    keyword = arg.parent.childForFieldName('name')?.text;
    arg = arg.parent;
  }
  const list = arg.parent;
  if (list?.type !== 'argument_list' || list.parent?.type !== 'call') return null;
  return { call: list.parent, keyword, index: keyword ? -1 : positionalIndex(list, arg) };
}

function calleeOf(call: Node): { dotted: string | null; method: string | null } {
  const fn = call.childForFieldName('function');
  const dotted = dottedName(fn);
  const method = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? null) : fn?.type === 'identifier' ? fn.text : null;
  return { dotted, method };
}

/** `os.environ.get("X", "<literal>")`, `parser.add_argument(..., default="<literal>")`. */
export function isConfigurableDefault(program: PythonProgram, node: Node): boolean {
  const site = callOf(node);
  if (!site) return false;
  const { dotted, method } = calleeOf(site.call);
  const qualified = dotted ? (program.imports.resolve(dotted) ?? dotted) : null;
  if (qualified && ENV_LOOKUPS.has(qualified) && (site.index === 1 || site.keyword === 'default')) return true;
  if (dotted && /(^|\.)environ\.get$/.test(dotted) && site.index === 1) return true;
  return site.keyword === 'default' && !!method && OPTION_CALLS.has(method);
}

const PROSE_KEYWORDS = new Set(['help', 'description', 'epilog', 'usage', 'msg', 'message', 'doc', 'title', 'label', 'xlabel', 'ylabel']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
const PROSE_CALLS = new Set(['print', 'warnings.warn', 'click.echo', 'click.secho', 'typer.echo', 'display', 'Markdown', 'IPython.display.Markdown']);

/**
 * Text meant for people, not for the program: messages printed or logged, exception messages,
 * `help=` texts. A path mentioned there ("the old copy in /home/ana is no longer used") is not
 * one the code opens. A path that is also used (an f-string field, a variable) is still found
 * where it is defined.
 */
function isProse(program: PythonProgram, node: Node): boolean {
  let arg: Node = node;
  // "a" "b" and f-strings: climb to the argument itself
  while (arg.parent && (arg.parent.type === 'concatenated_string' || arg.parent.type === 'binary_operator' || arg.parent.type === 'parenthesized_expression')) arg = arg.parent;
  const site = callOf(arg);
  if (!site) return false;
  if (site.keyword) return PROSE_KEYWORDS.has(site.keyword);
  const { dotted, method } = calleeOf(site.call);
  const qualified = dotted ? (program.imports.resolve(dotted) ?? dotted) : null;
  if (qualified && PROSE_CALLS.has(qualified)) return true;
  if (method && LOG_METHODS.has(method) && site.call.childForFieldName('function')?.type === 'attribute') return true; // logger.info(…), logging.warning(…)
  // raise ValueError("…"): the call is the raised exception
  return site.call.parent?.type === 'raise_statement' && !!method && /(Error|Exception|Warning)$/.test(method);
}

function isRoute(node: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'decorator') return true;
    if (n.type === 'call') {
      const { method } = calleeOf(n);
      return !!method && ROUTE_METHODS.has(method);
    }
    if (n.type === 'binary_operator') return true; // BASE_URL + "/api/v1/predict"
    if (n.type === 'expression_statement' || n.type === 'block') return false;
  }
  return false;
}

function isUsedAsPath(node: Node): boolean {
  const parent = node.parent;
  if (parent?.type === 'assignment') {
    const left = parent.childForFieldName('left');
    const name = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : left?.text;
    return !!name && PATH_NAME.test(name);
  }
  const site = callOf(node);
  if (site) {
    if (site.keyword && PATH_NAME.test(site.keyword)) return true;
    const { method } = calleeOf(site.call);
    return !!method && IO_METHODS.test(method);
  }
  if (parent?.type === 'pair') {
    const key = parent.childForFieldName('key');
    return !!key && PATH_NAME.test(key.text.replace(/['"]/g, ''));
  }
  return false;
}

const SHELL_CALLS = new Set(['os.system', 'os.popen', 'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen', 'shlex.split']);

/** The command string of `os.system("…")`, `subprocess.run("…", shell=True)`, `shlex.split("…")`. */
function isShellCommand(program: PythonProgram, node: Node): boolean {
  if (node.parent?.type !== 'argument_list') return false; // not a positional argument
  const site = callOf(node);
  if (!site || site.keyword || site.index !== 0) return false;
  const { dotted } = calleeOf(site.call);
  return !!dotted && SHELL_CALLS.has(program.imports.resolve(dotted) ?? dotted);
}

function isChdirArgument(program: PythonProgram, node: Node): boolean {
  const site = callOf(node);
  if (!site) return false;
  const { dotted } = calleeOf(site.call);
  return !!dotted && (program.imports.resolve(dotted) ?? dotted) === 'os.chdir';
}

/** A location written in IPython syntax: a shell escape (`!wget … -O /home/ana/x.zip`), `%run`, or a `%%bash` cell. */
export interface MagicLocationSite {
  unit: PythonUnit;
  match: PathMatch;
  start: number;
  end: number;
  /** The magic's command word (`pip`, `wget`, `run`, `bash` …). */
  command: string;
}

/** Line magics whose arguments are paths or commands; `%cd` is P104's alone. */
const PATH_LINE_MAGICS = new Set(['run', 'load', 'sx', 'system', 'pip', 'conda', 'mamba', 'writefile', 'save', 'store', 'env']);
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'script', 'system', 'writefile']);

const magicSiteCache = new ProgramCache<ContextAnswer<MagicLocationSite[]>>();

/** Every location in the program's magics and shell escapes; computed once per program and config (five rules read it). */
export function magicLocationSites(ctx: RuleContext, program: PythonProgram): MagicLocationSite[] {
  if (!program.isNotebook) return [];
  return perContext(magicSiteCache, ctx, program, () => computeMagicLocationSites(ctx, program));
}

function computeMagicLocationSites(ctx: RuleContext, program: PythonProgram): MagicLocationSite[] {
  if (isTestPath(ctx.config, ctx.doc.path)) return [];
  const out: MagicLocationSite[] = [];
  for (const unit of program.units) {
    for (const magic of unit.magics) {
      let from: number;
      if (magic.kind === 'shell') from = magic.start;
      else if (magic.kind === 'line' && PATH_LINE_MAGICS.has(magic.command)) from = magic.start;
      else if (magic.kind === 'cell' && unit.foreignCellMagic === magic && SHELL_CELL_MAGICS.has(magic.command)) from = magic.start;
      else continue;
      // shell comments (`# …` at a word start) are prose: blanked, keeping offsets
      const text = unit.text.slice(from, magic.end).replace(/(^|[ \t])#[^\r\n]*/gm, (c) => c.replace(/[^\r\n]/g, ' '));
      const matches = findLocations(text);
      for (const m of findCommandPaths(text)) if (!matches.some((o) => m.start < o.end && o.start < m.end)) matches.push(m);
      for (const match of matches) {
        if (isAllowed(match, ctx.config.allow.paths, ctx.config.allow.hosts)) continue;
        out.push({ unit, match, start: from + match.start, end: from + match.end, command: magic.command });
      }
    }
  }
  return out.sort((a, b) => a.unit.ordinal - b.unit.ordinal || a.start - b.start);
}
