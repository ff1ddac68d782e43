import Ajv, { type ValidateFunction } from 'ajv';
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYamlText } from 'yaml';
import { defaultRegistry } from '../../rules/all';
import { CONFIG_FILE_NAMES, parseConfig } from '../../rules/core/config';
import { CATEGORIES, STAGES } from '../../rules/core/types';
import { renderConfigSchema, SCHEMA_FILE } from '../../scripts/generate-config-schema';

/**
 * schemas/mlready.schema.json: generated from the config types and the registry, current, wired
 * into the manifest, and in agreement with the parser (`parseConfig`) on real and hand-made configs.
 */
const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const registry = defaultRegistry();
const codes = new Set(registry.rules.map((r) => r.code));

function compile(): ValidateFunction {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  // editor-only annotations of VS Code and the YAML language server
  ajv.addKeyword('markdownDescription').addKeyword('enumDescriptions').addKeyword('defaultSnippets');
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
}

/** Parses like the engine's YAML model (YAML 1.2: `off` is a string, `false` a boolean). */
function load(text: string): unknown {
  return parseYamlText(text) ?? null;
}

function parserAccepts(text: string): boolean {
  return parseConfig(text, codes).problems.length === 0;
}

function walk(dir: string, found: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, found);
    else if (CONFIG_FILE_NAMES.includes(e.name)) found.push(full);
  }
  return found;
}

describe('mlready.yaml JSON Schema (schemas/mlready.schema.json)', () => {
  let validate: ValidateFunction;
  before(() => {
    validate = compile();
  });

  it('is current: `npm run schema` would write the committed file', () => {
    assert.ok(fs.existsSync(SCHEMA_FILE), 'schemas/mlready.schema.json is missing: run `npm run schema`');
    assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), renderConfigSchema(), 'schemas/mlready.schema.json is stale: run `npm run schema`');
  });

  it('is wired into the manifest for every spelling of the config file, and shipped in the .vsix', () => {
    const entries: { fileMatch: string | string[]; url: string }[] = pkg.contributes?.yamlValidation ?? [];
    const entry = entries.find((e) => path.normalize(e.url) === path.normalize('./schemas/mlready.schema.json'));
    assert.ok(entry, 'contributes.yamlValidation has no entry for ./schemas/mlready.schema.json');
    const matches = ([] as string[]).concat(entry.fileMatch);
    for (const name of CONFIG_FILE_NAMES) assert.ok(matches.includes(name), `yamlValidation misses ${name}`);
    assert.ok(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').includes('!schemas/mlready.schema.json'), '.vscodeignore must ship the schema');
    assert.ok(fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n').includes('!/schemas/mlready.schema.json'), 'the npm package must ship the schema');
  });

  it('names exactly the settings, allow keys, categories, stages and rule codes the parser knows', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    // the parser lists what it expects when it meets an unknown key
    const expected = (text: string) => {
      const p = parseConfig(text, codes).problems.find((x) => /expected one of/.test(x.message));
      assert.ok(p, `no "expected one of" problem for ${text}`);
      return /expected one of ([^.;]+)/.exec(p.message)![1].split(', ').sort();
    };
    assert.deepEqual(Object.keys(schema.properties).sort(), expected('nope: 1\n'));
    assert.deepEqual(Object.keys(schema.properties.allow.properties).sort(), expected('allow:\n  nope: [x]\n'));
    assert.deepEqual(Object.keys(schema.properties.categories.properties), [...CATEGORIES]);
    assert.deepEqual(schema.definitions.stage.enum, [...STAGES]);
    assert.deepEqual(Object.keys(schema.properties.rules.properties), [...codes].sort());
    for (const rule of registry.rules) {
      const entry = schema.properties.rules.properties[rule.code];
      const options = entry.anyOf?.[1]?.properties ?? {};
      for (const key of Object.keys(rule.options ?? {})) assert.ok(options[key], `${rule.code}: option ${key} is not in the schema`);
      assert.match(entry.description, new RegExp(`^${rule.name} `));
    }
  });

  it('accepts examples/mlready.yaml and the configuration shown in README.md', () => {
    const example = fs.readFileSync(path.join(ROOT, 'examples', 'mlready.yaml'), 'utf8');
    assert.ok(validate(load(example)), JSON.stringify(validate.errors));
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section);
    assert.ok(block, 'README.md: no yaml block under "## Configuration"');
    assert.ok(parserAccepts(block[1]), `README.md's config is rejected by the parser: ${JSON.stringify(parseConfig(block[1], codes).problems)}`);
    assert.ok(validate(load(block[1])), `README.md's config: ${JSON.stringify(validate.errors)}`);
  });

  it('agrees with the parser on every mlready.yaml in the rule fixtures (G001 flagged is the invalid one)', () => {
    const files = walk(path.join(ROOT, 'test', 'fixtures'));
    assert.ok(files.length >= 5, `only ${files.length} fixture configs found`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      const invalid = rel.includes(`G001-invalid-config${path.sep}flagged`);
      assert.equal(parserAccepts(text), !invalid, `${rel}: parser`);
      assert.equal(validate(load(text)), !invalid, `${rel}: schema ${JSON.stringify(validate.errors)}`);
    }
  });

  describe('agrees with the parser on hand-made configs', () => {
    const cases: [string, string, boolean][] = [
      ['an empty file', '', true],
      ['comments only', '# nothing yet\n', true],
      ['every setting', 'stage: production\nstages:\n  "notebooks/**": exploration\nrules:\n  P101: error\n  N107: { severity: warning, maxLines: 80 }\n  R134:\n    maxMegabytes: 0.5\n  G902: off\n  P105: false\ncategories:\n  portability: info\nignore: ["data/**"]\ntests: tests/\nallow:\n  paths: ["/opt/ml/"]\n  hosts: [mlflow.internal]\n  tracking: []\n  validation: [my_pkg.validate]\n  monitoring: [evidently]\nowner: team-fraud@acme.io\npolicy:\n  enforce: [S101, p101]\n', true],
      ['a single string for a list', 'ignore: legacy/**\n', true],
      ['an unknown stage', 'stage: prod\n', false],
      ['an unknown stage in stages', 'stages:\n  "src/**": live\n', false],
      ['an unknown severity', 'rules:\n  P101: loud\n', false],
      ['an unknown rule code', 'rules:\n  X999: off\n', false],
      ['a rule by name instead of code', 'rules:\n  hardcoded-user-path: off\n', false],
      ['an unknown category', 'categories:\n  portabilty: warning\n', false],
      ['an unknown top-level key', 'ignores: [x]\n', false],
      ['an unknown allow key', 'allow:\n  buckets: [s3://x]\n', false],
      ['a number where a list is expected', 'allow:\n  paths: 3\n', false],
      ['an empty owner', 'owner: ""\n', false],
      ['a blank owner', 'owner: "   "\n', false],
      ['an owner that is a list', 'owner: [a, b]\n', false],
      ['an unknown code in policy.enforce', 'policy:\n  enforce: [S101, P999]\n', false],
      ['an unknown policy key', 'policy:\n  review: true\n', false],
      ['rules as a list', 'rules: [P101]\n', false],
      ['a config that is a list', '- stage: pilot\n', false],
      ['a config that is a string', 'production\n', false],
    ];
    for (const [name, text, valid] of cases) {
      it(`${valid ? 'accepts' : 'rejects'} ${name}`, () => {
        assert.equal(parserAccepts(text), valid, `parser: ${JSON.stringify(parseConfig(text, codes).problems)}`);
        assert.equal(validate(load(text)), valid, `schema: ${JSON.stringify(validate.errors)}`);
      });
    }

    it('flags an option the rule does not have, which the parser silently ignores (deliberately stricter)', () => {
      const text = 'rules:\n  N107: { severity: warning, max-lines: 80 }\n';
      assert.equal(parserAccepts(text), true);
      assert.equal(validate(load(text)), false);
      assert.ok(validate.errors!.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'max-lines'), JSON.stringify(validate.errors));
    });

    it('types options by their defaults', () => {
      assert.equal(validate(load('rules:\n  N107: { maxLines: 80 }\n')), true);
      assert.equal(validate(load('rules:\n  N107: { maxLines: many }\n')), false);
    });
  });
});
