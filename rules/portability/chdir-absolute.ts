import type { SyntaxNode } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';
import { envBackedLiteral } from '../fixes/python-edits';
import { isContainerPath } from './detect';
import { describePath, nameFromPath, unlessContainerProject } from './report';

const CHDIR = new Set(['os.chdir']);
/** Folders that are the same everywhere: changing into them ties the code to nothing. */
const PORTABLE = /^(\/|~|~\/|\/tmp(\/.*)?|\/var\/tmp(\/.*)?|\/dev\/shm(\/.*)?)$/;

/** An absolute folder of one machine: `/home/ana/x`, `/data`, `~/proj`, `D:\work`, `\\server\share`. */
export function absoluteFolder(target: string): boolean {
  const t = target.trim().replace(/[\\/]+$/, '') || target.trim();
  if (!t || PORTABLE.test(t)) return false;
  if (/[{}$<>*?]/.test(t)) return false; // `%cd {root}`, `%cd $PROJECT`: built from a variable
  return t.startsWith('/') || /^~[\\/]/.test(t) || /^[A-Za-z]:[\\/]/.test(t) || /^\\\\[^\\]+\\/.test(t);
}

export default defineRule({
  code: 'P104',
  name: 'chdir-absolute',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'safe',
  docs: {
    summary: 'The working directory is changed to an absolute folder (`os.chdir("/home/ana/proj")`, `%cd /data/project`).',
    why: 'Every relative path after the change silently depends on that one folder existing. In a scheduled job or a container the folder is missing and the failure shows up far from its cause.',
    example: '%cd /home/ana/churn\ndf = pd.read_csv("data/train.csv")',
    useInstead: 'from pathlib import Path\n\nPROJECT_ROOT = Path(__file__).resolve().parent\ndf = pd.read_csv(PROJECT_ROOT / "data" / "train.csv")',
    fixSafety: 'For `os.chdir("…")` the folder is read from an environment variable with the current value as the default (safe). `%cd` magics have no automatic fix.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || isTestPath(ctx.config, ctx.doc.path)) return;
    for (const call of program.calls()) {
      if (!call.qualified || !CHDIR.has(call.qualified)) continue;
      const arg = call.positional[0] ?? call.keywords.get('path');
      if (arg?.type !== 'string') continue;
      const literal = program.strings().find((s) => s.node.id === arg.id);
      if (!literal || literal.prefix.includes('b')) continue;
      const value = literal.value ?? arg.text.slice(literal.contentStart - arg.startIndex, interpolationStart(arg) - arg.startIndex);
      if (!absoluteFolder(literal.value === null ? value.replace(/[\\/][^\\/]*$/, '') || value : value)) continue;
      const unit = literal.unit as PythonUnit;
      const shown = literal.value ?? `${value}…`;
      const when = isContainerPath(shown) ? unlessContainerProject : undefined;
      const envName = nameFromPath(shown, 'WORKDIR');
      ctx.report({
        unit,
        start: literal.contentStart,
        end: literal.value === null ? interpolationStart(arg) : literal.contentEnd,
        message: `\`${call.callee}\` to an absolute folder: everything after it depends on \`${describePath(shown)}\` existing on this machine.`,
        when,
        fixes:
          literal.value !== null && arg.parent?.type === 'argument_list'
            ? [{ title: `Read the folder from the environment variable ${envName} (keeps the current value as the default)`, applicability: 'safe', edits: envBackedLiteral(program, unit, arg, envName) }]
            : [],
      });
    }
    for (const unit of program.units) {
      for (const magic of unit.magics) {
        if (magic.kind !== 'line' || (magic.command !== 'cd' && magic.command !== 'chdir' && magic.command !== 'pushd')) continue;
        // `%cd -q /x`, `%cd "/My Drive/x"`; `%cd -b name` jumps to a bookmark, `%cd -` goes back
        const args = magic.args.replace(/^-q\s+/, '');
        if (/^-[b-]/.test(args) || args === '-') continue;
        const quoted = /^(['"])(.*)\1$/.exec(args);
        const target = quoted ? quoted[2] : args;
        if (!absoluteFolder(target)) continue;
        const text = unit.text.slice(magic.start, magic.end);
        const at = text.lastIndexOf(target);
        const start = at >= 0 ? magic.start + at : magic.start;
        const end = at >= 0 ? start + target.length : magic.end;
        const when = isContainerPath(target) ? unlessContainerProject : undefined;
        ctx.report({ unit, start, end, when, message: `\`%${magic.command} ${describePath(target)}\` makes the rest of the notebook depend on a folder of this machine; build paths from the project root instead.` });
      }
    }
  },
});

function interpolationStart(node: SyntaxNode): number {
  const first = node.namedChildren.find((c) => c?.type === 'interpolation');
  return first ? first.startIndex : node.endIndex;
}
