/**
 * Writes the fixtures of the notebook-hygiene rules N101–N113 (test/fixtures/N1*) as real nbformat 4
 * files, the way Jupyter saves them (N001 and N010 have hand-written fixtures). Run it after
 * changing a fixture here:
 *
 *   npx tsx test/notebook/make-fixtures.ts
 *
 * flagged/ notebooks carry `# expect: CODE` markers in their cells; findings on the notebook as a
 * whole (no cell) go to flagged/expected.json with their line in the .ipynb text, computed here.
 * fixed/ is the flagged notebook after the rule's fixes, produced by the engine and checked here
 * against the cell sources each fix must give.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, parseNotebook } from '../../rules';
import { scanFiles } from '../helpers/engine';
import { code, display, error, lineOf, md, notebook, result, stream, type CellSpec } from './nb';

const ROOT = path.join(__dirname, '..', 'fixtures');

type Files = Record<string, string>;
interface Expected {
  file: string;
  cell?: number;
  line: number | null;
  code: string;
}
interface Fixture {
  dir: string;
  flagged: Files;
  clean: Files;
  expected?: Expected[];
  /** For fixable rules: file → the cell sources the fixes must give. */
  fixed?: Record<string, string[]>;
}

const TITLE = md('# Churn model: training\nReads `data/processed/features.parquet`, writes `models/churn.joblib`. Run top to bottom.');

/** A clean, idiomatic notebook: titled, imports first, outputs stripped. */
function cleanNotebook(cells: CellSpec[], title = TITLE): string {
  return notebook([title, ...cells], { executed: false });
}

const png = (bytes: number): string => {
  // deterministic base64 of the given size, wrapped as Jupyter does not (one long line)
  let s = '';
  let x = 12345;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  while (s.length < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += alphabet[x % 64];
  }
  return `iVBORw0KGgo${s.slice(11)}`;
};

const fixtures: Fixture[] = [];

// N101 saved-error-output -------------------------------------------------------------------------
{
  const tb = (name: string) => [`\u001b[0;31m---------------------------------------------------------------------------\u001b[0m`, `\u001b[0;31m${name}\u001b[0m                                  Traceback (most recent call last)`, `Cell \u001b[0;32mIn[3], line 1\u001b[0m`];
  fixtures.push({
    dir: 'N101-saved-error-output',
    flagged: {
      'notebooks/pricing.ipynb': notebook([
        md('# Pricing features'),
        code('import pandas as pd\n\nrate = 1.08'),
        code('df = pd.read_parquet("data/processed/orders.parquet")\ndf.shape', { outputs: [result(2, { 'text/plain': '(120433, 14)' })] }),
        code('\n# convert to euros  # expect: N101\ndf["price_eur"] = df["price"] * rate', { outputs: [error('KeyError', "'price'", tb('KeyError'))] }),
        code('df.to_parquet("data/processed/orders_eur.parquet")  # expect: N101', { outputs: [stream('writing…\n'), error('KeyboardInterrupt', '', tb('KeyboardInterrupt'))] }),
      ]),
    },
    clean: {
      'notebooks/pricing.ipynb': cleanNotebook(
        [
          code('import pandas as pd\n\nrate = 1.08'),
          code('df = pd.read_parquet("data/processed/orders.parquet")\ndf.shape'),
          code('# convert to euros\ndf["price_eur"] = df["amount"] * rate'),
          code('df.to_parquet("data/processed/orders_eur.parquet")'),
        ],
        md('# Pricing features'),
      ),
      // a handled exception printed to stderr is not a saved error
      'notebooks/retry.ipynb': notebook([
        md('# Retry check'),
        code('import logging\nlog = logging.getLogger(__name__)'),
        code('try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception("expected in this demo")', { outputs: [stream('ERROR:__main__:expected in this demo\nTraceback (most recent call last):\nZeroDivisionError: division by zero\n', 'stderr')] }),
      ]),
    },
  });
}

// N102 huge-output --------------------------------------------------------------------------------
{
  const config = 'rules:\n  N102:\n    maxCellOutputBytes: 20000\n    maxNotebookOutputBytes: 50000\n';
  const image = (n: number) => display({ 'image/png': png(n), 'text/plain': '<Figure size 640x480 with 1 Axes>' });
  const big = notebook([
    md('# Feature distributions'),
    code('import matplotlib.pyplot as plt\nimport pandas as pd'),
    code('df = pd.read_parquet("data/processed/features.parquet")'),
    code('df.hist(figsize=(40, 40), bins=200)  # expect: N102', { outputs: [image(30000)] }),
    code('plt.show()'),
  ]);
  const many = notebook([
    md('# Feature distributions, one plot per column'),
    code('import matplotlib.pyplot as plt\nimport pandas as pd\ndf = pd.read_parquet("data/processed/features.parquet")'),
    ...[0, 1, 2, 3].map((i) => code(`df[df.columns[${i}]].plot.hist(bins=50)`, { outputs: [image(15000)] })),
  ]);
  const attachments = notebook([
    md('# Architecture'),
    { type: 'markdown', source: '![diagram](attachment:diagram.png)  # expect: N102', attachments: { 'diagram.png': { 'image/png': png(25000) } } },
    code('import pandas as pd'),
  ]);
  fixtures.push({
    dir: 'N102-huge-output',
    flagged: { 'mlready.yaml': config, 'notebooks/distributions.ipynb': big, 'notebooks/per_column.ipynb': many, 'notebooks/architecture.ipynb': attachments },
    // the notebook-level finding points at the largest output (the first of equals)
    expected: [{ file: 'notebooks/per_column.ipynb', line: lineOf(many, '"outputs": [\n') + 1, code: 'N102' }],
    clean: {
      'mlready.yaml': config,
      'notebooks/distributions.ipynb': notebook([
        md('# Feature distributions'),
        code('import matplotlib.pyplot as plt\nimport pandas as pd'),
        code('df = pd.read_parquet("data/processed/features.parquet")'),
        code('ax = df.hist(figsize=(8, 8), bins=30)\nplt.savefig("reports/figures/distributions.png", dpi=120)', { outputs: [image(4000)] }),
      ]),
    },
  });
}

// N103 committed-outputs --------------------------------------------------------------------------
{
  const withOutputs = notebook([
    md('# Weekly churn report'),
    code('import pandas as pd'),
    code('df = pd.read_parquet("data/processed/scores.parquet")\ndf.describe()', { outputs: [result(2, { 'text/plain': '        score\ncount  1000.0\nmean      0.2' })] }),
    code('df.groupby("segment").score.mean()', { outputs: [result(3, { 'text/plain': 'segment\nA    0.1\nB    0.3' })] }),
  ]);
  const executed = notebook([md('# Scoring'), code('import pandas as pd'), code('scores = pd.read_parquet("data/processed/scores.parquet")')]);
  fixtures.push({
    dir: 'N103-committed-outputs',
    flagged: { 'notebooks/report.ipynb': withOutputs },
    // at the first saved output
    expected: [{ file: 'notebooks/report.ipynb', line: lineOf(withOutputs, '"outputs": [\n') + 1, code: 'N103' }],
    clean: {
      'notebooks/report.ipynb': cleanNotebook([code('import pandas as pd'), code('df = pd.read_parquet("data/processed/scores.parquet")\ndf.describe()')], md('# Weekly churn report')),
      // executed but without outputs: execution counts alone are not committed data
      'notebooks/scoring.ipynb': executed,
      // the notebook papermill writes is a report: it is meant to carry outputs
      'dvc.yaml': 'stages:\n  report:\n    cmd: papermill notebooks/report.ipynb reports/report_run.ipynb\n    deps:\n      - notebooks/report.ipynb\n    outs:\n      - reports/report_run.ipynb\n',
      'reports/report_run.ipynb': notebook([md('# Weekly churn report'), code('import pandas as pd'), code('pd.read_parquet("data/processed/scores.parquet").describe()', { outputs: [result(2, { 'text/plain': 'count 1000' })] })]),
    },
  });
}

// N104 pii-in-output ------------------------------------------------------------------------------
{
  const table = [
    '   customer_id            email          card_number  churn',
    '0        10231  ana.silva@gmail.com  4539 3982 5979 1903      0',
    '1        10232    j.meyer@web.de     5425 7483 3788 7624      1',
    '2        10233  kim.lee@outlook.com  3782 328601 29041      0',
  ].join('\n');
  const html = '<table><tr><th>email</th><th>card_number</th></tr><tr><td>ana.silva@gmail.com</td><td>4539 3982 5979 1903</td></tr><tr><td>j.meyer@web.de</td><td>5425 7483 3788 7624</td></tr></table>';
  fixtures.push({
    dir: 'N104-pii-in-output',
    flagged: {
      'notebooks/customers.ipynb': notebook([
        md('# Customer churn: exploration'),
        code('import pandas as pd'),
        code('customers = pd.read_parquet("data/raw/customers.parquet")  # expect: N104\ncustomers.head(3)', { outputs: [result(2, { 'text/plain': table, 'text/html': html })] }),
        code('print(customers.loc[0, "ssn"])  # expect: N104', { outputs: [stream('536-22-1847\n')] }),
        code('print(payouts.iloc[0].to_dict())  # expect: N104', { outputs: [stream("{'name': 'A. Silva', 'iban': 'DE44 5001 0517 5407 3249 31'}\n")] }),
        code('support[["phone"]].drop_duplicates().head()  # expect: N104', { outputs: [result(5, { 'text/plain': '            phone\n0  +49 30 901820 11\n1  +44 20 7946 0958\n2  +1 415 555 2671' })] }),
      ]),
    },
    clean: {
      'notebooks/customers.ipynb': notebook([
        md('# Customer churn: exploration'),
        code('import pandas as pd\nfrom churn.privacy import mask_pii'),
        code('customers = pd.read_parquet("data/raw/customers.parquet")\ncustomers.head(3).pipe(mask_pii)', { outputs: [result(2, { 'text/plain': '   customer_id   email          card_number  churn\n0        10231  a***@***  **** **** **** 6467      0\n1        10232  j***@***  **** **** **** 9903      1' })] }),
        code('customers.dtypes', { outputs: [result(3, { 'text/plain': 'customer_id     int64\nemail          object\ncard_number    object\nchurn           int64' })] }),
        // test card numbers from payment docs, placeholder addresses, one author address, random ids
        code('print(fixtures)', { outputs: [stream('test card 4242 4242 4242 4242 for user@example.com\nmaintained by dana@churn-team.io\n')] }),
        code('orders[["order_id"]].head()', { outputs: [result(5, { 'text/plain': '            order_id\n0  4047966697251027\n1  4346468695896935\n2  4771516204661099\n3  4069584830401198' })] }),
        code('!pip show pandas | head -n 4', { outputs: [stream('Name: pandas\nVersion: 2.2.1\nAuthor-email: The Pandas Development Team <pandas-dev@python.org>\n')] }),
      ]),
    },
  });
}

// N105 import-outside-first-cell ------------------------------------------------------------------
{
  const flagged = notebook([
    md('# Churn model: training'),
    code('%load_ext autoreload\n%autoreload 2'),
    code('import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\nSEED = 7'),
    code('df = pd.read_parquet("data/processed/features.parquet")\nimport numpy as np  # expect: N105\nX = np.log1p(df.drop(columns=["churn"]))'),
    code('from sklearn.ensemble import (  # expect: N105\n    GradientBoostingClassifier,\n)\nimport joblib  # model persistence  # expect: N105'),
    code('model = GradientBoostingClassifier(random_state=SEED).fit(X, df["churn"])\njoblib.dump(model, "models/churn.joblib")\nimport pandas as pd  # expect: N105'),
    code('def plot_importance(m):\n    import matplotlib.pyplot as plt\n    plt.bar(range(len(m.feature_importances_)), m.feature_importances_)\n\ntry:\n    import shap\nexcept ImportError:\n    shap = None'),
  ]);
  const unsafe = notebook([
    md('# Scoring with the local package'),
    code('import sys\nsys.path.append("../src")'),
    code('from churn.features import build_features  # expect: N105\nfeatures = build_features("data/raw")'),
  ]);
  fixtures.push({
    dir: 'N105-import-outside-first-cell',
    flagged: { 'notebooks/train.ipynb': flagged, 'notebooks/score.ipynb': unsafe },
    fixed: {
      'notebooks/train.ipynb': [
        '# Churn model: training',
        '%load_ext autoreload\n%autoreload 2',
        'import pandas as pd\nfrom sklearn.model_selection import train_test_split\nimport numpy as np  # expect: N105\nfrom sklearn.ensemble import (  # expect: N105\n    GradientBoostingClassifier,\n)\nimport joblib  # model persistence  # expect: N105\n\nSEED = 7',
        'df = pd.read_parquet("data/processed/features.parquet")\nX = np.log1p(df.drop(columns=["churn"]))',
        '',
        'model = GradientBoostingClassifier(random_state=SEED).fit(X, df["churn"])\njoblib.dump(model, "models/churn.joblib")',
        'def plot_importance(m):\n    import matplotlib.pyplot as plt\n    plt.bar(range(len(m.feature_importances_)), m.feature_importances_)\n\ntry:\n    import shap\nexcept ImportError:\n    shap = None',
      ],
    },
    clean: {
      'notebooks/train.ipynb': cleanNotebook([
        code('%load_ext autoreload\n%autoreload 2'),
        code('import joblib\nimport numpy as np\nimport pandas as pd\nfrom sklearn.ensemble import GradientBoostingClassifier\n\nSEED = 7'),
        code('df = pd.read_parquet("data/processed/features.parquet")\nX = np.log1p(df.drop(columns=["churn"]))'),
        code('model = GradientBoostingClassifier(random_state=SEED).fit(X, df["churn"])\njoblib.dump(model, "models/churn.joblib")'),
        code('def plot_importance(m):\n    import matplotlib.pyplot as plt\n    plt.bar(range(len(m.feature_importances_)), m.feature_importances_)'),
      ]),
      // papermill: the parameters cell comes first, the imports right after it
      'notebooks/report.ipynb': cleanNotebook([
        code('run_date = "2024-01-01"\nthreshold = 0.5', { metadata: { tags: ['parameters'] } }),
        code('import pandas as pd'),
        code('scores = pd.read_parquet(f"data/scores/{run_date}.parquet")\n(scores.score > threshold).mean()'),
      ]),
    },
  });
}

// N106 empty-code-cell ----------------------------------------------------------------------------
{
  const flagged = notebook([
    md('# Segment analysis'),
    code('import pandas as pd'),
    code('', { count: null }),
    code('df = pd.read_parquet("data/processed/segments.parquet")'),
    code('\n\n', { count: null, sourceAsString: true }),
    code('df.groupby("segment").size()'),
    code('', { count: null }),
  ]);
  fixtures.push({
    dir: 'N106-empty-code-cell',
    flagged: { 'notebooks/segments.ipynb': flagged },
    expected: [
      { file: 'notebooks/segments.ipynb', cell: 2, line: 1, code: 'N106' },
      { file: 'notebooks/segments.ipynb', cell: 4, line: 1, code: 'N106' },
      { file: 'notebooks/segments.ipynb', cell: 6, line: 1, code: 'N106' },
    ],
    fixed: {
      'notebooks/segments.ipynb': ['# Segment analysis', 'import pandas as pd', 'df = pd.read_parquet("data/processed/segments.parquet")', 'df.groupby("segment").size()'],
    },
    clean: {
      'notebooks/segments.ipynb': cleanNotebook([code('import pandas as pd'), code('# segments are defined in docs/segments.md'), code('df = pd.read_parquet("data/processed/segments.parquet")\ndf.groupby("segment").size()')], md('# Segment analysis')),
      // papermill's placeholder: an empty cell tagged "parameters" is where parameters are injected
      'notebooks/run.ipynb': cleanNotebook([code('', { metadata: { tags: ['parameters'] } }), code('import pandas as pd')], md('# Segment run')),
    },
  });
}

// N107 long-cell ----------------------------------------------------------------------------------
{
  const steps = Array.from({ length: 68 }, (_, i) => `df["f${i}"] = df["x"] * ${i}`);
  fixtures.push({
    dir: 'N107-long-cell',
    flagged: {
      'notebooks/features.ipynb': notebook([
        md('# Features'),
        code('import pandas as pd'),
        code(['df = pd.read_parquet("data/processed/base.parquet")  # expect: N107', ...steps, 'df.to_parquet("data/processed/features.parquet")'].join('\n')),
      ]),
    },
    clean: {
      'notebooks/features.ipynb': cleanNotebook(
        [
          code('import pandas as pd\nfrom churn.features import add_ratio_features'),
          code(['df = pd.read_parquet("data/processed/base.parquet")', ...steps.slice(0, 58), 'df.to_parquet("data/processed/features.parquet")', '', '', ''].join('\n')),
          code(['%%writefile src/churn/features.py', 'import pandas as pd', '', '', 'def add_ratio_features(df: pd.DataFrame) -> pd.DataFrame:', ...steps.map((s) => `    ${s}`), '    return df'].join('\n')),
        ],
        md('# Features'),
      ),
    },
  });
}

// N108 long-notebook ------------------------------------------------------------------------------
{
  const cells = (n: number) => [code('import pandas as pd\ndf = pd.DataFrame({"x": range(10)})'), ...Array.from({ length: n - 1 }, (_, i) => code(`df["c${i}"] = df["x"] + ${i}`))];
  const long = notebook([md('# Everything'), ...cells(104)]);
  fixtures.push({
    dir: 'N108-long-notebook',
    flagged: { 'notebooks/everything.ipynb': long },
    // at the first code cell past the limit: the 101st (cells[101], after the title)
    expected: [{ file: 'notebooks/everything.ipynb', line: lineOf(long, '"id": "cell-101"') - 3, code: 'N108' }],
    clean: { 'notebooks/features.ipynb': cleanNotebook(cells(100), md('# Features')) },
  });
}

// N109 untitled-notebook --------------------------------------------------------------------------
{
  const body = notebook([md('# Quick look'), code('import pandas as pd')]);
  fixtures.push({
    dir: 'N109-untitled-notebook',
    flagged: { 'Untitled.ipynb': body, 'notebooks/Untitled3.ipynb': body, 'notebooks/Untitled-1.ipynb': body, 'notebooks/Untitled1-Copy2.ipynb': body },
    expected: ['Untitled.ipynb', 'notebooks/Untitled3.ipynb', 'notebooks/Untitled-1.ipynb', 'notebooks/Untitled1-Copy2.ipynb'].map((file) => ({ file, line: 1, code: 'N109' })),
    clean: { 'notebooks/01-quick-look.ipynb': body, 'notebooks/untitled_documents_audit.ipynb': body },
  });
}

// N110 missing-title ------------------------------------------------------------------------------
{
  const codeFirst = notebook([code('import pandas as pd'), md('## Load'), code('df = pd.read_parquet("data/processed/features.parquet")')]);
  const noHeading = notebook([md('Some notes on the features.'), code('import pandas as pd')]);
  fixtures.push({
    dir: 'N110-missing-title',
    flagged: { 'notebooks/features.ipynb': codeFirst, 'notebooks/notes.ipynb': noHeading },
    expected: [
      { file: 'notebooks/features.ipynb', line: lineOf(codeFirst, '"cells": [') + 1, code: 'N110' },
      { file: 'notebooks/notes.ipynb', line: lineOf(noHeading, '"cells": [') + 1, code: 'N110' },
    ],
    clean: {
      'notebooks/features.ipynb': cleanNotebook([code('import pandas as pd')]),
      'notebooks/setext.ipynb': notebook([md('Feature checks\n==============\nRun weekly.'), code('import pandas as pd')], { executed: false }),
      'notebooks/html.ipynb': notebook([code('', { count: null }), md('<img src="logo.png" width="80">\n<h1>Feature checks</h1>'), code('import pandas as pd')], { executed: false }),
      'notebooks/quarto.ipynb': notebook([{ type: 'raw', source: '---\ntitle: "Feature checks"\nformat: html\n---' }, code('import pandas as pd')], { executed: false }),
    },
  });
}

// N111 unexecuted-cell ----------------------------------------------------------------------------
fixtures.push({
  dir: 'N111-unexecuted-cell',
  flagged: {
    'notebooks/train.ipynb': notebook([
      md('# Churn model: training'),
      code('import pandas as pd\nfrom sklearn.linear_model import LogisticRegression', { count: 1 }),
      code('df = pd.read_parquet("data/processed/features.parquet")', { count: 2 }),
      code('df = df[df["tenure"] > 0]  # expect: N111', { count: null }),
      code('# cells below were re-run', { count: null }),
      code('%env OMP_NUM_THREADS=4  # expect: N111', { count: null }),
      code('model = LogisticRegression(max_iter=1000).fit(df.drop(columns=["churn"]), df["churn"])', { count: 3 }),
      code('model.score(df.drop(columns=["churn"]), df["churn"])', { count: null }),
    ]),
  },
  clean: {
    'notebooks/train.ipynb': cleanNotebook([
      code('import pandas as pd\nfrom sklearn.linear_model import LogisticRegression'),
      code('df = pd.read_parquet("data/processed/features.parquet")\ndf = df[df["tenure"] > 0]'),
      code('model = LogisticRegression(max_iter=1000).fit(df.drop(columns=["churn"]), df["churn"])'),
    ]),
    // run top to bottom, the last cells not yet: nothing was skipped
    'notebooks/partial.ipynb': notebook([md('# Partial run'), code('import pandas as pd', { count: 1 }), code('df = pd.read_parquet("data/processed/features.parquet")', { count: 2 }), code('df.describe()', { count: null })]),
  },
});

// N112 install-in-cell ----------------------------------------------------------------------------
fixtures.push({
  dir: 'N112-install-in-cell',
  flagged: {
    'notebooks/explore.ipynb': notebook([
      md('# Exploration'),
      code('%pip install lightgbm==4.3.0 shap  # expect: N112\n!pip install -q -r requirements.txt  # expect: N112'),
      code('!sudo apt-get install -y graphviz && pip install graphviz  # expect: N112'),
      code('%%bash\necho "setting up"\nconda install -y -c conda-forge xgboost  # expect: N112'),
      code('import subprocess\nimport sys\n\nsubprocess.check_call([sys.executable, "-m", "pip", "install", "optuna"])  # expect: N112'),
      code('!{sys.executable} -m pip uninstall -y tensorflow  # expect: N112'),
    ]),
  },
  expected: [{ file: 'notebooks/explore.ipynb', cell: 2, line: 1, code: 'N112' }],
  clean: {
    'requirements.txt': 'lightgbm==4.3.0\nshap==0.45.0\ngraphviz==0.20.3\n',
    'notebooks/explore.ipynb': cleanNotebook(
      [code('import lightgbm as lgb\nimport shap'), code('!pip freeze | grep -i lightgbm\n%pip list --outdated\n!ls data/'), code('%%bash\nconda list | head -n 5')],
      md('# Exploration\nThe environment comes from `requirements.txt` (`pip install -r requirements.txt` before starting Jupyter).'),
    ),
  },
});

// N113 hidden-state -------------------------------------------------------------------------------
{
  const hidden = notebook([
    md('# Train'),
    code('import pandas as pd\nfrom sklearn.ensemble import GradientBoostingClassifier'),
    code('df = pd.read_parquet("data/processed/features.parquet")'),
    code('model.fit(X, df["churn"])  # expect: N113, N113\nmodel.score(X, df["churn"])'),
    code('X = df.drop(columns=["churn"])\nmodel = GradientBoostingClassifier(random_state=0)'),
  ]);
  const report = notebook([
    md('# Report'),
    code('run_date = "2024-01-01"', { metadata: { tags: ['parameters'] } }),
    code('import pandas as pd'),
    code('summary = scores.groupby("segment").score.mean()  # expect: N113\ndef fmt(x):\n    return f"{x:.2f} {units}"'),
    code('scores = pd.read_parquet(f"data/scores/{run_date}.parquet")\nunits = "pts"'),
  ]);
  const scratch = notebook([md('# Scratch'), code('import pandas as pd'), code('df.head()'), code('df = pd.read_csv("x.csv")')]);
  fixtures.push({
    dir: 'N113-hidden-state',
    flagged: {
      'dvc.yaml': 'stages:\n  train:\n    cmd: papermill notebooks/train.ipynb reports/train_run.ipynb\n    deps:\n      - notebooks/train.ipynb\n    outs:\n      - reports/train_run.ipynb\n',
      'notebooks/train.ipynb': hidden,
      'dags/report.py': 'from airflow import DAG\nfrom airflow.providers.papermill.operators.papermill import PapermillOperator\n\nwith DAG("weekly_report", schedule="@weekly") as dag:\n    PapermillOperator(\n        task_id="report",\n        input_nb="notebooks/report.ipynb",\n        output_nb="reports/report-{{ ds }}.ipynb",\n        parameters={"run_date": "{{ ds }}"},\n    )\n',
      'notebooks/report.ipynb': report,
      // not run by any pipeline, and the project is at the pilot stage: left alone
      'notebooks/scratch.ipynb': scratch,
    },
    clean: {
      'dvc.yaml': 'stages:\n  train:\n    cmd: papermill notebooks/train.ipynb reports/train_run.ipynb\n    deps:\n      - notebooks/train.ipynb\n    outs:\n      - reports/train_run.ipynb\n',
      'notebooks/train.ipynb': cleanNotebook([
        code('import pandas as pd\nfrom sklearn.ensemble import GradientBoostingClassifier'),
        // a cache guard reads a name on purpose; a function body runs when it is called
        code('try:\n    df\nexcept NameError:\n    df = None\n\ndef features(frame):\n    return frame.drop(columns=[target])'),
        code('df = pd.read_parquet("data/processed/features.parquet")\ntarget = "churn"\nX = features(df)'),
        code('model = GradientBoostingClassifier(random_state=0)\nmodel.fit(X, df[target])\nmodel.score(X, df[target])'),
      ]),
      'notebooks/scratch.ipynb': scratch,
    },
  });
}

// --------------------------------------------------------------------------------------------------

function write(dir: string, files: Files): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const f of fixtures) {
    if (only.length && !only.some((o) => f.dir.startsWith(o))) continue;
    const root = path.join(ROOT, f.dir);
    const code = f.dir.slice(0, 4);
    const flagged = { ...f.flagged };
    if (f.expected) flagged['expected.json'] = JSON.stringify(f.expected, null, 1) + '\n';
    write(path.join(root, 'flagged'), flagged);
    write(path.join(root, 'clean'), f.clean);
    fs.rmSync(path.join(root, 'fixed'), { recursive: true, force: true });
    if (f.fixed) {
      const scan = await scanFiles(f.flagged);
      const fixed: Files = {};
      for (const [file, sources] of Object.entries(f.fixed)) {
        const mine = scan.findings.filter((x) => x.file === file && x.code === code);
        const text = applyFixes(f.flagged[file], mine, true, false).text;
        const got = parseNotebook(text).cells.map((c) => c.source);
        assert.deepEqual(got, sources, `${f.dir}: fixed ${file}`);
        fixed[file] = text;
      }
      write(path.join(root, 'fixed'), fixed);
    }
    console.log(`wrote ${f.dir}`);
  }
}

void main();
