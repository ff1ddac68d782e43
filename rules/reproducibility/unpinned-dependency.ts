import { isMap, isScalar, type Scalar } from 'yaml';
import type { AST } from 'toml-eslint-parser';
import { addValue, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import { defineRule, type EditSpec, type RuleContext } from '../core/rule';
import type { TextUnit } from '../core/units';
import type { Requirement } from '../documents/requirements';
import { tomlBoolean, tomlChildren, tomlGet, tomlHas, tomlString, tomlStringContent, type TomlModel } from '../documents/toml';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { moduleConstant, stringValue } from './python';
import { normalizeName, parseRequirementString, pinState, refKind, TOOLING, vcsRef, type PinState } from './pins';
import { deferredPin, deploysSomething, locksFor } from './versions';
import { stringParts } from '../documents/python/syntax';

const CONDA_ENV_KEY = 'repro.conda-env';

/** MLproject `conda_env: conda.yaml`: the referenced file is a conda environment whatever its name. */
export const mlprojectCollector: FactCollector = (doc, facts) => {
  if (doc.yaml?.kind !== 'mlproject') return;
  const dir = doc.path.includes('/') ? doc.path.slice(0, doc.path.lastIndexOf('/') + 1) : '';
  for (const { doc: d } of doc.yaml.documents) {
    const env = ystring(yget(d.contents, 'conda_env'));
    if (env) addValue(facts, CONDA_ENV_KEY, normalizePath(dir + env));
  }
};

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

const noLock = (path: string) => (facts: WorkspaceFacts) => locksFor(facts, path).length === 0;

export default defineRule({
  code: 'R110',
  name: 'unpinned-dependency',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['requirements', 'toml', 'yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A dependency in a requirements file, in pyproject.toml, in a conda environment file or in setup.py `install_requires` of an application has no version or only a lower bound (`numpy`, `pandas>=2.0`), and the project has no lock file (poetry.lock, uv.lock, pdm.lock, requirements.lock, conda-lock.yml …) next to it or above it.',
    why:
      'An unpinned dependency installs whatever is newest on the day of the build. The model trained last month and the one rebuilt today then run on different libraries: results change, a retrain cannot be compared with the original, and a release of any package can break a production build that nobody touched. Libraries published for others should keep ranges; applications (a training pipeline, a service, a notebook project) should pin, with a lock file or exact versions, ideally with hashes.',
    example: '# requirements.txt\nnumpy\npandas>=2.0\nscikit-learn',
    useInstead: '# requirements.txt (pip-compile --generate-hashes requirements.in)\nnumpy==1.26.4 \\\n    --hash=sha256:…\npandas==2.2.2 \\\n    --hash=sha256:…\nscikit-learn==1.5.0 \\\n    --hash=sha256:…',
    fixSafety:
      'A fix is offered only when the project records an exact version for the package: a conda-lock file, a pinned requirements or constraints file, a pinned conda environment, or the project\'s own virtual environment (`.venv/lib/pythonX.Y/site-packages/<name>-<version>.dist-info`). Versions are never guessed. It is unsafe: a fresh install then gets that version, which mlready cannot check against the other constraints.',
    language: 'text',
  },
  check(ctx) {
    const doc = ctx.doc;
    if (doc.requirements) checkRequirements(ctx, doc.requirements.requirements);
    if (doc.toml && (doc.path.split('/').pop() ?? '') === 'pyproject.toml') checkPyproject(ctx, doc.toml);
    if (doc.yaml) checkConda(ctx);
    if (doc.python && (doc.path.split('/').pop() ?? '') === 'setup.py') checkSetupPy(ctx);
  },
});

function describe(state: PinState, spec: string): string {
  return state === 'lower' ? `only sets a lower bound (\`${spec}\`)` : 'has no version';
}

function message(name: string, state: PinState, spec: string, where: string): string {
  return `\`${name}\` ${describe(state, spec)} in ${where}: every build installs whatever is newest that day. Pin it (\`${name}==<version>\`) or commit a lock file.`;
}

// ─── requirements files ──────────────────────────────────────────────────────────────────────

function checkRequirements(ctx: RuleContext, requirements: Requirement[]): void {
  const path = ctx.doc.path;
  const unit = ctx.doc.file;
  const text = ctx.doc.text;
  const base = path.split('/').pop() ?? path;
  // pip-tools: requirements.in is the loose input of a compiled requirements.txt
  const compiled = base.endsWith('.in') ? path.replace(/\.in$/, '.txt') : null;
  const when = (facts: WorkspaceFacts) => noLock(path)(facts) && !(compiled && facts.paths.has(compiled));
  for (const r of requirements) {
    if (r.direct) {
      const v = vcsRef(text.slice(r.start, r.end).replace(/^[A-Za-z0-9._-]+\s*@\s*/, ''));
      if (!v.vcs) continue;
      const kind = refKind(v.ref);
      if (kind === 'sha') continue;
      ctx.report({
        unit,
        start: r.start,
        end: r.end,
        severity: kind === 'tag' ? 'info' : undefined,
        message: v.ref
          ? `\`${r.name}\` is installed from the git ref \`${v.ref}\`, which can move: pin the full commit SHA (\`@<40-hex sha>\`).`
          : `\`${r.name}\` is installed from a repository's default branch: pin the full commit SHA (\`@<40-hex sha>\`).`,
        when,
      });
      continue;
    }
    if (TOOLING.has(normalizeName(r.name))) continue;
    const state = pinState(r.specifier);
    if (state !== 'none' && state !== 'lower') continue;
    const raw = text.slice(r.nameStart, r.end);
    const parsed = parseRequirementString(raw);
    ctx.report({
      unit,
      start: r.start,
      end: r.end,
      message: message(r.name, state, r.specifier, base),
      when,
      deferredFixes: parsed
        ? deferredPin(r.name, 'pip', (version) => ({ unit, start: r.nameStart + parsed.specStart, end: r.nameStart + parsed.specEnd, newText: `==${version}` }))
        : undefined,
    });
  }
}

// ─── pyproject.toml ──────────────────────────────────────────────────────────────────────────

function checkPyproject(ctx: RuleContext, toml: TomlModel): void {
  const path = ctx.doc.path;
  const unit = ctx.doc.file;
  const library = tomlHas(toml, ['project', 'classifiers']) || tomlHas(toml, ['tool', 'poetry', 'classifiers']);
  if (library) return;
  const application =
    tomlBoolean(tomlGet(toml, ['tool', 'poetry', 'package-mode'])) === false ||
    tomlBoolean(tomlGet(toml, ['tool', 'uv', 'package'])) === false ||
    tomlBoolean(tomlGet(toml, ['tool', 'pdm', 'distribution'])) === false;
  const when = (facts: WorkspaceFacts) => noLock(path)(facts) && (application || deploysSomething(facts));

  // PEP 621 / PEP 735 / uv / pdm: arrays of requirement strings
  const arrays: { node: AST.TOMLContentNode | undefined; where: string }[] = [
    { node: tomlGet(toml, ['project', 'dependencies']), where: '[project] dependencies' },
    { node: tomlGet(toml, ['tool', 'uv', 'dev-dependencies']), where: '[tool.uv] dev-dependencies' },
  ];
  for (const e of tomlChildren(toml, ['project', 'optional-dependencies'])) arrays.push({ node: e.value, where: `optional dependencies "${e.path[2]}"` });
  for (const e of tomlChildren(toml, ['dependency-groups'])) arrays.push({ node: e.value, where: `dependency group "${e.path[1]}"` });
  for (const e of tomlChildren(toml, ['tool', 'pdm', 'dev-dependencies'])) arrays.push({ node: e.value, where: `[tool.pdm] dev-dependencies "${e.path[3]}"` });
  for (const { node, where } of arrays) {
    if (node?.type !== 'TOMLArray') continue;
    for (const el of node.elements) {
      if (el.type !== 'TOMLValue' || el.kind !== 'string') continue;
      const parsed = parseRequirementString(el.value);
      if (!parsed || TOOLING.has(normalizeName(parsed.name))) continue;
      if (parsed.url) {
        const v = vcsRef(parsed.url);
        if (!v.vcs || refKind(v.ref) === 'sha') continue;
        ctx.report({ unit, start: el.range[0], end: el.range[1], message: `\`${parsed.name}\` in ${where} is installed from a git ref that can move: pin the full commit SHA.`, when });
        continue;
      }
      const state = pinState(parsed.specifier);
      if (state !== 'none' && state !== 'lower') continue;
      const content = tomlStringContent(ctx.doc.text, el);
      ctx.report({
        unit,
        start: el.range[0],
        end: el.range[1],
        message: message(parsed.name, state, parsed.specifier, `pyproject.toml ${where}`),
        when,
        deferredFixes: content.exact ? deferredPin(parsed.name, 'pip', (version) => ({ unit, start: content.start + parsed.specStart, end: content.start + parsed.specEnd, newText: `==${version}` })) : undefined,
      });
    }
  }

  // poetry: tables of name = "spec" or name = { version = "spec", … }
  const poetryTables: { prefix: (string | number)[]; where: string }[] = [
    { prefix: ['tool', 'poetry', 'dependencies'], where: '[tool.poetry.dependencies]' },
    { prefix: ['tool', 'poetry', 'dev-dependencies'], where: '[tool.poetry.dev-dependencies]' },
  ];
  for (const t of toml.tables) {
    if (t.path.length === 5 && t.path[0] === 'tool' && t.path[1] === 'poetry' && t.path[2] === 'group' && t.path[4] === 'dependencies') {
      poetryTables.push({ prefix: t.path, where: `[tool.poetry.group.${t.path[3]}.dependencies]` });
    }
  }
  for (const { prefix, where } of poetryTables) {
    for (const e of tomlChildren(toml, prefix)) {
      const name = String(e.path[e.path.length - 1]);
      if (name.toLowerCase() === 'python' || TOOLING.has(normalizeName(name))) continue;
      let specNode: AST.TOMLContentNode | undefined = e.value;
      if (e.value.type === 'TOMLInlineTable') {
        if (['git', 'path', 'url', 'file'].some((k) => tomlGet(toml, [...e.path, k]))) {
          const git = tomlString(tomlGet(toml, [...e.path, 'git']));
          const rev = tomlString(tomlGet(toml, [...e.path, 'rev']));
          if (git && refKind(rev ?? tomlString(tomlGet(toml, [...e.path, 'tag']))) !== 'sha' && !tomlGet(toml, [...e.path, 'tag'])) {
            ctx.report({ unit, start: e.keyValue.range[0], end: e.keyValue.range[1], message: `\`${name}\` in ${where} is installed from git with no commit: add \`rev = "<40-hex sha>"\`.`, when });
          }
          continue;
        }
        specNode = tomlGet(toml, [...e.path, 'version']);
      } else if (e.value.type === 'TOMLArray') continue; // multiple-constraint dependencies: markers per platform
      const spec = tomlString(specNode) ?? '';
      const state = pinState(spec, 'poetry');
      if (state !== 'none' && state !== 'lower') continue;
      const str = specNode?.type === 'TOMLValue' && specNode.kind === 'string' ? specNode : undefined;
      const content = str ? tomlStringContent(ctx.doc.text, str) : undefined;
      ctx.report({
        unit,
        start: e.keyValue.range[0],
        end: e.keyValue.range[1],
        message: message(name, state, spec, `pyproject.toml ${where}`),
        when,
        deferredFixes: content?.exact ? deferredPin(name, 'pip', (version) => ({ unit, start: content.start, end: content.end, newText: version })) : undefined,
      });
    }
  }
}

// ─── conda environment files ─────────────────────────────────────────────────────────────────

function checkConda(ctx: RuleContext): void {
  const yaml = ctx.doc.yaml!;
  const path = ctx.doc.path;
  const unit = ctx.doc.file;
  for (const { doc, kind } of yaml.documents) {
    const root = doc.contents;
    const deps = yget(root, 'dependencies');
    const named = kind === 'conda-env';
    if (!named && (kind !== 'generic' || !isMap(root) || !yitems(deps).length)) continue;
    // a generic file counts when an MLproject names it as its conda_env
    const referenced = (facts: WorkspaceFacts) => named || facts.values<string>(CONDA_ENV_KEY).some((v) => v.value === path);
    const when = (facts: WorkspaceFacts) => referenced(facts) && noLock(path)(facts);
    for (const item of yitems(deps)) {
      if (isScalar(item) && typeof item.value === 'string') reportCondaSpec(ctx, unit, item, when);
      else if (isMap(item)) {
        for (const p of yitems(yget(item, 'pip'))) {
          if (!isScalar(p) || typeof p.value !== 'string') continue;
          const value = p.value;
          if (value.startsWith('-')) continue; // -r requirements.txt, --extra-index-url …
          const parsed = parseRequirementString(value);
          if (!parsed || parsed.url || TOOLING.has(normalizeName(parsed.name))) continue;
          const state = pinState(parsed.specifier);
          if (state !== 'none' && state !== 'lower') continue;
          const at = scalarStart(ctx.doc.text, p);
          ctx.report({
            unit,
            start: p.range![0],
            end: p.range![1],
            message: message(parsed.name, state, parsed.specifier, `the pip section of ${path.split('/').pop()}`),
            when,
            deferredFixes: at !== null ? deferredPin(parsed.name, 'pip', (version) => ({ unit, start: at + parsed.specStart, end: at + parsed.specEnd, newText: `==${version}` })) : undefined,
          });
        }
      }
    }
  }
}

function reportCondaSpec(ctx: RuleContext, unit: TextUnit, item: Scalar, when: (facts: WorkspaceFacts) => boolean): void {
  const value = item.value as string;
  const noChannel = value.replace(/^[^:\s]+::/, '');
  const m = /^([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$/.exec(noChannel);
  if (!m || TOOLING.has(normalizeName(m[1]))) return;
  const spec = m[2].trim();
  const state = pinState(spec.replace(/\s+/g, ''), 'conda');
  if (state !== 'none' && state !== 'lower') return;
  const at = scalarStart(ctx.doc.text, item);
  const nameEnd = at !== null ? at + (value.length - noChannel.length) + m[1].length : null;
  ctx.report({
    unit,
    start: item.range![0],
    end: item.range![1],
    message: `\`${m[1]}\` ${describe(state, spec)} in ${ctx.doc.path.split('/').pop()}: every environment build resolves to whatever is newest that day. Pin it (\`${m[1]}=<version>\`) or commit a conda-lock file.`,
    when,
    deferredFixes: nameEnd !== null ? deferredPin(m[1], 'conda', (version) => ({ unit, start: nameEnd, end: at! + value.length, newText: `==${version}` })) : undefined,
  });
}

/** Offset of the first character of a plain or simply quoted scalar's value, when the source spells it verbatim. */
function scalarStart(text: string, s: Scalar): number | null {
  if (!s.range || typeof s.value !== 'string') return null;
  const inner = s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 1 : 0;
  return text.slice(s.range[0] + inner, s.range[0] + inner + s.value.length) === s.value ? s.range[0] + inner : null;
}

// ─── setup.py ────────────────────────────────────────────────────────────────────────────────

function checkSetupPy(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  const path = ctx.doc.path;
  for (const call of program.calls()) {
    if (call.qualified !== 'setuptools.setup' && call.qualified !== 'distutils.core.setup') continue;
    if (call.keywords.has('classifiers')) continue; // a library published for others keeps ranges
    let list = call.keywords.get('install_requires');
    if (list?.type === 'identifier') list = moduleConstant(program, list.text);
    if (list?.type !== 'list') continue;
    const when = (facts: WorkspaceFacts) => noLock(path)(facts) && deploysSomething(facts);
    for (const el of list.namedChildren) {
      const value = stringValue(el);
      if (!el || value === undefined) continue;
      const parsed = parseRequirementString(value);
      if (!parsed || parsed.url || TOOLING.has(normalizeName(parsed.name))) continue;
      const state = pinState(parsed.specifier);
      if (state !== 'none' && state !== 'lower') continue;
      const parts = stringParts(el);
      const exact = el.text.slice(parts.contentStart - el.startIndex, parts.contentEnd - el.startIndex) === value;
      const unit = program.unitOf(el);
      const edit = (version: string): EditSpec | null => (exact ? { unit, start: parts.contentStart + parsed.specStart, end: parts.contentStart + parsed.specEnd, newText: `==${version}` } : null);
      ctx.report({
        unit,
        start: el.startIndex,
        end: el.endIndex,
        message: message(parsed.name, state, parsed.specifier, 'setup.py install_requires'),
        when,
        deferredFixes: deferredPin(parsed.name, 'pip', edit),
      });
    }
  }
}
