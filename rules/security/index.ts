import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import hardcodedSecret from './hardcoded-secret';

/** The security family (S): secrets, unsafe deserialization, TLS, eval. */
export const securityRules: Rule[] = [hardcodedSecret];
export const securityCollectors: FactCollector[] = [];
