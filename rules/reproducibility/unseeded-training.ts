import { addTag, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import { defineRule, type FixSpec } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { isTrainingCodePath, lastName, orderOf } from './python';
import { seedCallFix } from './seed-fixes';
import { seedingCalls, type Generator } from './seeding';

const TORCH_TRAINERS = new Set(['lightning.Trainer', 'lightning.pytorch.Trainer', 'pytorch_lightning.Trainer', 'lightning.fabric.Fabric', 'lightning.Fabric']);
/** Trainers that seed by themselves (`TrainingArguments.seed` defaults to 42). */
const SELF_SEEDING = /^(transformers\.(Trainer|Seq2SeqTrainer)|trl\.\w*Trainer|setfit\.\w*Trainer|sentence_transformers\.\w*Trainer)$/;
const SCHEDULERS = /^torch\.optim\.(lr_scheduler|swa_utils)\./;

/** Files that seed a framework, so a training module elsewhere in the project is covered by its entry point. */
export const seedCollector: FactCollector = (doc, facts) => {
  if (!doc.python || /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(doc.path)) return;
  for (const { generators } of seedingCalls(doc.python)) for (const g of generators) addTag(facts, `repro.seeds:${g}`);
};

interface Evidence {
  framework: 'torch' | 'tensorflow';
  call: CallSite;
  what: string;
}

function torchEvidence(program: PythonProgram): Evidence | null {
  if (!program.imports.imports('torch') && !program.imports.imports('lightning') && !program.imports.imports('pytorch_lightning')) return null;
  if (program.calls().some((c) => c.qualified && SELF_SEEDING.test(c.qualified))) return null;
  let best: Evidence | null = null;
  for (const call of program.calls()) {
    const q = call.qualified;
    let what: string | null = null;
    if (q && q.startsWith('torch.optim.') && !SCHEDULERS.test(q) && /^[A-Z]/.test(lastName(q))) what = `the optimizer \`${call.callee}\``;
    else if (q && TORCH_TRAINERS.has(q)) what = `\`${call.callee}\``;
    else if (!q && call.method === 'backward' && call.receiver && program.imports.imports('torch')) what = `\`${call.callee ?? 'backward'}()\``;
    if (what && (!best || orderOf(program, call.node) < orderOf(program, best.call.node))) best = { framework: 'torch', call, what };
  }
  return best;
}

function kerasEvidence(program: PythonProgram): Evidence | null {
  if (!program.imports.imports('tensorflow') && !program.imports.imports('keras') && !program.imports.imports('tf_keras')) return null;
  const compiled = new Set<string>();
  let compile: CallSite | null = null;
  let tape: CallSite | null = null;
  for (const call of program.calls()) {
    if (call.method === 'compile' && call.receiver && (call.keywords.has('optimizer') || call.keywords.has('loss'))) {
      compiled.add(call.receiver.text);
      compile ??= call;
    }
    if (call.qualified === 'tensorflow.GradientTape') tape ??= call;
  }
  const fit = program.calls().find((c) => c.method === 'fit' && c.receiver && compiled.has(c.receiver.text));
  if (fit) return { framework: 'tensorflow', call: fit, what: `\`${fit.callee}\`` };
  if (compile) return { framework: 'tensorflow', call: compile, what: `\`${compile.callee}\`` };
  if (tape) return { framework: 'tensorflow', call: tape, what: 'the `tf.GradientTape` training loop' };
  return null;
}

export default defineRule({
  code: 'R103',
  name: 'unseeded-training',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'safe',
  docs: {
    summary:
      'PyTorch (or Lightning) training, or TensorFlow/Keras training, runs with no seed: no `torch.manual_seed`, `seed_everything`, `tf.random.set_seed` or `keras.utils.set_random_seed` in the module, nor in an entry point that imports it. (Hugging Face `Trainer` seeds itself and is not reported.)',
    why:
      'Weight initialisation, dropout masks, data-loader shuffling and augmentation all draw from the framework\'s generator. Without a seed every run trains a different model: metrics move between runs, a bug fix cannot be told apart from noise, and the model that was shipped cannot be rebuilt. (`torch.use_deterministic_algorithms(True)` makes kernels deterministic but does not seed anything.)',
    example: 'import torch\n\nmodel = Net()\noptimizer = torch.optim.Adam(model.parameters(), lr=1e-3)',
    useInstead: 'import torch\n\nSEED = 42\ntorch.manual_seed(SEED)\n\nmodel = Net()\noptimizer = torch.optim.Adam(model.parameters(), lr=1e-3)',
    fixSafety:
      'The fix inserts one seeding call (`torch.manual_seed(SEED)`, `L.seed_everything(SEED)` with Lightning, `keras.utils.set_random_seed(SEED)` with Keras) right after the seed constant, which it creates as `SEED = 42` after the imports when the module or the notebook\'s first code cell has none; it is offered only when the framework is imported there. Safe: training draws one fixed stream instead of a random one, and successive draws still differ.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    const seeded = new Set<Generator>(seedingCalls(program).flatMap((s) => s.generators));
    for (const evidence of [torchEvidence(program), kerasEvidence(program)]) {
      if (!evidence || seeded.has(evidence.framework)) continue;
      const { call, framework, what } = evidence;
      let fix: FixSpec | null = null;
      let suggestion: string;
      if (framework === 'torch') {
        const lightning = ['lightning', 'lightning.pytorch', 'pytorch_lightning'].find((m) => program.imports.bindings.some((b) => b.qualified === m));
        suggestion = lightning ? '`seed_everything(SEED)`' : '`torch.manual_seed(SEED)`';
        fix = lightning
          ? seedCallFix(program, lightning, (l, seed) => `${l}.seed_everything(${seed})`, call.node, 'training')
          : seedCallFix(program, 'torch', (t, seed) => `${t}.manual_seed(${seed})`, call.node, 'PyTorch');
      } else {
        suggestion = program.imports.bindings.some((b) => b.qualified === 'keras') ? '`keras.utils.set_random_seed(SEED)`' : '`tf.keras.utils.set_random_seed(SEED)`';
        fix =
          seedCallFix(program, 'keras', (k, seed) => `${k}.utils.set_random_seed(${seed})`, call.node, 'Keras and TensorFlow') ??
          seedCallFix(program, 'tensorflow', (tf, seed) => `${tf}.keras.utils.set_random_seed(${seed})`, call.node, 'Keras and TensorFlow');
      }
      const name = framework === 'torch' ? 'PyTorch' : 'TensorFlow/Keras';
      const tag = `repro.seeds:${framework}`;
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: (call.node.childForFieldName('function') ?? call.node).endIndex,
        message: `${name} training (${what} here) runs with no seed: weights, dropout and shuffling change on every run. Call ${suggestion} once after the imports, before the model is built.`,
        fixes: fix ? [fix] : [],
        // a seed set by an entry point that imports this module covers it
        when: (facts) => !seededByImporter(facts, ctx.doc.path, tag),
      });
    }
  },
});

/** True when a file that seeds the framework imports this module (`from src.model import fit` for src/model.py). */
function seededByImporter(facts: WorkspaceFacts, path: string, tag: string): boolean {
  const parts = path.replace(/\.py$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  const names = new Set<string>();
  for (let i = 0; i < parts.length; i++) names.add(parts.slice(i).join('.'));
  const last = parts[parts.length - 1];
  for (const { file } of facts.tagged(tag)) {
    if (file.path === path) continue;
    for (const m of file.modules) if (names.has(m) || (m.startsWith('.') && (m.endsWith(`.${last}`) || m === `.${last}`))) return true;
  }
  return false;
}
