import { isScalar, type Scalar } from 'yaml';
import { defineRule } from '../core/rule';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { ciJobs, purposeOf, stepPurpose } from './ci';
import { replaceScalar } from './yaml-edit';
import { readableDocuments } from './workloads';

function isTrue(node: unknown): node is Scalar {
  return isScalar(node) && (node.value === true || node.value === 'true');
}

function role(p: { train: boolean; evaluate: boolean; deploy: boolean }): string | undefined {
  return p.evaluate ? 'evaluates or tests' : p.deploy ? 'deploys' : p.train ? 'trains' : undefined;
}

export default defineRule({
  code: 'L208',
  name: 'ignored-step-failure',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A CI job or step that trains, evaluates, tests or deploys is allowed to fail without failing the pipeline: GitHub Actions `continue-on-error: true` (on the job or the step), GitLab CI `allow_failure: true` — unless a later step reads the step\'s `outcome` (or a later job the job\'s `result`).',
    why:
      'With the failure ignored, the workflow is green when the evaluation crashed, when the model missed its threshold, when the tests failed or when the deployment did not happen. The jobs that need it run anyway — the model that was never evaluated is deployed — and nobody looks at a green run.',
    example: 'jobs:\n  evaluate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Evaluate against the holdout set\n        run: python src/evaluate.py --min-auc 0.82\n        continue-on-error: true',
    useInstead: 'jobs:\n  evaluate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Evaluate against the holdout set\n        run: python src/evaluate.py --min-auc 0.82',
    fixSafety: 'Unsafe: the fix sets the flag to `false`, so the failure fails the workflow and stops the jobs that depend on it; a flaky step that was tolerated on purpose then blocks the pipeline until it is fixed.',
    language: 'yaml',
  },
  check(ctx) {
    if (!ctx.doc.yaml) return;
    const unit = ctx.doc.file;
    for (const { doc, kind } of readableDocuments(ctx.doc.yaml)) {
      if (kind !== 'github-actions' && kind !== 'gitlab-ci') continue;
      const jobs = ciJobs(kind, doc.contents);
      const source = ctx.doc.text;
      for (const job of jobs) {
        const jobRole = role(purposeOf(job));
        if (kind === 'gitlab-ci') {
          const flag = yget(job.map, 'allow_failure');
          if (!isTrue(flag) || !jobRole) continue;
          const edit = replaceScalar(unit, flag, 'false');
          ctx.report({
            unit,
            start: flag.range![0],
            end: flag.range![1],
            message: `Job \`${job.id}\` ${jobRole} with \`allow_failure: true\`: when it fails the pipeline still passes and the next stages run on its missing results. Let it fail the pipeline.`,
            fixes: edit ? [{ title: 'Set `allow_failure: false`', applicability: 'unsafe', edits: [edit] }] : [],
          });
          continue;
        }
        const jobFlag = yget(job.map, 'continue-on-error');
        // a later job that reads `needs.<job>.result` handles the failure on purpose
        const jobHandled = new RegExp(`needs\\.${job.id.replace(/[-.]/g, '\\$&')}\\.result`).test(source);
        if (isTrue(jobFlag) && jobRole && !jobHandled) {
          const edit = replaceScalar(unit, jobFlag, 'false');
          ctx.report({
            unit,
            start: jobFlag.range![0],
            end: jobFlag.range![1],
            message: `Job \`${job.id}\` ${jobRole} with \`continue-on-error: true\`: when it fails the workflow is still green, and the jobs that need it run on its missing results. Let it fail the workflow.`,
            fixes: edit ? [{ title: 'Set `continue-on-error: false`', applicability: 'unsafe', edits: [edit] }] : [],
          });
        }
        for (const step of job.steps) {
          const flag = yget(step.map, 'continue-on-error');
          if (!isTrue(flag)) continue;
          const stepRole = role(stepPurpose(step));
          if (!stepRole) continue;
          if (step.id && new RegExp(`steps\\.${step.id.replace(/[-.]/g, '\\$&')}\\.(outcome|conclusion)`).test(source)) continue;
          const edit = replaceScalar(unit, flag, 'false');
          const label = step.name ?? step.id ?? ystring(yget(step.map, 'uses')) ?? `step ${step.index + 1}`;
          ctx.report({
            unit,
            start: flag.range![0],
            end: flag.range![1],
            message: `Step \`${label}\` of job \`${job.id}\` ${stepRole} with \`continue-on-error: true\` and nothing reads its outcome: when it fails the job is still green${yitems(yget(job.map, 'steps')).length > step.index + 1 ? ' and the following steps run' : ''}. Let it fail the job, or check \`steps.<id>.outcome\` explicitly.`,
            fixes: edit ? [{ title: 'Set `continue-on-error: false`', applicability: 'unsafe', edits: [edit] }] : [],
          });
        }
      }
    }
  },
});
