import * as path from 'path';
import { docPath, docUrl, type Rule } from '../rules';
import type { RuleTarget } from '../rules/core/rule';
import { stageSeverity } from '../rules/core/severity';
import { CATEGORY_LABELS } from '../common/category-labels';
import { CATEGORIES, CATEGORY_LETTER, STAGES } from '../rules/core/types';

/**
 * The one renderer of a rule's documentation, from its metadata. Every reader gets the same
 * sections, with the fixed headings of Ruff's docs (What it does / Why is this bad? / Example /
 * Use instead / Fix safety / Options / How to suppress):
 * - `renderRulePage` and `renderRuleIndex`: docs/rules (scripts/generate-docs.ts writes them);
 * - `ruleDocsMarkdown`: SARIF `help.markdown`, what a reviewer reads in a code scanning alert;
 * - `ruleDocsText`: `mlready explain` and SARIF `help.text`.
 * The output depends only on the rule: no dates, no machine paths.
 */


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

/** A section's content, rendered as Markdown or as indented terminal text. */
type Block = { kind: 'text'; text: string } | { kind: 'code'; code: string; language: string } | { kind: 'table'; head: string[]; rows: string[][] };
interface Section {
  title: string;
  blocks: Block[];
}

const text = (t: string): Block => ({ kind: 'text', text: t.trim() });
const code = (c: string, language: string): Block => ({ kind: 'code', code: c, language });

export function fixabilityLabel(rule: Rule): string {
  return rule.fixable === 'safe' ? 'safe fix' : rule.fixable === 'unsafe' ? 'unsafe fix' : 'no fix';
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

function configBlock(rule: Rule): Block {
  return code(`rules:\n  ${rule.code}: off        # or: error, warning, info, hint`, 'yaml');
}

function howToSuppress(rule: Rule): Block[] {
  if (isEngineRaised(rule) || rule.code === 'N001' || !rule.check) {
    const why =
      !rule.check && rule.checkWorkspace
        ? 'This is a finding about the project as a whole, judged once every file has been read: a comment in one file cannot silence it. Turn the rule off (or change its severity) in `mlready.yaml`:'
        : rule.code === 'G001'
          ? 'This finding is about `mlready.yaml` itself; fix the setting it names. It cannot be silenced inline.'
          : rule.code === 'N001'
            ? 'A file that is not a readable notebook has no cells to hold a comment, so it cannot be silenced inline. Exclude the file with `ignore:` in `mlready.yaml`, or turn the rule off:'
            : 'This finding is about a suppression comment, so it cannot be silenced by another one. Fix the comment, or turn the rule off in `mlready.yaml`:';
    return [text(why), configBlock(rule)];
  }
  const where = rule.appliesTo.includes('yaml') && !rule.appliesTo.includes('python') ? 'in the YAML file' : rule.appliesTo.includes('python') ? 'in Python, notebook cells and YAML' : 'in the file';
  const commentLanguage = rule.appliesTo.includes('python') || rule.appliesTo.includes('yaml') ? 'python' : 'text';
  return [
    text(`On the line of the finding, or alone on the line above it (${where}), and always with a reason:`),
    code(`# mlready: ignore[${rule.code}] reason: <why this is acceptable here>`, commentLanguage),
    text(`For a whole file: \`# mlready: ignore-file[${rule.code}] reason: …\`. The rule name \`${rule.name}\` works in place of the code. For the whole project, in \`mlready.yaml\`:`),
    configBlock(rule),
  ];
}

function options(rule: Rule): Block[] | null {
  const entries = Object.entries(rule.options ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return null;
  const sample = entries.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
  return [
    { kind: 'table', head: ['option', 'default'], rows: entries.map(([k, v]) => [`\`${k}\``, `\`${oneLine(JSON.stringify(v))}\``]) },
    text('Set them in `mlready.yaml`:'),
    code(`rules:\n  ${rule.code}:\n    severity: ${rule.severity}\n${sample}`, 'yaml'),
  ];
}

/** The sections every rendering shares, in order. */
function sections(rule: Rule): Section[] {
  const lang = rule.docs.language ?? 'python';
  const out: Section[] = [
    { title: 'What it does', blocks: [text(rule.docs.summary)] },
    { title: 'Why is this bad?', blocks: [text(rule.docs.why)] },
    { title: 'Example', blocks: [code(rule.docs.example, lang)] },
    { title: 'Use instead', blocks: [code(rule.docs.useInstead, lang)] },
  ];
  if (rule.fixable || rule.docs.fixSafety) out.push({ title: 'Fix safety', blocks: [text((rule.docs.fixSafety ?? '').trim() || "See the rule's quick fixes.")] });
  const opts = options(rule);
  if (opts) out.push({ title: 'Options', blocks: opts });
  out.push({ title: 'How to suppress', blocks: howToSuppress(rule) });
  return out;
}

// ---- Markdown ----

/** A fence longer than any backtick run inside, so examples that contain fences stay intact. */
export function fence(source: string, language: string): string {
  const longest = Math.max(2, ...[...source.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${source.replace(/\s+$/, '')}\n${ticks}`;
}

/** Text for one Markdown table cell. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function markdownBlock(b: Block): string {
  switch (b.kind) {
    case 'text':
      return b.text;
    case 'code':
      return fence(b.code, b.language);
    case 'table':
      return [`| ${b.head.join(' | ')} |`, `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
}

function markdownSections(rule: Rule, level: string): string[] {
  return sections(rule).flatMap((s) => [`${level} ${s.title}`, '', s.blocks.map(markdownBlock).join('\n\n'), '']);
}

/** docs/rules/<CODE>-<name>.md */
export function renderRulePage(rule: Rule): string {
  return [
    `# ${rule.code} ${rule.name}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Category | ${CATEGORY_LABELS[rule.category]} (\`${rule.category}\`, ${CATEGORY_LETTER[rule.category]}) |`,
    `| Default severity | ${rule.severity} |`,
    `| By stage | ${severities(rule)} |`,
    `| Applies to | ${appliesTo(rule)} |`,
    `| Fix | ${fixLine(rule)} |`,
    '',
    ...markdownSections(rule, '##'),
  ].join('\n');
}

/** docs/rules/README.md: every rule, grouped by category. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const out: string[] = [
    '# mlready rules',
    '',
    "<!-- Generated by scripts/generate-docs.ts from the rules' metadata: do not edit by hand. -->",
    '',
    `${rules.length} rules in ${CATEGORIES.filter((c) => rules.some((r) => r.category === c)).length} categories. Severities are the defaults at the \`pilot\` stage; \`exploration\` lowers them by one level and \`production\` raises them by one (see each page). Fix: ✓ safe fix, ⚠ unsafe fix only.`,
    '',
  ];
  for (const category of CATEGORIES) {
    const list = rules.filter((r) => r.category === category);
    if (!list.length) continue;
    out.push(`## ${CATEGORY_LABELS[category]} (${CATEGORY_LETTER[category]})`, '', '| code | name | summary | severity | fix |', '|---|---|---|---|---|');
    for (const r of list) {
      const file = path.posix.basename(docPath(r));
      out.push(`| [${r.code}](${file}) | ${r.name} | ${oneLine(r.docs.summary)} | ${r.severity} | ${fixMark(r)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The compact table of every rule that README.md carries (links relative to the repository root). */
export function renderRuleTable(rules: readonly Rule[]): string {
  const out = ['| code | name | category | severity | fix |', '|---|---|---|---|---|'];
  for (const r of rules) out.push(`| [${r.code}](${docPath(r)}) | ${r.name} | ${r.category} | ${r.severity} | ${fixMark(r)} |`);
  return out.join('\n');
}

function fixMark(r: Rule): string {
  return r.fixable === 'safe' ? '✓' : r.fixable === 'unsafe' ? '⚠' : '';
}

/** SARIF `help.markdown`: the page's sections under a one-line header, and a link to the page. */
export function ruleDocsMarkdown(rule: Rule): string {
  return [
    `**${rule.code} ${rule.name}** · ${rule.category} · default severity ${rule.severity} · ${fixabilityLabel(rule)}`,
    '',
    ...markdownSections(rule, '##'),
    `[Full documentation](${docUrl(rule)})`,
  ].join('\n');
}

// ---- terminal text ----

function indent(t: string): string {
  return t
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

function textBlock(b: Block): string {
  switch (b.kind) {
    case 'text':
      return indent(b.text);
    case 'code':
      return indent(b.code.replace(/\s+$/, ''));
    case 'table': {
      const rows = [b.head, ...b.rows].map((r) => r.map((c) => c.replace(/`/g, '').replace(/\\\|/g, '|')));
      const widths = b.head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      return rows.map((r) => indent(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd())).join('\n');
    }
  }
}

/** `mlready explain CODE` and SARIF `help.text`. */
export function ruleDocsText(rule: Rule): string {
  const out = [`${rule.code} ${rule.name}`, `category: ${rule.category} · default severity: ${rule.severity} · ${fixabilityLabel(rule)}`, ''];
  for (const s of sections(rule)) out.push(s.title, s.blocks.map(textBlock).join('\n\n'), '');
  out.push(`Documentation: ${docUrl(rule)}`);
  return out.join('\n') + '\n';
}
