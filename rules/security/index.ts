import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import credentialsInIndexUrl from './credentials-in-index-url';
import evalOnData from './eval-on-data';
import hardcodedSecret from './hardcoded-secret';
import notebookOutputSecret from './notebook-output-secret';
import secretInConfig from './secret-in-config';
import secretInDockerfile from './secret-in-dockerfile';
import secretInEnvFile from './secret-in-env-file';
import shellInjection from './shell-injection';
import tlsVerificationDisabled from './tls-verification-disabled';
import trustRemoteCode from './trust-remote-code';
import unsafeDeserialization from './unsafe-deserialization';

/** The security family (S): secrets, unsafe deserialization, TLS, eval. */
export const securityRules: Rule[] = [
  hardcodedSecret, notebookOutputSecret, secretInConfig, secretInEnvFile, credentialsInIndexUrl, secretInDockerfile,
  unsafeDeserialization, tlsVerificationDisabled, evalOnData, shellInjection, trustRemoteCode,
];
export const securityCollectors: FactCollector[] = [];
