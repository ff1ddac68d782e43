import { maskSecret } from '../../core/mask';
import { secretNameClass, type SecretNameClass } from './names';
import { AUTH_HEADER, CLI_FLAG, JWT, NAME_VALUE, PRIVATE_KEY_BLOCK, PROVIDER_HINT, PROVIDER_PATTERNS, SECRET_HINT, URL_CREDENTIALS, URL_TOKEN_USER, type ProviderPattern, type SecretKind } from './patterns';

const NO_PATTERNS: ProviderPattern[] = [];
import { isPlaceholder, looksLikeSecretValue, looksLikeSomeSecretValue, looksRandom } from './values';

/** A credential found in a text. Offsets are in the text that was scanned. */
export interface SecretMatch {
  kind: SecretKind;
  /** What it is, for messages: "GitHub token", "password in a postgresql URL". */
  label: string;
  /** Offsets of the secret itself (the password of a URL, the signature of a SAS token). */
  start: number;
  end: number;
  /** The secret. Never show it: use `masked` (or `describeSecret`). */
  secret: string;
  /** The secret as it may be shown: `maskSecret(secret)`, or the header line of a private key. */
  masked: string;
  /** Offsets of the whole credential-bearing text (the URL, the header, `name=value`). */
  spanStart: number;
  spanEnd: number;
  /** The environment variable this credential conventionally comes from. */
  envName: string;
  /** The name the value was bound to (`DB_PASSWORD`, `--api-key`), when it was found by name. */
  name?: string;
  /** The URL scheme, for URL credentials. */
  scheme?: string;
}

export interface ScanOptions {
  /** Also look for `name=value` / `name: value` / `--name value` with secret-like names (default true). */
  namedValues?: boolean;
  /** Text around the value, used only to name the credential better (a GCP service-account JSON). */
  context?: string;
}

/** Texts beyond this size are scanned in their first part only (a notebook output of many MB is an image or a table). */
export const MAX_SCAN_LENGTH = 2 * 1024 * 1024;

/** Blanks (same length, so offsets hold) terminal colour codes, data: URIs and long base64 runs: images are not credentials. */
function blankBinary(text: string): string {
  if (text.length < 2000 && !text.includes('\x1b') && !text.includes(';base64,')) return text; // nothing to blank: the usual case
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, (m) => ' '.repeat(m.length))
    .replace(/data:[A-Za-z0-9.+/-]{1,100};base64,[A-Za-z0-9+/=\s]{16,}/g, (m) => ' '.repeat(m.length))
    .replace(/[A-Za-z0-9+/=]{2000,}/g, (m) => ' '.repeat(m.length));
}

function decodeBase64Url(s: string): string | null {
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return null;
  }
}

function jsonObject(s: string | null): Record<string, unknown> | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A signed JWT that is not the jwt.io example. */
function isRealJwt(header: string, payload: string): boolean {
  const h = jsonObject(decodeBase64Url(header));
  if (!h || typeof h.alg !== 'string' || h.alg.toLowerCase() === 'none') return false;
  const p = decodeBase64Url(payload) ?? '';
  if (/John Doe|"sub":\s*"1234567890"|example\.(com|org)|"test"\s*:\s*true/i.test(p)) return false;
  return true;
}

const SCHEME_NAMES: Record<string, string> = {
  postgres: 'POSTGRES', postgresql: 'POSTGRES', mysql: 'MYSQL', mariadb: 'MYSQL', mssql: 'MSSQL', sqlserver: 'MSSQL', oracle: 'ORACLE',
  mongodb: 'MONGO', 'mongodb+srv': 'MONGO', redis: 'REDIS', rediss: 'REDIS', amqp: 'AMQP', amqps: 'AMQP', snowflake: 'SNOWFLAKE',
  clickhouse: 'CLICKHOUSE', databricks: 'DATABRICKS', ftp: 'FTP', sftp: 'SFTP', smtp: 'SMTP', ldap: 'LDAP', https: 'HTTP', http: 'HTTP',
};

export function schemeEnvPrefix(scheme: string): string {
  const s = scheme.toLowerCase();
  const base = s.split('+')[0];
  return SCHEME_NAMES[s] ?? SCHEME_NAMES[base] ?? (s.includes('postgres') ? 'POSTGRES' : s.includes('mysql') ? 'MYSQL' : 'DB');
}

/** Text that is code rather than a value: `getpass(`, `os.environ[`, `self.password`, `args.token`. */
function isCodeLike(v: string): boolean {
  return /^[A-Za-z_][\w.]*\s*[([]/.test(v) || /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/.test(v) || /^(None|True|False|null|nil)$/.test(v);
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Whether a text may hold a credential recognised by its format alone (a provider key, a private
 * key block, a JWT): what is left of `findSecretsInText` once only format kinds are kept. Without
 * one of their literal parts, the scan need not run.
 */
export function mayHoldFormatSecret(text: string): boolean {
  return text.includes('-----BEGIN') || text.includes('eyJ') || PROVIDER_HINT.test(text);
}

/** Adds a match unless it is empty or overlaps one found before (a module function: this runs for many texts, and closures cost). */
function addMatch(out: SecretMatch[], m: Omit<SecretMatch, 'masked'> & { masked?: string }): void {
  if (m.end <= m.start || out.some((o) => m.start < o.end && o.start < m.end)) return;
  out.push({ ...m, masked: m.masked ?? maskSecret(m.secret) });
}

/**
 * Credentials in a text: provider key formats, private key blocks, JWTs, passwords in URLs and
 * connection strings, `Authorization` headers, and (unless `namedValues` is false) values given
 * to secret-like names inside the text (`PASSWORD=…`, `"api_key": "…"`, `--token …`).
 * Matches do not overlap; the most specific format wins.
 */
export function findSecretsInText(input: string, options: ScanOptions = {}): SecretMatch[] {
  if (!input || input.length < 8 || !SECRET_HINT.test(input)) return [];
  const text = blankBinary(input.length > MAX_SCAN_LENGTH ? input.slice(0, MAX_SCAN_LENGTH) : input);
  // each scan below is skipped when the text lacks the literal part all its matches contain
  const out: SecretMatch[] = [];

  // private key blocks: the body is the secret; only the header line is ever shown
  PRIVATE_KEY_BLOCK.lastIndex = 0;
  for (let m = text.includes('-----BEGIN') ? PRIVATE_KEY_BLOCK.exec(text) : null; m; m = PRIVATE_KEY_BLOCK.exec(text)) {
    const headerEnd = m.index + m[0].length;
    const endMarker = text.indexOf('-----END', headerEnd);
    const bodyEnd = endMarker >= 0 && endMarker - headerEnd < 20000 ? endMarker : Math.min(text.length, headerEnd + 4000);
    const close = endMarker >= 0 ? text.indexOf('-----', endMarker + 8) : -1;
    const spanEnd = close >= 0 && close - endMarker < 60 ? close + 5 : bodyEnd;
    const body = text.slice(headerEnd, bodyEnd);
    const base64 = body.replace(/\\n|[^A-Za-z0-9+/=]/g, '');
    if (base64.length < 64 || /\.\.\.|<[^>]*>|xxxx|REDACTED|example/i.test(body)) continue;
    const context = `${options.context ?? ''}\n${text}`;
    const gcp = /service_account|gserviceaccount\.com/.test(context);
    const bodyStart = headerEnd + (body.length - body.trimStart().length);
    addMatch(out, {
      kind: gcp ? 'gcp-service-account-key' : 'private-key',
      label: gcp ? 'GCP service-account private key' : `${m[1].trim() ? `${m[1].trim()} ` : ''}private key`,
      start: bodyStart,
      end: bodyStart + body.trim().length,
      secret: body.trim(),
      masked: `-----BEGIN ${m[1]}PRIVATE KEY-----`,
      spanStart: m.index,
      spanEnd: Math.max(spanEnd, bodyEnd),
      envName: gcp ? 'GOOGLE_APPLICATION_CREDENTIALS' : 'PRIVATE_KEY',
    });
  }

  // one test rules out every provider for most texts; the hint of each is asked only otherwise
  for (const p of PROVIDER_HINT.test(text) ? PROVIDER_PATTERNS : NO_PATTERNS) {
    if (!p.hint.test(text)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const g = p.group ?? 0;
      const secret = m[g];
      if (!secret) continue;
      const start = m.index + (g === 0 ? 0 : m[0].lastIndexOf(secret));
      if (isPlaceholder(secret) || (p.validate && !p.validate(secret, text, m.index))) continue;
      addMatch(out, { kind: p.kind, label: p.label, start, end: start + secret.length, secret, spanStart: m.index, spanEnd: m.index + m[0].length, envName: p.envName });
    }
  }

  // with an access key id in the text, a lone 40-character base64 string is its secret key (credentials CSV, `aws configure` output)
  if (out.some((m) => m.kind === 'aws-access-key-id')) {
    const re = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const s = m[0];
      if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && looksRandom(s, 40) && !/^[0-9a-f]{40}$/i.test(s)) {
        addMatch(out, { kind: 'aws-secret-access-key', label: 'AWS secret access key', start: m.index, end: m.index + 40, secret: s, spanStart: m.index, spanEnd: m.index + 40, envName: 'AWS_SECRET_ACCESS_KEY' });
      }
    }
  }

  JWT.lastIndex = 0;
  for (let m = text.includes('eyJ') ? JWT.exec(text) : null; m; m = JWT.exec(text)) {
    if (!isRealJwt(m[1], m[2])) continue;
    addMatch(out, { kind: 'jwt', label: 'JSON Web Token', start: m.index, end: m.index + m[0].length, secret: m[0], spanStart: m.index, spanEnd: m.index + m[0].length, envName: 'API_TOKEN' });
  }

  const url = text.includes('://');
  URL_CREDENTIALS.lastIndex = 0;
  for (let m = url ? URL_CREDENTIALS.exec(text) : null; m; m = URL_CREDENTIALS.exec(text)) {
    const [, scheme, user, password] = m;
    const decoded = percentDecode(password);
    if (/[{}$%<>]/.test(password) && !/%[0-9A-F]{2}/i.test(password)) continue; // `{password}`, `${DB_PASSWORD}`, `%(pw)s`
    if (decoded === user || !looksLikeSecretValue(decoded, 'password')) continue;
    const start = m.index + scheme.length + 3 + user.length + 1;
    const prefix = schemeEnvPrefix(scheme);
    addMatch(out, {
      kind: 'url-password',
      label: `password in a ${scheme.toLowerCase()} URL`,
      start,
      end: start + password.length,
      secret: password,
      spanStart: m.index,
      spanEnd: m.index + m[0].length,
      envName: `${prefix}_PASSWORD`,
      scheme: scheme.toLowerCase(),
    });
  }
  URL_TOKEN_USER.lastIndex = 0;
  for (let m = url ? URL_TOKEN_USER.exec(text) : null; m; m = URL_TOKEN_USER.exec(text)) {
    const [, scheme, user] = m;
    if (!looksRandom(user, 24) || /[.]/.test(user)) continue;
    const start = m.index + scheme.length + 3;
    addMatch(out, { kind: 'url-token', label: `token in a ${scheme.toLowerCase()} URL`, start, end: start + user.length, secret: user, spanStart: m.index, spanEnd: m.index + m[0].length, envName: 'ACCESS_TOKEN', scheme: scheme.toLowerCase() });
  }

  AUTH_HEADER.lastIndex = 0;
  for (let m = text.includes('Bearer') || text.includes('Token') || text.includes('Basic') ? AUTH_HEADER.exec(text) : null; m; m = AUTH_HEADER.exec(text)) {
    const [, scheme, token] = m;
    const start = m.index + m[0].length - token.length;
    if (scheme === 'Basic') {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1 || !/^[\x20-\x7e]+$/.test(decoded) || !looksLikeSecretValue(decoded.slice(colon + 1), 'password')) continue;
    } else {
      if (scheme === 'Token' && !/authorization/i.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
      if (!looksRandom(token, 16)) continue;
    }
    addMatch(out, { kind: 'authorization-header', label: `${scheme} credential in an Authorization header`, start, end: start + token.length, secret: token, spanStart: m.index, spanEnd: m.index + m[0].length, envName: 'API_TOKEN' });
  }

  if (options.namedValues !== false) {
    NAME_VALUE.lastIndex = 0;
    for (let m = text.includes('=') || text.includes(':') ? NAME_VALUE.exec(text) : null; m; m = NAME_VALUE.exec(text)) {
      const [whole, name, q1, sep, q2, rawValue] = m;
      const cls = secretNameClass(name);
      if (!cls) continue;
      if (sep === ':' && /^\/\//.test(rawValue)) continue; // `scheme://`
      const value = q2 ? rawValue : rawValue.replace(/[.)]+$/, '');
      if (q1 && !q2 && sep === ':' && /^[0-9]+$/.test(value)) continue;
      if (isCodeLike(value) || !looksLikeSecretValue(value, cls)) continue;
      const start = m.index + whole.length - rawValue.length;
      const connection = /^(pwd|password|passwd|pass)$/i.test(name) && sep === '=' && /;|[?&]/.test(text.slice(Math.max(0, m.index - 200), m.index + whole.length + 1));
      addMatch(out, namedMatch(connection ? 'connection-string-password' : 'named-secret', name, cls, value, start));
    }
    CLI_FLAG.lastIndex = 0;
    for (let m = text.includes('--') ? CLI_FLAG.exec(text) : null; m; m = CLI_FLAG.exec(text)) {
      const [whole, flag, , value] = m;
      const cls = secretNameClass(flag);
      if (!cls || isCodeLike(value) || !looksLikeSecretValue(value, cls)) continue;
      const start = m.index + whole.length - value.length;
      addMatch(out, namedMatch('named-secret', `--${flag}`, cls, value, start));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function namedMatch(kind: SecretKind, name: string, cls: SecretNameClass, value: string, start: number): Omit<SecretMatch, 'masked'> {
  const aws = /aws.*secret|secret.*access.*key/i.test(name) && /^[A-Za-z0-9/+]{40}$/.test(value);
  return {
    kind: aws ? 'aws-secret-access-key' : kind,
    label: aws ? 'AWS secret access key' : kind === 'connection-string-password' ? 'password in a connection string' : cls === 'password' ? 'password' : 'secret',
    start,
    end: start + value.length,
    secret: value,
    spanStart: start,
    spanEnd: start + value.length,
    envName: aws ? 'AWS_SECRET_ACCESS_KEY' : envNameFromName(name),
    name,
  };
}

/** `DB_PASSWORD` from `db_password`, `dbPassword`, `--db-password`. */
export function envNameFromName(name: string): string {
  const n = name
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z]/.test(n) ? n : `SECRET_${n || 'VALUE'}`;
}

/**
 * A literal value bound to a name (a variable, keyword, dict key, YAML key, env entry): the
 * credentials in it, or the whole value when the name is secret-like and the value looks like one.
 */
export function findSecretsInNamedValue(name: string | null | undefined, value: string, options: ScanOptions = {}): SecretMatch[] {
  const found = findSecretsInText(value, options);
  return found.length ? found : namedSecret(name, value);
}

/** The whole value as a secret, when its name is secret-like and the value looks like one of that kind (the part of `findSecretsInNamedValue` after formats). */
export function namedSecret(name: string | null | undefined, value: string): SecretMatch[] {
  const cls = secretNameClass(name);
  if (!cls || !isNamedSecretValue(value, cls)) return [];
  const m = namedMatch('named-secret', name!, cls, value, 0);
  return [{ ...m, masked: maskSecret(value) }];
}

/** Given to a name of this class, the value is the secret itself. */
function isNamedSecretValue(value: string, cls: SecretNameClass): boolean {
  return !isCodeLike(value) && looksLikeSecretValue(value, cls);
}

/**
 * Whether `findSecretsInNamedValue` could report this value by its name alone, for some
 * secret-like name. Both classes refuse values that are short or hold blanks: tested first, as cheap.
 */
export function mayBeNamedSecret(value: string): boolean {
  if (value.length < 6 || /\s/.test(value)) return false;
  return looksLikeSomeSecretValue(value) && !isCodeLike(value);
}

/** How a finding names a credential without showing it: "GitHub token `ghp_********`". */
export function describeSecret(m: SecretMatch): string {
  if (m.kind === 'private-key' || m.kind === 'gcp-service-account-key') return `${m.label} (\`${m.masked}\` block)`;
  return `${m.label} \`${m.masked}\``;
}
