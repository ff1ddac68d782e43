import { strict as assert } from 'assert';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { applyEditsToFile, initPython, loadDocument, type Finding, type Fix } from '../../rules';
import { findSample, resolveFix, type SampleReader } from '../../rules/data-contracts/contract-fix';
import { topLevelSelectStar } from '../../rules/data-contracts/select-star-query';
import { scanFiles } from '../helpers/engine';

/**
 * The contract fixes end to end, as an adapter drives them: scan, take the D101 fix, resolve it
 * against the sample through a bounded reader, create its files, apply its edits, scan again.
 */

type Files = Record<string, string | Uint8Array>;

/** A SampleReader over in-memory files that records every range it is asked for. */
function memoryReader(files: Files): SampleReader & { reads: { path: string; start: number; end: number }[] } {
  const bytes = (p: string) => {
    const v = files[p];
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  };
  const reads: { path: string; start: number; end: number }[] = [];
  return {
    reads,
    async size(p) {
      return p in files ? bytes(p).length : undefined;
    },
    async read(p, start, end) {
      reads.push({ path: p, start, end });
      return bytes(p).slice(start, end);
    },
  };
}

/** What an adapter does with a fix: create its files (never overwriting) and apply its edits. */
function applyFix(files: Files, finding: Finding, fix: Fix): Files {
  const out: Files = { ...files };
  for (const c of fix.createFiles ?? []) if (!(c.path in out)) out[c.path] = c.content;
  const file = finding.file!;
  out[file] = applyEditsToFile(String(files[file]), fix.edits, file.endsWith('.ipynb'));
  return out;
}

function parses(code: string): boolean {
  const doc = loadDocument('x.py', code);
  try {
    return !doc.python!.units[0].hasSyntaxError;
  } finally {
    doc.dispose();
  }
}

const CSV = 'customer_id,plan,tenure_months,churned\n1,basic,12,0\n2,premium,3,1\n3,basic,40,0\n4,premium,7,1\n5,basic,2,0\n';

const TRAIN = `import pandas as pd
from sklearn.linear_model import LogisticRegression


def train():
    customers = pd.read_csv("/home/ana/churn/data/customers.csv")
    model = LogisticRegression().fit(customers[["tenure_months"]], customers["churned"])
    return model
`;

describe('data contract fixes', () => {
  before(() => initPython());

  it('generates the schema from the sample, validates the read through it, and the read is clean afterwards', async () => {
    const files: Files = { 'src/train.py': TRAIN, 'data/customers_sample.csv': CSV, 'src/score.py': 'import pandas as pd\n\n\ndef score(model):\n    customers = pd.read_csv("data/customers.csv")\n    return model.predict(customers[["tenure_months"]])\n' };
    const first = await scanFiles(files as Record<string, string>);
    const finding = first.findings.find((f) => f.code === 'D101' && f.file === 'src/train.py')!;
    assert.ok(finding, 'D101 on the read');
    const [fix, odcsOnly] = finding.fixes;
    assert.equal(fix.applicability, 'unsafe');
    assert.match(fix.title, /from data\/customers_sample\.csv/);
    assert.deepEqual(fix.createFiles!.map((c) => c.path), ['src/schemas/customers.py', 'src/schemas/customers.odcs.yaml']);
    assert.equal(fix.resolve?.kind, 'data-contract');
    assert.deepEqual(odcsOnly.createFiles!.map((c) => c.path), ['src/schemas/customers.odcs.yaml']);
    assert.deepEqual(odcsOnly.edits, []);
    // before resolution the module is a stub of the columns the code uses
    assert.match(fix.createFiles![0].content, /"tenure_months": pa\.Column\(nullable=True\)/);

    const reader = memoryReader(files);
    const resolved = await resolveFix(fix, reader);
    assert.equal(resolved.resolve, undefined);
    const module = resolved.createFiles![0].content;
    assert.ok(parses(module), module);
    assert.match(module, /"plan": pa\.Column\(str, pa\.Check\.isin\(\["basic", "premium"\]\)\)/);
    assert.match(module, /"churned": pa\.Column\("int64", pa\.Check\.isin\(\[0, 1\]\)\)/);
    assert.match(resolved.createFiles![1].content, /kind: DataContract/);
    assert.ok(reader.reads.every((r) => r.path === 'data/customers_sample.csv'));

    const fixed = applyFix(files, finding, resolved);
    assert.equal(
      fixed['src/train.py'],
      TRAIN.replace('from sklearn.linear_model import LogisticRegression\n', 'from sklearn.linear_model import LogisticRegression\nfrom schemas.customers import CUSTOMERS_SCHEMA\n').replace(
        'pd.read_csv("/home/ana/churn/data/customers.csv")',
        'CUSTOMERS_SCHEMA.validate(pd.read_csv("/home/ana/churn/data/customers.csv"))',
      ),
    );
    assert.ok(parses(String(fixed['src/train.py'])));

    // the read is validated now; the other read of the same dataset is offered the new schema
    const second = await scanFiles(fixed as Record<string, string>);
    assert.deepEqual(second.findings.filter((f) => f.code === 'D101' && f.file === 'src/train.py'), []);
    const other = second.findings.find((f) => f.code === 'D101' && f.file === 'src/score.py')!;
    assert.match(other.fixes[0].title, /existing schema CUSTOMERS_SCHEMA \(src\/schemas\/customers\.py\)/);
    assert.deepEqual(other.fixes[0].edits.map((e) => e.newText), ['from schemas.customers import CUSTOMERS_SCHEMA\n', 'CUSTOMERS_SCHEMA.validate(', ')']);
    assert.equal(other.fixes[0].createFiles, undefined);
    // the project now has a contract
    assert.deepEqual(second.findings.filter((f) => f.code === 'D106'), []);
  });

  it('reads at most 1 MiB of a large CSV sample', async () => {
    const big = 'id,value\n' + Array.from({ length: 200000 }, (_, i) => `${i},${i % 13}`).join('\n') + '\n';
    assert.ok(big.length > 1024 * 1024);
    const files: Files = { 'job.py': 'import pandas as pd\n\nframe = pd.read_csv("data/events.csv")\nframe.to_parquet("out.parquet")\n', 'data/events.csv': big };
    const scan = await scanFiles(files as Record<string, string>);
    const fix = scan.findings.find((f) => f.code === 'D101')!.fixes[0];
    const reader = memoryReader(files);
    const resolved = await resolveFix(fix, reader);
    assert.equal(reader.reads.length, 1);
    assert.ok(reader.reads[0].end - reader.reads[0].start <= 1024 * 1024 + 1);
    assert.match(resolved.createFiles![0].content, /1000 rows sampled, the file is longer/);
    assert.match(resolved.createFiles![0].content, /"value": pa\.Column\("int64", pa\.Check\.ge\(0\)\)/);
  });

  it('generates from a Parquet sample for a polars read, in pandera.polars style', async () => {
    const pq = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'user_id', data: Int32Array.from([1, 2, 3, 4]), type: 'INT32', nullable: false },
          { name: 'amount', data: [1.5, null, 3.25, 0], type: 'DOUBLE' },
        ],
      }),
    );
    const files: Files = { 'pipelines/events.py': 'import polars as pl\n\n\ndef load(model):\n    events = pl.read_parquet("data/events.parquet")\n    return model.predict(events.to_numpy())\n', 'data/events.parquet': pq };
    const scan = await scanFiles({ 'pipelines/events.py': files['pipelines/events.py'] as string, 'data/events.parquet': '' });
    const fix = scan.findings.find((f) => f.code === 'D101')!.fixes[0];
    assert.match(fix.title, /from data\/events\.parquet/);
    const resolved = await resolveFix(fix, memoryReader(files));
    const module = resolved.createFiles![0].content;
    assert.ok(parses(module), module);
    assert.match(module, /^import pandera\.polars as pa\nimport polars as pl$/m);
    assert.match(module, /"user_id": pa\.Column\(pl\.Int32, pa\.Check\.ge\(0\)\)/);
    assert.match(module, /"amount": pa\.Column\(pl\.Float64, pa\.Check\.ge\(0\), nullable=True\)/);
  });

  it('keeps the stub when the sample cannot be read, and leaves other fixes alone', async () => {
    const fix: Fix = { title: 't', applicability: 'unsafe', edits: [], createFiles: [{ path: 'schemas/x.py', content: 'STUB' }], resolve: { kind: 'data-contract', data: { sample: 'gone.csv', format: 'csv', target: { dataset: 'x', symbol: 'X_SCHEMA', backend: 'pandas' }, schemaPath: 'schemas/x.py', odcsPath: 'schemas/x.odcs.yaml', options: {} } } };
    assert.equal(await resolveFix(fix, memoryReader({})), fix);
    const broken = memoryReader({ 'gone.csv': '' });
    assert.equal((await resolveFix(fix, broken)).createFiles![0].content, 'STUB');
    const plain: Fix = { title: 'p', applicability: 'safe', edits: [] };
    assert.equal(await resolveFix(plain, broken), plain);
  });

  it('follows the project\'s pandera import style', async () => {
    const files = {
      'a.py': 'import pandas as pd\n\ndf = pd.read_csv("data/orders.csv", usecols=["id", "amount"])\nprint(df["amount"].sum())\n',
      'b.py': 'import pandera as pa\n\nOTHER = pa.DataFrameSchema({"x": pa.Column(int)})\n',
    };
    const scan = await scanFiles(files);
    const fix = scan.findings.find((f) => f.code === 'D101' && f.file === 'a.py')!.fixes[0];
    const module = fix.createFiles![0].content;
    assert.match(module, /^import pandera as pa$/m);
    assert.match(module, /"id": pa\.Column\(nullable=True\)/);
    assert.match(module, /"amount": pa\.Column\(nullable=True\)/);
    assert.ok(parses(module));
  });

  it('puts a package module\'s schema inside its package, with an __init__.py', async () => {
    const scan = await scanFiles({ 'src/churn/__init__.py': '', 'src/churn/features.py': 'import pandas as pd\n\n\ndef load():\n    c = pd.read_csv("data/customers.csv")\n    return c[["tenure"]]\n' });
    const fix = scan.findings.find((f) => f.code === 'D101')!.fixes[0];
    assert.deepEqual(fix.createFiles!.map((c) => c.path), ['src/churn/schemas/customers.py', 'src/churn/schemas/customers.odcs.yaml', 'src/churn/schemas/__init__.py']);
    assert.equal(fix.edits[0].newText, 'from churn.schemas.customers import CUSTOMERS_SCHEMA\n');
  });

  it('offers no generated contract when nothing is known about the columns', async () => {
    const scan = await scanFiles({ 'job.py': 'import pandas as pd\n\ndef main(path, model):\n    model.fit(pd.read_csv(path))\n' });
    const finding = scan.findings.find((f) => f.code === 'D101')!;
    assert.deepEqual(finding.fixes, []);
  });

  it('reports a read with dtype= and usecols= as a partial contract, at a lower severity', async () => {
    const scan = await scanFiles({ 'job.py': 'import pandas as pd\n\nframe = pd.read_csv("t.csv", usecols=["a"], dtype={"a": "int64"})\nframe.to_csv("u.csv")\n' });
    const f = scan.findings.find((x) => x.code === 'D101')!;
    assert.equal(f.severity, 'info');
    assert.match(f.message, /partial contract/);
    const plain = await scanFiles({ 'job.py': 'import pandas as pd\n\nframe = pd.read_csv("t.csv")\nframe.to_csv("u.csv")\n' });
    assert.equal(plain.findings.find((x) => x.code === 'D101')!.severity, 'warning');
  });

  describe('finding the sample', () => {
    const paths = new Set(['data/customers.csv', 'data/raw/orders.parquet', 'samples/events.jsonl', 'data/payments_sample.csv', 'data/tx/part-0001.parquet', 'data/tx/part-0000.parquet', 'data/report.xlsx', 'notebooks/data/local.csv']);
    const site = (readPath: string | null, path = 'src/train.py', fileRelative = false) => ({ path, readPath, fileRelative });
    it('resolves relative, absolute, remote, globbed and partitioned paths', () => {
      assert.equal(findSample(site('data/customers.csv'), 'customers', paths), 'data/customers.csv');
      assert.equal(findSample(site('/home/ana/proj/data/customers.csv'), 'customers', paths), 'data/customers.csv');
      assert.equal(findSample(site('s3://bucket/prefix/raw/orders.parquet'), 'orders', paths), 'data/raw/orders.parquet');
      assert.equal(findSample(site('data/tx/*.parquet'), 'tx', paths), 'data/tx/part-0000.parquet');
      assert.equal(findSample(site('data/tx'), 'tx', paths), 'data/tx/part-0000.parquet');
      assert.equal(findSample(site('data/local.csv', 'notebooks/eda.ipynb'), 'local', paths), 'notebooks/data/local.csv');
    });
    it('falls back to a sample named after the dataset', () => {
      assert.equal(findSample(site('s3://prod/payments/2024/'), 'payments', paths), 'data/payments_sample.csv');
      assert.equal(findSample(site(null), 'events', paths), 'samples/events.jsonl');
      assert.equal(findSample(site('data/report.xlsx'), 'report', paths), null, 'Excel is not a sample format');
      assert.equal(findSample(site('db.table'), 'unknown', paths), null);
    });
  });

  describe('SELECT * detection', () => {
    const stars = (sql: string) => topLevelSelectStar(sql).map((m) => sql.slice(m.start, m.end));
    it('finds the outermost SELECT * only', () => {
      assert.deepEqual(stars('SELECT * FROM t'), ['SELECT *']);
      assert.deepEqual(stars('select distinct t.* from t'), ['select distinct t.*']);
      assert.deepEqual(stars('SELECT TOP 10 * FROM t'), ['SELECT TOP 10 *']);
      assert.deepEqual(stars('SELECT a FROM t UNION ALL SELECT * FROM u'), ['SELECT *']);
      assert.deepEqual(stars('WITH x AS (SELECT * FROM t) SELECT a, b FROM x'), []);
      assert.deepEqual(stars('SELECT count(*) FROM t WHERE EXISTS (SELECT * FROM u)'), []);
      assert.deepEqual(stars("SELECT a FROM t WHERE note = 'SELECT * FROM x' -- SELECT *"), []);
      assert.deepEqual(stars('SELECT a * b FROM t'), []);
      assert.deepEqual(stars('/* SELECT * */ SELECT id FROM t'), []);
    });
  });
});
