import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';

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

/** SEED_HELPER on the last segment of a dotted name. */
const SEED_HELPER_LAST = /(?:^|\.)(?:seed_everything|seed_all|set_(?:global_|random_|all_)?seeds?|fix_(?:random_)?seeds?|set_deterministic|make_deterministic|init_seeds?|setup_seed)$/i;

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
  // on a qualified name, the same test on its last segment (the helper names hold no dot), with no slice per call
  if (q ? SEED_HELPER_LAST.test(q) : !!call.method && SEED_HELPER.test(call.method)) {
    // a known library's function of the same name that is not in the table (e.g. tf.keras.utils.set_random_seed spelled otherwise)
    return EVERYTHING;
  }
  return [];
}

const seedingCache = new ProgramCache<readonly SeedingCall[]>();

export interface SeedingCall {
  call: CallSite;
  generators: Generator[];
}

/** Seeding calls of the program, in program order; found once per program (a collector and two rules ask). Do not mutate. */
export function seedingCalls(program: PythonProgram): readonly SeedingCall[] {
  return seedingCache.of(program, () => {
    const found: SeedingCall[] = [];
    for (const call of program.calls()) {
      const generators = seededBy(call);
      if (generators.length) found.push({ call, generators });
    }
    return found;
  });
}
