import { defaultRegistry, docUrl, type Rule } from '../rules';
import type { ExplainArgs, RulesArgs } from './args';
import type { Palette } from './color';
import { UsageError } from './errors';
import { ruleDocsText } from './rule-docs';

/** `mlready rules`: every rule with its code, name, category, default severity and fixability. */
export function listRules(args: RulesArgs, color: Palette): string {
  const rules = [...defaultRegistry().rules].sort((a, b) => a.code.localeCompare(b.code));
  if (args.format === 'json') {
    const list = rules.map((r) => ({
      code: r.code,
      name: r.name,
      category: r.category,
      severity: r.severity,
      fixable: r.fixable ?? null,
      summary: r.docs.summary,
      docUrl: docUrl(r),
    }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const rows = rules.map((r) => [r.code, r.name, r.category, r.severity, r.fixable ? `${r.fixable} fix` : '']);
  const header = ['CODE', 'NAME', 'CATEGORY', 'SEVERITY', 'FIX'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return `${[color.bold(line(header)), ...rows.map(line)].join('\n')}\n\n${rules.length} rules. \`mlready explain CODE\` prints a rule's documentation.\n`;
}

/** `mlready explain CODE`: the rule's documentation (by code, case-insensitive, or by name). */
export function explainRule(args: ExplainArgs): string {
  const registry = defaultRegistry();
  const rule: Rule | undefined = registry.byCode(args.code) ?? registry.byName(args.code.toLowerCase());
  if (!rule) throw new UsageError(`unknown rule "${args.code}"`, 'Run `mlready rules` to list the rules.');
  return ruleDocsText(rule);
}
