import { isScalar, isSeq, type Scalar } from 'yaml';
import { defineRule, type EditSpec, type RuleContext } from '../core/rule';
import { yentries, yget, yitems, ystring } from '../documents/yaml-nodes';
import { ancestors, ciJobs, gitlabStages, purposeOf, stepPurpose, type CiJob } from './ci';
import { insertIntoMap } from './yaml-edit';
import { readableDocuments } from './workloads';

export default defineRule({
  code: 'L209',
  name: 'deploy-without-evaluation-gate',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A CI job deploys a model with nothing in front of it that evaluates or approves: in GitHub Actions, the job `needs:` no evaluation/test job (directly or through other jobs), runs no evaluation step before its deploy step, and has no `environment:` (where required reviewers are configured); in GitLab CI, no evaluation job runs before it (through `needs:` or an earlier stage) and it is not `when: manual`.',
    why:
      'Training succeeds with a worse model: a broken feature, a shifted label, a bug in the split. If deployment follows training directly, that model replaces the one in production as soon as the workflow finishes. An evaluation job that fails below a threshold (compared with the production model), or an environment with required reviewers, is the gate that keeps it out. Jobs are recognised by their names (train, evaluate/test/validate, deploy/release/promote) and commands (`python src/evaluate.py`, `pytest`, `kubectl apply`, `az ml online-deployment`, `gcloud ai endpoints deploy-model` …); a deploy counts as a model deploy when the job or the workflow mentions models, endpoints or a serving platform.',
    example: 'jobs:\n  train:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python src/train.py\n  deploy-model:\n    needs: train\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/serving.yaml',
    useInstead:
      'jobs:\n  train:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python src/train.py\n  evaluate:\n    needs: train\n    runs-on: ubuntu-latest\n    steps:\n      - run: python src/evaluate.py --min-auc 0.82 --compare-with production\n  deploy-model:\n    needs: [train, evaluate]\n    environment: production\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/serving.yaml',
    fixSafety:
      'Unsafe: when the workflow has an evaluation job that the deploy job does not wait for, the fix adds it to `needs` — the deploy then waits for it and is skipped when it fails. Where there is no evaluation job there is no fix: write one (and protect the environment with required reviewers).',
    language: 'yaml',
  },
  check(ctx) {
    if (!ctx.doc.yaml) return;
    for (const { doc, kind } of readableDocuments(ctx.doc.yaml)) {
      if (kind !== 'github-actions' && kind !== 'gitlab-ci') continue;
      const root = doc.contents;
      const jobs = ciJobs(kind, root);
      if (!jobs.length) continue;
      const purposes = new Map(jobs.map((j) => [j.id, purposeOf(j, true)]));
      const trains = jobs.some((j) => purposes.get(j.id)!.train);
      // a workflow started by another one (`workflow_run`) is gated there
      if (kind === 'github-actions' && yentries(yget(root, 'on')).some((e) => e.key === 'workflow_run')) continue;
      const stages = kind === 'gitlab-ci' ? gitlabStages(root) : undefined;
      for (const job of jobs) {
        const p = purposes.get(job.id)!;
        if (!p.deploy || p.evaluate || job.opaque || job.reusable) continue;
        if (!p.model && !trains) continue;
        if (gated(job, jobs, purposes, stages)) continue;
        const evals = jobs.filter((j) => j !== job && purposes.get(j.id)!.evaluate && !ancestors(j, jobs, stages).has(job.id) && !purposes.get(j.id)!.deploy);
        const edit = evals.length ? needsEdit(ctx, root, job, evals, stages) : undefined;
        const what = kind === 'github-actions' ? 'no `needs:` on an evaluation or test job, no evaluation step before the deploy, and no protected `environment:`' : 'no evaluation or test job before it (through `needs:` or an earlier stage) and no `when: manual`';
        ctx.report({
          unit: ctx.doc.file,
          start: job.key.range![0],
          end: job.key.range![1],
          message: `Job \`${job.id}\` deploys ${p.model ? 'a model' : 'what this workflow trains'} with ${what}: a model that trained fine but predicts worse reaches production unchecked.${evals.length ? ` Make it wait for \`${evals.map((e) => e.id).join('`, `')}\`.` : ' Add an evaluation job that fails below a threshold, and make the deploy need it.'}`,
          fixes: edit ? [{ title: `Add \`${evals.map((e) => e.id).join('`, `')}\` to the job's needs`, applicability: 'unsafe', edits: [edit] }] : [],
        });
      }
    }
  },
});

function gated(job: CiJob, jobs: CiJob[], purposes: Map<string, ReturnType<typeof purposeOf>>, stages?: string[]): boolean {
  if (job.kind === 'github-actions' && job.get('environment') !== undefined) return true;
  if (job.kind === 'gitlab-ci') {
    if (ystring(job.get('when')) === 'manual') return true;
    if (yitems(job.get('rules')).some((r) => ystring(yget(r, 'when')) === 'manual')) return true;
  }
  // an evaluation step in the same job, before the first deploy step
  const firstDeploy = job.steps.findIndex((s) => stepPurpose(s).deploy);
  if (job.steps.some((s, i) => (firstDeploy < 0 || i < firstDeploy) && stepPurpose(s).evaluate)) return true;
  for (const id of ancestors(job, jobs, stages)) {
    const p = purposes.get(id);
    if (p?.evaluate) return true;
    // a dependency mlready cannot see into (a reusable workflow, a merge) may be the gate
    const j = jobs.find((x) => x.id === id);
    if (!j || j.reusable || j.opaque) return true;
  }
  return false;
}

function needsEdit(ctx: RuleContext, root: unknown, job: CiJob, evals: CiJob[], stages?: string[]): EditSpec | undefined {
  const unit = ctx.doc.file;
  let candidates = evals;
  if (stages && job.kind === 'gitlab-ci') {
    // GitLab: needs may name jobs of the same or earlier stages only
    const at = stages.indexOf(job.stage ?? 'test');
    candidates = evals.filter((e) => stages.indexOf(e.stage ?? 'test') <= at);
    if (!candidates.length || !job.hasNeeds) {
      if (!candidates.length) return undefined;
      // no `needs`: the job waits for every earlier stage; keep those and add the evaluation jobs
      const earlier = stages.slice(0, at);
      const all = ciJobs('gitlab-ci', root).filter((j) => earlier.includes(j.stage ?? 'test')).map((j) => j.id);
      return insertIntoMap(unit, root, job.map, { needs: [...new Set([...all, ...candidates.map((c) => c.id)])] }, { after: ['stage'] });
    }
  }
  const ids = candidates.map((c) => c.id);
  const pair = job.map.items.find((p) => isScalar(p.key) && p.key.value === 'needs');
  if (!pair) return insertIntoMap(unit, root, job.map, { needs: ids }, { after: ['name', 'stage'] });
  const value = pair.value;
  if (isScalar(value) && typeof value.value === 'string' && value.range) {
    return { unit, start: value.range[0], end: value.range[1], newText: `[${[value.value, ...ids].join(', ')}]` };
  }
  if (isSeq(value) && value.items.every((i) => isScalar(i))) {
    const last = value.items[value.items.length - 1] as Scalar | undefined;
    if (value.flow && last?.range) return { unit, start: last.range[1], end: last.range[1], newText: ids.map((i) => `, ${i}`).join('') };
    if (!value.flow && last?.range) {
      const line = unit.lines.lineOf(last.range[0]);
      const prefix = unit.text.slice(unit.lines.lineStart(line), last.range[0]);
      if (!/^\s*-\s*$/.test(prefix)) return undefined;
      const end = unit.lines.lineEnd(unit.lines.lineOf(last.range[1]));
      const eol = unit.text.includes('\r\n') ? '\r\n' : '\n';
      return { unit, start: end, end, newText: ids.map((i) => `${eol}${prefix}${i}`).join('') };
    }
  }
  return undefined;
}
