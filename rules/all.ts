import { Registry, type FactCollector } from './core/registry';
import type { Rule } from './core/rule';
import { governanceCollectors, governanceRules } from './governance';
import { notebookCollectors, notebookRules } from './notebook-hygiene';
import { dataContractCollectors, dataContractRules } from './data-contracts';
import { monitoringCollectors, monitoringRules } from './monitoring';
import { portabilityRules } from './portability';
import { reproducibilityCollectors, reproducibilityRules } from './reproducibility';
import { securityCollectors, securityRules } from './security';
import { workspaceCollectors } from './workspace/collectors';
import { reliabilityCollectors, reliabilityRules } from './reliability';

/** Every rule of mlready. A family adds its rules here, and its fact collectors below. */
export const ALL_RULES: Rule[] = [
  ...governanceRules,
  ...notebookRules,
  ...reliabilityRules,
  ...portabilityRules,
  ...monitoringRules,
  ...dataContractRules,
  ...reproducibilityRules,
  ...securityRules,
];

export const ALL_COLLECTORS: FactCollector[] = [...monitoringCollectors, ...dataContractCollectors, ...reproducibilityCollectors, ...securityCollectors, ...notebookCollectors, ...reliabilityCollectors, ...governanceCollectors, ...workspaceCollectors];

let registry: Registry | undefined;
export function defaultRegistry(): Registry {
  registry ??= new Registry(ALL_RULES, ALL_COLLECTORS);
  return registry;
}
