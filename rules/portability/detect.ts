/**
 * Classifies text found in string literals and config values: user home paths, Windows drive
 * paths, other absolute paths, cloud storage URIs and hard-wired hosts. It looks at values the
 * parsers extracted (a Python string's decoded value, a YAML scalar), never at raw source.
 */

export type PathKind = 'user-home' | 'tilde-home' | 'windows-drive' | 'absolute' | 'cloud' | 'host';

export interface PathMatch {
  kind: PathKind;
  /** Offsets in the value. */
  start: number;
  end: number;
  text: string;
  /** For 'cloud': the scheme; for 'host': the host. */
  detail?: string;
}

// a location starts a value, follows a separator, or is the path of a `file://` URI
const BOUNDARY = `(?:^|(?<=[\\s='"(,:;\\[{])|(?<=file://)|(?<=file:///))`;
// `/mnt/c/Users/ana` is a Windows home seen from WSL
const USER_HOME = new RegExp(`${BOUNDARY}(?:/home/(?!runner/|jovyan/)[A-Za-z0-9._-]+|(?:/mnt/[a-z])?/Users/(?!Shared/)[A-Za-z0-9._-]+|[A-Za-z]:[\\\\/](?:Users|Documents and Settings)[\\\\/][^\\\\/\\s'"]+)(?:[\\\\/][^\\s'",;)]*)?`, 'g');
// `~/.cache/…`, `~/.kaggle/kaggle.json`: per-user tool folders that exist on every machine by convention
const TILDE_HOME = new RegExp(`${BOUNDARY}~[\\\\/](?!\\.)[^\\s'",;)]+`, 'g');
const WINDOWS_DRIVE = new RegExp(`${BOUNDARY}[A-Za-z]:[\\\\/][^\\s'",;)]*`, 'g');
/** `\\\\fileserver\\share\\…`: a Windows network share, as machine-bound as a drive letter. */
const UNC = new RegExp(`${BOUNDARY}\\\\\\\\[A-Za-z0-9][A-Za-z0-9._-]*\\\\[A-Za-z0-9$][^\\\\\\s'",;)]*(?:\\\\[^\\s'",;)]*)?`, 'g');
const CLOUD = new RegExp(`${BOUNDARY}(s3a?|s3n|gs|gcs|abfss?|wasbs?|adl|az|hdfs|dbfs|oci|r2):/{1,2}[A-Za-z0-9][^\\s'",;)]*`, 'g');
const URL = /(?:^|(?<=[\s='"(,;\[{]))([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@'"]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@'",;)?#]+)(?::(\d{2,5}))?[^\s'",;)]*/g;

/** System and scratch locations that are the same on every Unix machine. */
const PORTABLE_ROOTS = new Set(['tmp', 'dev', 'proc', 'sys', 'etc', 'usr', 'bin', 'sbin', 'lib', 'lib64', 'run', 'var']);
/** Conventional paths inside containers and managed training platforms. */
export const CONTAINER_ROOTS = new Set(['app', 'workspace', 'opt', 'code', 'srv', 'home/jovyan', 'kaggle', 'content', 'dbfs', 'Workspace']);
const DB_SCHEMES = /^(postgres(ql)?|mysql|mariadb|mssql|sqlserver|oracle|mongodb(\+srv)?|redis|rediss|amqps?|kafka|nats|cassandra|clickhouse|snowflake|jdbc|bolt|neo4j|elasticsearch|memcached|grpc)(\+[a-z0-9]+)?$/i;
const INTERNAL_TLD = /\.(internal|local|lan|corp|intranet|svc|cluster\.local|home|private)$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;
const DOC_HOSTS = /(^|\.)(example\.(com|org|net)|github\.com|githubusercontent\.com|pypi\.org|python\.org|readthedocs\.io|huggingface\.co|kaggle\.com|mlflow\.org|w3\.org|schema\.org|wikipedia\.org)$/i;

function collect(re: RegExp, value: string, kind: PathKind, out: PathMatch[], detail?: (m: RegExpExecArray) => string | undefined) {
  re.lastIndex = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (out.some((o) => m!.index < o.end && m!.index + m![0].length > o.start)) continue;
    // a sentence's full stop or colon after a path is not part of it: the range ends with the text
    const text = m[0].replace(/[.:]+$/, '');
    out.push({ kind, start: m.index, end: m.index + text.length, text, detail: detail?.(m) });
  }
}

/** Paths and locations inside a value. `wholeOnlyAbsolute`: report plain absolute paths only when they are the whole value. */
export function findLocations(value: string): PathMatch[] {
  if (value.length > 4096 || !/[/\\:~.]/.test(value)) return [];
  const out: PathMatch[] = [];
  // each pattern runs only on values holding the literal part all its matches contain
  if (value.includes(':/')) collect(CLOUD, value, 'cloud', out, (m) => m[1].toLowerCase());
  if (value.includes('://')) collect(URL, value, 'host', out, (m) => m[2]);
  if (value.includes('/home/') || value.includes('Users') || value.includes('Documents and Settings')) collect(USER_HOME, value, 'user-home', out);
  if (value.includes('~')) collect(TILDE_HOME, value, 'tilde-home', out);
  if (value.includes(':\\') || value.includes(':/')) collect(WINDOWS_DRIVE, value, 'windows-drive', out);
  if (value.includes('\\\\')) collect(UNC, value, 'windows-drive', out);
  // a bare host has a dot, an absolute path a slash: most values have one at most
  const bare = value.includes('.') && !value.includes('/') ? bareHost(value) : null;
  if (bare && !out.length) out.push(bare);
  const abs = value.includes('/') ? absolutePath(value) : null;
  if (abs && !out.some((o) => abs.start < o.end && o.start < abs.end)) out.push(abs);
  if (!out.length) return out;
  const kept: PathMatch[] = [];
  for (const o of out) if (o.kind !== 'host' || o.detail === BARE || isHardwiredHost(o.text)) kept.push(o);
  return kept.length > 1 ? kept.sort((a, b) => a.start - b.start) : kept;
}

/**
 * Absolute paths among the words of a shell command (`--raw /data/raw.csv`, `--out=/models/x`),
 * for values that are commands: a step's `cmd`/`run`/`command`, or a Python string handed to a
 * shell. Only plain absolute paths are added here; `findLocations` already finds home folders,
 * drive letters, buckets and hosts anywhere in a value.
 */
export function findCommandPaths(command: string): PathMatch[] {
  if (command.length > 4096 || !command.includes('/')) return [];
  const out: PathMatch[] = [];
  for (const m of command.matchAll(/(?<=^|[\s'"=:])\/[^\s'";:|&<>()`]+/g)) {
    const abs = absolutePath(m[0]);
    if (abs) out.push({ ...abs, start: m.index + abs.start, end: m.index + abs.end });
  }
  return out;
}

const BARE = '(bare)';
const BARE_HOST = /^(\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?::(\d{2,5}))?$/;
const PRIVATE_IPV4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

/**
 * A host written without a scheme, as the whole value: `10.0.3.17`, `10.0.3.17:5432`,
 * `kafka-1.acme.internal:9092`. Only what is surely a machine: a private IPv4, any IPv4 with a
 * port, or an internal DNS name with a port. Bind addresses (`0.0.0.0`, `127.0.0.1`), `localhost`, version
 * strings and public names such as `api.openai.com` are left alone.
 */
function bareHost(value: string): PathMatch | null {
  const v = value.trim();
  const m = BARE_HOST.exec(v);
  if (!m) return null;
  const [, host, port] = m;
  const ip = IPV4.test(host);
  if (ip && !host.split('.').every((o) => Number(o) <= 255)) return null;
  if (LOOPBACK.test(host)) return null;
  // a dotted name without a port may be a module path (`mypkg.internal`): only with a port is it surely a host
  const machine = ip ? PRIVATE_IPV4.test(host) || !!port : INTERNAL_TLD.test(host) && !!port;
  if (!machine) return null;
  const start = value.indexOf(v);
  return { kind: 'host', start, end: start + v.length, text: v, detail: BARE };
}

/** `/data/` before an f-string field (`f"/data/{split}.csv"`): a one-folder absolute prefix, unless the folder is portable. */
export function absoluteFolderPrefix(prefix: string): PathMatch | null {
  const m = /^\/([A-Za-z0-9._-]+)\/$/.exec(prefix);
  if (!m || PORTABLE_ROOTS.has(m[1])) return null;
  return { kind: 'absolute', start: 0, end: prefix.length, text: prefix };
}

/** Absolute Unix path that is the whole value and points at machine-specific data. */
function absolutePath(value: string): PathMatch | null {
  let v = value.trim();
  if (/^file:\/\/\//i.test(v)) v = v.slice(7); // file:///data/x.csv names /data/x.csv
  if (!/^\/[^/\s]/.test(v) || /\s/.test(v) || v.includes('://')) return null;
  const [first, second] = leadingSegments(v);
  if (second === undefined && !/\.[A-Za-z0-9]{1,8}$/.test(v)) return null; // "/predict", "/health": routes, not files
  if (PORTABLE_ROOTS.has(first!)) return null;
  if (/[<>{}*?|^$]/.test(v)) return null; // templates and patterns
  const start = value.indexOf(v);
  return { kind: 'absolute', start, end: start + v.length, text: v };
}

export function isContainerPath(path: string): boolean {
  const [first, second] = leadingSegments(path);
  if (first === undefined) return CONTAINER_ROOTS.has('');
  return CONTAINER_ROOTS.has(first) || (second !== undefined && CONTAINER_ROOTS.has(`${first}/${second}`));
}

/** The first two non-empty segments of a `/`-separated path (`path.split('/').filter(Boolean)`, without the list). */
function leadingSegments(path: string): [string | undefined, string | undefined] {
  let first: string | undefined;
  let from = 0;
  while (from < path.length) {
    const slash = path.indexOf('/', from);
    const end = slash < 0 ? path.length : slash;
    if (end > from) {
      const segment = path.slice(from, end);
      if (first !== undefined) return [first, segment];
      first = segment;
    }
    from = end + 1;
  }
  return [first, undefined];
}

/** A URL is hard-wired when it names a machine: an IP, a port, an internal name, or a database/broker. */
export function isHardwiredHost(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@?#]+)(?::(\d+))?/i.exec(url);
  if (!m) return false;
  const [, scheme, host, port] = m;
  if (/^(file|mailto|data)$/i.test(scheme)) return false;
  if (DOC_HOSTS.test(host) || /[{}$<>]/.test(host)) return false;
  return IPV4.test(host) || host.startsWith('[') || !!port || INTERNAL_TLD.test(host) || DB_SCHEMES.test(scheme) || LOOPBACK.test(host);
}

export function isLoopbackUrl(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@?#]+)/i.exec(url);
  return !!m && LOOPBACK.test(m[1]);
}

export function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@?#]+)/i.exec(url);
  return m ? m[1] : url.replace(/:\d+$/, '');
}

/** True when `allow.paths` or `allow.hosts` in mlready.yaml permits the location. */
export function isAllowed(match: PathMatch, allowPaths: string[], allowHosts: string[]): boolean {
  if (match.kind === 'host') {
    const host = hostOf(match.text).toLowerCase();
    return allowHosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase().replace(/^\*?\./, '')}`));
  }
  return allowPaths.some((p) => match.text.startsWith(p));
}
