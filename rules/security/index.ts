import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import hardcodedSecret from './hardcoded-secret';
import notebookOutputSecret from './notebook-output-secret';
import secretInConfig from './secret-in-config';
import secretInDockerfile from './secret-in-dockerfile';
import secretInEnvFile from './secret-in-env-file';

/** The security family (S): secrets, unsafe deserialization, TLS, eval. */
export const securityRules: Rule[] = [hardcodedSecret, notebookOutputSecret, secretInConfig, secretInEnvFile, secretInDockerfile];
export const securityCollectors: FactCollector[] = [];
