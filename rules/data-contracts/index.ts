import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { collectDataContractFacts } from './collector';
import datasetWithoutSchema from './dataset-without-schema';
import noDataContract from './no-data-contract';
import selectStarQuery from './select-star-query';
import untypedServingInput from './untyped-serving-input';
import unvalidatedRead from './unvalidated-read';
import unvalidatedWrite from './unvalidated-write';

/** The data-contracts family (D): schema validation of reads, writes and serving inputs. */
export const dataContractRules: Rule[] = [unvalidatedRead, selectStarQuery, untypedServingInput, unvalidatedWrite, datasetWithoutSchema, noDataContract];
export const dataContractCollectors: FactCollector[] = [collectDataContractFacts];
