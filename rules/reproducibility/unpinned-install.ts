import { isScalar, isSeq, type Scalar } from 'yaml';
import { defineRule, type EditSpec, type RuleContext } from '../core/rule';
import type { TextUnit } from '../core/units';
import { argOffset, execForm } from '../documents/dockerfile';
import { yentries, yget, yitems, yscalars } from '../documents/yaml-nodes';
import { stringParts } from '../documents/python/syntax';
import { installCommands, normalizeName, parseRequirementString, TOOLING, type InstallTarget } from './pins';
import { isTrainingCodePath, stringValue } from './python';
import { deferredPin, notebookInstalledVersions, pinFix } from './versions';
import { scalarOffsets } from './yaml-text';

/** CI systems whose YAML mlready does not classify, read by path: their command keys. */
const OTHER_CI = /(^|\/)(\.circleci\/config\.ya?ml|azure-pipelines[^/]*\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml)$/;
const OTHER_CI_KEYS = new Set(['run', 'script', 'command', 'commands', 'bash', 'pwsh', 'install', 'before_install', 'pre_build', 'build', 'args']);

export default defineRule({
  code: 'R111',
  name: 'unpinned-install',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['dockerfile', 'yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A `pip install` (or `conda install`, `uv pip install`, `python -m pip install`) names a package with no version or only a lower bound: in a Dockerfile `RUN`, in a CI step (`run:`, `script:`), in a notebook cell (`%pip install`, `!pip install`, a `%%bash` cell), or in Python through `subprocess` or `os.system`. (That a notebook installs at all is N112, install-in-cell.)',
    why:
      'An install command that names a bare package installs whatever is newest when the image is built, the pipeline runs or the cell executes. The image built today and the one built next month differ silently; a training job that passed CI can fail in production after a release of any dependency. A lock file in the repository does not help here: the command bypasses it.',
    example: 'RUN pip install --no-cache-dir torch pandas scikit-learn',
    useInstead: 'COPY requirements.txt .\nRUN pip install --no-cache-dir --require-hashes -r requirements.txt\n\n# or, for a single package:\nRUN pip install --no-cache-dir torch==2.3.1',
    fixSafety:
      'A fix is offered only when the version is known: from the notebook cell\'s own saved output (`Successfully installed pandas-2.2.1`), or from the project (a conda-lock file, a pinned requirements or constraints file, a pinned conda environment, the project\'s `.venv`). It is unsafe: the install then gets that exact version, which may not be the one the rest of the environment expects. `pip`, `setuptools` and `wheel` themselves are not reported.',
    language: 'text',
  },
  check(ctx) {
    const doc = ctx.doc;
    if (doc.dockerfile) {
      for (const ins of doc.dockerfile.instructions) {
        if (ins.keyword !== 'RUN') continue;
        if (ins.heredocs.length) {
          for (const h of ins.heredocs) checkCommand(ctx, doc.file, h.body, (i) => h.bodyStart + i, 'this Dockerfile', new Map());
        }
        // the exec form (`RUN ["pip", "install", "x"]`) is rare for installs and not read
        if (!execForm(ins)) checkCommand(ctx, doc.file, ins.args, (i) => argOffset(ins, i), 'this Dockerfile', new Map());
      }
    }
    if (doc.yaml) {
      for (const { doc: d, kind } of doc.yaml.documents) {
        for (const s of ciCommands(kind, d.contents, doc.path)) {
          const map = scalarOffsets(doc.text, s);
          const [start, end] = s.range!;
          checkCommand(ctx, doc.file, s.value as string, map ?? (() => start), kind === 'github-actions' ? 'this workflow step' : 'this CI job', new Map(), map ? undefined : end);
        }
      }
    }
    if (doc.python) checkSubprocess(ctx);
    if (doc.python?.isNotebook) {
      for (const unit of doc.python.units) {
        for (const m of unit.magics) {
          if (m.kind === 'cell' && /^(bash|sh|script|system)$/.test(m.command)) {
            const body = unit.text.indexOf('\n', m.start);
            if (body >= 0 && body < m.end) checkCommand(ctx, unit, unit.text.slice(body + 1, m.end), (i) => body + 1 + i, 'this notebook cell', notebookInstalledVersions(doc.notebook, unit.cell));
            continue;
          }
          if (m.kind !== 'line' && m.kind !== 'shell') continue;
          const raw = unit.text.slice(m.start, m.end);
          const prefix = /^(!!|!|%)/.exec(raw)?.[0].length ?? 0;
          const known = notebookInstalledVersions(doc.notebook, unit.cell);
          const command = raw.slice(prefix).replace(/^\{sys\.executable\}/, 'python');
          checkCommand(ctx, unit, command, (i) => m.start + prefix + i, 'this notebook cell', known);
        }
      }
    }
  },
});

const SUBPROCESS = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.system)$/;

/** `subprocess.check_call([sys.executable, "-m", "pip", "install", "x"])` and `os.system("pip install x")`. */
function checkSubprocess(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  if (!isTrainingCodePath(ctx)) return;
  for (const call of program.calls()) {
    if (!call.qualified || !SUBPROCESS.test(call.qualified)) continue;
    const arg = call.positional[0] ?? call.keywords.get('args');
    if (!arg) continue;
    if (arg.type === 'string') {
      const value = stringValue(arg);
      const parts = stringParts(arg);
      if (value === undefined || arg.text.slice(parts.contentStart - arg.startIndex, parts.contentEnd - arg.startIndex) !== value) continue;
      checkCommand(ctx, call.unit, value, (i) => parts.contentStart + i, 'this script', new Map());
      continue;
    }
    if (arg.type !== 'list') continue;
    // the list's words joined by spaces, each mapped back to its string literal
    let command = '';
    const starts: { at: number; offset: number; length: number }[] = [];
    let ok = true;
    for (const el of arg.namedChildren) {
      if (!el) continue;
      let word: string | undefined;
      let offset = el.startIndex;
      if (el.type === 'string') {
        word = stringValue(el);
        const parts = stringParts(el);
        offset = parts.contentStart;
        if (word !== undefined && el.text.slice(parts.contentStart - el.startIndex, parts.contentEnd - el.startIndex) !== word) ok = false;
        if (word !== undefined && /\s/.test(word)) ok = false;
      } else if (program.resolve(el) === 'sys.executable') word = 'python';
      if (word === undefined || !ok) {
        ok = false;
        break;
      }
      if (command) command += ' ';
      starts.push({ at: command.length, offset, length: word.length });
      command += word;
    }
    if (!ok) continue;
    checkCommand(ctx, call.unit, command, (i) => {
      const s = [...starts].reverse().find((x) => x.at <= i);
      return s ? s.offset + Math.min(i - s.at, s.length) : arg.startIndex;
    }, 'this script', new Map());
  }
}

/** `run:` of GitHub Actions steps, `script:` of GitLab jobs, and the command keys of other CI files. */
function ciCommands(kind: string, root: unknown, path: string): Scalar[] {
  const out: Scalar[] = [];
  const add = (n: unknown) => {
    if (isScalar(n) && typeof n.value === 'string' && n.range) out.push(n);
    else if (isSeq(n)) for (const i of n.items) add(i);
  };
  if (kind === 'github-actions') {
    for (const job of yentries(yget(root, 'jobs'))) for (const step of yitems(yget(job.value, 'steps'))) add(yget(step, 'run'));
    // composite actions
    for (const step of yitems(yget(yget(root, 'runs'), 'steps'))) add(yget(step, 'run'));
  } else if (kind === 'gitlab-ci') {
    for (const e of yentries(root)) {
      if (e.key === 'before_script' || e.key === 'after_script') add(e.value);
      for (const k of ['script', 'before_script', 'after_script']) add(yget(e.value, k));
    }
  } else if (kind === 'generic' && (OTHER_CI.test(path) || /(^|\/)action\.ya?ml$/.test(path))) {
    for (const { scalar, path: p } of yscalars(root)) {
      const last = [...p].reverse().find((x) => typeof x === 'string');
      if (typeof last === 'string' && OTHER_CI_KEYS.has(last)) add(scalar);
    }
  }
  return out;
}

function checkCommand(ctx: RuleContext, unit: TextUnit, command: string, at: (i: number) => number, where: string, knownHere: Map<string, string>, wholeEnd?: number): void {
  if (!/\b(pip|pip3|conda|mamba|micromamba)\b/.test(command)) return;
  for (const cmd of installCommands(command)) {
    if (cmd.constrained) continue;
    for (const t of cmd.targets) {
      if (TOOLING.has(normalizeName(t.name))) continue;
      const start = at(t.start);
      const end = wholeEnd ?? at(t.end - 1) + 1;
      const tool = t.tool === 'conda' ? 'conda install' : 'pip install';
      if (t.vcs) {
        if (t.vcs.kind === 'sha') continue;
        ctx.report({
          unit,
          start,
          end,
          severity: t.vcs.kind === 'tag' ? 'info' : undefined,
          message: t.vcs.ref
            ? `\`${tool}\` of \`${t.name}\` in ${where} installs the git ref \`${t.vcs.ref}\`, which can move: pin the full commit SHA (\`@<40-hex sha>\`).`
            : `\`${tool}\` of \`${t.name}\` in ${where} installs a repository's default branch: pin the full commit SHA (\`@<40-hex sha>\`).`,
        });
        continue;
      }
      if (t.state !== 'none' && t.state !== 'lower') continue;
      const what = t.state === 'lower' ? `only a lower bound (\`${t.spec}\`)` : 'no version';
      const raw = command.slice(t.start, t.end);
      const edit = (version: string): EditSpec | null => {
        if (wholeEnd !== undefined) return null;
        const text = pinnedWord(t, raw, version);
        return text ? { unit, start, end, newText: text } : null;
      };
      const here = knownHere.get(normalizeName(t.name));
      const hereEdit = here ? edit(here) : null;
      ctx.report({
        unit,
        start,
        end,
        message: `\`${tool} ${t.spec}\` in ${where} has ${what}: it installs whatever is newest when it runs. Pin it (\`${t.name}${t.tool === 'conda' ? '=' : '=='}<version>\`) or install from a pinned requirements file.`,
        fixes: hereEdit ? [pinFix(t.name, here!, 'this cell\'s saved output', hereEdit)] : [],
        deferredFixes: hereEdit ? undefined : deferredPin(t.name, t.tool, edit),
      });
    }
  }
}

/** The install word with `==version` in place of its specifier, keeping extras, markers and quotes. */
function pinnedWord(t: InstallTarget, raw: string, version: string): string | null {
  const quote = t.quoted ? raw[0] : '';
  if (t.quoted && (!/^["']/.test(raw) || raw[raw.length - 1] !== quote || raw.slice(1, -1) !== t.spec)) return null;
  if (!t.quoted && raw !== t.spec) return null;
  if (t.tool === 'conda') {
    const m = /^((?:[^:\s]+::)?[A-Za-z0-9_][A-Za-z0-9._-]*)/.exec(t.spec);
    return m ? `${quote}${m[1]}==${version}${quote}` : null;
  }
  const p = parseRequirementString(t.spec);
  if (!p) return null;
  return `${quote}${t.spec.slice(0, p.specStart)}==${version}${t.spec.slice(p.specEnd)}${quote}`;
}
