import { maskSecret } from '../core/mask';
import { defineRule, type FixSpec } from '../core/rule';
import { describeSecret, findSecretsInText, isPlaceholder, looksRandom, type SecretMatch } from './secrets';

/** `https://user:password@host` and `https://token@host` in a requirements line (index options, direct URLs, VCS URLs). */
const USERINFO = /\b((?:git\+)?(?:https?|ssh)):\/\/([^\s:/@]+)(?::([^\s/@]*))?@([^\s/:?#]+)/g;

interface IndexCredential {
  start: number;
  end: number;
  secret: string;
  match?: SecretMatch;
  option: string | null;
  host: string;
}

function envNameFor(option: string | null, host: string): string {
  if (/github\.com$/.test(host)) return 'GITHUB_TOKEN';
  if (/gitlab/.test(host)) return 'GITLAB_TOKEN';
  if (option === '--extra-index-url') return 'PIP_EXTRA_INDEX_TOKEN';
  if (option === '-f' || option === '--find-links') return 'PIP_FIND_LINKS_TOKEN';
  return 'PIP_INDEX_TOKEN';
}

export default defineRule({
  code: 'S105',
  name: 'credentials-in-index-url',
  category: 'security',
  severity: 'error',
  appliesTo: ['requirements'],
  fixable: 'unsafe',
  docs: {
    summary: 'A requirements file puts a password or token into a URL: a private package index (`--index-url`, `--extra-index-url`, `--find-links`), a direct wheel URL or a VCS requirement (`git+https://token@github.com/…`).',
    why:
      'Requirements files are committed, copied into Docker images and printed by pip in CI logs. A package-index token usually grants read (often publish) access to every internal package. pip expands `${VAR}` in requirements files, so the credential never needs to be written there; `PIP_INDEX_URL`, a netrc file or keyring work too. Hashes (`--hash=sha256:…`) are not credentials and are never reported.',
    example: '--extra-index-url https://ci:S3cret-token@pypi.internal.example.com/simple\ngit+https://ghp_…@github.com/acme/features.git@v1.2.0',
    useInstead: '--extra-index-url https://ci:${PIP_EXTRA_INDEX_TOKEN}@pypi.internal.example.com/simple\ngit+https://${GITHUB_TOKEN}@github.com/acme/features.git@v1.2.0',
    fixSafety: 'Unsafe: the credential becomes `${NAME}`, which pip expands from the environment; installs fail where the variable is not set. Revoke the leaked value in any case.',
    language: 'text',
  },
  check(ctx) {
    const req = ctx.doc.requirements;
    if (!req) return;
    const unit = req.unit;
    for (let line = 0; line < unit.lines.lineCount; line++) {
      const lineStart = unit.lines.lineStart(line);
      const text = unit.lines.lineText(line);
      if (/^\s*#/.test(text)) continue;
      const option = /^\s*(-i|--index-url|--extra-index-url|-f|--find-links|-e|--editable)\b/.exec(text)?.[1] ?? null;
      USERINFO.lastIndex = 0;
      for (let m = USERINFO.exec(text); m; m = USERINFO.exec(text)) {
        const [whole, scheme, user, password, host] = m;
        const creds: IndexCredential[] = [];
        const userStart = m.index + scheme.length + 3;
        const opt = option === '-i' ? '--index-url' : option === '-f' ? '--find-links' : option;
        if (password !== undefined && password !== '') {
          const pStart = userStart + user.length + 1;
          const provider = findSecretsInText(password, { namedValues: false })[0];
          if (!/\$\{[A-Z0-9_]+\}/.test(password) && (provider || !isPlaceholder(decodeURIComponentSafe(password)))) {
            creds.push({ start: pStart, end: pStart + password.length, secret: password, match: provider, option: opt, host });
          }
        } else {
          const provider = findSecretsInText(user, { namedValues: false })[0];
          if (!/\$\{[A-Z0-9_]+\}/.test(user) && (provider || looksRandom(user, 20))) creds.push({ start: userStart, end: userStart + user.length, secret: user, match: provider, option: opt, host });
        }
        for (const c of creds) {
          const envName = envNameFor(c.option, c.host);
          const fix: FixSpec = {
            title: `Take the credential from the environment variable ${envName} (pip expands \${${envName}})`,
            applicability: 'unsafe',
            edits: [{ unit, start: lineStart + c.start, end: lineStart + c.end, newText: `\${${envName}}` }],
          };
          const what = c.match ? describeSecret(c.match) : `${password !== undefined ? 'password' : 'token'} \`${maskSecret(c.secret)}\``;
          const where = c.option ? `the \`${c.option}\` URL` : whole.startsWith('git+') ? 'a VCS requirement URL' : 'a direct requirement URL';
          ctx.report({
            unit,
            start: lineStart + c.start,
            end: lineStart + c.end,
            message: `${what} in ${where} for ${c.host}: requirements files are committed, baked into images and echoed in CI logs. Use \${${envName}} (pip expands it), a netrc file or keyring, and revoke this one.`.replace(/^./, (ch) => ch.toUpperCase()),
            fixes: [fix],
          });
        }
      }
    }
  },
});

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
