import { defineRule } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { shellCommands, type ShellWord } from '../reproducibility/pins';

type Family = 'python' | 'system';

interface Install {
  /** How it is written, for the message: `%pip install`, `!apt-get install`. */
  shown: string;
  family: Family;
  /** Offsets in the unit of the command up to its verb (`!pip install`). */
  start: number;
  end: number;
}

/** Package managers and the verbs that change what is installed. */
const MANAGERS: Record<string, { verbs: RegExp; family: Family }> = {
  pip: { verbs: /^(install|uninstall|download)$/, family: 'python' },
  pip3: { verbs: /^(install|uninstall|download)$/, family: 'python' },
  conda: { verbs: /^(install|update|upgrade|remove|uninstall|create)$/, family: 'python' },
  mamba: { verbs: /^(install|update|upgrade|remove|uninstall|create)$/, family: 'python' },
  micromamba: { verbs: /^(install|update|remove|create)$/, family: 'python' },
  uv: { verbs: /^(add|remove)$/, family: 'python' },
  poetry: { verbs: /^(add|remove|install)$/, family: 'python' },
  pipenv: { verbs: /^(install|uninstall)$/, family: 'python' },
  'apt-get': { verbs: /^(install|remove|purge|upgrade|dist-upgrade)$/, family: 'system' },
  apt: { verbs: /^(install|remove|purge|upgrade)$/, family: 'system' },
  yum: { verbs: /^(install|remove|update)$/, family: 'system' },
  dnf: { verbs: /^(install|remove|update)$/, family: 'system' },
  apk: { verbs: /^(add|del)$/, family: 'system' },
  brew: { verbs: /^(install|uninstall|upgrade)$/, family: 'system' },
  zypper: { verbs: /^(install|in|remove)$/, family: 'system' },
};

const SUBPROCESS = /^(subprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.(system|popen)|pip\.main|pip\._internal\.main|pip\._internal\.cli\.main\.main)$/;

/** Install commands in one shell line: the offsets of each, from its first word to its verb. */
function installsIn(command: string): { words: ShellWord[]; manager: string; family: Family }[] {
  const out: { words: ShellWord[]; manager: string; family: Family }[] = [];
  if (!/\b(pip3?|conda|mamba|micromamba|uv|poetry|pipenv|apt-get|apt|yum|dnf|apk|brew|zypper)\b/.test(command)) return out;
  for (const all of shellCommands(command)) {
    let i = 0;
    const at = (k: number) => all[k]?.text ?? '';
    // VAR=x sudo -E python -m pip …, {sys.executable} -m pip …, uv pip install …
    while (i < all.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(at(i))) i++;
    if (at(i) === 'sudo') for (i++; at(i).startsWith('-'); i++);
    if (/(^|\/)(python[\d.]*|py|\{sys\.executable\}|\$\{?PYTHON\}?|\{sys\.executable\})$/.test(at(i)) && at(i + 1) === '-m') i += 2;
    if (at(i) === 'uv' && at(i + 1) === 'pip') i++;
    const name = at(i).split('/').pop() ?? '';
    const manager = MANAGERS[name];
    if (!manager) continue;
    let v = i + 1;
    while (v < all.length && all[v].text.startsWith('-')) v++;
    if (name === 'conda' || name === 'mamba' || name === 'micromamba') if (at(v) === 'env') v++;
    if (!manager.verbs.test(at(v))) continue;
    out.push({ words: all.slice(0, v + 1), manager: name, family: manager.family });
  }
  return out;
}

export default defineRule({
  code: 'N112',
  name: 'install-in-cell',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'A notebook cell installs or removes packages: `%pip install`, `!pip install`, `%conda install`, `!apt-get install`, `!brew install`, a `%%bash` cell that does, or `subprocess.run([sys.executable, "-m", "pip", "install", …])`. Reported once per command, on the command itself; whether the packages are pinned is reported by R111, which also offers the pin.',
    why:
      'A notebook that installs what it needs while it runs changes the environment of whoever runs it: the notebook only works where its install cells ran first, a pipeline run reinstalls packages at every execution (slow, and with network access it should not need), and what gets installed depends on the day. The environment should be declared once, in the project\'s requirements or image, and be the same for the notebook, the tests and the pipeline.',
    example: '%pip install lightgbm shap\n!apt-get install -y graphviz',
    useInstead: '# requirements.txt (or environment.yml), installed once when the environment is built:\n# lightgbm==4.3.0\n# shap==0.45.0\n# and system packages in the image: RUN apt-get install -y graphviz',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!ctx.doc.notebook || !program) return;
    const subprocessCalls = program.calls().filter((c) => c.qualified && SUBPROCESS.test(c.qualified));
    for (const unit of program.units as PythonUnit[]) {
      for (const install of installsOf(program, unit, subprocessCalls)) {
        const where = install.family === 'system' ? 'the image (Dockerfile) or environment definition' : 'the project\'s requirements (requirements.txt, environment.yml), installed before the notebook runs,';
        ctx.report({
          unit,
          start: install.start,
          end: install.end,
          message: `\`${install.shown}\` in a notebook cell changes the environment while the notebook runs: it only works where this cell has run, and every scheduled run installs again; declare the packages in ${where} instead.`,
        });
      }
    }
  },
});

const MAGIC_INSTALLS = { name: 'installs in magics' };

function installsOf(program: PythonProgram, unit: PythonUnit, subprocessCalls: CallSite[]): Install[] {
  const inMagics = magicInstalls(unit);
  // the usual cell runs no subprocess: its magics' list is the answer, shared
  if (unit.foreignCellMagic || !subprocessCalls.some((c) => c.unit === unit)) return inMagics;
  const out: Install[] = [...inMagics];
  for (const call of subprocessCalls) {
    if (call.unit !== unit) continue;
    const words = program
      .strings()
      .filter((s) => s.unit === unit && s.node.startIndex >= call.node.startIndex && s.node.endIndex <= call.node.endIndex && s.value !== null)
      .map((s) => s.value!);
    // [sys.executable, "-m", "pip", "install", …] names the interpreter by a variable
    const command = `${/sys\.executable/.test(call.node.text) ? 'python ' : ''}${call.qualified?.startsWith('pip') ? 'pip ' : ''}${words.map((w) => (/\s/.test(w) ? w : `'${w.replace(/'/g, '')}'`)).join(words.some((w) => /\s/.test(w)) ? '\n' : ' ')}`;
    const found = installsIn(command)[0];
    if (!found) continue;
    const shown = found.words.map((w) => w.text).join(' ');
    const fn = call.node.childForFieldName('function');
    out.push({ shown: `${call.callee}(… ${shown} …)`, family: found.family, start: call.node.startIndex, end: fn ? fn.endIndex : call.node.endIndex });
  }
  return out;
}

/**
 * Install commands in the unit's magics, shell escapes and shell cells. They depend on the cell's
 * text alone, so they are kept with its tree: an editor's unchanged cells are not parsed as shell
 * again on each keystroke. Do not mutate the list.
 */
function magicInstalls(unit: PythonUnit): Install[] {
  return unit.tree.memo(MAGIC_INSTALLS, () => computeMagicInstalls(unit));
}

function computeMagicInstalls(unit: PythonUnit): Install[] {
  const out: Install[] = [];
  const fromCommand = (command: string, base: number, prefix: string) => {
    for (const c of installsIn(command)) {
      const first = c.words[0];
      const last = c.words[c.words.length - 1];
      const shown = `${prefix}${c.words.map((w) => w.text).join(' ')}`.replace(/\s+/g, ' ');
      out.push({ shown: shown.length > 60 ? `${shown.slice(0, 57)}…` : shown, family: c.family, start: base + first.start - prefix.length, end: base + last.end });
    }
  };
  for (const m of unit.magics) {
    const raw = unit.text.slice(m.start, m.end);
    if (m.kind === 'line' && MANAGERS[m.command]) {
      // `%pip install x`: the magic is the command
      const prefix = raw.startsWith('%') ? '%' : '';
      fromCommand(raw.slice(prefix.length), m.start + prefix.length, prefix);
    } else if (m.kind === 'shell') {
      const prefix = /^!!?/.exec(raw)?.[0] ?? '';
      fromCommand(raw.slice(prefix.length), m.start + prefix.length, prefix);
    } else if (m.kind === 'cell' && /^(bash|sh|script|system)$/.test(m.command)) {
      const bodyStart = unit.text.indexOf('\n', m.start);
      if (bodyStart >= 0) fromCommand(unit.text.slice(bodyStart + 1, m.end), bodyStart + 1, '');
    }
  }
  return out;
}
