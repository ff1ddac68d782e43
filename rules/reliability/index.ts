import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { clusterObjectCollector } from './collector';
import invalidYaml from './invalid-yaml';
import missingResourceLimits from './missing-resource-limits';
import pythonSyntaxError from './python-syntax-error';
import { scriptLinkCollector } from './scripts';

/** The reliability family (L): files that cannot run, and pipeline steps without resources, retries, timeouts or probes. */
export const reliabilityRules: Rule[] = [invalidYaml, pythonSyntaxError, missingResourceLimits];
export const reliabilityCollectors: FactCollector[] = [clusterObjectCollector, scriptLinkCollector];
