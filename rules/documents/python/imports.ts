import type { Node } from './syntax-tree';
import { dottedName } from './syntax';

/** One name bound by an import: `import pandas as pd` binds `pd` to `pandas`. */
export interface ImportBinding {
  local: string;
  qualified: string;
  /** The module the import reads from: `sklearn.ensemble` for `from sklearn.ensemble import X`. */
  module: string;
  node: Node;
  unitIndex: number;
}

export function bindingsOf(node: Node, unitIndex: number): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (node.type === 'import_statement') {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'dotted_name') {
        // `import os.path` binds `os`, and makes `os.path` usable through it
        const full = child.text.replace(/\s+/g, '');
        const root = full.split('.')[0];
        out.push({ local: root, qualified: root, module: full, node, unitIndex });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text.replace(/\s+/g, '');
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) out.push({ local: alias, qualified: name, module: name, node, unitIndex });
      }
    }
  } else if (node.type === 'import_from_statement') {
    const moduleNode = node.childForFieldName('module_name');
    const module = moduleNode ? moduleNode.text.replace(/\s+/g, '') : '';
    const prefix = module.endsWith('.') ? module : `${module}.`;
    for (const child of node.namedChildren) {
      if (!child || child.id === moduleNode?.id) continue;
      if (child.type === 'dotted_name') {
        const name = dottedName(child) ?? child.text;
        out.push({ local: name, qualified: prefix + name, module, node, unitIndex });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) out.push({ local: alias, qualified: prefix + name, module, node, unitIndex });
      } else if (child.type === 'wildcard_import') {
        out.push({ local: '*', qualified: `${prefix}*`, module, node, unitIndex });
      }
    }
  }
  return out;
}

/** Resolves local names to qualified names, in program order (later imports win). */
export class ImportTable {
  private readonly byLocal = new Map<string, ImportBinding>();
  readonly bindings: ImportBinding[] = [];
  /** Every module named by an import, with all its parents: `sklearn.ensemble` adds `sklearn` too. */
  readonly modules = new Set<string>();

  add(binding: ImportBinding): void {
    this.bindings.push(binding);
    if (binding.local !== '*') this.byLocal.set(binding.local, binding);
    const parts = (binding.module || binding.qualified).split('.');
    for (let i = 1; i <= parts.length; i++) if (parts[i - 1]) this.modules.add(parts.slice(0, i).join('.'));
  }

  binding(local: string): ImportBinding | undefined {
    return this.byLocal.get(local);
  }

  /** `pd.read_csv` → `pandas.read_csv`; null when the root name is not imported. */
  resolve(dotted: string): string | null {
    const dot = dotted.indexOf('.');
    const root = dot < 0 ? dotted : dotted.slice(0, dot);
    const b = this.byLocal.get(root);
    if (!b) return null;
    return dot < 0 ? b.qualified : b.qualified + dotted.slice(dot);
  }

  /** True when any import names this module or one of its submodules (`imports('mlflow')`). */
  imports(module: string): boolean {
    return this.modules.has(module);
  }
}
