import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import hardcodedSecret from './hardcoded-secret';
import notebookOutputSecret from './notebook-output-secret';
import secretInConfig from './secret-in-config';

/** The security family (S): secrets, unsafe deserialization, TLS, eval. */
export const securityRules: Rule[] = [hardcodedSecret, notebookOutputSecret, secretInConfig];
export const securityCollectors: FactCollector[] = [];
