import { strict as assert } from 'assert';
import { defaultConfig, defaultRegistry, initPython, lintDocument, loadDocument } from '../../rules';
import { MAX_YAML_DEPTH, parseYaml } from '../../rules/documents/yaml';
import { YAML_KINDS, type YamlKind } from '../../rules/documents/yaml-kind';
import { yscalars } from '../../rules/documents/yaml-nodes';

/** One sample per kind: path, text. Every kind in YAML_KINDS must have at least one. */
const SAMPLES: [YamlKind, string, string][] = [
  ['dvc', 'dvc.yaml', 'stages:\n  train:\n    cmd: python train.py\n    deps: [data]\n'],
  ['dvc', 'sub/dir/dvc.yml', '# empty pipeline file\n'],
  ['dvc-params', 'params.yaml', 'train:\n  lr: 0.1\n  epochs: 10\n'],
  ['mlproject', 'MLproject', 'name: churn\nentry_points:\n  main:\n    command: python train.py\n'],
  ['mlproject', 'models/MLproject.yaml', 'name: churn\n'],
  ['conda-env', 'environment.yml', 'name: churn\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n      - mlflow==2.14.1\n'],
  ['conda-env', 'conda.yaml', 'dependencies: [python=3.11]\n'],
  ['argo', 'workflows/train.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: train-\nspec:\n  entrypoint: main\n'],
  ['argo', 'cron.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: nightly}\nspec: {schedule: "0 2 * * *"}\n'],
  ['kubeflow', 'pipeline-v1.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: churn-pipeline-\n  annotations:\n    pipelines.kubeflow.org/kfp_sdk_version: 1.8.22\n    pipelines.kubeflow.org/pipeline_spec: "{}"\nspec:\n  entrypoint: churn\n'],
  ['kubeflow', 'pipeline-v2.yaml', 'pipelineInfo:\n  name: churn\nsdkVersion: kfp-2.7.0\nschemaVersion: 2.1.0\ndeploymentSpec:\n  executors: {}\nroot:\n  dag: {tasks: {}}\ncomponents: {}\n'],
  ['kubeflow', 'tfjob.yaml', 'apiVersion: kubeflow.org/v1\nkind: TFJob\nmetadata: {name: mnist}\nspec: {}\n'],
  ['vertex', 'vertex/job.yaml', 'displayName: churn-pipeline\npipelineSpec:\n  pipelineInfo: {name: churn}\nruntimeConfig:\n  gcsOutputDirectory: gs://acme/pipeline-root\n'],
  ['vertex', 'vertex/custom.yaml', 'displayName: churn-train\njobSpec:\n  workerPoolSpecs: []\n'],
  ['vertex', 'vertex/pools.yaml', 'workerPoolSpecs:\n  - machineSpec: {machineType: n1-standard-4}\n    replicaCount: 1\n'],
  ['github-actions', '.github/workflows/ci.yml', 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n'],
  ['gitlab-ci', '.gitlab-ci.yml', 'stages: [test]\ntest:\n  script: [pytest]\n'],
  ['kedro-catalog', 'conf/base/catalog.yml', 'raw:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/raw.csv\nmodel:\n  type: pickle.PickleDataset\n  filepath: data/06_models/model.pkl\n'],
  ['kedro-catalog', 'catalog.yml', 'companies:\n  type: pandas.CSVDataSet\n  filepath: data/companies.csv\n'],
  ['kedro-parameters', 'conf/base/parameters_data_science.yml', 'model_options:\n  test_size: 0.2\n'],
  ['azureml', 'azureml/job.yml', '$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: python train.py\nenvironment: azureml:sklearn:1\ncompute: azureml:cpu-cluster\n'],
  ['kubernetes', 'k8s/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {ports: [{port: 80}]}\n'],
  ['docker-compose', 'docker-compose.yml', 'services:\n  api:\n    build: .\n'],
  ['docker-compose', 'compose.yaml', 'services:\n  mlflow:\n    image: ghcr.io/mlflow/mlflow:v2.14.1\n'],
  ['mlready-config', 'mlready.yaml', 'stage: pilot\n'],
  ['mlready-config', '.mlready.yml', 'rules: {P101: error}\n'],
  ['generic', 'config.yaml', 'learning_rate: 0.1\nbatch_size: 32\n'],
  ['generic', '.github/workflows/README.yml', 'title: not a workflow\n'],
  ['generic', 'dvc.yaml', 'not_stages: 1\n'],
  ['generic', 'catalog.yml', 'a:\n  type: something.Else\n'],
];

describe('YAML documents', () => {
  before(() => initPython());

  describe('kind detection', () => {
    for (const [kind, path, text] of SAMPLES) {
      it(`${path} is ${kind}`, () => {
        const y = parseYaml(text, path);
        assert.deepEqual(y.problems, []);
        assert.equal(y.kind, kind);
      });
    }

    it('has a sample for every kind', () => {
      const covered = new Set(SAMPLES.map(([k]) => k));
      assert.deepEqual(YAML_KINDS.filter((k) => !covered.has(k)), []);
    });
  });

  describe('multi-document files', () => {
    it('detects each document, and the file takes the first kind that is not generic', () => {
      const text = '# settings first\nreplicas: 2\n---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {entrypoint: main}\n---\napiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n';
      const y = parseYaml(text, 'deploy/all.yaml');
      assert.deepEqual(
        y.documents.map((d) => d.kind),
        ['generic', 'argo', 'kubernetes'],
      );
      assert.equal(y.kind, 'argo');
    });

    it('keeps source ranges in the whole file for later documents', () => {
      const text = 'apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: churn-api\n';
      const y = parseYaml(text, 'k8s.yaml');
      const names = [...yscalars(y.documents[1].doc.contents)].filter((s) => s.path.join('.') === 'metadata.name');
      assert.equal(names.length, 1);
      const [start, end] = names[0].scalar.range!;
      assert.equal(text.slice(start, end), 'churn-api');
    });

    it('reads comments of every document with their offsets', () => {
      const text = 'a: 1  # first\n---\n# second\nb: 2\n';
      const y = parseYaml(text, 'x.yaml');
      assert.deepEqual(
        y.comments.map((c) => [c.text, text.slice(c.start, c.end)]),
        [
          ['# first', '# first'],
          ['# second', '# second'],
        ],
      );
    });

    it('does not detect params.yaml with several documents as DVC params', () => {
      assert.equal(parseYaml('a: 1\n---\nb: 2\n', 'params.yaml').kind, 'generic');
    });
  });

  describe('hostile input', () => {
    function bomb(levels: number, width: number): string {
      const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
      for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
      return `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  entrypoint: main\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    }

    it('parses a billion-laughs alias bomb quickly, without expanding it', () => {
      const text = bomb(10, 10); // 10^10 strings if expanded
      const t = Date.now();
      const y = parseYaml(text, 'bomb.yaml');
      const scalars = [...yscalars(y.documents[0].doc.contents)];
      assert.ok(Date.now() - t < 500, `took ${Date.now() - t} ms`);
      assert.equal(y.kind, 'argo');
      // aliases are single nodes: only the literal scalars and the keys' values are walked
      assert.ok(scalars.length < 40, `${scalars.length} scalars walked`);
    });

    it('lints an alias bomb in a known pipeline kind within a time budget', () => {
      const doc = loadDocument('workflows/bomb.yaml', bomb(30, 30));
      try {
        const t = Date.now();
        const result = lintDocument(doc, { config: defaultConfig(), registry: defaultRegistry() });
        assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
        assert.deepEqual(result.ruleErrors, []);
      } finally {
        doc.dispose();
      }
    });

    it(`refuses nesting deeper than ${MAX_YAML_DEPTH} levels with a problem, never a stack overflow`, () => {
      for (const text of ['a: ' + '['.repeat(10_000), '- '.repeat(5_000) + 'x\n', Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n']) {
        const y = parseYaml(text, 'deep.yaml');
        assert.equal(y.problems.length, 1);
        assert.match(y.problems[0].message, /nesting deeper/);
        assert.deepEqual(y.documents, []);
      }
    });

    it('reports syntax errors with ranges inside the text, and never throws', () => {
      const cases = ['a: [1, 2', 'a: "unclosed\nb: 1\n', 'a:\n\tb: 1\n', 'key: value\n  bad: indent\n', '{', ']', ': :'];
      for (const text of cases) {
        const y = parseYaml(text, 'x.yaml');
        assert.ok(y.problems.length > 0, `problems for ${JSON.stringify(text)}`);
        for (const p of y.problems) assert.ok(p.start >= 0 && p.end > p.start && p.start <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(p)}`);
      }
    });

    it('points a missing closing quote at the opening quote, not at the end of the file', () => {
      const text = 'train:\n  optimizer: "adam\n  lr: 0.1\n';
      const y = parseYaml(text, 'params.yaml');
      assert.ok(y.problems.length > 0);
      assert.equal(text.slice(y.problems[0].start, y.problems[0].start + 5), '"adam');
    });
  });
});
