import { addTag } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import { ciJobs } from '../reliability/ci';
import { PRACTICE_TAGS } from './practices';

/**
 * Facts the readiness score needs and no family records (to be listed in rules/all.ts's
 * ALL_COLLECTORS):
 * - `workspace:ci`: the file is a CI configuration (GitHub Actions workflow, GitLab CI);
 * - `workspace:ci-runs-tests`: one of its steps runs the tests (pytest, unittest, tox, nox, make test …),
 *   located on that step.
 */
const TEST_COMMAND = /\bpytest\b|\bpython[\d.]*\s+-m\s+(pytest|unittest)\b|\b(tox|nox)\b|\bmake\s+(test|check)\b|\bhatch\s+(run\s+)?test|\b(uv|poetry|pdm)\s+run\s+(pytest|test)\b|\bnpm\s+(run\s+)?test\b/;

export const ciTestsCollector: FactCollector = (doc, facts) => {
  const yaml = doc.yaml;
  if (!yaml || (yaml.kind !== 'github-actions' && yaml.kind !== 'gitlab-ci')) return;
  addTag(facts, PRACTICE_TAGS.ci);
  for (const d of yaml.documents) {
    if (d.kind !== 'github-actions' && d.kind !== 'gitlab-ci') continue;
    for (const job of ciJobs(d.kind, d.doc.contents)) {
      for (const step of job.steps) {
        if (!TEST_COMMAND.test(step.text)) continue;
        const r = step.map?.range ?? job.key.range;
        let location: FindingLocation | undefined;
        if (r) {
          const unit = yaml.unit;
          location = { path: doc.path, range: unit.lines.rangeOf(r[0], r[1]), fileRange: { start: unit.toFileOffset(r[0]), end: unit.toFileOffset(r[1]) } };
        }
        addTag(facts, PRACTICE_TAGS.ciTests, location);
      }
    }
  }
};

export const workspaceCollectors: FactCollector[] = [ciTestsCollector];
