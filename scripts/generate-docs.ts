/**
 * Generates docs/rules/<CODE>-<name>.md for every registered rule, and docs/rules/README.md (an
 * index grouped by category), from the rules' own metadata. Headings are fixed, as in Ruff:
 * What it does / Why is this bad? / Example / Use instead / Fix safety / Options / How to suppress.
 *
 *   npx tsx scripts/generate-docs.ts           write the files (and delete pages of removed rules)
 *   npx tsx scripts/generate-docs.ts --check   exit 1 and list stale, missing or orphaned files
 *
 * The output depends only on the registry: no dates, no machine paths, rules in code order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultRegistry } from '../rules/all';
import { docPath, type Registry } from '../rules/core/registry';
import type { Rule, RuleTarget } from '../rules/core/rule';
import { stageSeverity } from '../rules/core/severity';
import { CATEGORIES, CATEGORY_LETTER, STAGES, type Category } from '../rules/core/types';

export const DOCS_DIR = path.join(__dirname, '..', 'docs', 'rules');

const CATEGORY_TITLE: Record<Category, string> = {
  monitoring: 'Monitoring',
  portability: 'Portability',
  'data-contracts': 'Data contracts',
  reproducibility: 'Reproducibility',
  governance: 'Governance',
  security: 'Security',
  reliability: 'Reliability',
  'notebook-hygiene': 'Notebook hygiene',
};

const TARGET_TITLE: Record<RuleTarget, string> = {
  python: 'Python files and notebook code cells',
  notebook: 'Jupyter notebooks (`.ipynb`)',
  yaml: 'YAML pipeline and job configs',
  requirements: 'requirements files',
  dockerfile: 'Dockerfiles',
  dotenv: '`.env` files',
  toml: '`pyproject.toml`',
  workspace: 'the project as a whole',
};

/** Raised by the engine itself rather than by a `check`: where they come from. */
const ENGINE_SOURCES: Record<string, string> = {
  G001: 'the workspace scan, on `mlready.yaml`',
  G901: 'the suppression pass, on the suppression comment',
  G902: 'the suppression pass, on the suppression comment',
  G903: 'the suppression pass, on the suppression comment',
};

function fence(code: string, language: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code.replace(/\s+$/, '')}\n${ticks}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function isEngineRaised(rule: Rule): boolean {
  return !rule.check && !rule.checkWorkspace;
}

function appliesTo(rule: Rule): string {
  if (isEngineRaised(rule)) return `raised by ${ENGINE_SOURCES[rule.code] ?? 'the engine'}`;
  return rule.appliesTo.map((t) => TARGET_TITLE[t] ?? t).join(', ');
}

function severities(rule: Rule): string {
  return STAGES.map((s) => `${s}: ${stageSeverity(rule, rule.severity, s)}`).join(' · ');
}

function fixLine(rule: Rule): string {
  if (!rule.fixable) return 'none';
  return rule.fixable === 'safe' ? 'available (safe: applied by fix-all)' : 'available (unsafe: offered as a quick fix, never applied by fix-all)';
}

function howToSuppress(rule: Rule): string {
  const config = fence(`rules:\n  ${rule.code}: off        # or: error, warning, info, hint`, 'yaml');
  if (isEngineRaised(rule) || rule.code === 'N001' || !rule.check) {
    return [
      !rule.check && rule.checkWorkspace
        ? 'This is a finding about the project as a whole, judged once every file has been read: a comment in one file cannot silence it. Turn the rule off (or change its severity) in `mlready.yaml`:'
        : rule.code === 'G001'
        ? 'This finding is about `mlready.yaml` itself; fix the setting it names. It cannot be silenced inline.'
        : rule.code === 'N001'
          ? 'A file that is not a readable notebook has no cells to hold a comment, so it cannot be silenced inline. Exclude the file with `ignore:` in `mlready.yaml`, or turn the rule off:'
          : 'This finding is about a suppression comment, so it cannot be silenced by another one. Fix the comment, or turn the rule off in `mlready.yaml`:',
      '',
      config,
    ].join('\n');
  }
  const where = rule.appliesTo.includes('yaml') && !rule.appliesTo.includes('python') ? 'in the YAML file' : rule.appliesTo.includes('python') ? 'in Python, notebook cells and YAML' : 'in the file';
  return [
    `On the line of the finding, or alone on the line above it (${where}), and always with a reason:`,
    '',
    fence(`# mlready: ignore[${rule.code}] reason: <why this is acceptable here>`, rule.appliesTo.includes('python') || rule.appliesTo.includes('yaml') ? 'python' : 'text'),
    '',
    `For a whole file: \`# mlready: ignore-file[${rule.code}] reason: …\`. The rule name \`${rule.name}\` works in place of the code. For the whole project, in \`mlready.yaml\`:`,
    '',
    config,
  ].join('\n');
}

function optionsSection(rule: Rule): string | null {
  const entries = Object.entries(rule.options ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return null;
  const rows = entries.map(([k, v]) => `| \`${k}\` | \`${oneLine(JSON.stringify(v))}\` |`);
  const sample = entries.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
  return ['| option | default |', '|---|---|', ...rows, '', 'Set them in `mlready.yaml`:', '', fence(`rules:\n  ${rule.code}:\n    severity: ${rule.severity}\n${sample}`, 'yaml')].join('\n');
}

export function renderRule(rule: Rule): string {
  const lang = rule.docs.language ?? 'python';
  const out: string[] = [
    `# ${rule.code} ${rule.name}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Category | ${CATEGORY_TITLE[rule.category]} (\`${rule.category}\`, ${CATEGORY_LETTER[rule.category]}) |`,
    `| Default severity | ${rule.severity} |`,
    `| By stage | ${severities(rule)} |`,
    `| Applies to | ${appliesTo(rule)} |`,
    `| Fix | ${fixLine(rule)} |`,
    '',
    '## What it does',
    '',
    rule.docs.summary.trim(),
    '',
    '## Why is this bad?',
    '',
    rule.docs.why.trim(),
    '',
    '## Example',
    '',
    fence(rule.docs.example, lang),
    '',
    '## Use instead',
    '',
    fence(rule.docs.useInstead, lang),
    '',
  ];
  if (rule.fixable || rule.docs.fixSafety) out.push('## Fix safety', '', (rule.docs.fixSafety ?? '').trim() || 'See the rule\'s quick fixes.', '');
  const options = optionsSection(rule);
  if (options) out.push('## Options', '', options, '');
  out.push('## How to suppress', '', howToSuppress(rule), '');
  return out.join('\n');
}

export function renderIndex(rules: readonly Rule[]): string {
  const out: string[] = [
    '# mlready rules',
    '',
    '<!-- Generated by scripts/generate-docs.ts from the rules\' metadata: do not edit by hand. -->',
    '',
    `${rules.length} rules in ${CATEGORIES.filter((c) => rules.some((r) => r.category === c)).length} categories. Severities are the defaults at the \`pilot\` stage; \`exploration\` lowers them by one level and \`production\` raises them by one (see each page). Fix: ✓ safe fix, ⚠ unsafe fix only.`,
    '',
  ];
  for (const category of CATEGORIES) {
    const list = rules.filter((r) => r.category === category);
    if (!list.length) continue;
    out.push(`## ${CATEGORY_TITLE[category]} (${CATEGORY_LETTER[category]})`, '', '| code | name | summary | severity | fix |', '|---|---|---|---|---|');
    for (const r of list) {
      const file = path.posix.basename(docPath(r));
      out.push(`| [${r.code}](${file}) | ${r.name} | ${oneLine(r.docs.summary)} | ${r.severity} | ${r.fixable === 'safe' ? '✓' : r.fixable === 'unsafe' ? '⚠' : ''} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Every generated file: name in docs/rules → content. */
export function generateDocs(registry: Registry = defaultRegistry()): Map<string, string> {
  const rules = [...registry.rules].sort((a, b) => a.code.localeCompare(b.code));
  const files = new Map<string, string>();
  for (const r of rules) files.set(path.posix.basename(docPath(r)), renderRule(r));
  files.set('README.md', renderIndex(rules));
  return files;
}

/** Files that differ from what the generator writes: stale, missing, or left over from removed rules. */
export function checkDocs(dir = DOCS_DIR, registry: Registry = defaultRegistry()): string[] {
  const expected = generateDocs(registry);
  const problems: string[] = [];
  for (const [name, content] of expected) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) problems.push(`missing: docs/rules/${name}`);
    else if (fs.readFileSync(file, 'utf8') !== content) problems.push(`stale: docs/rules/${name}`);
  }
  for (const name of existingDocs(dir)) if (!expected.has(name) && RULE_PAGE.test(name)) problems.push(`orphaned (no such rule): docs/rules/${name}`);
  return problems;
}

/** Pages the generator owns; other hand-written pages in docs/rules are left alone. */
const RULE_PAGE = /^[A-Z]\d{3}-[A-Za-z0-9-]+\.md$/;

function existingDocs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort();
}

export function writeDocs(dir = DOCS_DIR, registry: Registry = defaultRegistry()): { written: string[]; removed: string[] } {
  const expected = generateDocs(registry);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const removed: string[] = [];
  for (const [name, content] of expected) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
    fs.writeFileSync(file, content);
    written.push(name);
  }
  for (const name of existingDocs(dir)) {
    if (!expected.has(name) && RULE_PAGE.test(name)) {
      fs.unlinkSync(path.join(dir, name));
      removed.push(name);
    }
  }
  return { written, removed };
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const problems = checkDocs();
    if (problems.length) {
      process.stderr.write(`docs/rules is out of date (run \`npm run docs\`):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write('docs/rules is up to date.\n');
    return 0;
  }
  const { written, removed } = writeDocs();
  process.stdout.write(`docs/rules: ${written.length} written, ${removed.length} removed, ${generateDocs().size} total.\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
