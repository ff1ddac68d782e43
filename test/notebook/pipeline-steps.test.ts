import { strict as assert } from 'assert';
import { scanFiles } from '../helpers/engine';
import { code, md, notebook } from './nb';

/**
 * A notebook that a pipeline executes is production code: the collector finds the reference
 * (dvc.yaml, papermill, Airflow, Kubeflow, a Dockerfile, a CI step), the engine raises the
 * notebook's findings to production-stage severities, and N113 (hidden state) applies to it.
 */

/** Untitled-free, but no title (N110, info at pilot) and a read before its definition (N113). */
const TRAIN = notebook([code('import pandas as pd'), code('print(df.shape)'), code('df = pd.read_parquet("data/features.parquet")')]);

async function scan(files: Record<string, string>, notebookPath = 'notebooks/train.ipynb') {
  const result = await scanFiles({ [notebookPath]: TRAIN, ...files });
  assert.deepEqual(result.ruleErrors, []);
  const mine = result.findings.filter((f) => f.file === notebookPath);
  return {
    result,
    title: mine.find((f) => f.code === 'N110'),
    hidden: mine.find((f) => f.code === 'N113'),
  };
}

function assertPipelineStep(r: Awaited<ReturnType<typeof scan>>, what: string): void {
  assert.equal(r.title?.severity, 'warning', `${what}: N110 raised from info to warning`);
  assert.equal(r.title?.stage, 'production', `${what}: marked as production`);
  assert.ok(r.hidden, `${what}: N113 reported`);
  assert.equal(r.hidden.severity, 'error');
  assert.equal(r.hidden.cell, 1);
}

function assertNotPipelineStep(r: Awaited<ReturnType<typeof scan>>, what: string): void {
  assert.equal(r.title?.severity, 'info', `${what}: N110 keeps its pilot severity`);
  assert.equal(r.title?.stage, undefined);
  assert.equal(r.hidden, undefined, `${what}: N113 is only for pipeline notebooks`);
}

describe('notebooks run by a pipeline', () => {
  it('leaves a notebook no pipeline runs at its configured stage', async () => {
    assertNotPipelineStep(await scan({}), 'no pipeline');
  });

  it('dvc.yaml: papermill in a stage command (relative to the stage wdir), and a deps entry', async () => {
    assertPipelineStep(await scan({ 'dvc.yaml': 'stages:\n  train:\n    cmd: papermill notebooks/train.ipynb out/train.ipynb -p epochs 3\n    outs:\n      - out/train.ipynb\n' }), 'dvc cmd');
    assertPipelineStep(await scan({ 'pipelines/dvc.yaml': 'stages:\n  train:\n    wdir: ..\n    cmd: jupyter nbconvert --to notebook --execute notebooks/train.ipynb\n' }), 'dvc wdir');
    assertPipelineStep(await scan({ 'dvc.yaml': 'stages:\n  train:\n    cmd: python -m train\n    deps:\n      - notebooks/train.ipynb\n' }), 'dvc deps');
  });

  it('Python: papermill.execute_notebook through an alias, Airflow PapermillOperator, a subprocess command', async () => {
    assertPipelineStep(await scan({ 'pipelines/run.py': 'import papermill as pm\n\npm.execute_notebook("notebooks/train.ipynb", "out/train-run.ipynb", parameters={"epochs": 3})\n' }), 'papermill');
    assertPipelineStep(
      await scan({ 'dags/train.py': 'from airflow.providers.papermill.operators.papermill import PapermillOperator\n\nrun = PapermillOperator(task_id="train", input_nb="notebooks/train.ipynb", output_nb="/tmp/out-{{ ds }}.ipynb")\n' }),
      'airflow',
    );
    assertPipelineStep(await scan({ 'scripts/nightly.py': 'import subprocess\n\nsubprocess.run(["jupyter", "nbconvert", "--execute", "--to", "notebook", "notebooks/train.ipynb"], check=True)\n' }), 'subprocess');
    assertPipelineStep(await scan({ 'dags/k8s.py': 'from kfp import dsl\n\ndsl.ContainerOp(name="train", image="churn:1.2", command=["papermill", "/app/notebooks/train.ipynb", "/tmp/out.ipynb"])\n' }), 'kfp ContainerOp');
  });

  it('YAML components and CI, and a Dockerfile', async () => {
    assertPipelineStep(
      await scan({ 'components/train.yaml': 'name: Train\nimplementation:\n  container:\n    image: churn:1.2\n    command: [papermill]\n    args: [/app/notebooks/train.ipynb, /tmp/out.ipynb]\n' }),
      'kubeflow component',
    );
    assertPipelineStep(await scan({ '.github/workflows/nightly.yml': 'on:\n  schedule:\n    - cron: "0 3 * * *"\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: papermill notebooks/train.ipynb out.ipynb\n' }), 'github actions');
    assertPipelineStep(await scan({ 'Dockerfile': 'FROM python:3.11-slim\nCOPY . /app\nWORKDIR /app\nCMD ["papermill", "notebooks/train.ipynb", "/tmp/out.ipynb"]\n' }), 'dockerfile');
  });

  it('does not take rendering or testing a notebook for running it', async () => {
    assertNotPipelineStep(await scan({ 'dvc.yaml': 'stages:\n  render:\n    cmd: jupyter nbconvert --to html notebooks/train.ipynb\n' }), 'nbconvert without --execute');
    assertNotPipelineStep(await scan({ '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest --nbval notebooks/train.ipynb\n' }), 'nbval');
    assertNotPipelineStep(await scan({ 'docs/notes.py': 'README = "see notebooks/train.ipynb for the analysis"\n' }), 'a mention');
    assertNotPipelineStep(await scan({ 'tools/refresh.py': '"""Refresh the report by hand: papermill notebooks/train.ipynb out.ipynb"""\nprint(1)\n' }), 'a docstring');
    assertNotPipelineStep(await scan({ 'dvc.yaml': 'stages:\n  train:\n    cmd: papermill ${item}.ipynb out.ipynb\n' }), 'templated');
  });

  it('takes papermill\'s output notebook for an output, not a step', async () => {
    const { result } = await scan({ 'dvc.yaml': 'stages:\n  train:\n    cmd: papermill notebooks/train.ipynb reports/train_run.ipynb\n', 'reports/train_run.ipynb': notebook([md('# Run'), code('print(1)', { outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }] })]) });
    const output = result.findings.filter((f) => f.file === 'reports/train_run.ipynb');
    assert.equal(output.find((f) => f.code === 'N103'), undefined, 'an output notebook is meant to carry outputs');
    assert.equal(output.find((f) => f.stage === 'production'), undefined);
  });

  it('raises an exploration-stage notebook to production, and configured severities still win', async () => {
    const dvc = { 'dvc.yaml': 'stages:\n  train:\n    cmd: papermill notebooks/train.ipynb out.ipynb\n' };
    assertPipelineStep(await scan({ ...dvc, 'mlready.yaml': 'stages:\n  "notebooks/**": exploration\n' }), 'exploration folder');
    const pinned = await scan({ ...dvc, 'mlready.yaml': 'rules:\n  N110: info\n  N113: off\n' });
    assert.equal(pinned.title?.severity, 'info');
    assert.equal(pinned.hidden, undefined);
  });

  it('reports hidden state at the production stage without any pipeline', async () => {
    const r = await scan({ 'mlready.yaml': 'stage: production\n' });
    assert.equal(r.hidden?.severity, 'error');
    assert.match(r.hidden!.message, /`df` is read here but only defined in the next code cell/);
  });
});
