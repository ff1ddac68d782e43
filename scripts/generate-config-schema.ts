/**
 * Generates schemas/mlready.schema.json, the JSON Schema of mlready.yaml, from the config types
 * and constants of rules/core/config.ts and rules/core/types.ts and from the rule registry (codes,
 * summaries and each rule's options with their defaults). VS Code validates mlready.yaml with it
 * through `contributes.yamlValidation` (completion, hovers and squiggles from the YAML extension),
 * and any editor can use it with a `# yaml-language-server: $schema=…` comment.
 *
 *   npm run schema             write schemas/mlready.schema.json
 *   npm run schema -- --check  exit 1 when the committed schema is stale
 * `npm run docs` does both too, since the schema carries the rules' codes, summaries and options.
 *
 * The schema says what the parser (`parseConfig`) accepts, with one deliberate difference: an
 * option a rule does not have (a typo such as `max-lines` for `maxLines`) is ignored by the
 * engine but flagged by the schema, since it never does what its author meant.
 * The output depends only on the code: no dates, no machine paths, rules in code order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultRegistry } from '../rules/all';
import { DEFAULT_TEST_PATHS, type ResolvedConfig } from '../rules/core/config';
import { docUrl, type Registry } from '../rules/core/registry';
import type { Rule } from '../rules/core/rule';
import { CATEGORIES, SEVERITIES, STAGES } from '../rules/core/types';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schemas', 'mlready.schema.json');
export const SCHEMA_ID = 'https://raw.githubusercontent.com/mlready/mlready/main/schemas/mlready.schema.json';

type Schema = Record<string, unknown>;

const STAGE_DESCRIPTIONS: Record<(typeof STAGES)[number], string> = {
  exploration: 'Notebooks and experiments: findings are one level milder than their default (security findings keep theirs).',
  pilot: 'Code on its way to production: findings keep their default severity.',
  production: 'Code that serves users: findings are one level stricter than their default.',
};

const SEVERITY_DESCRIPTIONS: Record<string, string> = {
  off: 'Do not report.',
  error: 'Report as an error (fails `mlready check` by default).',
  warning: 'Report as a warning.',
  info: 'Report as information.',
  hint: 'Report as a hint (shown faintly in the editor).',
};

function stageSchema(): Schema {
  return { type: 'string', enum: [...STAGES], enumDescriptions: STAGES.map((s) => STAGE_DESCRIPTIONS[s]) };
}

function described(description: string, schema: Schema): Schema {
  return { description, ...schema };
}

/** A list of strings; a single string stands for a list of one (as the parser reads it). */
function stringList(description: string, items: Schema = { type: ['string', 'number'] }, defaults?: string[]): Schema {
  return described(description, {
    anyOf: [{ type: 'string' }, { type: 'array', items }],
    ...(defaults ? { default: defaults } : {}),
  });
}

/** The JSON type of an option, from its default (options carry no other type information). */
function optionSchema(rule: Rule, key: string, value: unknown): Schema {
  const description = `Option of ${rule.code} (default: ${JSON.stringify(value)}).`;
  if (value === null || value === undefined) return { description };
  if (Array.isArray(value)) {
    const first = value[0];
    return { description, type: 'array', ...(first !== undefined && first !== null ? { items: { type: typeof first } } : {}), default: value };
  }
  return { description, type: typeof value, default: value };
}

function ruleSchema(rule: Rule): Schema {
  const summary = rule.docs.summary.trim().replace(/\s+/g, ' ');
  const options = Object.entries(rule.options ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const docs = {
    description: `${rule.name} (${rule.category}, default ${rule.severity}): ${summary}`,
    markdownDescription: `**${rule.code} ${rule.name}** · ${rule.category} · default \`${rule.severity}\`\n\n${summary}\n\n[Documentation](${docUrl(rule)})`,
  };
  if (!options.length) return { ...docs, allOf: [{ $ref: '#/definitions/ruleSetting' }] };
  return {
    ...docs,
    anyOf: [
      { $ref: '#/definitions/severity' },
      {
        type: 'object',
        properties: { severity: { $ref: '#/definitions/severity' }, ...Object.fromEntries(options.map(([k, v]) => [k, optionSchema(rule, k, v)])) },
        additionalProperties: false,
      },
    ],
  };
}

/**
 * Every top-level setting of ResolvedConfig, described: adding a setting to the type without
 * describing it here does not compile.
 */
function settings(registry: Registry): { [K in keyof ResolvedConfig]-?: Schema } {
  const allow: { [K in keyof ResolvedConfig['allow']]-?: string } = {
    tracking: 'Project modules or wrappers that count as experiment tracking (e.g. `my_pkg.tracking.log_run`).',
    validation: 'Functions or libraries that count as input validation (e.g. `my_pkg.validate_frame`).',
    monitoring: 'Libraries or wrappers that count as serving or drift monitoring.',
    paths: 'Absolute path prefixes that are fine in this project (e.g. `/opt/ml/`).',
    hosts: 'Hosts that are fine to name in code (e.g. `mlflow.internal.acme.io`, `*.svc.cluster.local`).',
  };
  const rules = [...registry.rules].sort((a, b) => a.code.localeCompare(b.code));
  return {
    stage: described('The project stage, which sets how strict the rules are. Default: pilot.', { ...stageSchema(), default: 'pilot' }),
    stages: described('Stages per folder: glob → stage. The last matching glob wins over `stage`.', {
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: { $ref: '#/definitions/stage' },
      defaultSnippets: [{ body: { 'notebooks/**': 'exploration', 'src/**': 'production' } }],
    }),
    rules: described('Per rule (by code): a severity, or `{ severity, <options> }`.', {
      type: 'object',
      properties: Object.fromEntries(rules.map((r) => [r.code, ruleSchema(r)])),
      additionalProperties: false,
    }),
    categories: described('A severity for every rule of a category (a rule set under `rules` wins).', {
      type: 'object',
      properties: Object.fromEntries(CATEGORIES.map((c) => [c, { $ref: '#/definitions/severity' }])),
      additionalProperties: false,
    }),
    ignore: stringList('Globs of files and folders that mlready does not analyse (on top of .git/, node_modules/, virtualenvs, caches and build outputs).'),
    respectGitignore: described('Leave out of workspace scans the files and folders that the project\'s .gitignore files ignore (git\'s semantics, nested .gitignore files included). A file given explicitly is always checked. Default: true.', { type: 'boolean', default: true }),
    tests: stringList('Globs of test and fixture folders: rules about training code and data skip them. Replaces the default list.', undefined, [...DEFAULT_TEST_PATHS]),
    allow: described('What counts as fine, or as a practice met, in this project.', {
      type: 'object',
      properties: Object.fromEntries(Object.entries(allow).map(([k, d]) => [k, stringList(d)])),
      additionalProperties: false,
    }),
    owner: described('Who owns the project and its models: a team, a person or an email.', { type: 'string', pattern: '\\S' }),
    policy: described('Rules the platform team enforces.', {
      type: 'object',
      properties: {
        enforce: stringList('Rule codes that cannot be suppressed inline (`# mlready: ignore[…]` is reported instead).', { $ref: '#/definitions/ruleCode' }),
      },
      additionalProperties: false,
    }),
  };
}

/** A case-insensitive pattern for the codes, as policy.enforce reads them. */
function anyCasePattern(codes: string[]): string {
  const anyCase = (code: string) => [...code].map((ch) => (/[a-z]/i.test(ch) ? `[${ch.toUpperCase()}${ch.toLowerCase()}]` : ch)).join('');
  return `^(?:${codes.map(anyCase).join('|')})$`;
}

export function generateConfigSchema(registry: Registry = defaultRegistry()): Schema {
  const codes = registry.rules.map((r) => r.code).sort();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'mlready.yaml',
    description: 'Settings of mlready, the ML production-readiness linter, for this project. Generated by scripts/generate-config-schema.ts: do not edit by hand.',
    type: ['object', 'null'],
    properties: settings(registry),
    additionalProperties: false,
    definitions: {
      stage: stageSchema(),
      severity: {
        // YAML's `false` reads as off
        enum: ['off', ...SEVERITIES, false],
        enumDescriptions: ['off', ...SEVERITIES, 'off'].map((s) => SEVERITY_DESCRIPTIONS[s]),
      },
      ruleSetting: {
        anyOf: [{ $ref: '#/definitions/severity' }, { type: 'object', properties: { severity: { $ref: '#/definitions/severity' } }, additionalProperties: false }],
      },
      ruleCode: { anyOf: [{ type: 'string', enum: codes }, { type: 'string', pattern: anyCasePattern(codes) }] },
    },
  };
}

export function renderConfigSchema(registry: Registry = defaultRegistry()): string {
  return `${JSON.stringify(generateConfigSchema(registry), null, 2)}\n`;
}

/** Problems with the committed schema: [] when it is current. */
export function checkConfigSchema(file = SCHEMA_FILE): string[] {
  if (!fs.existsSync(file)) return [`missing: ${path.relative(process.cwd(), file)}`];
  return fs.readFileSync(file, 'utf8') === renderConfigSchema() ? [] : [`stale: ${path.relative(process.cwd(), file)}`];
}

/** Writes the schema when it changed; true when it did. */
export function writeConfigSchema(file = SCHEMA_FILE): boolean {
  const expected = renderConfigSchema();
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === expected) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, expected);
  return true;
}

function main(argv: string[]): number {
  const rel = path.relative(process.cwd(), SCHEMA_FILE);
  if (argv.includes('--check')) {
    const problems = checkConfigSchema();
    if (problems.length) {
      process.stderr.write(`${problems.join('\n')} (run \`npm run schema\`).\n`);
      return 1;
    }
    process.stdout.write(`${rel} is up to date.\n`);
    return 0;
  }
  process.stdout.write(writeConfigSchema() ? `${rel} written.\n` : `${rel} is up to date.\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
