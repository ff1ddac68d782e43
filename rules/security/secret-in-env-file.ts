import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { parseDotenv } from './env-assignments';
import { isBlock, isFormatKind } from './python-secrets';
import { describeSecret, findSecretsInNamedValue } from './secrets';

/** `.env` files that are meant to be committed, as templates for the real one. */
const TEMPLATE = /(^|\/)\.env\.(example|sample|template|dist|defaults?|tmpl|tpl)$|(^|\/)(example|sample|template)\.env$/i;

export default defineRule({
  code: 'S104',
  name: 'secret-in-env-file',
  category: 'security',
  severity: 'warning',
  appliesTo: ['dotenv'],
  docs: {
    summary: 'A `.env`-style file assigns a credential: a provider key, a private key, a password inside a URL, or a secret-looking value for a name such as `DB_PASSWORD` or `OPENAI_API_KEY`.',
    why:
      'A `.env` file is the right place for local secrets only while it stays out of version control and out of images. Once committed, copied into a Docker build context or shared, every credential in it is leaked. Template files (`.env.example`, `.env.sample`, `.env.template` …) are meant to be committed, so a real-looking value there is an error; in other `.env` files it is a warning (they are usually git-ignored; make sure this one is). Placeholders and `${VAR}` references are not reported.',
    example: '# .env.example\nOPENAI_API_KEY=sk-proj-…\nDATABASE_URL=postgresql://app:S3cret-pass@db:5432/app',
    useInstead: '# .env.example (committed)\nOPENAI_API_KEY=<your-openai-key>\nDATABASE_URL=postgresql://app:${DB_PASSWORD}@db:5432/app\n# .env (git-ignored) holds the real values, or a secret manager does',
    language: 'text',
  },
  check(ctx) {
    if (ctx.doc.kind !== 'dotenv') return;
    const text = ctx.doc.text;
    const template = TEMPLATE.test(ctx.doc.path);
    const inTests = isTestPath(ctx.config, ctx.doc.path);
    for (const a of parseDotenv(text)) {
      for (const m of findSecretsInNamedValue(a.name, a.value)) {
        if (inTests && !isFormatKind(m)) continue;
        const s = isBlock(m) ? m.spanStart : m.start;
        const e = isBlock(m) ? m.spanEnd : m.end;
        const [start, end] = a.exact ? [a.valueStart + s, a.valueStart + e] : [a.valueStart, a.valueEnd];
        const advice = template
          ? 'this template is meant to be committed, so the value is leaked: put a placeholder here, keep real values in the git-ignored .env or a secret manager, and revoke this one.'
          : 'keep this file out of version control and Docker build contexts (.gitignore, .dockerignore), commit a .env.example with placeholders instead, and revoke the value if the file was ever committed.';
        ctx.report({
          unit: ctx.doc.file,
          start,
          end,
          severity: template ? 'error' : undefined,
          message: `${describeSecret(m)} in \`${a.name}\`: ${advice}`.replace(/^./, (c) => c.toUpperCase()),
        });
      }
    }
  },
});
