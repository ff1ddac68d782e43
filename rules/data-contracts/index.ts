import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { collectDataContractFacts } from './collector';
import unvalidatedRead from './unvalidated-read';

/** The data-contracts family (D): schema validation of reads, writes and serving inputs. */
export const dataContractRules: Rule[] = [unvalidatedRead];
export const dataContractCollectors: FactCollector[] = [collectDataContractFacts];
