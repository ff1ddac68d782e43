import { matchesGlob } from '../core/glob';
import { defineRule } from '../core/rule';
import { DVC_OUTS_KEY } from './dvc';

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');

/** Patterns of one .gitignore or .gitattributes, relative to its folder. */
interface PatternFile {
  dir: string;
  patterns: { glob: string; negate: boolean; dirOnly: boolean }[];
}

function gitignore(path: string, text: string): PatternFile {
  const patterns: PatternFile['patterns'] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    patterns.push({ glob: line, negate, dirOnly });
  }
  return { dir: dirOf(path), patterns };
}

function lfsPatterns(path: string, text: string): PatternFile {
  const patterns: PatternFile['patterns'] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [glob, ...attrs] = line.split(/\s+/);
    if (attrs.includes('filter=lfs')) patterns.push({ glob, negate: false, dirOnly: false });
  }
  return { dir: dirOf(path), patterns };
}

/** Whether git ignores a path, following .gitignore files from the root down; the last matching pattern wins. */
function matches(files: PatternFile[], path: string): boolean {
  let result = false;
  for (const f of files.sort((a, b) => a.dir.length - b.dir.length)) {
    if (!path.startsWith(f.dir)) continue;
    const rel = path.slice(f.dir.length);
    for (const p of f.patterns) {
      // a folder pattern (`data/`) ignores everything under it, at any depth unless it has another slash
      let glob = p.glob;
      if (p.dirOnly) {
        const name = glob.slice(0, -1);
        glob = name.includes('/') ? `${name}/**` : `**/${name}/**`;
      }
      const hit = matchesGlob(rel, glob);
      if (hit) result = !p.negate;
    }
  }
  return result;
}

export default defineRule({
  code: 'R134',
  name: 'untracked-large-data',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['workspace'],
  options: { maxMegabytes: 10 },
  docs: {
    summary:
      'A data or model file larger than 10 MB (option `maxMegabytes`) sits in the repository without being versioned by DVC (a `.dvc` file or a `dvc.yaml` output), Git LFS (`.gitattributes`), or being ignored by git (`.gitignore`).',
    why:
      'A large file committed to git bloats every clone forever and is versioned without any link to the pipeline that produced it; a large file that is neither committed nor tracked exists on one machine only, so the training run that used it cannot be reproduced anywhere else. DVC (or LFS) versions it, stores it remotely and ties each version to the commit.',
    example: 'data/transactions.csv   # 480 MB, committed to git',
    useInstead: 'dvc add data/transactions.csv     # writes data/transactions.csv.dvc and ignores the file in git\ngit add data/transactions.csv.dvc data/.gitignore\ndvc push',
    language: 'text',
  },
  checkWorkspace(ctx) {
    const limitMb = Number(ctx.options.maxMegabytes ?? 10);
    const limit = (Number.isFinite(limitMb) && limitMb >= 0 ? limitMb : 10) * 1024 * 1024;
    const ignores: PatternFile[] = [];
    const lfs: PatternFile[] = [];
    for (const [path, text] of ctx.facts.texts) {
      if (path.endsWith('.gitignore')) ignores.push(gitignore(path, text));
      else if (path.endsWith('.gitattributes')) lfs.push(lfsPatterns(path, text));
    }
    const outs = ctx.facts.values<string>(DVC_OUTS_KEY).map((v) => v.value);
    for (const [path, size] of [...ctx.facts.sizes].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (size <= limit) continue;
      const parts = path.split('/');
      const dvcFile = parts.some((_, i) => ctx.facts.paths.has(`${parts.slice(0, i + 1).join('/')}.dvc`));
      const dvcOut = outs.some((o) => o === path || path.startsWith(`${o}/`));
      if (dvcFile || dvcOut || matches(ignores, path) || matches(lfs, path)) continue;
      const mb = size >= 1024 * 1024 ? `${(size / (1024 * 1024)).toFixed(size >= 100 * 1024 * 1024 ? 0 : 1)} MB` : `${Math.ceil(size / 1024)} KB`;
      ctx.report({
        location: { path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fileRange: { start: 0, end: 0 } },
        message: `\`${path}\` (${mb}) is not versioned by DVC or Git LFS and not ignored by git: run \`dvc add ${path}\` (or track it with LFS) so every run can fetch the same data.`,
      });
    }
  },
});
