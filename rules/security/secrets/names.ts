/**
 * Which names denote a secret: a variable, keyword, dict key, YAML key, env var or CLI flag named
 * `password`, `api_key`, `DB_PASSWORD`, `hfToken`, `--client-secret` … and which only look like it
 * (`token_count`, `max_new_tokens`, `pad_token`, `secret_name`, `api_key_env`, `AWS_ACCESS_KEY_ID`).
 */

/** `password`-class names hold human-chosen strings; `token`-class names hold random-looking ones. */
export type SecretNameClass = 'password' | 'token';

const PASSWORD_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode',
  // other languages, where cheap: de, fr, es, pt, nl, pl, it
  'passwort', 'kennwort', 'motdepasse', 'contrasena', 'contraseña', 'senha', 'wachtwoord', 'haslo', 'hasło',
]);
const TOKEN_WORDS = new Set(['token', 'secret', 'apikey', 'credential', 'credentials', 'creds', 'auth', 'authorization', 'bearer', 'sas', 'privatekey', 'secretkey', 'accesskey', 'authtoken', 'accesstoken', 'clientsecret', 'signingkey', 'sessiontoken', 'passkey']);

/** Words after which a secret word describes something else: `secret_name`, `token_url`, `password_env`. */
const NOT_A_VALUE_SUFFIX = new Set([
  'id', 'ids', 'name', 'names', 'path', 'paths', 'file', 'files', 'filename', 'dir', 'url', 'uri', 'urls', 'endpoint', 'host', 'len', 'length',
  'size', 'count', 'counts', 'num', 'type', 'types', 'field', 'fields', 'header', 'headers', 'env', 'var', 'variable', 'prefix', 'suffix',
  'pattern', 'regex', 're', 'format', 'label', 'column', 'col', 'policy', 'version', 'scope', 'scopes', 'ref', 'arn', 'hint', 'hash', 'hashed',
  'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'limit', 'limits', 'location', 'region', 'index', 'idx', 'mode', 'kind', 'enabled',
  'required', 'validator', 'strength', 'min', 'max', 'rotation', 'reset', 'store', 'manager', 'provider', 'helper', 'class', 'fn', 'func',
  'callback', 'param', 'parameter', 'key', 'keys', 'vault', 'source', 'input', 'prompt', 'placeholder', 'example', 'template', 'mask', 'masked',
  'length', 'lifetime', 'age', 'algorithm', 'alg', 'method', 'backend', 'handler', 'service', 'client', 'response', 'request', 'secret',
  'description', 'desc', 'help', 'text', 'msg', 'message', 'error', 'errors', 'ok', 'valid', 'check', 'is', 'has', 'use', 'file',
]);

/** Words in front of `token` that make it a vocabulary token, not a credential: `pad_token`, `eos_token`. */
const NLP_TOKEN_PREFIX = new Set(['pad', 'bos', 'eos', 'unk', 'sep', 'cls', 'mask', 'special', 'start', 'end', 'stop', 'begin', 'sos', 'eot', 'image', 'img', 'audio', 'video', 'vocab', 'bpe', 'default', 'decoder', 'encoder', 'sentinel', 'additional', 'added', 'new', 'next', 'prev', 'previous', 'last', 'first', 'input', 'output', 'word', 'sub', 'subword', 'num', 'max', 'min', 'total', 'split', 'cache', 'system', 'user', 'assistant', 'tool', 'chat', 'think', 'reasoning']);

/** Words in front of `key` that name something that is not a credential: `s3_key`, `cache_key`, `sort_key`. */
const NON_SECRET_KEY_PREFIX = new Set(['s3', 'object', 'bucket', 'blob', 'cache', 'dict', 'sort', 'partition', 'primary', 'foreign', 'join', 'group', 'row', 'column', 'col', 'lookup', 'hash', 'map', 'idempotency', 'routing', 'message', 'feature', 'label', 'target', 'model', 'data', 'config', 'index', 'entity', 'unique', 'natural', 'surrogate', 'composite', 'public', 'pub', 'sorting', 'merge', 'metric', 'metadata', 'param', 'state', 'item', 'record', 'field', 'json', 'yaml', 'output', 'input', 'result', 'prefix', 'file', 'path', 'redis', 'dataset', 'split', 'sample', 'batch', 'image', 'text', 'cluster', 'node', 'shard', 'random', 'rng', 'prng', 'jax', 'seed', 'dedup', 'event', 'task', 'job', 'run', 'step', 'stage', 'table', 'schema', 'attr', 'attribute', 'setting', 'option', 'env', 'gpg', 'sub', 'mapping', 'id', 'name', 'hotkey', 'keyboard', 'press', 'api_key_env']);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9ñçłą]+/)
    .filter(Boolean);
}

/**
 * A part of every word above (and of `key`, `passe`) once lowercased. The words of a name are
 * pieces of its lowercased text, so a name without any of these parts denotes no secret: tested
 * before splitting it into words, which most names (variables, keys, flags) need not be.
 */
const SECRET_WORD_PART = /pass|pwd|kennwort|contrase|senha|wachtwoord|has[lł]o|token|secret|key|cred|auth|bearer|sas/;

/** The class of secret a name denotes, or null when it does not denote one. */
export function secretNameClass(name: string | null | undefined): SecretNameClass | null {
  if (!name || name.length > 80 || !SECRET_WORD_PART.test(name.toLowerCase())) return null;
  const words = nameWords(name.replace(/^-+/, ''));
  if (words.length === 0) return null;
  const last = words[words.length - 1];
  const prev = words.length > 1 ? words[words.length - 2] : undefined;
  if (PASSWORD_WORDS.has(last)) {
    if (last === 'pass' && words.length === 1) return null; // `pass` alone: a pass/fail flag more often than a password
    return 'password';
  }
  if (last === 'mot' || (prev && PASSWORD_WORDS.has(prev) && NOT_A_VALUE_SUFFIX.has(last))) return null;
  if (prev === 'de' && last === 'passe') return 'password';
  if (TOKEN_WORDS.has(last)) {
    if (last === 'token' && prev && NLP_TOKEN_PREFIX.has(prev)) return null;
    if (last === 'secret' && prev && ['top', 'no', 'is', 'has', 'use'].includes(prev)) return null;
    if (last === 'auth' && prev && ['basic', 'no', 'use', 'require', 'requires', 'enable', 'with', 'skip'].includes(prev)) return null;
    return 'token';
  }
  if (last === 'key' && prev) {
    if (NON_SECRET_KEY_PREFIX.has(prev)) return null;
    // `api_key`, `secret_key`, `access_key`, `openai_key`, `subscription_key`, `x_api_key` …
    return 'token';
  }
  if (last === 'key' && words.length === 1) return null; // `key` alone: a dict key, a sort key …
  // `SECRET_KEY_BASE`, `API_KEY_VALUE`
  if ((last === 'value' || last === 'base' || last === 'b64' || last === 'base64') && prev && secretNameClass(words.slice(0, -1).join('_'))) {
    return secretNameClass(words.slice(0, -1).join('_'));
  }
  return null;
}

export function isSecretName(name: string | null | undefined): boolean {
  return secretNameClass(name) !== null;
}
