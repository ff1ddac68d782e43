import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import type { EditSpec, FixSpec, RuleContext } from '../core/rule';
import type { PythonProgram, StringLiteral } from '../documents/python/program';
import { dottedName, positionalIndex, pythonStringLiteral, stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { ensureImport } from '../fixes/python-edits';
import { envNameFromName, findSecretsInNamedValue, findSecretsInText, mayHoldFormatSecret, namedSecret, nameWords, type SecretMatch } from './secrets';

/**
 * Where a secret sits in Python code, and what it is bound to: the variable, keyword, dict key,
 * environment variable or parameter whose value it is. The binding names the environment variable
 * the fix reads instead.
 */

export type BindingKind = 'assign' | 'keyword' | 'pair' | 'env-set' | 'env-default' | 'param-default' | 'auth-tuple';

export interface Binding {
  kind: BindingKind;
  name: string;
  /** A prefix for the environment variable: `OPENAI` for `openai.api_key = …`, `DB` for `DB_CONFIG = {"password": …}`. */
  context?: string;
  /** The environment variable named in code, for `os.environ["X"] = …` and `os.getenv("X", …)`. */
  envVar?: string;
  /** The node the fix rewrites for env-set (the statement) and env-default (the call). */
  node: Node;
}

export interface PythonSecretSite {
  unit: PythonUnit;
  match: SecretMatch;
  /** Offsets of the reported range in the unit. */
  start: number;
  end: number;
  literal?: StringLiteral;
  binding?: Binding;
  /** The literal holds nothing but this secret. */
  whole: boolean;
  /** Offsets in the literal's value map 1:1 onto its source. */
  exact: boolean;
  /** Number of secrets found in the same literal. */
  siblings: number;
  origin: 'string' | 'comment' | 'magic';
}

/** Kinds found by their format alone: reported in test folders too. */
const FORMAT_KINDS = new Set(['aws-access-key-id', 'aws-secret-access-key', 'gcp-service-account-key', 'google-api-key', 'azure-storage-account-key', 'azure-shared-access-key', 'azure-sas-token', 'github-token', 'gitlab-token', 'slack-token', 'slack-webhook', 'openai-api-key', 'anthropic-api-key', 'huggingface-token', 'databricks-token', 'stripe-key', 'pypi-token', 'npm-token', 'sendgrid-api-key', 'private-key', 'jwt']);

/** A private key is reported from its BEGIN line (which is not secret), so the finding starts where the block does. */
export function isBlock(m: SecretMatch): boolean {
  return m.kind === 'private-key' || m.kind === 'gcp-service-account-key';
}

export function isFormatKind(m: SecretMatch): boolean {
  return FORMAT_KINDS.has(m.kind);
}

const ENV_GET = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault', 'os.putenv']);

const MODULE_PREFIX: Record<string, string> = {
  openai: 'OPENAI', anthropic: 'ANTHROPIC', boto3: 'AWS', botocore: 'AWS', s3fs: 'AWS', sagemaker: 'AWS', huggingface_hub: 'HF', transformers: 'HF',
  datasets: 'HF', snowflake: 'SNOWFLAKE', databricks: 'DATABRICKS', wandb: 'WANDB', mlflow: 'MLFLOW_TRACKING', psycopg2: 'DB', psycopg: 'DB',
  asyncpg: 'DB', sqlalchemy: 'DB', pymysql: 'DB', mysql: 'DB', pyodbc: 'DB', cx_Oracle: 'DB', oracledb: 'DB', pymssql: 'DB', redis: 'REDIS',
  pymongo: 'MONGO', motor: 'MONGO', slack_sdk: 'SLACK', slack: 'SLACK', github: 'GITHUB', gitlab: 'GITLAB', stripe: 'STRIPE', cohere: 'COHERE',
  pinecone: 'PINECONE', kaggle: 'KAGGLE', comet_ml: 'COMET', neptune: 'NEPTUNE', clearml: 'CLEARML', langchain_openai: 'OPENAI',
  google: 'GOOGLE', azure: 'AZURE', smtplib: 'SMTP', ftplib: 'FTP', paramiko: 'SSH', hvac: 'VAULT', elasticsearch: 'ELASTIC', qdrant_client: 'QDRANT',
  weaviate: 'WEAVIATE', together: 'TOGETHER', mistralai: 'MISTRAL', groq: 'GROQ', replicate: 'REPLICATE',
};

/** Words that say nothing about which credential it is. */
const GENERIC_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'token', 'secret', 'api', 'key', 'apikey', 'access', 'auth', 'credential', 'credentials', 'creds', 'client', 'private', 'bearer', 'value', 'my', 'the', 'x', 'authorization']);
/** Words of a container name that are not a prefix: `DB_CONFIG` → `DB`. */
const CONTAINER_WORDS = new Set(['config', 'conf', 'cfg', 'settings', 'setting', 'params', 'param', 'kwargs', 'options', 'opts', 'args', 'creds', 'credentials', 'secrets', 'secret', 'auth', 'headers', 'header', 'connection', 'conn', 'info', 'details', 'data', 'dict', 'env', 'environment', 'self', 'cls']);

function unwrap(node: Node): Node {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n;
}

function stringKey(node: Node | null): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const v = stringParts(node).value;
  return v ?? undefined;
}

function prefixFromName(dotted: string | null | undefined): string | undefined {
  if (!dotted) return undefined;
  const words = nameWords(dotted.split('.').pop() ?? '').filter((w) => !CONTAINER_WORDS.has(w));
  return words.length ? words.join('_').toUpperCase() : undefined;
}

function calleeContext(program: PythonProgram, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  const dotted = dottedName(fn);
  const qualified = dotted ? program.imports.resolve(dotted) : null;
  const root = (qualified ?? '').split('.')[0];
  return MODULE_PREFIX[root];
}

/** Parents (through parentheses) under which `bindingOf` can find a binding. */
const BINDING_PARENTS = new Set(['assignment', 'keyword_argument', 'argument_list', 'pair', 'default_parameter', 'typed_default_parameter', 'tuple']);

/**
 * Whether `bindingOf` may find a binding for the literal: its parent's type, read from the tree's
 * arrays so that the parents of the many literals in subscripts, comparisons and lists are not
 * made into nodes.
 */
function mayBeBound(literal: Node): boolean {
  const tree = literal.tree;
  let parent = tree.parents[literal.order];
  while (tree.typeAt(parent) === 'parenthesized_expression') parent = tree.parents[parent];
  return BINDING_PARENTS.has(tree.typeAt(parent));
}

/** What a literal is bound to, if anything. */
export function bindingOf(program: PythonProgram, literal: Node): Binding | undefined {
  const node = unwrap(literal);
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier') return { kind: 'assign', name: left.text, node: parent };
    if (left?.type === 'attribute') {
      const object = left.childForFieldName('object');
      const objectName = dottedName(object);
      const resolved = objectName ? program.imports.resolve(objectName) : null;
      const context = resolved ? MODULE_PREFIX[resolved.split('.')[0]] : prefixFromName(objectName);
      return { kind: 'assign', name: left.childForFieldName('attribute')?.text ?? left.text, context, node: parent };
    }
    if (left?.type === 'subscript') {
      const object = left.childForFieldName('value');
      const key = stringKey(left.childForFieldName('subscript'));
      if (!key) return undefined;
      const resolved = program.resolve(object);
      if (resolved === 'os.environ' || dottedName(object) === 'os.environ') {
        const stmt = parent.parent?.type === 'expression_statement' ? parent.parent : parent;
        return { kind: 'env-set', name: key, envVar: key, node: stmt };
      }
      return { kind: 'assign', name: key, context: prefixFromName(dottedName(object)), node: parent };
    }
    return undefined;
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    const call = parent.parent?.parent;
    if (!name || call?.type !== 'call') return name ? { kind: 'keyword', name, node: parent } : undefined;
    const env = envCall(program, call);
    if (env && name === 'default') return { kind: 'env-default', name: env, envVar: env, node: call };
    let context = calleeContext(program, call);
    const fn = call.childForFieldName('function');
    if (!context && fn?.type === 'identifier' && fn.text === 'dict' && call.parent?.type === 'assignment') {
      context = prefixFromName(dottedName(call.parent.childForFieldName('left')));
    }
    return { kind: 'keyword', name, context, node: parent };
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    // only the second positional argument can be a default: most literals are not, and need no callee
    if (positionalIndex(parent, node) !== 1) return undefined;
    const call = parent.parent;
    const env = envCall(program, call);
    if (env) {
      const q = program.resolve(call.childForFieldName('function'));
      if (q === 'os.environ.setdefault' || q === 'os.putenv') {
        const stmt = call.parent?.type === 'expression_statement' ? call.parent : call;
        return { kind: 'env-set', name: env, envVar: env, node: stmt };
      }
      return { kind: 'env-default', name: env, envVar: env, node: call };
    }
    return undefined;
  }
  if (parent.type === 'pair' && parent.childForFieldName('value')?.id === node.id) {
    const key = stringKey(parent.childForFieldName('key'));
    if (!key) return undefined;
    const dict = parent.parent;
    let context: string | undefined;
    const holder = dict?.parent;
    if (holder?.type === 'assignment') context = prefixFromName(dottedName(holder.childForFieldName('left')));
    else if (holder?.type === 'keyword_argument') context = prefixFromName(holder.childForFieldName('name')?.text);
    return { kind: 'pair', name: key, context, node: parent };
  }
  if ((parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') && parent.childForFieldName('value')?.id === node.id) {
    const name = parent.childForFieldName('name')?.text;
    return name ? { kind: 'param-default', name, node: parent } : undefined;
  }
  if (parent.type === 'tuple' && parent.namedChildren.length === 2 && parent.namedChildren[1]?.id === node.id) {
    const kw = unwrap(parent).parent;
    if (kw?.type === 'keyword_argument' && /^(auth|http_auth|basic_auth|credentials)$/.test(kw.childForFieldName('name')?.text ?? '')) {
      const call = kw.parent?.parent;
      return { kind: 'auth-tuple', name: 'password', context: (call?.type === 'call' ? calleeContext(program, call) : undefined) ?? 'HTTP', node: kw };
    }
  }
  return undefined;
}

function envCall(program: PythonProgram, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  const q = program.resolve(fn) ?? dottedName(fn);
  if (!q || !ENV_GET.has(q)) return undefined;
  const first = call.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
  return stringKey(first ?? null);
}

/** Static text of an f-string, its interpolations blanked (same length, so offsets hold). */
function fStringText(literal: StringLiteral): string {
  const base = literal.node.startIndex;
  let raw = literal.node.text.slice(literal.contentStart - base, literal.contentEnd - base);
  for (const c of literal.node.namedChildren) {
    if (c?.type !== 'interpolation') continue;
    const s = c.startIndex - literal.contentStart;
    const e = c.endIndex - literal.contentStart;
    raw = raw.slice(0, s) + ' '.repeat(e - s) + raw.slice(e);
  }
  return raw;
}

/** The credentials in a literal (`text`: its value, or an f-string's static text), and what it is bound to; null when it holds none. */
function secretsOfLiteral(program: PythonProgram, literal: StringLiteral, text: string): { matches: SecretMatch[]; binding?: Binding } | null {
  if (literal.docstring) return mayHoldFormatSecret(text) ? { matches: findSecretsInText(text, { namedValues: false }).filter(isFormatKind) } : null;
  const inText = findSecretsInText(text);
  // most literals hold no credential in any form: without a format found, only a binding with a
  // secret-like name can make one (namedSecret asks the name before judging the value)
  if (!inText.length && (literal.value === null || !mayBeBound(literal.node))) return null;
  const binding = bindingOf(program, literal.node);
  if (!binding || literal.value === null) return inText.length ? { matches: inText, binding } : null;
  // `wandb.login(key="…")`, `Experiment(key=…)`: a bare `key` is a credential when a service's client takes it
  const name = binding.kind === 'keyword' && binding.name === 'key' && binding.context ? `${binding.context}_API_KEY` : binding.name;
  // the context only names a private key better: with no format found above, only the name can make it a secret
  if (!inText.length) {
    const matches = namedSecret(name, literal.value);
    return matches.length ? { matches, binding } : null;
  }
  const context = binding.kind === 'pair' ? binding.node.parent?.text.slice(0, 4000) : undefined;
  return { matches: findSecretsInNamedValue(name, literal.value, { context }), binding };
}

/** Every secret in the Python code of a document (string literals, comments, magics). */
export function pythonSecretSites(ctx: RuleContext, program: PythonProgram): PythonSecretSite[] {
  // asked only once a match is found: matching the test globs costs more than most documents' matches
  let inTests: boolean | undefined;
  const keep = (m: SecretMatch) => isFormatKind(m) || !(inTests ??= isTestPath(ctx.config, ctx.doc.path));
  const out: PythonSecretSite[] = [];
  for (const literal of program.strings()) {
    const unit = literal.unit;
    const text = literal.value ?? fStringText(literal);
    if (text.length < 8) continue;
    const found = secretsOfLiteral(program, literal, text);
    if (!found) continue;
    const { binding } = found;
    const matches = found.matches.filter(keep);
    const base = literal.node.startIndex;
    const raw = literal.node.text.slice(literal.contentStart - base, literal.contentEnd - base);
    const exact = literal.value === null || literal.value === raw;
    for (const match of matches) {
      const whole = literal.value !== null && match.start === 0 && match.end === literal.value.length;
      out.push({
        unit,
        match,
        literal,
        binding,
        whole,
        exact,
        siblings: matches.length,
        origin: 'string',
        start: exact ? literal.contentStart + (isBlock(match) ? match.spanStart : match.start) : literal.node.startIndex,
        end: exact ? literal.contentStart + (isBlock(match) ? match.spanEnd : match.end) : literal.node.endIndex,
      });
    }
  }
  for (const unit of program.units) {
    for (const comment of unit.nodes('comment')) {
      // only format kinds are kept: a comment without a format's literal part needs no scan
      const text = comment.text;
      if (!mayHoldFormatSecret(text)) continue;
      for (const match of findSecretsInText(text, { namedValues: false }).filter(isFormatKind)) {
        out.push({ unit, match, whole: false, exact: true, siblings: 1, origin: 'comment', start: comment.startIndex + (isBlock(match) ? match.spanStart : match.start), end: comment.startIndex + (isBlock(match) ? match.spanEnd : match.end) });
      }
    }
    const magics = unit.foreignCellMagic ? [{ start: 0, end: unit.text.length }] : unit.magics;
    for (const magic of magics) {
      const text = unit.text.slice(magic.start, magic.end);
      for (const match of findSecretsInText(text).filter(keep)) {
        out.push({ unit, match, whole: false, exact: true, siblings: 1, origin: 'magic', start: magic.start + (isBlock(match) ? match.spanStart : match.start), end: magic.start + (isBlock(match) ? match.spanEnd : match.end) });
      }
    }
  }
  return out;
}

/** The environment variable a fix reads the secret from. */
export function envNameForSite(site: PythonSecretSite, whole = site.whole): string {
  const { binding, match } = site;
  if (binding?.envVar) return binding.envVar;
  if (!binding || !whole) {
    // a password inside a URL: `DB_URL = "postgresql://…"` → DB_PASSWORD
    const holder = binding ? prefixFromName(binding.name.replace(/(url|uri|dsn|conn(ection)?(_?str(ing)?)?|endpoint|host)$/i, '')) : undefined;
    if (holder && match.kind === 'url-password') return `${holder}_PASSWORD`;
    if (binding?.context && match.kind === 'url-password') return `${binding.context}_PASSWORD`;
    return match.envName;
  }
  if (binding.kind === 'keyword' && binding.name === 'key' && binding.context) return `${binding.context}_API_KEY`;
  const words = nameWords(binding.name);
  const generic = words.every((w) => GENERIC_WORDS.has(w));
  if (generic) {
    if (binding.context) return `${binding.context}_${envNameFromName(binding.name)}`;
    if (match.kind !== 'named-secret' && match.kind !== 'connection-string-password') return match.envName;
  }
  return envNameFromName(binding.name);
}

/** The literal is the credential as a whole (a PEM block, a webhook URL, a connection string), and its variable holds all of it. */
function holdsWholeCredential(m: SecretMatch, value: string): boolean {
  const span = value.slice(m.spanStart, m.spanEnd).trim();
  if (m.kind === 'private-key' || m.kind === 'gcp-service-account-key' || m.kind === 'slack-webhook') return span === value.trim();
  if (m.kind === 'azure-storage-account-key' || m.kind === 'azure-shared-access-key') return /(AccountName|Endpoint)=/.test(value) && !/\s/.test(value);
  return false;
}

function envLookup(name: string, quote: '"' | "'"): string {
  return `os.environ[${quote}${name}${quote}]`;
}

/** The fix that moves a secret out of the code, or none when no rewrite keeps the code equivalent in shape. */
export function secretFix(program: PythonProgram, site: PythonSecretSite): FixSpec | undefined {
  const { literal, binding, unit } = site;
  if (!literal || literal.value === null || !site.exact || site.siblings !== 1 || literal.prefix.includes('b')) return undefined;
  if (literal.node.parent?.type === 'concatenated_string') return undefined;
  if (binding?.kind === 'param-default') return undefined; // evaluated at definition time: a KeyError on import
  const wholeLiteral = site.whole || holdsWholeCredential(site.match, literal.value);
  const envName = envNameForSite(site, wholeLiteral);
  const edits: EditSpec[] = [];
  let title: string;
  if (binding?.kind === 'env-set') {
    const stmt = binding.node;
    const startLine = unit.lines.lineOf(stmt.startIndex);
    const endLine = unit.lines.lineOf(stmt.endIndex);
    const lineStart = unit.lines.lineStart(startLine);
    if (unit.text.slice(lineStart, stmt.startIndex).trim() !== '' || stmt.type !== 'expression_statement') return undefined;
    const after = unit.text.slice(stmt.endIndex, unit.lines.lineEnd(endLine));
    if (after.trim() !== '' && !after.trim().startsWith('#')) return undefined;
    const next = endLine + 1 < unit.lines.lineCount ? unit.lines.lineStart(endLine + 1) : unit.text.length;
    edits.push({ unit, start: lineStart, end: next, newText: '' });
    title = `Remove the hardcoded value of ${envName} (set it in the environment or a secret manager)`;
    return { title, applicability: 'unsafe', edits };
  }
  if (binding?.kind === 'env-default') {
    edits.push({ unit, start: binding.node.startIndex, end: binding.node.endIndex, newText: envLookup(envName, '"') });
    title = `Require ${envName} from the environment, with no hardcoded default`;
  } else if (wholeLiteral) {
    edits.push({ unit, start: literal.node.startIndex, end: literal.node.endIndex, newText: envLookup(envName, '"') });
    title = `Read the secret from the environment variable ${envName}`;
  } else {
    const value = literal.value;
    const esc = (s: string) => pythonStringLiteral(s).slice(1, -1).replace(/\{/g, '{{').replace(/\}/g, '}}');
    const newText = `f"${esc(value.slice(0, site.match.start))}{${envLookup(envName, "'")}}${esc(value.slice(site.match.end))}"`;
    edits.push({ unit, start: literal.node.startIndex, end: literal.node.endIndex, newText });
    title = `Read the ${site.match.kind === 'url-password' || site.match.kind === 'connection-string-password' ? 'password' : 'secret'} from the environment variable ${envName}`;
  }
  const imp = ensureImport(program, 'os');
  if (imp) edits.unshift(imp);
  return { title, applicability: 'unsafe', edits };
}
