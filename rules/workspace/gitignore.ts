import { RE2JS } from 're2js';

/**
 * The project's .gitignore files, with git's semantics (gitignore(5)): blank lines and `#`
 * comments, `\#` / `\!` / `\ ` escapes, trailing spaces, `!` negation, patterns anchored by a
 * slash at the start or in the middle, folder-only patterns (`x/`), `*`, `?`, `[...]`, and `**`
 * (`**‍/x`, `x/**`, `a/**‍/b`). A nested .gitignore applies to its folder's subtree and wins over
 * the ones above it; within all of them the last matching pattern decides. A file under an
 * ignored folder cannot be re-included (git does not descend there either). Patterns are compiled
 * to RE2 (re2js), linear-time whatever the pattern, since they are repository input. Matching is
 * case-sensitive (git's default on Linux). `.git/info/exclude` and `core.excludesFile` are not read.
 */

interface Pattern {
  source: string;
  negate: boolean;
  dirOnly: boolean;
}

/** Consecutive patterns of one sign, as one regular expression; evaluated last group first. */
interface Group {
  re: RE2JS;
  negate: boolean;
}

/** One .gitignore file, compiled: groups for files (folder-only patterns left out) and for folders. */
export interface CompiledGitignore {
  /** The folder the file is in: '' for the root, else `a/b/`. */
  dir: string;
  files: Group[];
  dirs: Group[];
}

/** The patterns of a .gitignore text, as RE2 sources over paths relative to its folder. */
export function parsePatterns(text: string): Pattern[] {
  const out: Pattern[] = [];
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // trailing spaces are ignored unless escaped with a backslash
    let end = line.length;
    while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
    line = line.slice(0, end);
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/') && !line.endsWith('\\/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (!line) continue;
    // a slash at the start or in the middle anchors the pattern to the .gitignore's folder
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = translate(line);
    if (body === null) continue;
    out.push({ source: (anchored ? '^' : '^(?:.*/)?') + body + '$', negate, dirOnly });
  }
  return out;
}

const quote = (c: string) => c.replace(/[.+*?^$()[\]{}|\\/-]/g, '\\$&');

/** A glob of gitignore(5) as an RE2 source; null when it cannot match anything. */
function translate(glob: string): string | null {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
      if (i < glob.length) out += quote(glob[i]);
      // a trailing lone backslash matches nothing (git treats the pattern as invalid)
      else return null;
    } else if (c === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      const double = j > i;
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = j + 1 === glob.length || glob[j + 1] === '/';
      if (double && atStart && atEnd) {
        if (j + 1 === glob.length) out += '.*'; // `x/**` (everything inside) or `**` alone
        else {
          out += '(?:.*/)?'; // `**/`: zero or more folders
          j++; // the slash
        }
      } else out += '[^/]*'; // other runs of asterisks are plain asterisks
      i = j;
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const cls = bracket(glob, i);
      if (cls) {
        out += cls.source;
        i = cls.end;
      } else out += '\\[';
    } else out += quote(c);
  }
  return out;
}

/** A bracket expression starting at `start`, as an RE2 class that never matches `/`. */
function bracket(glob: string, start: number): { source: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < glob.length; i++) {
    const c = glob[i];
    if (c === ']' && !first) return { source: `[${negate ? '^/' : ''}${body}]`, end: i };
    first = false;
    if (c === '[' && glob[i + 1] === ':') {
      const close = glob.indexOf(':]', i + 2);
      if (close < 0) return null;
      body += glob.slice(i, close + 2); // [:alpha:], which RE2 knows
      i = close + 1;
    } else if (c === '\\' && i + 1 < glob.length) body += quote(glob[++i]);
    else if (c === '-') body += '-';
    else body += quote(c);
  }
  return null;
}

function groups(patterns: Pattern[]): Group[] {
  const out: Group[] = [];
  let run: Pattern[] = [];
  const flush = () => {
    if (!run.length) return;
    try {
      out.push({ re: RE2JS.compile(run.map((p) => `(?:${p.source})`).join('|')), negate: run[0].negate });
    } catch {
      // one bad pattern: compile the run's patterns one by one and leave out those that fail
      for (const p of run) {
        try {
          out.push({ re: RE2JS.compile(p.source), negate: p.negate });
        } catch {
          // a pattern RE2 does not accept matches nothing
        }
      }
    }
    run = [];
  };
  for (const p of patterns) {
    if (run.length && run[0].negate !== p.negate) flush();
    run.push(p);
  }
  flush();
  return out;
}

/** Compiles the text of the .gitignore at `path` (workspace-relative, e.g. `a/.gitignore`). */
export function compileGitignore(path: string, text: string): CompiledGitignore {
  const patterns = parsePatterns(text);
  return { dir: path.slice(0, path.lastIndexOf('/') + 1), files: groups(patterns.filter((p) => !p.dirOnly)), dirs: groups(patterns) };
}

/** The decision of one file's patterns for a path relative to its folder: undefined when none matches. */
function decide(list: Group[], rel: string): boolean | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].re.matches(rel)) return !list[i].negate;
  return undefined;
}

/** The .gitignore files of a workspace, added as the listing meets them (a folder's before its subfolders). */
export class GitignoreMatcher {
  private readonly byDir = new Map<string, CompiledGitignore>();
  private readonly dirCache = new Map<string, boolean>();

  get size(): number {
    return this.byDir.size;
  }

  add(path: string, text: string): void {
    const compiled = compileGitignore(path, text);
    if (!compiled.files.length && !compiled.dirs.length) return;
    this.byDir.set(compiled.dir, compiled);
    this.dirCache.clear();
  }

  /** Whether the patterns alone ignore `path` (its folders not considered): the deepest .gitignore's last match wins. */
  private matches(path: string, isDir: boolean): boolean {
    if (!this.byDir.size) return false;
    let dir = path;
    for (;;) {
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '' : dir.slice(0, slash + 1);
      const file = this.byDir.get(dir);
      if (file) {
        const d = decide(isDir ? file.dirs : file.files, path.slice(dir.length));
        if (d !== undefined) return d;
      }
      if (!dir) return false;
      dir = dir.slice(0, -1);
    }
  }

  /** Whether git ignores the folder `dir` (no trailing slash), or one of the folders above it. */
  ignoresDir(dir: string): boolean {
    let hit = this.dirCache.get(dir);
    if (hit !== undefined) return hit;
    const slash = dir.lastIndexOf('/');
    hit = (slash >= 0 && this.ignoresDir(dir.slice(0, slash))) || this.matches(dir, true);
    this.dirCache.set(dir, hit);
    return hit;
  }

  /** Whether git ignores a folder above the file `path`. */
  ignoresFolderOf(path: string): boolean {
    const slash = path.lastIndexOf('/');
    return this.byDir.size > 0 && slash >= 0 && this.ignoresDir(path.slice(0, slash));
  }

  /** Whether git ignores the file `path`, or a folder above it. */
  ignoresFile(path: string): boolean {
    if (!this.byDir.size) return false;
    const slash = path.lastIndexOf('/');
    return (slash >= 0 && this.ignoresDir(path.slice(0, slash))) || this.matches(path, false);
  }
}
