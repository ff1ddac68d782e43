import { isMap, isScalar, isSeq, type Node as YNode } from 'yaml';
import { parseYaml } from '../documents/yaml';
import { yentries } from '../documents/yaml-nodes';
import { invalidGlob, matchesGlob } from './glob';
import { CATEGORIES, SEVERITIES, STAGES, type Category, type Severity, type Stage } from './types';
import { memoizeByString } from './memo';

/**
 * mlready.yaml (or .mlready.yaml) at the workspace root. Parsing never throws: every problem
 * becomes a ConfigProblem with the offending node's range, and the defaults stand in for it.
 */

export type SeveritySetting = Severity | 'off';

export interface ResolvedConfig {
  stage: Stage;
  stages: { glob: string; stage: Stage }[];
  rules: Record<string, { severity?: SeveritySetting; options: Record<string, unknown> }>;
  categories: Partial<Record<Category, SeveritySetting>>;
  ignore: string[];
  /** Whether files and folders ignored by the project's .gitignore files are left out of workspace scans (default true). */
  respectGitignore: boolean;
  /** Folders of tests and fixtures: rules about training and data skip them. */
  tests: string[];
  allow: {
    tracking: string[];
    validation: string[];
    monitoring: string[];
    paths: string[];
    hosts: string[];
  };
  owner?: string;
  policy: { enforce: string[] };
}

export interface ConfigProblem {
  message: string;
  start: number;
  end: number;
}

export const CONFIG_FILE_NAMES = ['mlready.yaml', 'mlready.yml', '.mlready.yaml', '.mlready.yml'];

export const DEFAULT_IGNORES = [
  '.git/', 'node_modules/', '.venv/', 'venv/', '.tox/', '.nox/', '__pycache__/', '.mypy_cache/', '.pytest_cache/',
  '.ruff_cache/', '.ipynb_checkpoints/', 'site-packages/', '.eggs/', '*.egg-info/', 'build/', 'dist/', 'mlruns/', 'wandb/', '.dvc/cache/',
];

export const DEFAULT_TEST_PATHS = ['tests/', 'test/', 'testing/', '**/test_*.py', '**/*_test.py', '**/conftest.py', '**/fixtures/'];

export function defaultConfig(): ResolvedConfig {
  return {
    stage: 'pilot',
    stages: [],
    rules: {},
    categories: {},
    ignore: [],
    respectGitignore: true,
    tests: [...DEFAULT_TEST_PATHS],
    allow: { tracking: [], validation: [], monitoring: [], paths: [], hosts: [] },
    policy: { enforce: [] },
  };
}

const TOP_KEYS = ['stage', 'stages', 'rules', 'categories', 'ignore', 'respectGitignore', 'tests', 'allow', 'owner', 'policy'];
const ALLOW_KEYS = ['tracking', 'validation', 'monitoring', 'paths', 'hosts'] as const;

export function parseConfig(text: string, knownCodes?: Set<string>): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const yaml = parseYaml(text, 'mlready.yaml');
  for (const p of yaml.problems) problems.push({ message: `mlready.yaml is not valid YAML: ${p.message.replace(/[.\s]*$/, '.')}`, start: p.start, end: p.end });
  if (problems.length) return { config, problems };
  if (yaml.documents.length > 1) {
    problems.push({ message: 'mlready.yaml must hold one YAML document; only the first is read.', start: 0, end: 1 });
  }
  const root = yaml.documents[0]?.doc.contents as YNode | null | undefined;
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return { config, problems };
  const at = (node: unknown) => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    if (r && r[1] <= r[0]) {
      // an empty value (`stages:` and nothing): point at its key on the same line
      const lineStart = text.lastIndexOf('\n', r[0] - 1) + 1;
      const before = text.slice(lineStart, r[0]);
      const key = before.trimEnd().replace(/:$/, '');
      const lead = before.length - before.trimStart().length;
      if (key.trim()) return { start: lineStart + lead, end: lineStart + key.length };
    }
    return r ? { start: r[0], end: Math.max(r[1], r[0] + 1) } : { start: 0, end: 1 };
  };
  const problem = (node: unknown, message: string) => problems.push({ message, ...at(node) });
  if (!isMap(root)) {
    problem(root, 'mlready.yaml must be a mapping of settings (stage, rules, categories, ignore, allow, owner, policy).');
    return { config, problems };
  }
  const strings = (node: unknown, what: string): string[] => {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (!isSeq(node)) {
      problem(node, `${what} must be a list of strings.`);
      return [];
    }
    const out: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) out.push(String(item.value));
      else problem(item, `${what} must hold strings only.`);
    }
    return out;
  };
  /** A list of globs; one that cannot be compiled is reported and left out. */
  const globs = (node: unknown, what: string): string[] => {
    const list = strings(node, what);
    const items = isSeq(node) ? node.items : [node];
    return list.filter((g) => {
      const bad = invalidGlob(g);
      if (bad) problem(items.find((i) => isScalar(i) && String(i.value) === g) ?? node, `${what}: ${bad}`);
      return !bad;
    });
  };
  const stage = (node: unknown, what: string): Stage | undefined => {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'string' && (STAGES as readonly string[]).includes(v)) return v as Stage;
    problem(node, `${what} must be one of ${STAGES.join(', ')}.`);
    return undefined;
  };
  const severity = (node: unknown, what: string): SeveritySetting | undefined => {
    const v = isScalar(node) ? node.value : undefined;
    if (v === false) return 'off';
    if (typeof v === 'string' && (v === 'off' || (SEVERITIES as readonly string[]).includes(v))) return v as SeveritySetting;
    problem(node, `${what} must be one of off, ${SEVERITIES.join(', ')}.`);
    return undefined;
  };

  for (const { key, keyNode, value } of yentries(root)) {
    switch (key) {
      case 'stage': {
        const s = stage(value, '`stage`');
        if (s) config.stage = s;
        break;
      }
      case 'stages':
        if (!isMap(value)) problem(value ?? keyNode, '`stages` must map folder globs to stages, e.g. { "notebooks/**": exploration }.');
        else
          for (const e of yentries(value)) {
            const s = stage(e.value, `stages["${e.key}"]`);
            const bad = invalidGlob(e.key);
            if (bad) problem(e.keyNode, `stages: ${bad}`);
            else if (s) config.stages.push({ glob: e.key, stage: s });
          }
        break;
      case 'rules':
        if (!isMap(value)) problem(value ?? keyNode, '`rules` must map rule codes to a severity or to { severity, options… }.');
        else
          for (const e of yentries(value)) {
            if (knownCodes && !knownCodes.has(e.key)) {
              problem(e.keyNode, `Unknown rule code "${e.key}".`);
              continue;
            }
            if (isMap(e.value)) {
              const entry: ResolvedConfig['rules'][string] = { options: {} };
              for (const o of yentries(e.value)) {
                if (o.key === 'severity') entry.severity = severity(o.value, `rules.${e.key}.severity`);
                else entry.options[o.key] = plain(o.value);
              }
              config.rules[e.key] = entry;
            } else {
              const s = severity(e.value, `rules.${e.key}`);
              if (s) config.rules[e.key] = { severity: s, options: {} };
            }
          }
        break;
      case 'categories':
        if (!isMap(value)) problem(value ?? keyNode, '`categories` must map categories to severities.');
        else
          for (const e of yentries(value)) {
            if (!(CATEGORIES as string[]).includes(e.key)) {
              problem(e.keyNode, `Unknown category "${e.key}"; expected one of ${CATEGORIES.join(', ')}.`);
              continue;
            }
            const s = severity(e.value, `categories.${e.key}`);
            if (s) config.categories[e.key as Category] = s;
          }
        break;
      case 'ignore':
        config.ignore = globs(value, '`ignore`');
        break;
      case 'respectGitignore':
        if (isScalar(value) && typeof value.value === 'boolean') config.respectGitignore = value.value;
        else problem(value ?? keyNode, '`respectGitignore` must be true or false.');
        break;
      case 'tests':
        config.tests = globs(value, '`tests`');
        break;
      case 'allow':
        if (!isMap(value)) problem(value ?? keyNode, '`allow` must be a mapping (tracking, validation, monitoring, paths, hosts).');
        else
          for (const e of yentries(value)) {
            if (!(ALLOW_KEYS as readonly string[]).includes(e.key)) problem(e.keyNode, `Unknown key allow.${e.key}; expected one of ${ALLOW_KEYS.join(', ')}.`);
            else config.allow[e.key as (typeof ALLOW_KEYS)[number]] = strings(e.value, `allow.${e.key}`);
          }
        break;
      case 'owner':
        if (isScalar(value) && typeof value.value === 'string' && value.value.trim()) config.owner = value.value.trim();
        else problem(value ?? keyNode, '`owner` must be a non-empty string (a team, a person or an email).');
        break;
      case 'policy':
        if (!isMap(value)) problem(value ?? keyNode, '`policy` must be a mapping, e.g. { enforce: [S101] }.');
        else
          for (const e of yentries(value)) {
            if (e.key === 'enforce') {
              config.policy.enforce = strings(e.value, '`policy.enforce`');
              // a mistyped code would silently enforce nothing
              const items = isSeq(e.value) ? e.value.items : [e.value];
              for (const item of items) {
                const code = isScalar(item) ? String(item.value) : undefined;
                if (knownCodes && code !== undefined && !knownCodes.has(code.toUpperCase())) problem(item, `Unknown rule code "${code}" in policy.enforce.`);
              }
              if (knownCodes) config.policy.enforce = config.policy.enforce.filter((c) => knownCodes.has(c.toUpperCase()));
            }
            else problem(e.keyNode, `Unknown key policy.${e.key}; expected enforce.`);
          }
        break;
      default:
        problem(keyNode, `Unknown setting "${key}"; expected one of ${TOP_KEYS.join(', ')}.`);
    }
  }
  return { config, problems };
}

function plain(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map(plain);
  if (isMap(node)) return Object.fromEntries(yentries(node).map((e) => [e.key, plain(e.value)]));
  return null;
}

/**
 * Answers about one path under one configuration, remembered: rules ask the stage, the test and
 * ignore globs of the same path many times per file (per call site, per finding), and each answer
 * runs every glob through RE2. A configuration object is never changed once resolved.
 */
function pathMemo<T>(compute: (config: ResolvedConfig, path: string) => T): (config: ResolvedConfig, path: string) => T {
  const byConfig = new WeakMap<ResolvedConfig, (path: string) => T>();
  return (config, path) => {
    let answer = byConfig.get(config);
    if (!answer) byConfig.set(config, (answer = memoizeByString((p) => compute(config, p), 50_000)));
    return answer(path);
  };
}

/** The stage for a file: the last matching `stages` glob, else the project stage. */
export const stageFor = pathMemo((config, path): Stage => {
  let stage = config.stage;
  for (const s of config.stages) if (matchesGlob(path, s.glob)) stage = s.stage;
  return stage;
});

export const isTestPath = pathMemo((config, path) => config.tests.some((g) => matchesGlob(path, g)));

export const isIgnoredPath = pathMemo((config, path) => DEFAULT_IGNORES.some((g) => matchesGlob(path, g)) || config.ignore.some((g) => matchesGlob(path, g)));
