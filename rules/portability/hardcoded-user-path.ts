import { defineRule } from '../core/rule';
import { magicLocationSites, pythonLocationSites } from './python-sites';
import { describePath, nameFromPath, reportPythonSite } from './report';
import { yamlLocationSites } from './yaml-sites';

export default defineRule({
  code: 'P101',
  name: 'hardcoded-user-path',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'safe',
  docs: {
    summary: 'A path inside one person\'s home folder (`/home/ana/…`, `/Users/ana/…`, `C:\\Users\\ana\\…`, `~/…`) is written into code or a pipeline config.',
    why: 'The path exists on one laptop. On a colleague\'s machine, in CI, in a container or on the training cluster the file is not there, and the job fails at the first read, often after the expensive steps have run.',
    example: 'df = pd.read_csv("/home/ana/projects/churn/data/train.csv")',
    useInstead: 'import os\n\nDATA_PATH = os.environ.get("DATA_PATH", "data/train.csv")\ndf = pd.read_csv(DATA_PATH)',
    fixSafety: 'Safe: the literal becomes `os.environ.get("NAME", <the same literal>)`, so behaviour is unchanged until the variable is set; `import os` is added once if missing.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonLocationSites(ctx, program)) {
        if (site.chdir || site.match.kind !== 'user-home' && site.match.kind !== 'tilde-home') continue;
        const home = site.match.kind === 'tilde-home' ? 'the current user\'s home folder' : 'one user\'s home folder';
        reportPythonSite(
          ctx,
          program,
          site,
          `Path \`${describePath(site.match.text)}\` points into ${home}: it will not exist on another machine, in CI or in a container.`,
          () => nameFromPath(site.match.text, 'PATH'),
        );
      }
    }
    for (const site of program ? magicLocationSites(ctx, program) : []) {
      if (site.match.kind !== 'user-home' && site.match.kind !== 'tilde-home') continue;
      ctx.report({ unit: site.unit, start: site.start, end: site.end, message: `Path \`${describePath(site.match.text)}\` in \`${site.command}\` points into a user's home folder: the cell fails on any other machine.` });
    }
    for (const site of yamlLocationSites(ctx)) {
      if (site.match.kind !== 'user-home' && site.match.kind !== 'tilde-home') continue;
      ctx.report({
        unit: ctx.doc.file,
        start: site.start,
        end: site.end,
        message: `Path \`${describePath(site.match.text)}\` in this ${site.kind} config points into a user's home folder: the step will fail on any other machine.`,
      });
    }
  },
});
