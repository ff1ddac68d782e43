/**
 * The shared secret detector. Any rule may call it on any text it has extracted (a string
 * literal's value, a YAML scalar, a .env value, a notebook output): `findSecretsInText` for free
 * text, `findSecretsInNamedValue` when the value is bound to a name. Show a match only through
 * `describeSecret` / `match.masked` (both built on `maskSecret`).
 */
export { describeSecret, envNameFromName, findSecretsInNamedValue, findSecretsInText, mayBeNamedSecret, mayHoldFormatSecret, namedSecret, schemeEnvPrefix, MAX_SCAN_LENGTH, type ScanOptions, type SecretMatch } from './detect';
export { isSecretName, nameWords, secretNameClass, type SecretNameClass } from './names';
export { PROVIDER_PATTERNS, type ProviderPattern, type SecretKind } from './patterns';
export { charClasses, isPlaceholder, looksLikeSecretValue, looksRandom, shannonEntropy } from './values';
export { notebookOutputSecrets, type OutputSecret } from './notebook-outputs';
