import { defineRule } from '../core/rule';
import { isTestPath } from '../core/config';
import { isFormatKind, pythonSecretSites, secretFix } from './python-secrets';
import { describeSecret, findSecretsInText } from './secrets';

export default defineRule({
  code: 'S101',
  name: 'hardcoded-secret',
  category: 'security',
  severity: 'error',
  appliesTo: ['python', 'notebook'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A credential is written into Python code or a notebook: a provider key (AWS, GCP service account, Azure, GitHub, GitLab, Slack, OpenAI, Anthropic, Hugging Face, Databricks, Stripe …), a private key, a JWT, a password inside a URL or connection string, or a secret-looking literal assigned to a name such as `password`, `api_key` or `token`.',
    why:
      'Everyone who can read the repository, a copy of it, a notebook export or its history can use the credential, and it cannot be rotated without a code change. Leaked cloud and model-hub keys are found and abused within minutes of a push. Placeholders (`"changeme"`, `"<your-key>"`, `"${VAR}"`), values read with `os.environ[...]`/`getpass()`, and AWS\'s documented example keys (`AKIAIOSFODNN7EXAMPLE`) are not reported. In test folders only keys recognised by their provider format are reported: fake passwords in fixtures are fine, a real-format token is not.',
    example: 'import openai\n\nopenai.api_key = "sk-proj-…"\nengine = create_engine("postgresql://app:S3cret-pass@db:5432/features")',
    useInstead:
      'import os\n\nimport openai\n\nopenai.api_key = os.environ["OPENAI_API_KEY"]\nengine = create_engine(os.environ["FEATURES_DB_URL"])\n# or a secret manager: boto3.client("secretsmanager").get_secret_value(SecretId="features-db")',
    fixSafety:
      'Unsafe: the literal becomes `os.environ["NAME"]` (for a password inside a URL, an f-string that reads only the password), and `import os` is added. The program then needs that variable set wherever it runs, and fails with a KeyError where it is not. The leaked value stays in the repository history: revoke it in any case.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonSecretSites(ctx, program)) {
        const where = site.binding ? ` assigned to \`${site.binding.name}\`` : '';
        const place = site.literal ? (site.literal.docstring ? ' in a docstring' : '') : site.origin === 'comment' ? ' in a comment' : ' in a magic or shell command';
        const fix = secretFix(program, site);
        ctx.report({
          unit: site.unit,
          start: site.start,
          end: site.end,
          message: `Hardcoded ${describeSecret(site.match)}${where}${place}: anyone who can read this code or its history can use it. Revoke it, and read it from the environment or a secret manager.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
    // markdown and raw cells: prose, so only credentials recognised by their format or shape in the text
    const notebook = ctx.doc.notebook;
    if (notebook) {
      const inTests = isTestPath(ctx.config, ctx.doc.path);
      for (const cell of notebook.cells) {
        if (cell.type === 'code') continue;
        for (const match of findSecretsInText(cell.source)) {
          if (inTests && !isFormatKind(match)) continue;
          ctx.report({
            unit: cell.unit,
            start: match.start,
            end: match.end,
            message: `Hardcoded ${describeSecret(match)} in a ${cell.type} cell: anyone who can read the notebook can use it. Revoke it and remove it from the notebook.`,
          });
        }
      }
    }
  },
});
