import { defineRule, type FixSpec } from '../core/rule';
import type { CallSite } from '../documents/python/program';
import { inFunction, isNone, isTrainingCodePath, lastName, orderOf } from './python';
import { seedArgumentFix, seedCallFix } from './seed-fixes';
import { seedingCalls, type Generator } from './seeding';

/** NumPy's legacy global-state functions (`np.random.rand` …). */
const NUMPY_LEGACY = new Set([
  'rand', 'randn', 'randint', 'random', 'random_sample', 'ranf', 'sample', 'choice', 'shuffle', 'permutation', 'normal', 'uniform',
  'binomial', 'poisson', 'beta', 'gamma', 'exponential', 'multinomial', 'multivariate_normal', 'standard_normal', 'lognormal', 'laplace',
  'logistic', 'geometric', 'dirichlet', 'bytes', 'random_integers', 'triangular', 'weibull', 'chisquare', 'standard_t', 'hypergeometric',
  'negative_binomial', 'pareto', 'power', 'rayleigh', 'vonmises', 'wald', 'zipf', 'standard_cauchy', 'standard_exponential', 'standard_gamma',
  'f', 'noncentral_chisquare', 'noncentral_f', 'gumbel', 'logseries',
]);
/** The standard library's `random` module functions (module-level shared generator). */
const STDLIB_RANDOM = new Set([
  'random', 'randint', 'randrange', 'choice', 'choices', 'shuffle', 'sample', 'uniform', 'gauss', 'normalvariate', 'triangular', 'betavariate',
  'expovariate', 'gammavariate', 'lognormvariate', 'vonmisesvariate', 'paretovariate', 'weibullvariate', 'getrandbits', 'randbytes', 'binomialvariate',
]);
/** Generator constructors that take their seed as first argument. */
const CONSTRUCTORS: Record<string, string> = {
  'numpy.random.default_rng': 'np.random.default_rng()',
  'numpy.random.RandomState': 'np.random.RandomState()',
  'numpy.random.Generator': '',
  'random.Random': 'random.Random()',
};
/** Libraries whose presence makes stdlib `random` calls part of an ML or data flow. */
const DATA_LIBRARIES = ['numpy', 'pandas', 'sklearn', 'torch', 'tensorflow', 'keras', 'xgboost', 'lightgbm', 'catboost', 'jax', 'transformers', 'datasets', 'polars', 'scipy'];
const SERVICES = ['fastapi', 'flask', 'django', 'starlette', 'aiohttp', 'tornado', 'bentoml', 'litestar', 'sanic', 'grpc'];
/** `time.sleep(random.uniform(0, 1))`: jitter for retries, where a fixed seed would be wrong. */
const JITTER_CALLS = new Set(['sleep', 'wait', 'backoff', 'retry']);

export default defineRule({
  code: 'R102',
  name: 'unseeded-global-rng',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'safe',
  docs: {
    summary:
      'NumPy\'s legacy global random functions (`np.random.rand`, `np.random.shuffle` …) or the `random` module are used with no seed set earlier in the program, or a generator is created with no seed (`np.random.default_rng()`, `np.random.RandomState()`, `random.Random()`). The `random` module is judged in data and training code only, not in web services or retry jitter.',
    why:
      'Unseeded draws differ on every run: sampled rows, shuffled orders, augmented examples and initial weights change, so results cannot be rebuilt or compared. A seed set once before the first draw (`np.random.seed(SEED)`, `random.seed(SEED)`, `seed_everything(SEED)`) fixes the global stream; a generator object (`np.random.default_rng()`) ignores the global seed and needs its own.',
    example: 'import numpy as np\n\nidx = np.random.permutation(len(df))\nrng = np.random.default_rng()',
    useInstead: 'import numpy as np\n\nSEED = 42\nnp.random.seed(SEED)\n\nidx = np.random.permutation(len(df))\nrng = np.random.default_rng(SEED)',
    fixSafety:
      'For global functions the fix inserts one `np.random.seed(SEED)` / `random.seed(SEED)` right after the seed constant, which it creates as `SEED = 42` after the imports when the module (or the notebook\'s first code cell) has none; it is offered only when the module is imported there. Safe: the stream becomes fixed and successive draws still differ. For a generator constructor the fix passes the seed (`default_rng(SEED)`): safe. Where the constructor may run repeatedly (loop, comprehension, function called from one) there is no fix: the same seed would make every generator produce the same numbers; build the generator once, outside, instead.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    const seeds = seedingCalls(program);
    // stdlib random in a data flow; in a web service it samples traffic or jitters retries, where a seed would be wrong
    const dataFlow = DATA_LIBRARIES.some((m) => program.imports.imports(m)) && !SERVICES.some((m) => program.imports.imports(m));
    const covered = (call: CallSite, generator: Generator) =>
      seeds.some((s) => s.generators.includes(generator) && (inFunction(call.node) || orderOf(program, s.call.node) < orderOf(program, call.node)));
    const firstUnseeded = new Map<Generator, CallSite>();
    for (const call of program.calls()) {
      const q = call.qualified;
      if (!q) continue;
      const ctor = CONSTRUCTORS[q];
      if (ctor !== undefined) {
        if (!ctor) continue;
        const arg = call.positional[0] ?? call.keywords.get('seed') ?? call.keywords.get('x');
        if ((arg && !isNone(arg)) || call.hasSplat) continue;
        const fix = call.keywords.has('seed') || call.keywords.has('x') ? null : seedArgumentFix(program, call);
        ctx.report({
          unit: call.unit,
          start: call.node.startIndex,
          end: call.node.endIndex,
          message: `\`${call.callee}(${arg ? arg.text : ''})\` creates a generator seeded from the operating system: pass the seed, \`${call.callee}(SEED)\`.`,
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      let generator: Generator | null = null;
      if (q.startsWith('numpy.random.') && q.split('.').length === 3 && NUMPY_LEGACY.has(lastName(q))) generator = 'numpy';
      else if (q.startsWith('random.') && q.split('.').length === 2 && STDLIB_RANDOM.has(lastName(q)) && dataFlow && !isJitter(call)) generator = 'random';
      if (!generator || covered(call, generator)) continue;
      if (!firstUnseeded.has(generator)) firstUnseeded.set(generator, call);
      const seedCall = generator === 'numpy' ? 'np.random.seed(SEED)' : 'random.seed(SEED)';
      const first = firstUnseeded.get(generator)!;
      const fix: FixSpec | null =
        generator === 'numpy'
          ? seedCallFix(program, 'numpy', (np, seed) => `${np}.random.seed(${seed})`, first.node, 'NumPy\'s global generator')
          : seedCallFix(program, 'random', (r, seed) => `${r}.seed(${seed})`, first.node, 'the random module');
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: (call.node.childForFieldName('function') ?? call.node).endIndex,
        message: `\`${call.callee}(…)\` draws from the ${generator === 'numpy' ? 'NumPy global' : 'random module\'s'} generator with no seed set before it: call \`${seedCall}\` once after the imports${generator === 'numpy' ? ', or draw from `np.random.default_rng(SEED)`' : ''}.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

function isJitter(call: CallSite): boolean {
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      return !!name && JITTER_CALLS.has(name);
    }
    if (n.type === 'expression_statement' || n.type === 'block' || n.type === 'assignment') return false;
  }
  return false;
}
