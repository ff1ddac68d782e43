/**
 * Version specifiers, install commands, image references and git refs: the small value grammars
 * the pinning rules judge. Every function here reads one value (a specifier, a command line, an
 * image reference), never a whole source file.
 */

export type PinState = 'none' | 'lower' | 'range' | 'pinned';

/**
 * How tightly a version specifier holds a dependency: `none` (no version, `*`), `lower` (only
 * lower bounds or exclusions: `>=1.2`, `!=1.3`), `range` (an upper bound too: `>=1,<2`, `~=1.4`,
 * `^1.2`, `==1.*`), `pinned` (one version: `==1.2.3`, `===1.2.3`, a bare poetry `1.2.3`).
 * `style` picks the grammar: PEP 440 (pip), poetry (caret, tilde, bare = exact), conda (`=1.2`
 * = 1.2.*, `=1.2.3` and `==1.2.3` exact, optional build string).
 */
export function pinState(spec: string, style: 'pep440' | 'poetry' | 'conda' = 'pep440'): PinState {
  const s = spec.replace(/\s+/g, '');
  if (s === '' || s === '*') return 'none';
  if (style === 'conda') {
    // name=version=build: a build string makes it exact; `=1.2` is 1.2.*, `=1.2.3` is as exact as conda gets
    const conda = /^=?=([^=,<>!|*]+)(=.+)?$/.exec(s);
    if (conda) return conda[2] || /^\d+\.\d+\.\d+/.test(conda[1]) || s.startsWith('==') ? 'pinned' : 'range';
  }
  let lower = false;
  let upper = false;
  for (const clause of s.split(/[,|]/)) {
    if (!clause) continue;
    const m = /^(===|==|~=|!=|<=|>=|<|>|\^|~|=)?(.*)$/.exec(clause)!;
    const op = m[1] ?? '';
    const version = m[2];
    if (version === '*' || version === '') continue;
    if (op === '===') return 'pinned';
    if (op === '==' || (op === '' && style === 'poetry') || (op === '=' && style !== 'conda')) {
      if (version.includes('*')) upper = true;
      else return 'pinned';
    } else if (op === '' && style === 'conda') {
      // a bare conda version is a prefix match
      upper = true;
    } else if (op === '<' || op === '<=' || op === '~=' || op === '^' || op === '~') upper = true;
    else if (op === '>=' || op === '>') lower = true;
    else if (op === '!=') lower = true;
  }
  if (upper) return 'range';
  return lower ? 'lower' : 'none';
}

/** PEP 503 normalised name: `Scikit_Learn` → `scikit-learn`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Build tooling that installers upgrade routinely; pinning it is not what reproducibility needs. */
export const TOOLING = new Set(['pip', 'setuptools', 'wheel']);

/** One PEP 508 requirement string: `name[extras] spec ; marker`, or a direct reference `name @ url`. */
export interface ParsedRequirement {
  name: string;
  /** Offsets in the string. */
  nameStart: number;
  nameEnd: number;
  /** The specifier as written and its offsets (empty: where one would go, right after name/extras). */
  specifier: string;
  specStart: number;
  specEnd: number;
  /** `name @ url`: a direct reference. */
  url?: string;
}

export function parseRequirementString(s: string): ParsedRequirement | null {
  const m = /^(\s*)([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\s*\[[^\]]*\])?/.exec(s);
  if (!m) return null;
  const nameStart = m[1].length;
  const nameEnd = nameStart + m[2].length;
  const afterExtras = m[0].length;
  const rest = s.slice(afterExtras);
  const semi = rest.indexOf(';');
  const body = semi >= 0 ? rest.slice(0, semi) : rest;
  const at = /^\s*@\s*(\S+)/.exec(body);
  if (at) return { name: m[2], nameStart, nameEnd, specifier: '', specStart: afterExtras, specEnd: afterExtras, url: at[1] };
  const lead = body.length - body.trimStart().length;
  const spec = body.trim().replace(/^\((.*)\)$/, '$1');
  const specStart = afterExtras + lead;
  return { name: m[2], nameStart, nameEnd, specifier: spec, specStart: spec ? specStart : afterExtras, specEnd: spec ? afterExtras + body.trimEnd().length : afterExtras };
}

/** A git reference judged for movement: a full commit SHA, a version tag, or a branch-like name. */
export type RefKind = 'sha' | 'tag' | 'branch' | 'other';

const BRANCH_NAMES = new Set(['main', 'master', 'develop', 'development', 'dev', 'trunk', 'head', 'latest', 'next', 'stable', 'nightly', 'edge', 'canary', 'release', 'staging', 'prod', 'production']);

export function refKind(ref: string | undefined): RefKind {
  if (!ref) return 'branch';
  if (/^[0-9a-f]{40}$/i.test(ref) || /^[0-9a-f]{64}$/i.test(ref)) return 'sha';
  if (/^v?\d+(\.\d+)*([-+._]?[0-9A-Za-z.-]+)?$/.test(ref) && /\d/.test(ref)) return 'tag';
  if (BRANCH_NAMES.has(ref.toLowerCase())) return 'branch';
  return 'other';
}

/** A VCS requirement (`git+https://…/repo.git@ref#egg=x`): the ref it installs, or undefined for the default branch. */
export function vcsRef(url: string): { vcs: boolean; ref?: string } {
  const m = /^(git|hg|svn|bzr)\+/.exec(url) ?? /^git:\/\//.exec(url) ?? /^(?:https?:\/\/)?(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/]+\/[^/@#]+\.git/.exec(url);
  if (!m) return { vcs: false };
  const noFragment = url.split('#')[0];
  const path = noFragment.replace(/^[a-z+]+:\/\/[^/]*/, '');
  const at = path.lastIndexOf('@');
  return { vcs: true, ref: at >= 0 ? path.slice(at + 1) : undefined };
}

export interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

/** `[registry[:port]/]path[:tag][@digest]`; null when the reference is templated (`$IMAGE`, `{{…}}`). */
export function parseImageRef(ref: string): ImageRef | null {
  const s = ref.trim();
  if (!s || /[${}<>\s]/.test(s)) return null;
  const at = s.indexOf('@');
  const digest = at >= 0 ? s.slice(at + 1) : undefined;
  const base = at >= 0 ? s.slice(0, at) : s;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  if (colon > slash) return { name: base.slice(0, colon), tag: base.slice(colon + 1), digest };
  return { name: base, digest };
}

/** An image that moves: no digest, and no tag or the `latest` tag. */
export function imageMoves(ref: ImageRef): 'no-tag' | 'latest' | null {
  if (ref.digest) return null;
  if (!ref.tag) return 'no-tag';
  return ref.tag.toLowerCase() === 'latest' ? 'latest' : null;
}

// ─── shell commands ──────────────────────────────────────────────────────────────────────────

export interface ShellWord {
  /** The word after quote removal. */
  text: string;
  /** Offsets of the word as written (quotes included) in the command string. */
  start: number;
  end: number;
  quoted: boolean;
}

/**
 * Splits a shell command line into simple commands (at `&&`, `||`, `;`, `|`, `&` and line breaks)
 * and each into words, with POSIX quotes and backslash escapes. Enough to read install commands;
 * not a shell: no expansion, no subshells.
 */
export function shellCommands(command: string): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let text = '';
  let start = -1;
  let quoted = false;
  const endWord = (end: number) => {
    if (start >= 0) words.push({ text, start, end, quoted });
    text = '';
    start = -1;
    quoted = false;
  };
  const endCommand = (end: number) => {
    endWord(end);
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === '\\' && (command[i + 1] === '\n' || (command[i + 1] === '\r' && command[i + 2] === '\n'))) {
      endWord(i);
      i += command[i + 1] === '\r' ? 2 : 1;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand(i);
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord(i);
      continue;
    }
    if (c === '#' && start < 0) {
      // a comment runs to the end of the line
      while (i + 1 < command.length && command[i + 1] !== '\n') i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'") {
      quoted = true;
      const close = command.indexOf("'", i + 1);
      const to = close < 0 ? command.length : close;
      text += command.slice(i + 1, to);
      i = to;
    } else if (c === '"') {
      quoted = true;
      let j = i + 1;
      while (j < command.length && command[j] !== '"') {
        if (command[j] === '\\' && j + 1 < command.length && '"\\$`'.includes(command[j + 1])) j++;
        text += command[j];
        j++;
      }
      i = j;
    } else if (c === '\\' && i + 1 < command.length) {
      text += command[i + 1];
      i++;
    } else text += c;
  }
  endCommand(command.length);
  return commands;
}

export interface InstallTarget {
  tool: 'pip' | 'conda';
  /** The requirement as written (quotes removed). */
  spec: string;
  name: string;
  state: PinState;
  /** A VCS requirement and the ref it installs. */
  vcs?: { ref?: string; kind: RefKind };
  /** Offsets of the word in the command string. */
  start: number;
  end: number;
  quoted: boolean;
}

export interface InstallCommand {
  tool: 'pip' | 'conda';
  /** Offsets of the command's words in the command string. */
  start: number;
  end: number;
  targets: InstallTarget[];
  /** `-c constraints.txt`, `-r requirements.txt`, `--requirement`: versions come from files. */
  fromFiles: boolean;
  constrained: boolean;
}

const PIP_OPTIONS_WITH_VALUE = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi', '--src', '--upgrade-strategy',
  '--global-option', '--install-option', '-C', '--config-settings', '--trusted-host', '--cache-dir', '--log', '--progress-bar', '--proxy',
  '--timeout', '--retries', '--exists-action', '--cert', '--client-cert', '--only-binary', '--no-binary', '--python', '--root-user-action',
  '--report', '--use-feature', '--use-deprecated', '--group', '-p', '--index', '--default-index', '--extra-index',
]);
const CONDA_OPTIONS_WITH_VALUE = new Set(['-n', '--name', '-p', '--prefix', '-c', '--channel', '--file', '--repodata-fn', '--experimental-solver', '--solver']);

function isPython(word: string): boolean {
  return /(^|\/)python(\d+(\.\d+)?)?$/.test(word) || /^\{?sys\.executable\}?$/.test(word) || word === '$PYTHON';
}

/** `pip install …`, `python -m pip install …`, `uv pip install …`, `conda|mamba|micromamba install …`. */
export function installCommands(command: string): InstallCommand[] {
  const out: InstallCommand[] = [];
  for (let words of shellCommands(command)) {
    // leading environment assignments and wrappers
    while (words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].text) || ['sudo', 'time', 'exec', 'command', 'nice', 'env'].includes(words[0].text))) words = words.slice(1);
    if (!words.length) continue;
    const w = words.map((x) => x.text);
    let rest: number | undefined;
    let tool: 'pip' | 'conda' | undefined;
    if (/(^|\/)pip(\d+(\.\d+)?)?$/.test(w[0]) && w[1] === 'install') [tool, rest] = ['pip', 2];
    else if (isPython(w[0]) && w[1] === '-m' && /^pip(\d+(\.\d+)?)?$/.test(w[2] ?? '') && w[3] === 'install') [tool, rest] = ['pip', 4];
    else if (w[0] === 'uv' && w[1] === 'pip' && w[2] === 'install') [tool, rest] = ['pip', 3];
    else if (/(^|\/)(conda|mamba|micromamba)$/.test(w[0]) && w[1] === 'install') [tool, rest] = ['conda', 2];
    if (!tool || rest === undefined) continue;
    const cmd: InstallCommand = { tool, start: words[0].start, end: words[words.length - 1].end, targets: [], fromFiles: false, constrained: false };
    const withValue = tool === 'pip' ? PIP_OPTIONS_WITH_VALUE : CONDA_OPTIONS_WITH_VALUE;
    for (let i = rest; i < words.length; i++) {
      const word = words[i];
      const t = word.text;
      // redirections: `2>&1`, `> /dev/null`, `>>log`
      if (!word.quoted && /^\d*[<>]/.test(t)) {
        if (/^\d*(>>?|<)&?$/.test(t)) i++;
        continue;
      }
      if (t.startsWith('-')) {
        const [opt, inline] = t.includes('=') ? [t.slice(0, t.indexOf('=')), true] : [t, false];
        if (tool === 'pip' && (opt === '-r' || opt === '--requirement' || /^-r./.test(opt))) cmd.fromFiles = true;
        if (tool === 'pip' && (opt === '-c' || opt === '--constraint' || /^-c./.test(opt))) cmd.constrained = true;
        if (tool === 'conda' && opt === '--file') cmd.fromFiles = true;
        if (withValue.has(opt) && !inline) i++;
        continue;
      }
      const target = installTarget(tool, word);
      if (target) cmd.targets.push(target);
    }
    out.push(cmd);
  }
  return out;
}

function installTarget(tool: 'pip' | 'conda', word: ShellWord): InstallTarget | null {
  const spec = word.text;
  if (!spec || spec.startsWith('$') || spec.startsWith('{')) return null;
  // local paths, archives, wheels, URLs that are not VCS
  const vcs = vcsRef(spec.replace(/^[A-Za-z0-9._-]+\s*@\s*/, ''));
  if (vcs.vcs) {
    const egg = /#egg=([A-Za-z0-9._-]+)/.exec(spec);
    const name = egg ? egg[1] : (/\/([^/@#]+?)(?:\.git)?(?:@|#|$)/.exec(spec)?.[1] ?? spec);
    const kind = refKind(vcs.ref);
    return { tool, spec, name, state: kind === 'sha' ? 'pinned' : 'none', vcs: { ref: vcs.ref, kind }, start: word.start, end: word.end, quoted: word.quoted };
  }
  if (/^(\.|\/|~|file:|https?:|[A-Za-z]:\\)/.test(spec) || /\.(whl|tar\.gz|zip|tgz)$/.test(spec) || spec.includes('/') && tool === 'pip') return null;
  if (tool === 'conda') {
    const noChannel = spec.replace(/^[^:]+::/, '');
    const m = /^([A-Za-z0-9_][A-Za-z0-9._-]*)(.*)$/.exec(noChannel);
    if (!m) return null;
    return { tool, spec, name: m[1], state: pinState(m[2], 'conda'), start: word.start, end: word.end, quoted: word.quoted };
  }
  const parsed = parseRequirementString(spec);
  if (!parsed) return null;
  if (parsed.url) return null;
  // `torch==${TORCH_VERSION}`: pinned through a build argument
  const state = /^===?\s*\$/.test(parsed.specifier) ? 'pinned' : pinState(parsed.specifier);
  return { tool, spec, name: parsed.name, state, start: word.start, end: word.end, quoted: word.quoted };
}
