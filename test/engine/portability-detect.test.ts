import { strict as assert } from 'assert';
import { absoluteFolder } from '../../rules/portability/chdir-absolute';
import { findCommandPaths, findLocations, isHardwiredHost } from '../../rules/portability/detect';

/** The classifier behind P101–P106: what a value names, and the exact span of it. */
function found(value: string): string[] {
  return findLocations(value).map((m) => `${m.kind}:${value.slice(m.start, m.end)}`);
}

describe('portability: locations in values', () => {
  const table: [string, string[]][] = [
    ['/home/ana/churn/data.csv', ['user-home:/home/ana/churn/data.csv']],
    ['/Users/ana/work', ['user-home:/Users/ana/work']],
    ['C:\\Users\\ana\\Desktop\\x.xlsx', ['user-home:C:\\Users\\ana\\Desktop\\x.xlsx']],
    ['~/churn/cache', ['tilde-home:~/churn/cache']],
    ['python train.py --data /home/ana/x.csv --out out/', ['user-home:/home/ana/x.csv']],
    ['copied from /Users/ana and then /tmp', ['user-home:/Users/ana']],
    ['see /home/ana/notes.', ['user-home:/home/ana/notes']],
    ['file:///home/ana/mlruns', ['user-home:/home/ana/mlruns']],
    ['D:\\shared\\sales.xlsx', ['windows-drive:D:\\shared\\sales.xlsx']],
    ['E:/exports/regions.csv', ['windows-drive:E:/exports/regions.csv']],
    ['\\\\fileserver\\finance\\targets.xlsx', ['windows-drive:\\\\fileserver\\finance\\targets.xlsx']],
    ['file:///C:/data/x.csv', ['windows-drive:C:/data/x.csv']],
    ['s3://acme-lake/fraud/', ['cloud:s3://acme-lake/fraud/']],
    ['abfss://raw@lake.dfs.core.windows.net/x', ['cloud:abfss://raw@lake.dfs.core.windows.net/x']],
    ['dbfs:/mnt/raw/events', ['cloud:dbfs:/mnt/raw/events']],
    ['hdfs://namenode:8020/warehouse', ['cloud:hdfs://namenode:8020/warehouse']],
    ['/data/raw/events.parquet', ['absolute:/data/raw/events.parquet']],
    ['file:///mnt/data/x.parquet', ['absolute:/mnt/data/x.parquet']],
    ['postgresql://etl@10.0.3.17:5432/features', ['host:postgresql://etl@10.0.3.17:5432/features']],
    ['http://mlflow.internal:5000', ['host:http://mlflow.internal:5000']],
    ['http://localhost:8080/health', ['host:http://localhost:8080/health']],
    ['10.0.3.17', ['host:10.0.3.17']],
    ['kafka-1.acme.internal:9092', ['host:kafka-1.acme.internal:9092']],
    // near misses
    ['~/.kaggle/kaggle.json', []],
    ['/home/runner/work/x', ['absolute:/home/runner/work/x']],
    ['/home/jovyan/work/x.csv', ['absolute:/home/jovyan/work/x.csv']],
    ['/Users/Shared/x', ['absolute:/Users/Shared/x']],
    ['/predict', []],
    ['/api/v1/predict', ['absolute:/api/v1/predict']],
    ['/dev/null', []],
    ['/tmp/scratch/a.csv', []],
    ['/etc/ssl/certs/ca.pem', []],
    ['data/raw/events.parquet', []],
    ['s3://', []],
    ['https://github.com/acme/churn', []],
    ['https://huggingface.co/bert-base-uncased', []],
    ['https://api.openai.com/v1', []],
    ['http://example.com:8080/docs', []],
    ['1.2.3.4', []],
    ['0.0.0.0', []],
    ['127.0.0.1:8000', []],
    ['mypkg.internal', []],
    ['2024-06-30T12:00:00Z', []],
    ['10:30-11:45', []],
    ['/srv/{name}/x.csv', []],
    ['Subject: Q2 sales', []],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected.join(', ') || 'nothing'}`, () => assert.deepEqual(found(value), expected));
  }

  it('finds absolute paths among the words of a command', () => {
    const cmd = 'python train.py --raw /data/raw.csv --out=/models/x -v /mnt/host:/mnt/data 2>/dev/null --tmp /tmp/x --route /predict';
    assert.deepEqual(
      findCommandPaths(cmd).map((m) => cmd.slice(m.start, m.end)),
      ['/data/raw.csv', '/models/x', '/mnt/host', '/mnt/data'],
    );
  });

  it('judges URLs: a machine, not a documentation link', () => {
    for (const url of ['http://10.1.2.3/x', 'http://[fd00::1]:9000', 'redis://cache:6379', 'mongodb+srv://c.mongodb.net/db', 'http://db.corp/x']) assert.ok(isHardwiredHost(url), url);
    for (const url of ['https://pypi.org/simple', 'file:///x', 'https://{host}/x', 'https://www.w3.org/TR/']) assert.ok(!isHardwiredHost(url), url);
  });

  it('knows an absolute folder to change into', () => {
    for (const t of ['/home/ana/x', '/data', '~/proj', 'D:\\work', '\\\\server\\share\\x', '/app/src']) assert.ok(absoluteFolder(t), t);
    for (const t of ['/', '~', '/tmp', '/tmp/x', 'data', '..', '{root}', '$HOME/x', '']) assert.ok(!absoluteFolder(t), t);
  });
});
