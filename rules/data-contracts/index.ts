import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';

/** The data-contracts family (D): schema validation of reads, writes and serving inputs. */
export const dataContractRules: Rule[] = [];
export const dataContractCollectors: FactCollector[] = [];
