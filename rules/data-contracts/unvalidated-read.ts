import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { contractFixes } from './contract-fix';
import { programIndex, type ProgramIndex } from './python-index';
import { dataReads, type DataRead } from './readers';
import { contractSite, judgeValue, readDataset, trainingSink, where, type Verdict } from './sites';

/** datacontract-cli `DataContract(...).test()` in the program: the contract's own test covers what the program reads. */
function runsContractTests(index: ProgramIndex): boolean {
  if (!index.program.imports.imports('datacontract')) return false;
  return index.program.calls().some((c) => c.method === 'test' && /DataContract|contract/i.test(c.receiver?.text ?? ''));
}

function what(read: DataRead): string {
  const p = read.path;
  if (!p || read.format === 'sql') return read.format === 'sql' ? 'a query result' : 'data';
  const v = p.value.length > 60 ? `…${p.value.slice(-57)}` : p.value;
  return `\`${v}\``;
}

function partial(read: DataRead): string | null {
  const { types, columns } = read.declares;
  if (read.family === 'pyspark' && types) return `\`.schema(...)\``;
  if (read.family === 'datasets' && types) return '`features=`';
  if (types && columns) return `\`${types}=\` and \`${columns}=\``;
  return null;
}

function message(read: DataRead, verdict: Verdict, partialDecl: string | null): string {
  const subject = `\`${read.label}\` reads ${what(read)}`;
  const unit = read.call.unit;
  if (partialDecl) {
    return `${subject} with ${partialDecl}: a partial contract (column names and types only). Nothing checks nulls, ranges or allowed values${verdict.reason === 'never' ? '' : ` (\`${verdict.function}()\` returns it unvalidated)`}; validate the frame with a schema (pandera, Great Expectations …).`;
  }
  switch (verdict.reason) {
    case 'used-before':
      return `${subject} and passes it to \`${verdict.flow.firstUse!.label}\` (${where(verdict.flow.firstUse!, unit)}) before validating it (${where(verdict.flow.validated!, unit)}): bad rows reach that step unchecked. Validate right after the read.`;
    case 'returned':
      return `${subject} and \`${verdict.function}()\` returns it unvalidated; nothing in this file validates it afterwards. Validate it where it is read, so every caller gets checked data.`;
    case 'returned-unvalidated-by-callers':
      return `${subject} and \`${verdict.function}()\` returns it unvalidated to a caller that does not validate it either. Validate it where it is read.`;
    default:
      return `${subject} that is never validated: no schema (pandera, Great Expectations, pydantic, Soda …) checks the columns, types and values the code relies on, so a changed upstream file breaks training silently or late.`;
  }
}

export default defineRule({
  code: 'D101',
  name: 'unvalidated-read',
  category: 'data-contracts',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  options: { schemaDir: null },
  docs: {
    summary:
      'A dataset is read (pandas, polars, PySpark, Dask, `datasets`, numpy text tables) and its result is used without ever passing a schema validation in the same function or notebook.',
    why:
      'Whatever the file contains on the day the job runs becomes training or scoring input: a renamed column, a unit change, a new category or a column full of nulls does not fail the job, it changes the model. A schema check at the read turns a silent data change into an error with the offending column in the message. Validation is recognised from pandera (`schema.validate`, `@pa.check_types`/`check_input`/`check_output`), Great Expectations (validators, checkpoints, batches, `expect_*`), pydantic per row (`Model(**row)`, `model_validate`, `TypeAdapter`), Soda scans, datacontract-cli tests, structural `assert`s on columns/dtypes, and functions listed under `allow.validation` in mlready.yaml. A read that declares `dtype=` and `usecols=` (or a Spark `.schema(...)`) is a partial contract and is reported at a lower severity.',
    example: 'import pandas as pd\n\ncustomers = pd.read_csv("data/customers.csv")\nmodel.fit(customers[FEATURES], customers["churned"])',
    useInstead:
      'import pandas as pd\nimport pandera.pandas as pa\n\nCUSTOMERS_SCHEMA = pa.DataFrameSchema(\n    {\n        "tenure_months": pa.Column("int64", pa.Check.ge(0)),\n        "plan": pa.Column(str, pa.Check.isin(["basic", "premium"])),\n        "churned": pa.Column("int64", pa.Check.isin([0, 1])),\n    },\n    strict=True,\n)\n\ncustomers = CUSTOMERS_SCHEMA.validate(pd.read_csv("data/customers.csv"))\nmodel.fit(customers[FEATURES], customers["churned"])',
    fixSafety:
      'Unsafe: validation rejects data the code used to accept. When the project already has a pandera schema for the dataset (matched by name), the fix wraps the read in `SCHEMA.validate(...)` and imports it. Otherwise it generates `schemas/<dataset>.py` — beside the reading script or notebook so that it imports as `schemas.<dataset>`, inside the top package for package modules, or under the `schemaDir` option — as a pandera `DataFrameSchema` in the project\'s `import pandera…` style, plus `<dataset>.odcs.yaml` (Open Data Contract Standard v3.1): inferred from a bounded sample (header + up to 1,000 rows or 1 MiB; Parquet metadata + first row group) when the path resolves to a CSV/TSV/JSON-lines/Parquet file in the workspace, else a stub with the columns the code uses. Review the inferred checks: a sample shows what the data looked like, not everything it may be.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    const reads = dataReads(program);
    if (!reads.length) return;
    const index = programIndex(program);
    if (runsContractTests(index)) return;
    const validation = { allow: ctx.config.allow.validation };
    const schemaDir = typeof ctx.options.schemaDir === 'string' && ctx.options.schemaDir ? ctx.options.schemaDir : undefined;
    for (const read of reads) {
      const verdict = judgeValue(index, read.call.node, read.call.unit, validation, trainingSink);
      if (verdict.ok) continue;
      const partialDecl = verdict.reason !== 'used-before' ? partial(read) : null;
      const dataset = readDataset(read);
      const site = contractSite(ctx.doc.path, program, index, read.call.node, read.call.unit, read, dataset, verdict.flow.columns, schemaDir);
      ctx.report({
        unit: read.call.unit,
        start: read.call.node.startIndex,
        end: read.call.node.endIndex,
        message: message(read, verdict, partialDecl),
        severity: partialDecl ? 'info' : undefined,
        deferredFixes: site ? (facts) => contractFixes(site, facts) : undefined,
      });
    }
  },
});
