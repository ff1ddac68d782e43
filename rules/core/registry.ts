import type { AnalyzedDocument } from '../documents/document';
import type { FileFacts } from './facts';
import type { Rule, RuleTarget } from './rule';

/** Adds family-specific facts about a file (tags such as `serves-model`). Must not throw. */
export type FactCollector = (doc: AnalyzedDocument, facts: FileFacts) => void;

export const DOCS_BASE_URL = 'https://github.com/mlready/mlready/blob/main/';

export function docPath(rule: Pick<Rule, 'code' | 'name'>): string {
  return `docs/rules/${rule.code}-${rule.name}.md`;
}

/** One string per rule: every finding carries its rule's link, and a scan makes tens of thousands. */
const docUrls = new WeakMap<object, string>();

export function docUrl(rule: Pick<Rule, 'code' | 'name'>): string {
  let url = docUrls.get(rule);
  if (url === undefined) docUrls.set(rule, (url = DOCS_BASE_URL + docPath(rule)));
  return url;
}

export class Registry {
  private readonly codes = new Map<string, Rule>();
  private readonly names = new Map<string, Rule>();
  private readonly byTarget = new Map<string, Rule[]>();

  constructor(
    readonly rules: readonly Rule[],
    readonly collectors: readonly FactCollector[] = [],
  ) {
    for (const r of rules) {
      if (this.codes.has(r.code)) throw new Error(`mlready: duplicate rule code ${r.code}`);
      if (this.names.has(r.name)) throw new Error(`mlready: duplicate rule name ${r.name}`);
      this.codes.set(r.code, r);
      this.names.set(r.name, r);
    }
  }

  byCode(code: string): Rule | undefined {
    return this.codes.get(code.toUpperCase());
  }

  byName(name: string): Rule | undefined {
    return this.names.get(name);
  }

  /** Rules for a document with these targets, each once, in code order. */
  rulesFor(targets: RuleTarget[]): Rule[] {
    const key = targets.join(',');
    let list = this.byTarget.get(key);
    if (!list) {
      list = this.rules.filter((r) => r.appliesTo.some((t) => targets.includes(t))).sort((a, b) => a.code.localeCompare(b.code));
      this.byTarget.set(key, list);
    }
    return list;
  }

  workspaceRules(): Rule[] {
    return this.rules.filter((r) => r.checkWorkspace);
  }
}
