import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { stringParts } from '../documents/python/syntax';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

export default defineRule({
  code: 'S140',
  name: 'trust-remote-code',
  category: 'security',
  severity: 'warning',
  appliesTo: ['python'],
  docs: {
    summary: 'A Hugging Face load (`from_pretrained`, `pipeline`, `load_dataset`, `SentenceTransformer` …) passes `trust_remote_code=True` without pinning `revision` to a commit.',
    why:
      '`trust_remote_code=True` downloads Python files from the model or dataset repository and runs them in your process. Without a pinned commit, whatever the repository holds at load time runs: a compromised or updated repository changes the code in production with no review. Pinning `revision` to the commit you reviewed makes the code fixed; loading from a local path is not reported.',
    example: 'model = AutoModel.from_pretrained("acme/encoder", trust_remote_code=True)',
    useInstead:
      'model = AutoModel.from_pretrained(\n    "acme/encoder",\n    trust_remote_code=True,\n    revision="3f786850e387550fdab836ed7e6dc881de23001b",  # the commit whose code was reviewed\n)',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const call of program.calls()) {
      const trust = call.keywords.get('trust_remote_code');
      if (trust?.type !== 'true') continue;
      const revision = call.keywords.get('revision') ?? call.keywords.get('code_revision');
      const pinned = revision?.type === 'string' && COMMIT_SHA.test(stringParts(revision).value ?? '');
      if (pinned) continue;
      const source =
        call.method === 'pipeline'
          ? (call.keywords.get('model') ?? call.positional[1])
          : (call.positional[0] ?? call.keywords.get('pretrained_model_name_or_path') ?? call.keywords.get('model_name_or_path') ?? call.keywords.get('path'));
      const id = source?.type === 'string' ? stringParts(source).value : null;
      if (id && /^(\.{1,2}\/|\/|~\/|[A-Za-z]:[\\/])/.test(id)) continue; // a local folder: the code is in your hands
      const arg = trust.parent!;
      ctx.report({
        unit: call.unit,
        start: arg.startIndex,
        end: arg.endIndex,
        message: `\`${call.callee ?? 'This load'}\`${id ? ` of \`${id}\`` : ''} runs Python code downloaded from the Hub${revision ? ' at a moving revision' : ' at whatever revision is current'}: review the repository's code and pin \`revision\` to that commit SHA, or vendor the code.`,
      });
    }
  },
});
