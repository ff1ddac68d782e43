import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { CONTRACT_FILE, FACT_CONTRACT, FACT_SCHEMA, TAG_CONTRACT_FILE, TAG_READ } from './datasets';

/** Libraries whose use anywhere in the project counts as having started on data contracts. */
const CONTRACT_LIBRARIES = [
  'pandera', 'great_expectations', 'soda', 'datacontract', 'pydantic', 'pydeequ', 'frictionless', 'dataframely', 'patito', 'pointblank',
  'tensorflow_data_validation', 'pandas_schema', 'deepchecks', 'jsonschema', 'marshmallow', 'cerberus',
];
/** Great Expectations and Soda project files. */
const CONTRACT_PROJECT_FILE = /(^|\/)(great_expectations\.ya?ml|gx\/great_expectations\.ya?ml|checks\.ya?ml|soda\/[^/]+\.ya?ml|expectations\/[^/]+\.json)$/i;

export default defineRule({
  code: 'D106',
  name: 'no-data-contract',
  category: 'data-contracts',
  severity: 'warning',
  appliesTo: ['workspace'],
  docs: {
    summary: 'The project reads datasets but has no data contract anywhere: no pandera, Great Expectations, pydantic, Soda or datacontract usage, no `datacontract.yaml` or `*.odcs.yaml`, and no function configured in `allow.validation`.',
    why:
      'A data contract is the code-level promise of what a dataset contains. Without one, nothing in the project says which columns, types and values the models were built for, so nobody can tell whether today\'s data still fits — the first broken foundation of an ML system in production. One schema for the main training table is enough to start.',
    example: 'src/train.py reads data/customers.csv with pd.read_csv and nothing in the project validates any dataset.',
    useInstead:
      'Start with the main training dataset: apply the D101 quick fix on its read to generate `schemas/<dataset>.py` (a pandera schema inferred from a sample of the data) and `<dataset>.odcs.yaml`, then validate the read through it; or write a `datacontract.yaml` and run `datacontract test` in CI.',
    language: 'text',
  },
  checkWorkspace(ctx) {
    const { facts, config } = ctx;
    // one file (`mlready check src/train.py`) is not a project: its absence of contracts says nothing
    if (facts.paths.size < 2) return;
    const reads = facts.tagged(TAG_READ).flatMap(({ file, locations }) => (isTestPath(config, file.path) ? [] : locations));
    if (!reads.length) return;
    // what tests and fixtures use is not the project's contract
    const project = [...facts.files.values()].filter((f) => !isTestPath(config, f.path));
    if (project.some((f) => CONTRACT_LIBRARIES.some((m) => f.modules.has(m)))) return;
    if (project.some((f) => f.values?.get(FACT_SCHEMA)?.length || f.values?.get(FACT_CONTRACT)?.length || f.tags.has(TAG_CONTRACT_FILE))) return;
    if (facts.findPaths((p) => (CONTRACT_FILE.test(p) || CONTRACT_PROJECT_FILE.test(p)) && !isTestPath(config, p)).length) return;
    const allow = config.allow.validation;
    if (allow.length && project.some((f) => [...f.calls].some((c) => allow.some((a) => c === a || c.endsWith(`.${a}`))) || allow.some((a) => f.definitions.has(a.split('.').pop() ?? a)))) return;
    const files = new Set(reads.map((r) => r.path));
    const first = reads[0];
    ctx.report({
      message: `The project reads data (${reads.length} read${reads.length === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}, first at ${first.path}${first.cell !== undefined ? ` cell ${first.cell}` : ''}:${first.range.start.line + 1}) but declares no data contract anywhere: no pandera, Great Expectations, pydantic or Soda, no datacontract.yaml or *.odcs.yaml. Start with the main training dataset: the D101 quick fix on its read generates a pandera schema and an ODCS contract from a sample.`,
    });
  },
});
