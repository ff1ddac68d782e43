import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import { argument, type CallSite, type PythonProgram } from '../documents/python/program';
import { dottedName } from '../documents/python/syntax';
import { ensureImport } from '../fixes/python-edits';
import { appendArgument } from './call-edits';

type Family = 'pickle' | 'pandas' | 'numpy' | 'torch' | 'yaml' | 'keras' | 'marshal';

/** Loaders that execute code from what they read, by qualified name. */
const LOADERS: Record<string, Family> = {
  'pickle.load': 'pickle', 'pickle.loads': 'pickle', 'pickle.Unpickler': 'pickle', '_pickle.load': 'pickle', '_pickle.loads': 'pickle',
  'cPickle.load': 'pickle', 'cPickle.loads': 'pickle', 'pickle5.load': 'pickle', 'pickle5.loads': 'pickle',
  'joblib.load': 'pickle', 'sklearn.externals.joblib.load': 'pickle', 'dill.load': 'pickle', 'dill.loads': 'pickle',
  'cloudpickle.load': 'pickle', 'cloudpickle.loads': 'pickle', 'shelve.open': 'pickle', 'jsonpickle.decode': 'pickle',
  'pandas.read_pickle': 'pandas', 'numpy.load': 'numpy', 'torch.load': 'torch', 'marshal.load': 'marshal', 'marshal.loads': 'marshal',
  'yaml.load': 'yaml', 'yaml.load_all': 'yaml', 'yaml.unsafe_load': 'yaml', 'yaml.unsafe_load_all': 'yaml', 'yaml.full_load': 'yaml', 'yaml.full_load_all': 'yaml',
  'keras.models.load_model': 'keras', 'keras.saving.load_model': 'keras', 'tensorflow.keras.models.load_model': 'keras',
};

const SAFE_YAML_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

const ADVICE: Record<Family, string> = {
  pickle: 'load models from a registry or store that checks their integrity, or save them in a format that holds no code (skops.io for scikit-learn, safetensors, ONNX, the library\'s own JSON/UBJ format)',
  pandas: 'exchange data as Parquet, Arrow or CSV with a schema',
  numpy: 'store arrays without object dtype and keep allow_pickle=False (the default)',
  torch: 'pass weights_only=True (the default from torch 2.6, but not before) and save state_dicts, or use safetensors',
  yaml: 'use yaml.safe_load',
  keras: 'keep safe_mode=True (the default) and save models in the .keras format',
  marshal: 'marshal is for Python\'s own bytecode; use JSON or Parquet for data',
};

function isLiteral(node: Node | undefined, value: 'True' | 'False'): boolean {
  return node?.type === (value === 'True' ? 'true' : 'false');
}

/** `pickle.loads(pickle.dumps(x))`: a deep copy inside the process, no outside data. */
function isRoundTrip(program: PythonProgram, call: CallSite): boolean {
  const arg = call.positional[0];
  if (arg?.type !== 'call') return false;
  const q = program.resolve(arg.childForFieldName('function'));
  return !!q && /(^|\.)dumps?$/.test(q);
}

function yamlFix(program: PythonProgram, call: CallSite): FixSpec | undefined {
  const q = call.qualified!;
  const fn = call.node.childForFieldName('function');
  if (!fn) return undefined;
  const all = q.endsWith('_all');
  const safeName = all ? 'safe_load_all' : 'safe_load';
  const loader = argument(call, 'Loader', 1);
  const unit = call.unit;
  if (fn.type === 'attribute') {
    const object = fn.childForFieldName('object');
    const attr = fn.childForFieldName('attribute');
    if (!object || !attr) return undefined;
    if (loader && (q === 'yaml.load' || q === 'yaml.load_all')) {
      return { title: `Load with ${object.text}.SafeLoader`, applicability: 'unsafe', edits: [{ unit, start: loader.startIndex, end: loader.endIndex, newText: `${object.text}.SafeLoader` }] };
    }
    if (loader) return undefined;
    return { title: `Use ${object.text}.${safeName}`, applicability: 'unsafe', edits: [{ unit, start: attr.startIndex, end: attr.endIndex, newText: safeName }] };
  }
  if (fn.type === 'identifier' && !loader) {
    const edits: EditSpec[] = [{ unit, start: fn.startIndex, end: fn.endIndex, newText: safeName }];
    const imp = ensureImport(program, 'yaml', safeName);
    if (imp) edits.unshift(imp);
    return { title: `Use yaml.${safeName}`, applicability: 'unsafe', edits };
  }
  return undefined;
}

export default defineRule({
  code: 'S110',
  name: 'unsafe-deserialization',
  category: 'security',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A model or data file is loaded with a deserializer that can run code from the file: `pickle`, `joblib.load`, `dill`, `cloudpickle`, `pandas.read_pickle`, `numpy.load(allow_pickle=True)`, `torch.load` without `weights_only=True`, `yaml.load` without a safe loader, Keras `load_model(safe_mode=False)`.',
    why:
      'Unpickling executes whatever the file tells it to. A model downloaded from a hub, a shared drive or a bucket someone else can write to, or a file swapped in a compromised pipeline step, runs arbitrary code with the serving process\'s credentials. Malicious pickles on public model hubs are a documented attack. Test folders are not checked, and `pickle.loads(pickle.dumps(x))` (a deep copy) is not reported.',
    example: 'model = joblib.load("models/churn.joblib")\nstate = torch.load("ckpt.pt")\nparams = yaml.load(open("params.yaml"), Loader=yaml.Loader)',
    useInstead:
      'model = mlflow.sklearn.load_model("models:/churn/Production")  # or skops.io.load(path, trusted=[...])\nstate = torch.load("ckpt.pt", weights_only=True)\nparams = yaml.safe_load(open("params.yaml"))',
    fixSafety:
      'Unsafe: `yaml.load` becomes `yaml.safe_load` (or its Loader becomes `SafeLoader`), which rejects Python-specific tags the file might use; `torch.load` gets `weights_only=True`, which refuses files that pickle whole model objects rather than tensors and state dicts. Other loaders have no drop-in safe replacement and get no fix.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const call of program.calls()) {
      const q = call.qualified;
      if (!q) continue;
      const family = LOADERS[q];
      if (!family) continue;
      const fixes: FixSpec[] = [];
      let detail = '';
      switch (family) {
        case 'pickle':
        case 'marshal':
          if (isRoundTrip(program, call)) continue;
          break;
        case 'numpy':
          if (!isLiteral(call.keywords.get('allow_pickle'), 'True')) continue;
          detail = ' with allow_pickle=True';
          break;
        case 'torch': {
          const wo = call.keywords.get('weights_only');
          if (isLiteral(wo, 'True') || call.hasSplat) continue;
          if (wo && !isLiteral(wo, 'False')) continue; // a variable: decided elsewhere
          detail = wo ? ' with weights_only=False' : ' without weights_only=True';
          const edit = wo
            ? { unit: call.unit, start: wo.startIndex, end: wo.endIndex, newText: 'True' }
            : appendArgument(call.unit, call.node, 'weights_only=True');
          if (edit) fixes.push({ title: 'Load tensors only (weights_only=True)', applicability: 'unsafe', edits: [edit] });
          break;
        }
        case 'yaml': {
          const loader = argument(call, 'Loader', 1);
          if ((q === 'yaml.load' || q === 'yaml.load_all') && loader && SAFE_YAML_LOADERS.test(dottedName(loader) ?? '')) continue;
          if (call.hasSplat && !loader) continue;
          detail = loader ? ` with ${dottedName(loader) ?? 'an unsafe Loader'}` : q.endsWith('load') || q.endsWith('load_all') ? (q.includes('unsafe') || q.includes('full') ? '' : ' without a safe Loader') : '';
          const fix = yamlFix(program, call);
          if (fix) fixes.push(fix);
          break;
        }
        case 'keras':
          if (!isLiteral(call.keywords.get('safe_mode'), 'False')) continue;
          detail = ' with safe_mode=False';
          break;
      }
      const what = family === 'yaml' ? 'constructs arbitrary Python objects named in the YAML' : family === 'keras' ? 'runs the Python lambdas stored in the model' : 'runs code embedded in the file it reads';
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        message: `\`${call.callee ?? q}\`${detail} ${what}: a tampered or untrusted model or data file executes with this process's rights. Instead, ${ADVICE[family]}.`,
        fixes,
      });
    }
  },
});
