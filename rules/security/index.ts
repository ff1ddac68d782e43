import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';

/** The security family (S): secrets, unsafe deserialization, TLS, eval. */
export const securityRules: Rule[] = [];
export const securityCollectors: FactCollector[] = [];
