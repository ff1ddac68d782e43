import type { Rule } from '../rules';
import { docUrl } from '../rules';

/**
 * A rule's documentation from its metadata, with the headings of the generated pages in
 * docs/rules (What it does / Why is this bad? / Example / Use instead / Fix safety). Used by
 * `mlready explain` and by SARIF's `help`, so a reviewer reads the same text in the terminal and
 * in the code scanning alert.
 */

export function fixabilityLabel(rule: Rule): string {
  return rule.fixable === 'safe' ? 'safe fix' : rule.fixable === 'unsafe' ? 'unsafe fix' : 'no fix';
}

export function ruleDocsMarkdown(rule: Rule): string {
  const lang = rule.docs.language ?? 'python';
  const out = [
    `**${rule.code} ${rule.name}** · ${rule.category} · default severity ${rule.severity} · ${fixabilityLabel(rule)}`,
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
  ];
  if (rule.docs.fixSafety) out.push('', '## Fix safety', '', rule.docs.fixSafety.trim());
  out.push('', `[Full documentation](${docUrl(rule)})`);
  return out.join('\n');
}

export function ruleDocsText(rule: Rule): string {
  const section = (title: string, body: string) => [title, indent(body.trim()), ''];
  const out = [
    `${rule.code} ${rule.name}`,
    `category: ${rule.category} · default severity: ${rule.severity} · ${fixabilityLabel(rule)}`,
    '',
    ...section('What it does', rule.docs.summary),
    ...section('Why is this bad?', rule.docs.why),
    ...section('Example', rule.docs.example),
    ...section('Use instead', rule.docs.useInstead),
  ];
  if (rule.docs.fixSafety) out.push(...section('Fix safety', rule.docs.fixSafety));
  out.push(`Documentation: ${docUrl(rule)}`);
  return out.join('\n') + '\n';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

/** A fence longer than any backtick run inside, so examples that contain fences stay intact. */
function fence(code: string, language: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code.replace(/\s+$/, '')}\n${ticks}`;
}
