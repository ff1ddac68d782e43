import { defineRule } from '../core/rule';
import { TAG } from './collectors';
import { findModelCard } from './model-card';

export default defineRule({
  code: 'G102',
  name: 'no-model-card',
  category: 'governance',
  severity: 'warning',
  appliesTo: ['workspace'],
  docs: {
    summary: 'The project trains, saves or serves a model but has no model card (`MODEL_CARD.md`, `model_card.md`, `docs/model_card*`, a Hugging Face model folder\'s README, or a card written by a library such as `huggingface_hub.ModelCard`).',
    why:
      'A model card is where intended use, training data, evaluation, limitations and ownership are written down. Without it, reviewers, auditors and the next team cannot tell what the model is for, what it was evaluated on, or where it must not be used; many AI governance frameworks ask for this documentation. mlready\'s `modelCardTemplate` (offered by the editor as "Create MODEL_CARD.md") starts one from what the code shows: model classes, datasets read, metrics logged, owner.',
    example: 'src/train.py      # model.fit(...), joblib.dump(...)\nsrc/serve.py      # FastAPI app loading the model\n(no model card anywhere)',
    useInstead: 'MODEL_CARD.md     # owner, intended use, training data, evaluation, limitations, monitoring',
    language: 'text',
  },
  checkWorkspace(ctx) {
    if (ctx.facts.paths.size < 2) return; // one file checked on its own: not a project to judge
    const evidence = [...ctx.facts.tagged(TAG.trains), ...ctx.facts.tagged(TAG.serves), ...ctx.facts.tagged(TAG.saves)];
    if (!evidence.length || findModelCard(ctx.facts)) return;
    const files = [...new Set(evidence.map((e) => e.file.path))].sort();
    const shown = files.slice(0, 3).map((f) => `\`${f}\``).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    const verbList = [ctx.facts.hasTag(TAG.trains) && 'trains', ctx.facts.hasTag(TAG.saves) && 'saves', ctx.facts.hasTag(TAG.serves) && 'serves'].filter((v): v is string => !!v);
    const verbs = verbList.length > 1 ? `${verbList.slice(0, -1).join(', ')} and ${verbList[verbList.length - 1]}` : verbList[0];
    ctx.report({
      message: `The project ${verbs} a model (${shown}) but has no model card: add MODEL_CARD.md with its owner, intended use, training data, evaluation and limitations, so reviewers and users know what the model is for and where it must not be used.`,
    });
  },
});
