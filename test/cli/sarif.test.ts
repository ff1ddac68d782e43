import { strict as assert } from 'assert';
import Ajv from 'ajv-draft-04';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, linesOf, makeProject, removeProject, REPO, runCli } from './helpers';
import { EDA_IPYNB, NOTEBOOK_PATH, TRAIN_PY, USER_PATH, locate, sampleProject } from './project';

/** SARIF 2.1.0 for GitHub code scanning, validated against the official schema. */
interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: SarifRegion } }[];
  properties?: Record<string, unknown>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[] };
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: SarifRule[] } }; results: SarifResult[] }[];
}

function validator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0.json'), 'utf8'));
  // the schema's `language` pattern is not valid in unicode mode
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // the schema's formats, checked for what matters here (no extra dependency)
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

describe('mlready check --format sarif', function () {
  this.timeout(60_000);
  let dir: string;
  let log: SarifLog;
  let results: SarifResult[];

  before(async () => {
    ensureBuilt();
    dir = makeProject(sampleProject());
    const run = await runCli(['check', '.', '--format', 'sarif'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    log = JSON.parse(run.stdout) as SarifLog;
    results = log.runs[0].results;
  });
  after(() => removeProject(dir));

  it('is valid SARIF 2.1.0', () => {
    const validate = validator();
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(log.version, '2.1.0');
  });

  it('the schema check can fail', () => {
    const validate = validator();
    const broken = JSON.parse(JSON.stringify(log)) as SarifLog;
    (broken.runs[0].results[0] as unknown as Record<string, unknown>).level = 'fatal';
    assert.equal(validate(broken), false);
  });

  it('describes the rules with help from their docs', () => {
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'mlready');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(driver.version, pkg.version);
    const rule = driver.rules.find((r) => r.id === 'P101');
    assert.ok(rule);
    assert.equal(rule.name, 'hardcoded-user-path');
    assert.ok(rule.shortDescription.text.length > 10);
    assert.match(rule.help.text, /Why is this bad\?/);
    assert.match(rule.help.markdown, /## Use instead/);
    assert.match(rule.helpUri, /P101-hardcoded-user-path\.md$/);
    assert.equal(rule.defaultConfiguration.level, 'warning');
    assert.ok(rule.properties.tags.includes('portability'));
    for (const r of results) assert.equal(driver.rules[r.ruleIndex!].id, r.ruleId, 'ruleIndex points at the rule');
  });

  it('locates a Python finding with a relative URI and 1-based region', () => {
    const r = results.find((x) => x.ruleId === 'P101' && x.locations?.[0].physicalLocation.artifactLocation.uri === 'src/train.py');
    assert.ok(r, `results: ${results.map((x) => x.locations?.[0].physicalLocation.artifactLocation.uri).join(', ')}`);
    const loc = r.locations![0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    const start = locate(TRAIN_PY, USER_PATH);
    assert.equal(loc.region!.startLine, start.line + 1);
    assert.equal(loc.region!.startColumn, start.character + 1);
    assert.equal(loc.region!.endColumn, start.character + 1 + USER_PATH.length);
    assert.equal(r.level, 'warning');
  });

  it('points a notebook finding into the .ipynb text itself', () => {
    const r = results.find((x) => x.ruleId === 'P101' && x.locations?.[0].physicalLocation.artifactLocation.uri === 'notebooks/eda.ipynb');
    assert.ok(r, 'a result in the notebook');
    const region = r.locations![0].physicalLocation.region!;
    const raw = linesOf(EDA_IPYNB);
    const expected = locate(EDA_IPYNB, NOTEBOOK_PATH);
    assert.equal(region.startLine, expected.line + 1);
    // the region's text in the raw .ipynb is the path itself
    assert.equal(raw[region.startLine - 1].slice(region.startColumn! - 1, region.endColumn! - 1), NOTEBOOK_PATH);
    assert.equal(r.properties?.notebookCell, 2);
  });

  it('resolves paths against the current folder when PATH is a subfolder of it', async () => {
    const run = await runCli(['check', 'src', '--format', 'sarif'], { cwd: dir });
    const sub = JSON.parse(run.stdout) as SarifLog;
    const uris = sub.runs[0].results.map((r) => r.locations?.[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('src/train.py'), `uris: ${uris.join(', ')}`);
    const json = JSON.parse((await runCli(['check', 'src', '--format', 'json'], { cwd: dir })).stdout) as { findings: { file: string }[] };
    assert.ok(json.findings.some((f) => f.file === 'train.py'), 'while JSON stays relative to PATH');
  });
});
