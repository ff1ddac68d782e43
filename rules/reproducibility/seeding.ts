import type { CallSite, PythonProgram } from '../documents/python/program';
import { lastName } from './python';

/**
 * Calls that seed global generators, and which generators each one covers. A project's own helper
 * (`seed_everything()`, `set_seed(42)`, `fix_seeds()` …) is trusted to seed everything: mlready
 * does not follow it into another module.
 */
export type Generator = 'numpy' | 'random' | 'torch' | 'tensorflow';

const EVERYTHING: Generator[] = ['numpy', 'random', 'torch', 'tensorflow'];

const KNOWN: Record<string, Generator[]> = {
  'numpy.random.seed': ['numpy'],
  'random.seed': ['random'],
  'torch.manual_seed': ['torch'],
  'torch.random.manual_seed': ['torch'],
  'torch.cuda.manual_seed_all': [],
  'tensorflow.random.set_seed': ['tensorflow'],
  'tensorflow.set_random_seed': ['tensorflow'],
  'tensorflow.compat.v1.set_random_seed': ['tensorflow'],
  'tensorflow.keras.utils.set_random_seed': ['numpy', 'random', 'tensorflow'],
  'keras.utils.set_random_seed': ['numpy', 'random', 'tensorflow'],
  'tf_keras.utils.set_random_seed': ['numpy', 'random', 'tensorflow'],
  'lightning.seed_everything': ['numpy', 'random', 'torch'],
  'lightning.pytorch.seed_everything': ['numpy', 'random', 'torch'],
  'pytorch_lightning.seed_everything': ['numpy', 'random', 'torch'],
  'lightning.fabric.seed_everything': ['numpy', 'random', 'torch'],
  'lightning_fabric.seed_everything': ['numpy', 'random', 'torch'],
  'lightning_fabric.utilities.seed.seed_everything': ['numpy', 'random', 'torch'],
  'pytorch_lightning.utilities.seed.seed_everything': ['numpy', 'random', 'torch'],
  'transformers.set_seed': ['numpy', 'random', 'torch', 'tensorflow'],
  'transformers.trainer_utils.set_seed': ['numpy', 'random', 'torch', 'tensorflow'],
  'accelerate.utils.set_seed': ['numpy', 'random', 'torch'],
  'fastai.torch_core.set_seed': ['numpy', 'random', 'torch'],
  'fastai.basics.set_seed': ['numpy', 'random', 'torch'],
  'fastai.vision.all.set_seed': ['numpy', 'random', 'torch'],
  'fastai.tabular.all.set_seed': ['numpy', 'random', 'torch'],
  'keras_core.utils.set_random_seed': ['numpy', 'random', 'tensorflow'],
};

/** A project helper whose name says it seeds: `seed_everything`, `set_seed(s)`, `fix_seed`, `set_random_seed`, `seed_all`. */
export const SEED_HELPER = /^(?:seed_everything|seed_all|set_(?:global_|random_|all_)?seeds?|fix_(?:random_)?seeds?|set_deterministic|make_deterministic|init_seeds?|setup_seed)$/i;

/** The generators a call seeds; empty for any other call. A call with no argument re-seeds from the OS and seeds nothing. */
export function seededBy(call: CallSite): Generator[] {
  const q = call.qualified;
  if (q && Object.prototype.hasOwnProperty.call(KNOWN, q)) {
    if ((q === 'numpy.random.seed' || q === 'random.seed') && call.positional.length === 0 && !call.keywords.size && !call.hasSplat) return [];
    if (q === 'numpy.random.seed' || q === 'random.seed') {
      const arg = call.positional[0] ?? call.keywords.get('seed') ?? call.keywords.get('a');
      if (arg?.type === 'none') return [];
    }
    return KNOWN[q];
  }
  const name = q ? lastName(q) : call.method;
  if (name && SEED_HELPER.test(name)) {
    // a known library's function of the same name that is not in the table (e.g. tf.keras.utils.set_random_seed spelled otherwise)
    return EVERYTHING;
  }
  return [];
}

/** Seeding calls of the program, in program order. */
export function seedingCalls(program: PythonProgram): { call: CallSite; generators: Generator[] }[] {
  const out: { call: CallSite; generators: Generator[] }[] = [];
  for (const call of program.calls()) {
    const generators = seededBy(call);
    if (generators.length) out.push({ call, generators });
  }
  return out;
}
