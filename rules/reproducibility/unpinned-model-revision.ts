import type { Node } from '../documents/python/syntax-tree';
import type { WorkspaceFacts } from '../core/facts';
import { defineRule, type RuleContext } from '../core/rule';
import { DVC_OUTS_KEY } from './dvc';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { boolValue, isTrainingCodePath, lastName, moduleConstant, rootModule, stringValue } from './python';
import { refKind } from './pins';

const HF_LIBRARIES = new Set(['transformers', 'diffusers', 'peft', 'optimum', 'sentence_transformers', 'setfit', 'trl', 'huggingface_hub', 'datasets', 'timm', 'open_clip', 'gliner', 'span_marker', 'flair']);
/** Functions that download from the Hub, and the argument that names the repository. */
const DOWNLOADS: Record<string, { arg: string; position: number; slashOnly?: boolean }> = {
  'huggingface_hub.hf_hub_download': { arg: 'repo_id', position: 0 },
  'huggingface_hub.snapshot_download': { arg: 'repo_id', position: 0 },
  'sentence_transformers.SentenceTransformer': { arg: 'model_name_or_path', position: 0 },
  'sentence_transformers.CrossEncoder': { arg: 'model_name', position: 0 },
  'datasets.load_dataset': { arg: 'path', position: 0, slashOnly: true },
};

export default defineRule({
  code: 'R122',
  name: 'unpinned-model-revision',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['python'],
  docs: {
    summary:
      'A model, tokenizer or dataset is downloaded from the Hugging Face Hub (`from_pretrained("org/model")`, `pipeline(model=…)`, `hf_hub_download`, `snapshot_download`, `SentenceTransformer`, `load_dataset("org/ds")`) with no `revision=`, or with a branch (`revision="main"`); likewise `torch.hub.load("owner/repo", …)` with no `:ref`.',
    why:
      'With no revision the download takes whatever the repository\'s main branch holds that day. Model owners push new weights, tokenizer fixes and config changes under the same name: the pipeline trained or served next month runs a different model, and the difference shows up as unexplained metric drift. A commit SHA from the Hub always downloads the same files.',
    example: 'tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")\nmodel = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased")',
    useInstead:
      'MODEL_ID = "distilbert-base-uncased"\nMODEL_REVISION = "<commit sha from the model page>"\n\ntokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=MODEL_REVISION)\nmodel = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, revision=MODEL_REVISION)',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    const saved = savedLocally(program);
    for (const call of program.calls()) {
      const q = call.qualified;
      let idNode: Node | undefined;
      let slashOnly = false;
      if (call.method === 'from_pretrained' && (q === null ? !!call.receiver : HF_LIBRARIES.has(rootModule(q)))) {
        idNode = call.keywords.get('pretrained_model_name_or_path') ?? call.keywords.get('model_id') ?? call.positional[0];
      } else if (q && rootModule(q) === 'transformers' && lastName(q) === 'pipeline') {
        idNode = call.keywords.get('model');
      } else if (q && DOWNLOADS[q]) {
        idNode = call.keywords.get(DOWNLOADS[q].arg) ?? call.positional[DOWNLOADS[q].position];
        slashOnly = !!DOWNLOADS[q].slashOnly;
      } else if (q === 'torch.hub.load' || q === 'torch.hub.load_state_dict_from_url') {
        if (q === 'torch.hub.load') checkTorchHub(ctx, call);
        continue;
      } else continue;
      if (!idNode || boolValue(call.keywords.get('local_files_only')) === true) continue;
      const id = literalOf(program, idNode);
      if (!id || !looksLikeHubId(id, slashOnly) || saved.has(id)) continue;
      const revisionNode = call.keywords.get('revision');
      if (revisionNode) {
        const rev = stringValue(revisionNode);
        if (rev === undefined || refKind(rev) !== 'branch') continue;
        ctx.report({
          unit: call.unit,
          start: revisionNode.parent?.startIndex ?? revisionNode.startIndex,
          end: revisionNode.parent?.endIndex ?? revisionNode.endIndex,
          message: `\`revision="${rev}"\` is a branch of \`${id}\` and moves with every push: use the commit SHA shown on the Hub (\`revision="<40-hex sha>"\`).`,
          when: (facts) => !isLocalFolder(facts, ctx.doc.path, id),
        });
        continue;
      }
      const name = call.callee ?? lastName(q) ?? 'from_pretrained';
      const kw = idNode.parent?.type === 'keyword_argument' ? `${idNode.parent.childForFieldName('name')?.text}=` : '';
      ctx.report({
        unit: call.unit,
        start: idNode.startIndex,
        end: idNode.endIndex,
        message: `\`${name}(${kw}"${id}")\` downloads whatever the Hub repository holds on the day it runs: add \`revision="<commit sha>"\` (the commit shown on the Hub page).`,
        when: (facts) => !isLocalFolder(facts, ctx.doc.path, id),
      });
    }
  },
});

function checkTorchHub(ctx: RuleContext, call: CallSite): void {
  const repo = call.keywords.get('repo_or_dir') ?? call.positional[0];
  const value = stringValue(repo);
  const source = stringValue(call.keywords.get('source'));
  if (!repo || !value || source === 'local' || !/^[\w.-]+\/[\w.-]+(:.+)?$/.test(value)) return;
  const ref = value.includes(':') ? value.slice(value.indexOf(':') + 1) : undefined;
  const kind = refKind(ref);
  if (kind === 'sha' || kind === 'tag') return;
  ctx.report({
    unit: call.unit,
    start: repo.startIndex,
    end: repo.endIndex,
    message: ref
      ? `\`torch.hub.load("${value}", …)\` loads the branch \`${ref}\`, which moves: use a tag or commit (\`"${value.split(':')[0]}:<tag or sha>"\`).`
      : `\`torch.hub.load("${value}", …)\` loads the repository's default branch, which moves: add a tag or commit (\`"${value}:<tag or sha>"\`).`,
  });
}

function literalOf(program: PythonProgram, node: Node): string | undefined {
  if (node.type === 'string') return stringValue(node);
  if (node.type === 'identifier') {
    const bound = moduleConstant(program, node.text);
    return bound?.type === 'string' ? stringValue(bound) : undefined;
  }
  return undefined;
}

/** First path parts that name a project's own folders, not a Hub organisation. */
const LOCAL_FOLDERS = new Set(['models', 'model', 'checkpoints', 'checkpoint', 'ckpt', 'ckpts', 'outputs', 'output', 'out', 'artifacts', 'artifact', 'runs', 'results', 'data', 'weights', 'saved_models', 'saved_model', 'exports', 'export', 'tmp', 'cache', 'mlruns', 'lightning_logs']);

/**
 * `org/name` or a canonical one-word model (`gpt2`, `bert-base-uncased`), not a local path:
 * no leading `.`, `/` or `~`, no backslash, scheme or file extension, at most one slash.
 */
export function looksLikeHubId(id: string, slashOnly = false): boolean {
  if (!id || /^[./~]/.test(id) || /[\\:\s]/.test(id) || /\.(bin|pt|pth|ckpt|safetensors|json|onnx|h5|pkl|joblib|csv|parquet|txt|zip|gz)$/i.test(id)) return false;
  const parts = id.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[A-Za-z0-9][\w.-]*$/.test(p))) return false;
  if (parts.length === 2) return !LOCAL_FOLDERS.has(parts[0].toLowerCase());
  if (slashOnly) return false;
  return /[-\d]/.test(id);
}

/** Ids that the program saves to itself (`save_pretrained("out/model")`): a local folder, not the Hub. */
function savedLocally(program: PythonProgram): Set<string> {
  const out = new Set<string>();
  for (const call of program.calls()) {
    if (call.method !== 'save_pretrained' && call.method !== 'save_to_disk' && call.method !== 'save') continue;
    const arg = call.positional[0];
    const v = arg ? literalOf(program, arg) : undefined;
    if (v) out.add(v);
  }
  return out;
}

function isLocalFolder(facts: WorkspaceFacts, docPath: string, id: string): boolean {
  const dir = docPath.includes('/') ? docPath.slice(0, docPath.lastIndexOf('/') + 1) : '';
  for (const p of facts.paths) if (p.startsWith(`${id}/`) || p.startsWith(`${dir}${id}/`)) return true;
  // a folder a DVC stage produces
  return facts.values<string>(DVC_OUTS_KEY).some((o) => o.value === id || o.value === `${dir}${id}`);
}
