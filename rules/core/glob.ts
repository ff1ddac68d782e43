import { RE2JS } from 're2js';

/**
 * Glob patterns for `ignore:`, `tests:` and `stages:` in mlready.yaml: `*`, `**`, `?`, `[abc]`,
 * `[!abc]`, `{a,b}`. They are user input, so they are compiled to RE2 (re2js), whose matching
 * time is linear in the path whatever the pattern: `**a**a**a**b` cannot hang the engine as a
 * backtracking RegExp would. A pattern that does not compile (`[z-a]`) matches nothing, and
 * `invalidGlob` says why so that the config can report it.
 */

const cache = new Map<string, RE2JS | null>();

/** The regular expression (RE2 syntax) a glob compiles to. */
export function globSource(glob: string): string {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
  // as in .gitignore, a slash at the end only says "a folder": `node_modules/` matches at any depth
  const inner = g.replace(/\/+$/, '').includes('/');
  if (g.endsWith('/')) g += '**';
  let out = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        out += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += '[' + g.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&') + ']';
        i = close;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  out += ')'.repeat(braces);
  // a pattern without a slash matches at any depth, like .gitignore
  const prefix = anchored || inner ? '^' : '^(?:.*/)?';
  return `${prefix}${out}(?:/.*)?$`;
}

function compileGlob(glob: string): RE2JS | null {
  let re = cache.get(glob);
  if (re !== undefined) return re;
  try {
    re = RE2JS.compile(globSource(glob));
  } catch {
    re = null;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(glob, re);
  return re;
}

/** Why a glob cannot be used, or null when it is fine. */
export function invalidGlob(glob: string): string | null {
  return compileGlob(glob) ? null : `"${glob}" is not a valid pattern (check its [ranges] and {braces}).`;
}

export function matchesGlob(path: string, glob: string): boolean {
  return compileGlob(glob)?.matches(path) ?? false;
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchesGlob(path, g));
}
