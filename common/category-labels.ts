import type { Category } from '../rules/core/types';

/** How every report, the docs, the panel and the tree name a category (type-only import: the client bundle stays free of engine code). */
export const CATEGORY_LABELS: Record<Category, string> = {
  monitoring: 'Monitoring',
  portability: 'Portability',
  'data-contracts': 'Data contracts',
  reproducibility: 'Reproducibility',
  governance: 'Governance',
  security: 'Security',
  reliability: 'Reliability',
  'notebook-hygiene': 'Notebook hygiene',
};
