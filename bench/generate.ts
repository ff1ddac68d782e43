/**
 * Deterministic synthetic ML workspaces for the benchmark: training scripts, serving apps,
 * notebooks with outputs, pipeline YAML and requirements, in realistic proportions. The same
 * (lines, seed) always gives the same files, byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: R, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const DATASETS = ['train', 'customers', 'transactions', 'events', 'clicks', 'labels', 'features', 'holdout'];
const MODELS = ['RandomForestClassifier', 'GradientBoostingClassifier', 'LogisticRegression', 'XGBClassifier'];
const COLS = ['age', 'income', 'country', 'email', 'score', 'tenure', 'clicks', 'label', 'amount', 'zip_code'];

const TRAIN_HEADER = `import os
import sys
import json
import logging
import pickle
import random
import numpy as np
import pandas as pd
import mlflow
import torch
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

logger = logging.getLogger(__name__)
`;

/** One training-script block, ~20–40 lines. */
function trainBlock(r: R, i: number): string {
  const ds = pick(r, DATASETS);
  const model = pick(r, MODELS.slice(0, 3));
  const cols = [pick(r, COLS), pick(r, COLS), pick(r, COLS)];
  const variants = [
    () => `

def load_${ds}_${i}(path="/data/${ds}_${i}.csv"):
    """Load the ${ds} table and drop incomplete rows."""
    df = pd.read_csv(path)
    df = df.dropna(subset=["${cols[0]}", "${cols[1]}"])
    df["${cols[2]}_norm"] = (df["${cols[2]}"] - df["${cols[2]}"].mean()) / df["${cols[2]}"].std()
    print(f"loaded {len(df)} rows from {path}")
    return df
`,
    () => `

def train_${i}(df, target="${cols[0]}", n_estimators=${int(r, 10, 500)}):
    X = df.drop(columns=[target])
    y = df[target]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    model = ${model}(n_estimators=n_estimators) if "${model}" != "LogisticRegression" else ${model}()
    model.fit(X_train, y_train)
    preds = model.predict(X_test)
    acc = accuracy_score(y_test, preds)
    f1 = f1_score(y_test, preds, average="macro")
    print("accuracy", acc, "f1", f1)
    with open("model_${i}.pkl", "wb") as fh:
        pickle.dump(model, fh)
    return model, {"accuracy": acc, "f1": f1}
`,
    () => `

class Trainer${i}:
    def __init__(self, lr=${(r() / 10).toFixed(4)}, epochs=${int(r, 1, 50)}):
        self.lr = lr
        self.epochs = epochs
        self.history = []

    def fit(self, loader):
        net = torch.nn.Linear(${int(r, 4, 256)}, ${int(r, 2, 10)})
        opt = torch.optim.Adam(net.parameters(), lr=self.lr)
        for epoch in range(self.epochs):
            for xb, yb in loader:
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(net(xb), yb)
                loss.backward()
                opt.step()
            self.history.append(float(loss))
            logger.info("epoch %d loss %.4f", epoch, float(loss))
        torch.save(net.state_dict(), "checkpoints/net_${i}.pt")
        return net
`,
    () => `

def evaluate_${i}(model, df):
    try:
        scores = model.predict_proba(df.drop(columns=["label"]))[:, 1]
        auc = roc_auc_score(df["label"], scores)
    except Exception:
        auc = None
    mlflow.log_metric("auc_${i}", auc or 0.0)
    api_key = os.environ.get("API_KEY_${i}", "sk-test-${Math.floor(r() * 1e9).toString(16)}")
    df.to_parquet("s3://bucket/${ds}/scores_${i}.parquet")
    return {"auc": auc, "key_len": len(api_key)}
`,
    () => `

def features_${i}(df):
    out = pd.DataFrame()
    for col in ["${cols[0]}", "${cols[1]}", "${cols[2]}"]:
        if col in df.columns:
            out[col + "_log"] = np.log1p(df[col].clip(lower=0))
        else:
            out[col + "_log"] = 0.0
    out["bucket"] = pd.cut(df["${cols[0]}"], bins=${int(r, 3, 12)}, labels=False)
    random.seed(${i})
    np.random.seed(${i})
    return out
`,
  ];
  return pick(r, variants)();
}

function trainScript(r: R, targetLines: number, n: number): string {
  let s = TRAIN_HEADER;
  let i = 0;
  while (s.split('\n').length < targetLines) s += trainBlock(r, n * 100 + i++);
  s += `

if __name__ == "__main__":
    data = load_data() if "load_data" in globals() else None
    sys.exit(0)
`;
  return s;
}

const SERVE_HEADER = `import os
import pickle
import logging
from fastapi import FastAPI, Request
from pydantic import BaseModel
import numpy as np

app = FastAPI()
logger = logging.getLogger("serve")
MODEL = pickle.load(open(os.environ.get("MODEL_PATH", "model.pkl"), "rb"))
`;

function serveScript(r: R, targetLines: number, n: number): string {
  let s = SERVE_HEADER;
  let i = 0;
  while (s.split('\n').length < targetLines) {
    const k = n * 100 + i++;
    s += pick(r, [
      `

@app.post("/predict_${k}")
async def predict_${k}(request: Request):
    payload = await request.json()
    x = np.array(payload["features"]).reshape(1, -1)
    y = MODEL.predict(x)
    return {"prediction": y.tolist()}
`,
      `

class Item${k}(BaseModel):
    ${pick(r, COLS)}: float
    ${pick(r, COLS)}: int = 0


@app.post("/score_${k}")
def score_${k}(item: Item${k}):
    logger.info("scoring %s", item)
    proba = MODEL.predict_proba([[getattr(item, f) for f in item.__fields__]])
    return {"score": float(proba[0][1])}
`,
      `

@app.get("/health_${k}")
def health_${k}():
    return {"ok": True, "version": "${int(r, 1, 9)}.${int(r, 0, 20)}"}
`,
    ]);
  }
  return s;
}

/** A notebook of `cells` code/markdown cells, some with outputs (text and small images). */
export function notebook(r: R, cells: number, n: number): string {
  const out: object[] = [];
  out.push({ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: lines(TRAIN_HEADER + '%matplotlib inline\n') });
  for (let c = 1; c < cells; c++) {
    if (r() < 0.15) {
      out.push({ cell_type: 'markdown', metadata: {}, source: [`## Step ${c}\n`, `Notes about ${pick(r, DATASETS)}.\n`] });
      continue;
    }
    const body = pick(r, [
      () => `df_${c} = pd.read_csv("data/${pick(r, DATASETS)}.csv")\ndf_${c}.head()\n`,
      () => `model_${c} = ${pick(r, MODELS.slice(0, 3))}()\nmodel_${c}.fit(X_train, y_train)\nprint(accuracy_score(y_test, model_${c}.predict(X_test)))\n`,
      () => `!pip install xgboost\nimport xgboost as xgb\nbooster_${c} = xgb.XGBClassifier(max_depth=${int(r, 2, 9)})\n`,
      () => trainBlock(r, n * 1000 + c).trimStart(),
      () => `for col in df.columns:\n    print(col, df[col].isna().sum())\n`,
    ])();
    const outputs = r() < 0.5 ? [] : r() < 0.7
      ? [{ output_type: 'stream', name: 'stdout', text: [`accuracy ${r().toFixed(4)}\n`, `rows ${int(r, 100, 100000)}\n`] }]
      : [{ output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgo' + 'A'.repeat(int(r, 200, 2000)), 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } }];
    out.push({ cell_type: 'code', execution_count: c + 1, metadata: {}, outputs, source: lines(body) });
  }
  return JSON.stringify({ cells: out, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
}

function lines(s: string): string[] {
  const parts = s.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
}

function pipelineYaml(r: R, n: number): string {
  return pick(r, [
    () => `stages:
  prepare_${n}:
    cmd: python src/prepare.py data/raw data/prepared
    deps:
      - src/prepare.py
      - data/raw
    outs:
      - data/prepared
  train_${n}:
    cmd: python src/train_${n}.py
    deps:
      - data/prepared
    params:
      - train.lr
      - train.epochs
    outs:
      - models/model_${n}.pkl
    metrics:
      - metrics_${n}.json:
          cache: false
`,
    () => `name: train-${n}
on:
  push:
    branches: [main]
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.${int(r, 9, 12)}"
      - run: pip install -r requirements.txt
      - run: python train.py --epochs ${int(r, 1, 30)}
        env:
          WANDB_API_KEY: \${{ secrets.WANDB_API_KEY }}
`,
    () => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: pipeline-${n}-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: train
            template: train
    - name: train
      container:
        image: python:3.11
        command: [python, train.py]
        resources:
          limits:
            nvidia.com/gpu: ${int(r, 1, 4)}
`,
  ])();
}

const PKGS = ['numpy', 'pandas', 'scikit-learn', 'torch', 'mlflow', 'fastapi', 'pydantic', 'xgboost', 'requests', 'matplotlib', 'pyyaml', 'boto3'];
function requirements(r: R): string {
  return PKGS.filter(() => r() < 0.7)
    .map((p) => (r() < 0.5 ? `${p}==${int(r, 0, 3)}.${int(r, 0, 30)}.${int(r, 0, 9)}` : r() < 0.5 ? `${p}>=${int(r, 0, 2)}.${int(r, 0, 9)}` : p))
    .join('\n') + '\n';
}

export function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The 2,000-line module the interactive benchmark edits. */
export function largeModule(seed = 7): string {
  return trainScript(rng(seed), 2000, 0);
}

/** Cells of the 200-cell notebook the interactive benchmark edits. */
export function notebookCells(seed = 11, count = 200): string[] {
  const nb = JSON.parse(notebook(rng(seed), Math.ceil(count * 1.3), 0)) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).slice(0, count);
}

/**
 * Writes a workspace of about `totalLines` lines into `dir` (created; reused when its marker says
 * it was made with the same parameters). Returns the line and file counts.
 */
export function generateWorkspace(dir: string, totalLines: number, seed = 42): { files: number; lines: number } {
  const marker = path.join(dir, '.bench-workspace.json');
  const want = { totalLines, seed, version: 1 };
  if (fs.existsSync(marker)) {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (m.totalLines === totalLines && m.seed === seed && m.version === want.version) return { files: m.files, lines: m.lines };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  let lines = 0;
  let files = 0;
  const write = (rel: string, text: string) => {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    lines += countLines(text);
    files++;
  };
  write('requirements.txt', requirements(r));
  write('mlready.yaml', 'stage: pilot\n');
  let n = 0;
  while (lines < totalLines) {
    const pkg = `pkg${Math.floor(n / 20)}`;
    const roll = r();
    if (roll < 0.45) write(`${pkg}/train_${n}.py`, trainScript(r, int(r, 80, 600), n));
    else if (roll < 0.6) write(`${pkg}/serve_${n}.py`, serveScript(r, int(r, 40, 250), n));
    else if (roll < 0.82) write(`notebooks/${pkg}/explore_${n}.ipynb`, notebook(r, int(r, 8, 40), n));
    else if (roll < 0.95) write(`pipelines/${pkg}/${pick(r, ['dvc', 'workflow', 'argo'])}_${n}.yaml`, pipelineYaml(r, n));
    else write(`${pkg}/requirements-${n}.txt`, requirements(r));
    n++;
  }
  fs.writeFileSync(marker, JSON.stringify({ ...want, files, lines }));
  return { files, lines };
}
