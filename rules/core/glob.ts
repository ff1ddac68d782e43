/**
 * Glob patterns for `ignore:` and `stages:` in mlready.yaml: `*`, `**`, `?`, `[abc]`, `{a,b}`.
 * Compiled to regular expressions that never backtrack badly: every construct is a character
 * class or a lazy-free star over a class, so user patterns cannot hang the engine.
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
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
  const prefix = anchored || g.includes('/') ? '^' : '^(?:.*/)?';
  re = new RegExp(`${prefix}${out}(?:/.*)?$`);
  cache.set(glob, re);
  return re;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchesGlob(path, g));
}
