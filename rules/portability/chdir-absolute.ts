import { isTestPath } from '../core/config';
import { defineRule } from '../core/rule';
import { findLocations } from './detect';
import { reportPythonSite } from './report';
import { pythonLocationSites } from './python-sites';

const CHDIR = new Set(['os.chdir', 'os.fchdir']);

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
      const arg = call.positional[0];
      if (arg?.type !== 'string') continue;
      const site = pythonLocationSites(ctx, program).find((s) => s.literal.node.id === arg.id && s.match.kind !== 'host');
      if (site) reportPythonSite(ctx, program, site, `\`${call.callee}\` to an absolute folder: everything after it depends on \`${site.match.text}\` existing on this machine.`, 'WORKDIR');
    }
    for (const unit of program.units) {
      for (const magic of unit.magics) {
        if (magic.kind !== 'line' || (magic.command !== 'cd' && magic.command !== 'chdir')) continue;
        const target = magic.args.replace(/^-[bq]\s+/, '').replace(/^['"]|['"]$/g, '');
        const absolute = target.startsWith('/') || target.startsWith('~') || /^[A-Za-z]:[\\/]/.test(target) || findLocations(target).length > 0;
        if (!absolute || target === '/tmp' || target.startsWith('/tmp/')) continue;
        ctx.report({ unit, start: magic.start, end: magic.end, message: `\`%cd ${target}\` makes the rest of the notebook depend on a folder of this machine; build paths from the project root instead.` });
      }
    }
  },
});
