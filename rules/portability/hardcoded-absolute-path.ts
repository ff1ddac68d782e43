import { defineRule } from '../core/rule';
import { isContainerPath } from './detect';
import { magicLocationSites, pythonLocationSites } from './python-sites';
import { describePath, nameFromPath, reportPythonSite, unlessContainerProject } from './report';
import { CONTAINER_KINDS, yamlLocationSites } from './yaml-sites';

const DATA_ROOTS = /^\/(data|datasets|dataset|mnt|media|models|model|shared|nfs|scratch|storage|volumes|Volumes|net|projects|work|export|raid|disk\d*)(\/|$)/;
const HAS_EXTENSION = /\.[A-Za-z][A-Za-z0-9]{0,7}$/;

export default defineRule({
  code: 'P102',
  name: 'hardcoded-absolute-path',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'safe',
  docs: {
    summary: 'An absolute local path to data or models (`/data/raw/events.parquet`, `/mnt/models/v3`) is used for reading or writing.',
    why: 'Absolute paths encode one machine\'s disk layout. The next environment mounts data elsewhere, and the job either fails or, worse, reads a stale copy that happens to be there.',
    example: 'events = pd.read_parquet("/data/raw/events.parquet")',
    useInstead: 'import os\n\nEVENTS_PATH = os.environ.get("EVENTS_PATH", "data/raw/events.parquet")\nevents = pd.read_parquet(EVENTS_PATH)',
    fixSafety: 'Safe: the literal becomes `os.environ.get("NAME", <the same literal>)`; behaviour is unchanged until the variable is set.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonLocationSites(ctx, program)) {
        if (site.chdir || site.match.kind !== 'absolute' || site.route) continue;
        const path = site.match.text;
        if (!(site.usedAsPath || DATA_ROOTS.test(path) || HAS_EXTENSION.test(path))) continue;
        if (path.startsWith('/opt/ml/')) continue; // SageMaker's documented container layout
        // /app, /workspace, /opt … are the image's own paths when the project runs in containers
        const when = isContainerPath(path) ? unlessContainerProject : undefined;
        reportPythonSite(ctx, program, site, `Absolute path \`${describePath(path)}\` ties this code to one machine's disk layout; read it from configuration or the environment.`, () => nameFromPath(path, 'PATH'), when);
      }
    }
    for (const site of program ? magicLocationSites(ctx, program) : []) {
      if (site.match.kind !== 'absolute') continue;
      const path = site.match.text;
      if (!(DATA_ROOTS.test(path) || HAS_EXTENSION.test(path)) || path.startsWith('/opt/ml/')) continue;
      const when = isContainerPath(path) ? unlessContainerProject : undefined;
      ctx.report({ unit: site.unit, start: site.start, end: site.end, message: `Absolute path \`${describePath(path)}\` in \`${site.command}\` ties this notebook to one machine's disk layout.`, when });
    }
    for (const site of yamlLocationSites(ctx)) {
      if (site.match.kind !== 'absolute' || CONTAINER_KINDS.has(site.kind) || site.kind === 'github-actions' || site.kind === 'gitlab-ci') continue;
      const path = site.match.text;
      if (!(DATA_ROOTS.test(path) || HAS_EXTENSION.test(path))) continue;
      const when = isContainerPath(path) ? unlessContainerProject : undefined;
      ctx.report({ unit: ctx.doc.file, start: site.start, end: site.end, message: `Absolute path \`${describePath(path)}\` in this ${site.kind} config ties the pipeline to one machine's disk layout.`, when });
    }
  },
});
