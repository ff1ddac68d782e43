import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { governanceCollector } from './collectors';
import enforcedSuppression from './enforced-suppression';
import invalidConfig from './invalid-config';
import suppressionWithoutReason from './suppression-without-reason';
import unusedSuppression from './unused-suppression';
import modelArtifactWithoutLineage from './model-artifact-without-lineage';
import noModelCard from './no-model-card';
import noOwner from './no-owner';
import piiUsedAsFeature from './pii-used-as-feature';

/**
 * The governance family (G): model lineage, model card, owner, PII as features (G101–G199), and
 * the rules the engine raises itself about configuration and suppressions (G001, G901–G903).
 */
export const governanceRules: Rule[] = [
  invalidConfig,
  modelArtifactWithoutLineage,
  noModelCard,
  noOwner,
  piiUsedAsFeature,
  suppressionWithoutReason,
  unusedSuppression,
  enforcedSuppression,
];
export const governanceCollectors: FactCollector[] = [governanceCollector];
export { modelCardTemplate, findModelCard } from './model-card';
