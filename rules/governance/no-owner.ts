import { defineRule } from '../core/rule';
import { TAG } from './collectors';

/** CODEOWNERS where GitHub, GitLab and Bitbucket look for it; OWNERS (Prow/Kubernetes style) at the root. */
const OWNER_FILES = /^(\.github\/|\.gitlab\/|docs\/|\.bitbucket\/)?CODEOWNERS$|^OWNERS$/;
/** Pipeline and deployment kinds: a project with one of these is an ML system, not a script. */
const PIPELINE_KINDS = new Set(['dvc', 'mlproject', 'argo', 'kubeflow', 'vertex', 'kubernetes', 'azureml', 'kedro-catalog', 'github-actions', 'gitlab-ci']);

export default defineRule({
  code: 'G103',
  name: 'no-owner',
  category: 'governance',
  severity: 'warning',
  appliesTo: ['workspace'],
  docs: {
    summary: 'Nobody is declared accountable for the project: no `CODEOWNERS` (or `OWNERS`) file, no `owner:` in mlready.yaml, and no owner/team label or metadata in its pipeline or deployment specs.',
    why:
      'A model in production needs an owner to answer for its predictions, approve changes, receive alerts and retire it. Without one, drift alerts go nowhere, reviews are skipped, and incidents start with a search for who knows the model. Declaring the owner in the repository keeps it next to the code and visible to review tools.',
    example: '(no CODEOWNERS, no owner in mlready.yaml, Deployment without owner/team labels)',
    useInstead: '# CODEOWNERS\n* @acme/payments-ml\n\n# or mlready.yaml\nowner: payments-ml@acme.example\n\n# or in the Deployment\nmetadata:\n  labels:\n    owner: payments-ml',
    language: 'text',
  },
  checkWorkspace(ctx) {
    const f = ctx.facts;
    if (f.paths.size < 2) return; // one file checked on its own: not a project to judge
    const isMlProject =
      f.hasTag(TAG.trains) || f.hasTag(TAG.serves) || f.hasTag(TAG.saves) || [...f.files.values()].some((x) => x.kind === 'notebook' || (x.yamlKind !== undefined && PIPELINE_KINDS.has(x.yamlKind)));
    if (!isMlProject) return;
    if (ctx.config.owner || f.findPaths((p) => OWNER_FILES.test(p)).length || f.hasTag(TAG.owner)) return;
    ctx.report({
      message: 'No owner is declared for this ML project: add a CODEOWNERS file, `owner:` in mlready.yaml, or owner/team labels on its pipeline and deployment specs, so alerts, reviews and incidents reach someone accountable.',
    });
  },
});
