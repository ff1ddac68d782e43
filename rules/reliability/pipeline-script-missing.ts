import { isIgnoredPath } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { defineRule } from '../core/rule';
import { DVC_OUTS_KEY } from '../reproducibility/dvc';
import { scriptRefs } from './scripts';

function dirOf(p: string): string {
  return p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
}

/** Whether the workspace listing can be trusted to say the file is absent: its folder is known to hold other files. */
function listingCovers(facts: WorkspaceFacts, path: string): boolean {
  const dir = dirOf(path);
  if (dir) {
    for (const p of facts.paths) if (p.startsWith(`${dir}/`)) return true;
    return false;
  }
  // a root-level script: only when the listing holds files the engine does not analyse (a full scan)
  return facts.paths.size > facts.files.size;
}

/**
 * For `python -m pkg.mod`: the package folder (`pkg/`, or `src/pkg/`, below the folder the command
 * runs in) is in the workspace. A single-name module (`python -m spacy`) may be an installed tool.
 */
function packageExists(facts: WorkspaceFacts, module: string, firstCandidate: string): boolean {
  const parts = module.split('.');
  if (parts.length < 2) return false;
  const rel = `${parts.join('/')}.py`;
  const base = firstCandidate.endsWith(rel) ? firstCandidate.slice(0, firstCandidate.length - rel.length) : '';
  const pkg = parts.slice(0, -1).join('/');
  for (const dir of [`${base}${pkg}/`, `${base}src/${pkg}/`]) for (const p of facts.paths) if (p.startsWith(dir)) return true;
  return false;
}

function similar(facts: WorkspaceFacts, path: string): string | undefined {
  const base = path.split('/').pop()!;
  const candidates = [...facts.paths].filter((p) => p.endsWith(`/${base}`) || p === base);
  return candidates.length === 1 ? candidates[0] : undefined;
}

export default defineRule({
  code: 'L211',
  name: 'pipeline-script-missing',
  category: 'reliability',
  severity: 'error',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A pipeline step runs a Python script that is not in the workspace: a `dvc.yaml` stage, an MLproject entry point, a GitHub Actions or GitLab CI step, or an Azure ML command job (relative to its `code:` folder) runs `python path/to/script.py` (or `python -m package.module`) and no such file exists.',
    why:
      'The step fails with "No such file or directory" when the pipeline reaches it — after the earlier, often expensive, steps have run. It usually means a script was renamed or moved and the pipeline was not updated, or the command runs from another folder than the author thought (`wdir`, `working-directory`, `code:`). Scripts produced by another DVC stage, paths in container images (Argo, Kubeflow, Kubernetes, Vertex AI) and files in ignored folders are not reported.',
    example: 'stages:\n  train:\n    cmd: python src/train_model.py   # the file is src/train.py\n    deps:\n      - src/train_model.py',
    useInstead: 'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - src/train.py',
    fixSafety: 'Unsafe: when the workspace holds exactly one file with the script\'s name under the folder the command runs in, the fix points the command at it. That file may be a different script with the same name: check it is the one the step should run (and update the stage\'s `deps`).',
    language: 'yaml',
  },
  check(ctx) {
    if (!ctx.doc.yaml) return;
    const config = ctx.config;
    for (const ref of scriptRefs(ctx.doc)) {
      if (!ref.checkout || !ref.paths.length) continue;
      const paths = ref.paths;
      const module = !ref.word.endsWith('.py');
      ctx.report({
        unit: ctx.doc.file,
        start: ref.start,
        end: ref.end,
        message: `${ref.via.replace(/ \([^)]*\)$/, '')} runs \`${module ? `python -m ${ref.word}` : ref.word}\`, but ${module ? `no module file (\`${paths[0]}\`) exists` : `\`${paths[0]}\` does not exist`} in the workspace: the step fails when the pipeline reaches it.`,
        when: (facts) => {
          if (paths.some((p) => facts.paths.has(p) || isIgnoredPath(config, p))) return false;
          if (ref.kind === 'dvc' && facts.values<string>(DVC_OUTS_KEY).some(({ value }) => paths.some((p) => p === value || p.startsWith(`${value}/`)))) return false;
          // `python -m pkg.mod` is judged only when `pkg` is a package of the workspace (else it may be installed)
          if (module && !packageExists(facts, ref.word, paths[0])) return false;
          return module || listingCovers(facts, paths[0]);
        },
        deferredFixes: (facts) => {
          if (module) return [];
          const found = similar(facts, paths[0]);
          const word = ref.word.replace(/^\.\//, '');
          const base = paths[0].endsWith(word) ? paths[0].slice(0, paths[0].length - word.length) : undefined;
          if (!found || base === undefined || !found.startsWith(base) || ctx.doc.text.slice(ref.start, ref.end) !== ref.word) return [];
          const replacement = found.slice(base.length);
          return [{ title: `Run \`${replacement}\` (the only \`${word.split('/').pop()}\` in the workspace)`, applicability: 'unsafe', edits: [{ unit: ctx.doc.file, start: ref.start, end: ref.end, newText: replacement }] }];
        },
      });
    }
  },
});
