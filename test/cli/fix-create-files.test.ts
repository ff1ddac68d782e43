import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ensureBuilt, makeProject, removeProject, runCli, snapshot } from './helpers';

/**
 * `--fix --unsafe-fixes` with fixes that create files: the D101 contract generator writes a
 * pandera schema and an ODCS contract inferred from a data sample, then validates the read with it.
 */
const TRAIN = 'import pandas as pd\n\n\ndef load():\n    df = pd.read_csv("data/customers.csv")\n    return df[df["age"] > 18]\n';
const CSV = 'id,age,country,spend\n1,34,DE,10.5\n2,22,FR,3.0\n3,45,DE,\n';

async function codes(dir: string): Promise<{ code: string; file: string | null }[]> {
  const run = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as { findings: { code: string; file: string | null }[] }).findings;
}

describe('mlready check --fix with file-creating fixes', function () {
  this.timeout(90_000);
  let dir: string | undefined;
  before(() => ensureBuilt());
  afterEach(() => dir && removeProject(dir));

  it('creates nothing with --fix alone: contract generation is unsafe', async () => {
    dir = makeProject({ 'src/train.py': TRAIN, 'data/customers.csv': CSV });
    const before = snapshot(dir);
    const run = await runCli(['check', '.', '--fix', '--fail-on', 'never'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(snapshot(dir), before);
  });

  it('writes a schema inferred from a CSV sample, validates the read with it, and is idempotent', async () => {
    dir = makeProject({ 'src/train.py': TRAIN, 'data/customers.csv': CSV });
    assert.ok((await codes(dir)).some((f) => f.code === 'D101' && f.file === 'src/train.py'));
    const run = await runCli(['check', '.', '--fix', '--unsafe-fixes', '--fail-on', 'never'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /created src\/schemas\/customers\.py/);

    const schema = fs.readFileSync(path.join(dir, 'src/schemas/customers.py'), 'utf8');
    assert.match(schema, /^CUSTOMERS_SCHEMA = pa\.DataFrameSchema\(/m);
    assert.match(schema, /"age": pa\.Column\("int64", pa\.Check\.ge\(0\)\)/);
    assert.match(schema, /"spend": pa\.Column\("float64", pa\.Check\.ge\(0\), nullable=True\)/);
    assert.match(schema, /"country": pa\.Column\(str/);
    const odcs = fs.readFileSync(path.join(dir, 'src/schemas/customers.odcs.yaml'), 'utf8');
    assert.match(odcs, /^kind: DataContract$/m);
    assert.match(odcs, /- name: age\n\s+logicalType: integer/);

    const train = fs.readFileSync(path.join(dir, 'src/train.py'), 'utf8');
    assert.match(train, /^from schemas\.customers import CUSTOMERS_SCHEMA$/m);
    assert.match(train, /df = CUSTOMERS_SCHEMA\.validate\(pd\.read_csv\("data\/customers\.csv"\)\)/);
    const after = await codes(dir);
    assert.ok(!after.some((f) => f.code === 'D101' || f.code === 'D106'), JSON.stringify(after));

    const fixedOnce = snapshot(dir);
    const again = await runCli(['check', '.', '--fix', '--unsafe-fixes', '--fail-on', 'never'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(snapshot(dir), fixedOnce, 'a second run changes nothing');
  });

  it('infers the contract from a Parquet sample', async () => {
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'user_id', data: [1, 2, 3], type: 'INT32' },
        { name: 'score', data: [0.5, 0.25, 0.75], type: 'DOUBLE' },
        { name: 'segment', data: ['a', 'b', 'a'], type: 'STRING' },
      ],
    });
    const job = 'import pandas as pd\n\n\ndef load():\n    events = pd.read_parquet("data/events.parquet")\n    return events\n';
    dir = makeProject({ 'job.py': job, 'data/events.parquet': new Uint8Array(parquet) });
    const run = await runCli(['check', '.', '--fix', '--unsafe-fixes', '--fail-on', 'never'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const schema = fs.readFileSync(path.join(dir, 'schemas/events.py'), 'utf8');
    assert.match(schema, /"user_id": pa\.Column\("int32"/);
    assert.match(schema, /"score": pa\.Column\("float64"/);
    assert.match(schema, /"segment": pa\.Column\(str/);
    assert.match(fs.readFileSync(path.join(dir, 'job.py'), 'utf8'), /EVENTS_SCHEMA\.validate\(pd\.read_parquet\("data\/events\.parquet"\)\)/);
  });

  it('never overwrites a file in the way, and leaves the read alone', async () => {
    dir = makeProject({ 'src/train.py': TRAIN, 'data/customers.csv': CSV, 'src/schemas/customers.odcs.yaml': 'mine: true\n' });
    const run = await runCli(['check', '.', '--fix', '--unsafe-fixes', '--fail-on', 'never'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /did not apply .* src\/schemas\/customers\.odcs\.yaml already exists/);
    assert.equal(fs.readFileSync(path.join(dir, 'src/schemas/customers.odcs.yaml'), 'utf8'), 'mine: true\n');
    assert.ok(!fs.existsSync(path.join(dir, 'src/schemas/customers.py')));
    assert.equal(fs.readFileSync(path.join(dir, 'src/train.py'), 'utf8'), TRAIN);
  });
});
