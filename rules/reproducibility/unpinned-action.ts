import { isScalar, type Scalar } from 'yaml';
import { defineRule } from '../core/rule';
import { yentries, yget, yitems } from '../documents/yaml-nodes';
import { refKind } from './pins';

export default defineRule({
  code: 'R121',
  name: 'unpinned-action',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['yaml'],
  docs: {
    summary:
      'A GitHub Actions step or reusable workflow is used at a branch (`@main`, `@master`) or at a ref that is not a commit SHA. A version tag (`@v4`) is reported as a hint; a full 40-character SHA is the reproducible form.',
    why:
      'A branch moves with every push to the action\'s repository, and a tag can be moved by its owner: the training or release workflow then runs code that nobody in the project reviewed, which changes results and is a supply-chain risk. A commit SHA always runs the same code; keep the tag in a comment for readability and let Dependabot or Renovate update it.',
    example: 'steps:\n  - uses: actions/checkout@main\n  - uses: iterative/setup-dvc@v1',
    useInstead: 'steps:\n  - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n  - uses: iterative/setup-dvc@<40-hex sha> # v1.1.2',
    language: 'yaml',
  },
  check(ctx) {
    const yaml = ctx.doc.yaml;
    if (!yaml) return;
    for (const { doc, kind } of yaml.documents) {
      const root = doc.contents;
      const sites: Scalar[] = [];
      const add = (n: unknown) => {
        if (isScalar(n) && typeof n.value === 'string' && n.range) sites.push(n);
      };
      if (kind === 'github-actions') {
        for (const job of yentries(yget(root, 'jobs'))) {
          add(yget(job.value, 'uses'));
          for (const step of yitems(yget(job.value, 'steps'))) add(yget(step, 'uses'));
        }
      } else if (/(^|\/)action\.ya?ml$/.test(ctx.doc.path)) {
        for (const step of yitems(yget(yget(root, 'runs'), 'steps'))) add(yget(step, 'uses'));
      } else continue;
      for (const s of sites) {
        const value = (s.value as string).trim();
        if (value.startsWith('./') || value.startsWith('docker://') || value.includes('${{')) continue;
        const at = value.lastIndexOf('@');
        const action = at >= 0 ? value.slice(0, at) : value;
        const ref = at >= 0 ? value.slice(at + 1) : undefined;
        const kindOfRef = refKind(ref);
        if (kindOfRef === 'sha') continue;
        const [start, end] = s.range!;
        if (kindOfRef === 'tag') {
          ctx.report({
            unit: ctx.doc.file,
            start,
            end,
            severity: 'hint',
            message: `\`${value}\` is pinned to the tag \`${ref}\`, which its owner can move: pin the full commit SHA (\`${action}@<40-hex sha> # ${ref}\`).`,
          });
          continue;
        }
        ctx.report({
          unit: ctx.doc.file,
          start,
          end,
          severity: kindOfRef === 'other' ? 'info' : undefined,
          message: ref
            ? `\`${value}\` runs whatever the ${kindOfRef === 'branch' ? 'branch' : 'ref'} \`${ref}\` points at when the workflow starts: pin the full commit SHA (\`${action}@<40-hex sha>\`).`
            : `\`${value}\` has no ref: pin the full commit SHA (\`${action}@<40-hex sha>\`).`,
        });
      }
    }
  },
});
