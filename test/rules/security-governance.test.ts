import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig, initPython, maskSecret, type Finding } from '../../rules';
import { describeSecret, findSecretsInNamedValue, findSecretsInText, secretNameClass } from '../../rules/security/secrets';
import { modelCardTemplate } from '../../rules/governance';
import { piiKind } from '../../rules/governance/pii';
import { scanDir, scanFiles } from '../helpers/engine';

/**
 * The secret detector, masking, and the policy features (stages, policy.enforce) that the
 * security and governance rules rely on. Rule behaviour itself is in test/fixtures/S1*-, G1*-.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Every raw credential written into the S/G fixtures. None of them may appear in any finding. */
const RAW_SECRETS = [
  'ghp_R2d2C3poL8kW9mQ4xT7vB1nZ5yH6jF0sA3eD',
  'sk-proj-Qm7Vx2Lp9Rt4Wz8Kc3Nb6Hd1Fj5Gs0Ae2Ui8Ko4Ty7',
  'sk-proj-Hj4Kl7Zx2Cv5Bn8Mq1Wk3Ej6Rh9Tg0Yf2Ud5Is8Od',
  'Sup3rS3cretDbPass!',
  'Xk9!mQ2vLp7',
  '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',
  'AKIA2OGYBAH6QKZ7XJ4M',
  'Zq3v9T1kLm8Pw2Xy7Rb4Nc6Hd0Fj5Gs1Ae3Ui9Ko',
  '7f3a9c2e1b8d4f6a0e5c9b2d7a1f4e8c',
  'Tr41n!ngP4ss',
  'q8Zk3LmN7pR2sT5vW9xY1aB4',
  '3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a',
  'dapi8f3c2a9e7b1d4f6a0c5e8b2d9f7a3c1e',
  'Wh1teSn0w#2024',
  'Wh1teSn0w2024x',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj',
  'Pg!pass-Q7z9',
  'glpat-Zx8Cv7Bn6Mq5Wk4Ej3Rh',
  'sk_live_51Hx4bC2eZvKYlo2C8q9wErTyUiOp',
  'Tr4ck!ngPass-2024',
  '8c1e4f7a2b9d3e6f0a5c8b1d4e7f2a9c3b6d0e5f',
  'L4bel!Studio#9',
  'U3VwM3JTM2NyZXREYlBhc3Mh',
  'Pyp1Mirr0r-Pass',
  'Pyp1Mirr0r!Pass',
  'pypi-AgEIcHlwaS5vcmcCJGQ4ZjI3YjQ2LTk1YjEtNDkzZS1hZmI2LTZhYjFkNTI0ZTBmZAACKlszLCI4',
];

describe('secret detector', () => {
  const formats: [string, string][] = [
    ['aws-access-key-id', 'aws_access_key_id=AKIA2OGYBAH6QKZ7XJ4M'],
    ['aws-secret-access-key', 'aws_secret_access_key = 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'],
    ['gcp-service-account-key', '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3\n-----END PRIVATE KEY-----\n", "client_email": "trainer@acme-ml.iam.gserviceaccount.com"}'],
    ['azure-storage-account-key', 'DefaultEndpointsProtocol=https;AccountName=acmeml;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0hJSktMTU5PUFFSU1RVVldY0123456789ab==;EndpointSuffix=core.windows.net'],
    ['azure-sas-token', 'https://acmeml.blob.core.windows.net/data?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-01-01T00:00:00Z&sig=aB3dEf9hIjK2mNoP4qRsT6uVwX8yZ0aBcDeFgHiJkLm%3D'],
    ['github-token', 'token ghp_R2d2C3poL8kW9mQ4xT7vB1nZ5yH6jF0sA3eD'],
    ['github-token', 'gho_Q2d2C3poL8kW9mQ4xT7vB1nZ5yH6jF0sA3eX and ghs_Q2d2C3poL8kW9mQ4xT7vB1nZ5yH6jF0sA3eY'],
    ['github-token', 'github_pat_11ABCDEFG0x9Lk2Qp8Zr4Tn6Vb1Mc3Xs5Wd7Ye9Uf2Hg4Jk6Lm8Np0Qr2St4Uv6Wx8Yz0Ab2Cd4Ef6Gh8Ij0Kl2Mn'],
    ['gitlab-token', 'glpat-Zx8Cv7Bn6Mq5Wk4Ej3Rh'],
    ['slack-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['slack-webhook', 'https://hooks.slack.com/services/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'],
    ['openai-api-key', 'sk-proj-Qm7Vx2Lp9Rt4Wz8Kc3Nb6Hd1Fj5Gs0Ae2Ui8Ko4Ty7'],
    ['openai-api-key', 'OPENAI_API_KEY=sk-Qm7Vx2Lp9Rt4Wz8Kc3Nb6Hd1Fj5Gs0Ae2Ui8Ko4Ty7Ab'],
    ['anthropic-api-key', 'sk-ant-api03-Zx8Cv7Bn6Mq5Wk4Ej3Rh2Tg1Yf0Ud9Is8Od7Pf6Ag5Sh4Dj3Fk2Gl1Hz0Xc9Vb8Nm7Qw6Er5Ty4Ui3Op2As1Df0Gh-9JkLzXcAA'],
    ['huggingface-token', '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'],
    ['databricks-token', 'dapi8f3c2a9e7b1d4f6a0c5e8b2d9f7a3c1e'],
    ['url-password', 'snowflake://ml_svc:Wh1teSn0w2024x@acme-eu/analytics'],
    ['stripe-key', 'sk_live_51Hx4bC2eZvKYlo2C8q9wErTyUiOp'],
    ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB\n-----END OPENSSH PRIVATE KEY-----'],
    ['jwt', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtZnJhdWQiLCJpYXQiOjE3MTYyMzkwMjJ9.Xk3mP9qR2sT5vW8yZ1aB4cD7eF0gH3iJ6kL9mN2oP5q'],
    ['url-password', 'postgresql://app:Sup3rS3cretDbPass!@db.internal:5432/features'],
    ['connection-string-password', 'Server=tcp:sql.internal;Database=dw;User ID=sa;Password=Hx9!kLp2Qz;'],
    ['authorization-header', 'curl -H "Authorization: Bearer a8f5f167f44f4964e6c998dee827110c" https://api.internal'],
    ['named-secret', "{'password': 'S3cr3tPassw0rd!', 'user': 'bob'}"],
    ['named-secret', 'train --api-key=Zq3v9T1kLm8Pw2Xy7Rb4 --epochs 3'],
    ['pypi-token', 'pypi-AgEIcHlwaS5vcmcCJGQ4ZjI3YjQ2LTk1YjEtNDkzZS1hZmI2LTZhYjFkNTI0ZTBmZAACKlszLCI4'],
  ];
  for (const [kind, text] of formats) {
    it(`finds ${kind} in ${JSON.stringify(text.slice(0, 40))}`, () => {
      const found = findSecretsInText(text);
      assert.ok(found.some((m) => m.kind === kind), `expected ${kind}, got ${found.map((m) => m.kind).join(', ') || 'nothing'}`);
      for (const m of found) {
        assert.equal(text.slice(m.start, m.end), m.secret, 'offsets point at the secret');
        assert.ok(!describeSecret(m).includes(m.secret), 'the description never shows the secret');
        assert.ok(m.masked.replace(/\*+$/, '').length <= 4 || m.kind === 'private-key' || m.kind === 'gcp-service-account-key', 'at most a 4-character prefix');
      }
    });
  }

  const notSecrets: [string, string][] = [
    ['a UUID', 'run 123e4567-e89b-12d3-a456-426614174000'],
    ['a git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a sha256 lock hash', 'torch==2.4.1 --hash=sha256:0e59377b27823dda6d26528febb7ca06fc5b77816eaa58b4420cc8785e33d4ce'],
    ['AWS documentation keys', 'AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['the jwt.io example token', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['a Stripe test-mode key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['placeholders', 'password=changeme token=<your-token> api_key=${OPENAI_API_KEY} secret=xxx DB_PASSWORD=dummy'],
    ['a templated URL', 'postgresql://{user}:{password}@{host}/db and postgresql://app:${DB_PASSWORD}@db/x'],
    ['a default dev URL', 'postgresql://airflow:airflow@localhost/airflow'],
    ['code, not values', 'password = getpass()\ntoken = os.environ["TOKEN"]\napi_key = self.api_key'],
    ['NLP vocabulary tokens', 'pad_token=[PAD] eos_token=</s> max_new_tokens=256 tokenizer=bert-base-uncased'],
    ['masked values', 'token ghp_**** password: ******** sk-...'],
    ['a placeholder webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['an ANSI-coloured traceback line', '\u001b[0;32m----> 1\u001b[0m password \u001b[38;5;241m=\u001b[39m getpass()'],
  ];
  for (const [what, text] of notSecrets) {
    it(`leaves alone ${what}`, () => {
      assert.deepEqual(findSecretsInText(text).map((m) => `${m.kind}: ${m.masked}`), []);
    });
  }

  it('never looks inside base64 images, however large', () => {
    let b64 = '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let seed = 7;
    for (let i = 0; i < 3_000_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      b64 += alphabet[seed % 64];
    }
    const html = `<img src="data:image/png;base64,${b64}"/> and ${b64.slice(0, 1_000_000)}`;
    const t0 = Date.now();
    assert.deepEqual(findSecretsInText(html), []);
    assert.ok(Date.now() - t0 < 5000, `scanning 4 MB took ${Date.now() - t0} ms`);
  });

  it('classifies secret-like names and leaves look-alikes alone', () => {
    for (const n of ['password', 'DB_PASSWORD', 'dbPassword', 'api_key', 'OPENAI_API_KEY', 'hf_token', 'client_secret', 'secret_key', 'x-api-key', '--token', 'motdepasse', 'passwort', 'AWS_SECRET_ACCESS_KEY']) {
      assert.ok(secretNameClass(n), n);
    }
    for (const n of ['token_count', 'max_new_tokens', 'pad_token', 'eos_token', 'tokenizer', 'secret_name', 'api_key_env', 'AWS_ACCESS_KEY_ID', 'password_hash', 'key', 's3_key', 'cache_key', 'sort_key', 'token_url', 'pass']) {
      assert.equal(secretNameClass(n), null, n);
    }
  });

  it('judges values bound to a name by their shape', () => {
    assert.equal(findSecretsInNamedValue('DB_PASSWORD', 'Sup3rS3cretDbPass!').length, 1);
    assert.equal(findSecretsInNamedValue('api_key', 'a8f5f167f44f4964e6c998dee827110c').length, 1);
    for (const v of ['changeme', '<your-key>', '${VAR}', 'xxx', 'dummy-value', 'example-key-123', '', 'os.environ["X"]', 'postgres']) {
      assert.deepEqual(findSecretsInNamedValue('password', v), [], v);
    }
    assert.deepEqual(findSecretsInNamedValue('api_key', 'not-a-real-key'), []);
    assert.deepEqual(findSecretsInNamedValue('RUN_ID', '123e4567-e89b-12d3-a456-426614174000'), []);
  });
});

describe('secrets never leak into findings', () => {
  before(() => initPython());
  const dirs = fs.readdirSync(FIXTURES).filter((d) => /^[SG]1\d\d-/.test(d));
  for (const d of dirs) {
    it(`${d}: no raw secret in any message, fix title or edit`, async () => {
      for (const sub of ['flagged', 'clean', 'fixed']) {
        const dir = path.join(FIXTURES, d, sub);
        if (!fs.existsSync(dir)) continue;
        const result = await scanDir(dir);
        // messages and fix titles of every rule; edits of security and governance rules (other families'
        // fixes may keep a literal as a default value, which is text already in the file)
        const shown = result.findings.map((f) => [f.message, ...f.fixes.map((x) => x.title), ...(/^[SG]/.test(f.code) ? f.fixes.flatMap((x) => x.edits.map((e) => e.newText)) : [])]);
        const text = JSON.stringify(shown);
        for (const s of RAW_SECRETS) assert.ok(!text.includes(s), `${d}/${sub}: a finding shows ${maskSecret(s)}`);
        for (const f of result.findings) for (const s of RAW_SECRETS) assert.ok(!f.message.includes(s.slice(0, 12)), `${d}/${sub}: ${f.code} message shows a long prefix of ${maskSecret(s)}`);
      }
    });
  }
});

describe('policy features (issue 6)', () => {
  before(() => initPython());
  const policy = path.join(FIXTURES, 'S101-hardcoded-secret', 'policy');
  const at = (fs: Finding[], code: string, file: string) => fs.filter((f) => f.code === code && f.file === file);

  it('policy.enforce keeps an enforced finding and reports its suppression (G903); other suppressions still work', async () => {
    const r = await scanDir(path.join(policy, 'enforce'));
    assert.equal(at(r.findings, 'S101', 'app.py').length, 1, 'the enforced S101 stays');
    assert.equal(at(r.findings, 'G903', 'app.py').length, 1, 'its suppression is reported');
    assert.equal(at(r.findings, 'S110', 'app.py').length, 0, 'S110 is not enforced: its suppression applies');
    assert.equal(at(r.findings, 'G901', 'app.py').length, 0, 'both suppressions have reasons');
    assert.ok(r.suppressions.some((s) => s.codes.includes('S110') && s.used && s.reason?.includes('checksum')), 'the suppression audit lists it with its reason');
  });

  it('stage profiles: exploration lowers, production raises, security never drops below its default', async () => {
    const r = await scanDir(path.join(policy, 'stages'));
    const sev = (code: string, file: string) => at(r.findings, code, file).map((f) => f.severity);
    assert.deepEqual(sev('G101', 'notebooks/explore.py'), ['info']);
    assert.deepEqual(sev('G101', 'train.py'), ['warning']);
    assert.deepEqual(sev('G101', 'src/train.py'), ['error']);
    assert.deepEqual(sev('S110', 'notebooks/explore.py'), ['warning'], 'security keeps its default in exploration');
    assert.deepEqual(sev('S110', 'train.py'), ['warning']);
    assert.deepEqual(sev('S110', 'src/train.py'), ['error']);
    assert.ok(at(r.findings, 'G101', 'src/train.py')[0].stage === 'production');
  });
});

describe('governance workspace rules', () => {
  before(() => initPython());
  const trains = 'from sklearn.linear_model import LogisticRegression\nimport joblib\nclf = LogisticRegression().fit(X, y)\n';

  it('G102 accepts a Hugging Face model folder README, a docs/model_card page, or a card written by a library', async () => {
    const base = { 'train.py': trains, 'README.md': '# churn' };
    const extras: Record<string, string>[] = [
      { 'hub/churn/README.md': '---\nmodel-index: []\n---', 'hub/churn/config.json': '{}', 'hub/churn/model.safetensors': 'x' },
      { 'docs/model_card.md': '# card' },
      { 'card.py': 'from huggingface_hub import ModelCard\nModelCard.from_template(card_data).save("README.md")\n' },
    ];
    for (const extra of extras) {
      const r = await scanFiles({ ...base, ...extra });
      assert.deepEqual(r.findings.filter((f) => f.code === 'G102').map((f) => f.message), [], Object.keys(extra).join(','));
    }
    const none = await scanFiles(base);
    assert.equal(none.findings.filter((f) => f.code === 'G102').length, 1);
    const single = await scanFiles({ 'train.py': trains });
    assert.equal(single.findings.filter((f) => f.code === 'G102' || f.code === 'G103').length, 0, 'one file checked alone is not a project');
  });

  it('G103 accepts owner in mlready.yaml or owner labels in a deployment spec, and ignores non-ML folders', async () => {
    const labelled = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels:\n    team: retention-ml\n';
    assert.equal((await scanFiles({ 'train.py': trains, 'mlready.yaml': 'owner: retention-ml\n' })).findings.filter((f) => f.code === 'G103').length, 0);
    assert.equal((await scanFiles({ 'train.py': trains, 'k8s.yaml': labelled })).findings.filter((f) => f.code === 'G103').length, 0);
    assert.equal((await scanFiles({ 'util.py': 'import os\nprint(os.getcwd())\n', 'README.md': '# tools' })).findings.filter((f) => f.code === 'G103').length, 0);
    const dag = 'from airflow import DAG\ndefault_args = {"owner": "retention-ml", "retries": 2}\n';
    assert.equal((await scanFiles({ 'train.py': trains, 'dags/train.py': dag })).findings.filter((f) => f.code === 'G103').length, 0);
    const defaultOwner = 'from airflow import DAG\ndefault_args = {"owner": "airflow"}\n';
    assert.equal((await scanFiles({ 'train.py': trains, 'dags/train.py': defaultOwner })).findings.filter((f) => f.code === 'G103').length, 1);
    assert.equal((await scanFiles({ 'train.py': trains, 'README.md': '# churn' })).findings.filter((f) => f.code === 'G103').length, 1);
  });

  it('modelCardTemplate fills in what the scan knows', async () => {
    const r = await scanFiles({
      'train.py': 'import mlflow\nimport pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\ndf = pd.read_parquet("data/churn.parquet")\nm = RandomForestClassifier().fit(df, y)\nmlflow.log_metric("roc_auc", 0.9)\n',
      'serve.py': 'import joblib\nfrom fastapi import FastAPI\napp = FastAPI()\nmodel = joblib.load("m.joblib")\n',
    });
    const card = modelCardTemplate(r.facts, { ...defaultConfig(), owner: 'retention-ml' }, 'churn');
    for (const s of ['# Model card: churn', 'retention-ml', 'sklearn.ensemble.RandomForestClassifier', 'data/churn.parquet', 'roc_auc', '`train.py`', '`serve.py`']) assert.ok(card.includes(s), s);
  });

  it('recognises personal-data columns, multilingual, and leaves derived ones alone', () => {
    for (const c of ['email', 'customerEmail', 'phone_number', 'first_name', 'LastName', 'ssn', 'date_of_birth', 'DOB', 'ip_address', 'client_ip', 'iban', 'credit_card_number', 'correo_electronico', 'telefono', 'geburtsdatum', 'prénom', 'adresse', 'codice_fiscale']) {
      assert.ok(piiKind(c), c);
    }
    for (const c of ['email_domain', 'has_phone', 'name_length', 'ip_country', 'age', 'tenure_months', 'customer_id', 'model_name', 'feature_name', 'plan', 'zip_code', 'address_changed']) {
      assert.equal(piiKind(c), null, c);
    }
  });
});
