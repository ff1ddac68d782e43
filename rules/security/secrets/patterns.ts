/**
 * Credential formats of the providers an ML project talks to. Each pattern runs over a *value*
 * (a string literal's decoded text, a YAML scalar, a .env value, a notebook output), never over
 * raw source. Every pattern is linear: character classes with bounded or single quantifiers and
 * fixed lookarounds, so a 5 MB notebook output costs what its length costs.
 */

export type SecretKind =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'gcp-service-account-key'
  | 'google-api-key'
  | 'azure-storage-account-key'
  | 'azure-shared-access-key'
  | 'azure-sas-token'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'openai-api-key'
  | 'anthropic-api-key'
  | 'huggingface-token'
  | 'databricks-token'
  | 'stripe-key'
  | 'pypi-token'
  | 'npm-token'
  | 'sendgrid-api-key'
  | 'private-key'
  | 'jwt'
  | 'url-password'
  | 'url-token'
  | 'connection-string-password'
  | 'authorization-header'
  | 'named-secret';

export interface ProviderPattern {
  kind: SecretKind;
  label: string;
  re: RegExp;
  /** Capture group holding the secret (0: the whole match). */
  group?: number;
  /** Conventional environment variable for this credential. */
  envName: string;
  /** Extra check on the match (the secret text, the whole text and the match offset). */
  validate?: (secret: string, text: string, index: number) => boolean;
  /**
   * Literal text every match contains, so the pattern is skipped on texts without it (most
   * strings of a program). No flags, and no blanks: blanking binary runs may create those.
   */
  hint: RegExp;
}

/** Not preceded / followed by a character that would make the match part of a longer token (base64, hex, identifiers). */
const L = '(?<![A-Za-z0-9_+/-])';
const R = '(?![A-Za-z0-9_+/-])';

export const PROVIDER_PATTERNS: ProviderPattern[] = [
  {
    kind: 'anthropic-api-key',
    label: 'Anthropic API key',
    re: new RegExp(`${L}sk-ant-(?:api|admin|sid|oat)[0-9]{2}-[A-Za-z0-9_-]{20,300}${R}`, 'g'),
    envName: 'ANTHROPIC_API_KEY',
    hint: /sk-ant-/,
  },
  {
    kind: 'openai-api-key',
    label: 'OpenAI API key',
    re: new RegExp(`${L}sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,300}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{32,64})${R}`, 'g'),
    envName: 'OPENAI_API_KEY',
    hint: /sk-/,
  },
  {
    kind: 'github-token',
    label: 'GitHub token',
    re: new RegExp(`${L}(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,255})${R}`, 'g'),
    envName: 'GITHUB_TOKEN',
    hint: /gh[pousr]_|github_pat_/,
  },
  {
    kind: 'gitlab-token',
    label: 'GitLab token',
    re: new RegExp(`${L}(?:glpat|glptt|gldt|glrt|glcbt|glft|glsoat)-[A-Za-z0-9_-]{20,64}${R}`, 'g'),
    envName: 'GITLAB_TOKEN',
    hint: /gl(?:pat|ptt|dt|rt|cbt|ft|soat)-/,
  },
  {
    kind: 'slack-webhook',
    label: 'Slack webhook URL',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/+-]{20,200})/g,
    group: 1,
    envName: 'SLACK_WEBHOOK_URL',
    hint: /hooks\.slack\.com\//,
  },
  {
    kind: 'slack-token',
    label: 'Slack token',
    re: new RegExp(`${L}(?:xox[abposr]|xapp)-[0-9A-Za-z-]{10,250}${R}`, 'g'),
    envName: 'SLACK_TOKEN',
    hint: /xox[abposr]-|xapp-/,
    validate: (s) => /[0-9]/.test(s) && s.split('-').length >= 3,
  },
  {
    kind: 'huggingface-token',
    label: 'Hugging Face token',
    re: new RegExp(`${L}(?:hf_[A-Za-z0-9]{30,40}|api_org_[A-Za-z0-9]{30,40})${R}`, 'g'),
    envName: 'HF_TOKEN',
    hint: /hf_|api_org_/,
  },
  {
    kind: 'databricks-token',
    label: 'Databricks personal access token',
    re: new RegExp(`${L}dapi[a-f0-9]{32}(?:-[0-9])?${R}`, 'g'),
    envName: 'DATABRICKS_TOKEN',
    hint: /dapi/,
  },
  {
    kind: 'stripe-key',
    label: 'Stripe live key',
    re: new RegExp(`${L}(?:sk|rk)_live_[A-Za-z0-9]{20,247}${R}`, 'g'),
    envName: 'STRIPE_API_KEY',
    hint: /_live_/,
  },
  {
    kind: 'stripe-key',
    label: 'Stripe webhook signing secret',
    re: new RegExp(`${L}whsec_[A-Za-z0-9]{24,64}${R}`, 'g'),
    envName: 'STRIPE_WEBHOOK_SECRET',
    hint: /whsec_/,
  },
  {
    kind: 'pypi-token',
    label: 'PyPI API token',
    re: new RegExp(`${L}pypi-AgE[A-Za-z0-9_-]{50,400}${R}`, 'g'),
    envName: 'PYPI_TOKEN',
    hint: /pypi-AgE/,
  },
  {
    kind: 'npm-token',
    label: 'npm access token',
    re: new RegExp(`${L}npm_[A-Za-z0-9]{36}${R}`, 'g'),
    envName: 'NPM_TOKEN',
    hint: /npm_/,
  },
  {
    kind: 'sendgrid-api-key',
    label: 'SendGrid API key',
    re: new RegExp(`${L}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${R}`, 'g'),
    envName: 'SENDGRID_API_KEY',
    hint: /SG\./,
  },
  {
    kind: 'google-api-key',
    label: 'Google API key',
    re: new RegExp(`${L}AIza[0-9A-Za-z_-]{35}${R}`, 'g'),
    envName: 'GOOGLE_API_KEY',
    hint: /AIza/,
  },
  {
    kind: 'aws-access-key-id',
    label: 'AWS access key ID',
    re: /(?<![A-Za-z0-9/+])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9/+=])/g,
    envName: 'AWS_ACCESS_KEY_ID',
    hint: /AKIA|ASIA|ABIA|ACCA/,
  },
  {
    kind: 'aws-secret-access-key',
    label: 'AWS secret access key',
    re: /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|aws_?secret)["']?\s{0,5}[:=]\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    envName: 'AWS_SECRET_ACCESS_KEY',
    // every alternative of the name holds `secret` (any case)
    hint: /[sS][eE][cC][rR][eE][tT]/,
  },
  {
    kind: 'azure-storage-account-key',
    label: 'Azure storage account key',
    re: /AccountKey=([A-Za-z0-9+/]{80,100}={0,2})/g,
    group: 1,
    envName: 'AZURE_STORAGE_CONNECTION_STRING',
    hint: /AccountKey=/,
  },
  {
    kind: 'azure-shared-access-key',
    label: 'Azure shared access key',
    re: /SharedAccessKey=([A-Za-z0-9+/]{40,50}={0,2})/g,
    group: 1,
    envName: 'AZURE_CONNECTION_STRING',
    hint: /SharedAccessKey=/,
  },
  {
    kind: 'azure-sas-token',
    label: 'Azure SAS token signature',
    re: /(?<=[?&;\s"']|^)sig=([A-Za-z0-9%+/]{30,120}(?:%3D|=){0,2})/gi,
    group: 1,
    envName: 'AZURE_SAS_TOKEN',
    hint: /[sS][iI][gG]=/,
    // a SAS token carries its service version next to the signature
    validate: (_s, text, index) => /(?:^|[?&;\s"'])sv=\d{4}-\d{2}-\d{2}/.test(text.slice(Math.max(0, index - 400), index + 400)),
  },
];

/** Whether a text contains the literal part of some provider format: without one, no provider pattern is tried. */
export const PROVIDER_HINT = new RegExp(PROVIDER_PATTERNS.map((p) => p.hint.source).join('|'));

/**
 * Whether a text contains the literal part of some credential format below (provider hints,
 * `-----BEGIN`, `eyJ`, `://`, `Bearer`/`Token`/`Basic`, `=`/`:` of a named value, `--` of a flag).
 * Without one, nothing can match: the detector returns at once.
 */
export const SECRET_HINT = new RegExp([...PROVIDER_PATTERNS.map((p) => p.hint.source), '-----BEGIN', 'eyJ', ':', '=', 'Bearer|Token|Basic', '--'].join('|'));

/** `-----BEGIN … PRIVATE KEY-----` up to its END line (or the end of the text). */
export const PRIVATE_KEY_BLOCK = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/g;

/** Three base64url parts, the first two JSON objects: a signed JSON Web Token. */
export const JWT = new RegExp(`${L}(eyJ[A-Za-z0-9_-]{8,2000})\\.(eyJ[A-Za-z0-9_-]{8,8000})\\.([A-Za-z0-9_-]{16,2000})${R}`, 'g');

/** `scheme://user:password@host`. The password may not contain `@`, `/` or blanks (they would be percent-encoded). */
export const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{1,30}):\/\/([^\s:/?#@'"<>`]{0,200}):([^\s/?#@'"<>`]{1,300})@([^\s/?#'"<>`:]{1,253})/gi;

/** `scheme://token@host` — a token used as the user name (GitHub, PyPI mirrors, Artifactory). */
export const URL_TOKEN_USER = /(?<![A-Za-z0-9+.-])(https?|git\+https?|ssh|git):\/\/([^\s:/?#@'"<>`]{16,300})@([^\s/?#'"<>`:]{1,253})/gi;

/** `Authorization: Bearer <token>`, `Authorization: token <token>`, `Basic <base64>` in headers, curl commands and logs. */
export const AUTH_HEADER = /(?<![A-Za-z0-9])(Bearer|Token|Basic)[ \t]+([A-Za-z0-9._~+/=-]{16,4000})(?![A-Za-z0-9._~+/=-])/g;

/** `name=value`, `name: value`, `"name": "value"` inside a text (connection strings, env dumps, printed dicts, logs). */
export const NAME_VALUE = /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]{1,60})(["']?)[ \t]{0,4}(=|:)[ \t]{0,4}(["']?)([^\s"',;&}{)\]]{4,4000})/g;

/** `--password S3cret`, `--api-key=abc`, `-p S3cret` is too ambiguous and left alone. */
export const CLI_FLAG = /(?<![A-Za-z0-9-])--([A-Za-z][A-Za-z0-9_-]{1,60})(?:=|[ \t]+)(["']?)([^\s"'-][^\s"']{3,4000})/g;
