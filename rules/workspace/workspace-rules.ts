import type { ResolvedConfig } from '../core/config';
import { buildFinding } from '../core/engine';
import type { WorkspaceFacts } from '../core/facts';
import type { Registry } from '../core/registry';
import type { Finding } from '../core/types';

/** Runs the project-level rules once every file's facts are known. */
export function runWorkspaceRules(registry: Registry, config: ResolvedConfig, facts: WorkspaceFacts): Finding[] {
  const out: Finding[] = [];
  for (const rule of registry.workspaceRules()) {
    if (config.rules[rule.code]?.severity === 'off') continue;
    const options = { ...(rule.options ?? {}), ...(config.rules[rule.code]?.options ?? {}) };
    try {
      rule.checkWorkspace!({
        rule,
        config,
        facts,
        options,
        report({ message, location, severity }) {
          const f = buildFinding(rule, { message, severity, path: location?.path ?? null }, null, config.stage, config);
          if (!f) return;
          delete f.unit;
          if (location) {
            f.range = location.range;
            f.fileRange = location.fileRange;
            if (location.cell !== undefined) f.cell = location.cell;
          }
          out.push(f);
        },
      });
    } catch {
      // an isolated failure: the other workspace rules still report
    }
  }
  return out;
}
