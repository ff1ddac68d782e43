import type { ResolvedConfig } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { TAG } from './collectors';

/** Paths that are a model card: MODEL_CARD.md, model_card.md, docs/model_card*, modelcard.md, model-card.yaml … */
export const MODEL_CARD_PATH = /(^|\/)(model[_-]?card[^/]*|MODEL[_-]?CARD[^/]*)$|(^|\/)docs\/model[_-]?cards?(\/|[^/]*$)/i;
const HF_WEIGHTS = /(^|\/)(model\.safetensors|pytorch_model\.bin|tf_model\.h5|model-\d+-of-\d+\.safetensors|adapter_model\.safetensors)$/;

/** Where the project's model card is, if it has one. */
export function findModelCard(facts: WorkspaceFacts): string | null {
  const direct = facts.findPaths((p) => MODEL_CARD_PATH.test(p));
  if (direct.length) return direct[0];
  // a Hugging Face model folder: its README.md is the model card (its front matter holds model-index)
  for (const weights of facts.findPaths((p) => HF_WEIGHTS.test(p))) {
    const dir = weights.includes('/') ? weights.slice(0, weights.lastIndexOf('/') + 1) : '';
    if (facts.paths.has(`${dir}README.md`) && facts.paths.has(`${dir}config.json`)) return `${dir}README.md`;
  }
  const generated = facts.tagged(TAG.card);
  if (generated.length) return generated[0].file.path;
  return null;
}

function values(facts: WorkspaceFacts, prefix: string): string[] {
  const out = new Set<string>();
  for (const f of facts.files.values()) for (const k of f.tags.keys()) if (k.startsWith(prefix)) out.add(k.slice(prefix.length));
  return [...out].sort().slice(0, 20);
}

function list(items: string[], empty: string): string {
  return items.length ? items.map((i) => `- \`${i}\``).join('\n') : `- ${empty}`;
}

/**
 * A MODEL_CARD.md to start from, filled with what the scan knows: where the model is trained and
 * served, model classes, datasets read, metrics logged, the owner. Adapters offer it as "Create
 * MODEL_CARD.md" (a new file is not a text edit of an existing one, so it is not a Fix).
 */
export function modelCardTemplate(facts: WorkspaceFacts, config: ResolvedConfig, projectName = 'this project'): string {
  const where = (tag: string) => facts.tagged(tag).map((t) => t.file.path);
  const trained = where(TAG.trains);
  const served = where(TAG.serves);
  const owner = config.owner ?? (facts.findPaths((p) => /(^|\/)CODEOWNERS$/.test(p)).length ? 'see CODEOWNERS' : 'TODO: team or person accountable for this model');
  return `# Model card: ${projectName}

> Started by mlready from what the code shows. Replace every TODO; keep this file next to the code and update it with each release.

## Model details
- **Owner**: ${owner}
- **Model classes**:
${list(values(facts, TAG.modelClass), 'TODO: architecture or estimator')}
- **Trained in**:
${list(trained, 'TODO: training entry point')}
- **Served by**:
${list(served, 'TODO: serving entry point, or "batch only"')}
- **Version / registry entry**: TODO (e.g. \`models:/<name>/<version>\`)

## Intended use
- **Primary use**: TODO
- **Out of scope**: TODO (uses the model must not be put to)

## Training data
${list(values(facts, TAG.dataset), 'TODO: datasets, their period and owner')}
- **Personal data**: TODO (which fields, legal basis, retention; mlready G104 lists columns that look personal)

## Evaluation
- **Metrics logged**:
${list(values(facts, TAG.metric), 'TODO: metrics and the data they were computed on')}
- **Results**: TODO (per slice, with thresholds for release)

## Limitations and risks
- TODO: known failure modes, populations where it performs worse, fairness checks

## Monitoring
- TODO: what is monitored in production (inputs, drift, performance), alert thresholds, who is paged
`;
}
