import type { FactCollector } from '../core/registry';
import type { Rule } from '../core/rule';
import { governanceCollector } from './collectors';
import modelArtifactWithoutLineage from './model-artifact-without-lineage';
import noModelCard from './no-model-card';
import noOwner from './no-owner';
import piiUsedAsFeature from './pii-used-as-feature';

/**
 * The governance family's rules with a `check` (G101–G199). The engine-raised ones (G001,
 * G901–G903) are listed in rules/all.ts directly.
 */
export const governanceRules: Rule[] = [modelArtifactWithoutLineage, noModelCard, noOwner, piiUsedAsFeature];
export const governanceCollectors: FactCollector[] = [governanceCollector];
export { modelCardTemplate, findModelCard } from './model-card';
