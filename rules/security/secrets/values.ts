import type { SecretNameClass } from './names';

/**
 * Whether a value is a secret or stands in for one: placeholders (`changeme`, `<your-key>`,
 * `${VAR}`, `xxx`, `dummy`, `os.environ[...]`), references to a secret store, and the shape
 * (length, character classes, entropy) that real credentials have.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

export function charClasses(s: string): number {
  return (/[a-z]/.test(s) ? 1 : 0) + (/[A-Z]/.test(s) ? 1 : 0) + (/[0-9]/.test(s) ? 1 : 0) + (/[^A-Za-z0-9\s]/.test(s) ? 1 : 0);
}

const PLACEHOLDER_WORDS = new Set([
  '', 'password', 'passwd', 'pwd', 'pass', 'secret', 'secrets', 'token', 'apikey', 'api_key', 'api-key', 'key', 'admin', 'root', 'test', 'testing',
  'default', 'guest', 'user', 'username', 'value', 'string', 'str', 'foo', 'bar', 'baz', 'foobar', 'none', 'null', 'nil', 'undefined', 'n/a', 'na',
  'tbd', 'todo', 'fixme', 'empty', 'unset', 'notset', 'not-set', 'not_set', 'required', 'optional', 'false', 'true', 'yes', 'no', 'hidden', 'masked',
  'redacted', 'removed', 'secret-value', 'my-secret', 'mysecret', 'mypassword', 'my-password', 'my_password', 'yourpassword', 'qwerty', 'letmein',
  'password1', 'password123', 'test123', 'admin123', 'abc123', '123456', '12345678', '123456789', '1234567890', 'postgres', 'mysql', 'sa', 'demo',
  'local', 'localdev', 'dev', 'development', 'devpassword', 'dev-password', 'local-password', 'sk-...', 'sk-xxx', 'bearer', 'basic', 'token_here',
]);

/** Substrings that mark an example or a slot to fill in. */
const PLACEHOLDER_MARKS = /changeme|change[-_ ]?me|change[-_ ]?this|replace[-_ ]?(me|this|with)|placeholder|example|dummy|fake|sample|your[-_ ]?(own[-_ ]?)?(api|access|secret|password|token|key|pass|db|app|org|client|account|aws|openai|hf|huggingface|github)|<[^<>]*>|\{\{|\}\}|\$\{|\$\(|%\([a-z_]+\)s|%s|\bxxx+|xxxxx|\*\*\*|\.\.\.|…|redacted|not[-_ ]?(a[-_ ]?)?(real|secret|valid)|secret[-_ ]?here|key[-_ ]?here|token[-_ ]?here|password[-_ ]?here|insert[-_ ]|enter[-_ ]your|put[-_ ]your|fill[-_ ]?in|do[-_ ]?not[-_ ]?use|for[-_ ]?testing[-_ ]?only/i;

/** References to where the real value lives. */
const REFERENCE = /^\$[A-Za-z_][A-Za-z0-9_]*$|^\$\{\{?|os\.environ|os\.getenv|getenv\(|environ\[|env\(|secret\(|secrets\.|vault:|^vault\b|arn:aws:secretsmanager|arn:aws:ssm|^ssm:|projects\/[^/]+\/secrets\/|secretmanager|secretsmanager|keyvault|key-vault|azurekeyvault|secretKeyRef|^ref\+|^sops:|^ENC\[|^op:\/\/|^gcp:|^aws:|^awssm:|^file:|^@Microsoft\.KeyVault/i;

/** Whether a text has at most `max` distinct characters (code points); stops at the first one more, unlike a Set of them all. */
function hasAtMostDistinct(s: string, max: number): boolean {
  const seen: string[] = [];
  for (const c of s) {
    if (seen.includes(c)) continue;
    if (seen.length === max) return false;
    seen.push(c);
  }
  return true;
}

/** True for values that stand in for a secret rather than being one. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (PLACEHOLDER_MARKS.test(v)) return true;
  if (REFERENCE.test(v)) return true;
  // AWS's documented example credentials (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)
  if (v.includes('EXAMPLE')) return true;
  // keys that are not secret by design: Stripe test-mode keys (no real money) and publishable keys
  if (/^(sk|rk|pk)_test_|^pk_live_/.test(v)) return true;
  // an environment variable's name given as the value: `password_env = "DB_PASSWORD"`
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v) && /[A-Z]{3}/.test(v)) return true;
  // one repeated character, or a run of the keyboard / alphabet
  if (hasAtMostDistinct(v.replace(/^(sk|pk|rk|hf|ghp|gho|ghs|ghu|ghr|glpat|xox[a-z])[-_]/i, ''), 3)) return true;
  if (/(abcdefgh|bcdefghi|01234567|12345678|23456789|qwertyui|asdfghjk)/i.test(v) && shannonEntropy(v) < 4.5) return true;
  return false;
}

/** A path, a URL without credentials, or a file name: values of names such as `credentials` that are not secrets. */
function isPathOrUrl(v: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return true;
  if (/^(\/|\.\.?\/|~\/|[A-Za-z]:[\\/])/.test(v)) return true;
  if (/\.(json|ya?ml|txt|pem|key|p12|pfx|crt|cer|env|ini|cfg|conf|toml|csv|pkl|gpg|asc|enc)$/i.test(v) && !/\s/.test(v)) return true;
  if (/^[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]+$/.test(v) && /[a-z]{3}/.test(v) && !/[0-9]{4}/.test(v)) return true;
  return false;
}

/** A sentence or an identifier-like phrase rather than a credential. */
function isProse(v: string): boolean {
  if (/\s/.test(v.trim())) return true;
  // snake/kebab/camel phrases made of lowercase words: `use_the_vault_token`, `openai-api-key`
  if (/^[a-z]+([_-][a-z]+)+$/.test(v)) return true;
  return false;
}

/**
 * Whether a literal value assigned to a secret-like name is itself a credential.
 * Passwords are human-chosen: 6+ characters, two character classes or 10+ characters.
 * Tokens and keys are generated: 16+ characters, letters and digits, high entropy.
 */
export function looksLikeSecretValue(value: string, nameClass: SecretNameClass): boolean {
  const v = value;
  if (v !== v.trim() || v.length > 4096) return false;
  // the cheap shape tests first (most values fail them), the entropy of a token last
  if (!(nameClass === 'password' ? hasPasswordShape(v) : hasTokenShape(v))) return false;
  if (isPathOrUrl(v) || isPlaceholder(v)) return false;
  return nameClass === 'password' || shannonEntropy(v) >= 3.0;
}

/** `looksLikeSecretValue(v, 'password') || looksLikeSecretValue(v, 'token')`, with the placeholder and path tests run once. */
export function looksLikeSomeSecretValue(value: string): boolean {
  const v = value;
  if (v !== v.trim() || v.length > 4096) return false;
  const password = hasPasswordShape(v);
  if (!password && !hasTokenShape(v)) return false;
  if (isPathOrUrl(v) || isPlaceholder(v)) return false;
  return password || shannonEntropy(v) >= 3.0;
}

function hasPasswordShape(v: string): boolean {
  if (v.length < 6 || /\s/.test(v)) return false;
  // a word or two, as in locale files and defaults: `postgres`, `Passwort`, `Mot-de-passe`
  if (/^[A-Za-z][a-zà-ÿ]+([_-][A-Za-z]?[a-zà-ÿ]+)*$/.test(v) && v.length < 16) return false;
  return charClasses(v) >= 2 || v.length >= 10;
}

function hasTokenShape(v: string): boolean {
  if (v.length < 16 || isProse(v)) return false;
  if (!/[0-9]/.test(v) && !(charClasses(v) >= 2 && v.length >= 24)) return false;
  return /[A-Za-z]/.test(v); // not a number: an id, a timestamp
}

/** A random-looking token with no name to go by: stricter than `looksLikeSecretValue`. */
export function looksRandom(v: string, minLength = 20): boolean {
  if (v.length < minLength || isPlaceholder(v) || isProse(v) || isPathOrUrl(v)) return false;
  return charClasses(v) >= 2 && /[0-9]/.test(v) && shannonEntropy(v) >= 3.5;
}
