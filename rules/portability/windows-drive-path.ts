import { defineRule } from '../core/rule';
import { magicLocationSites, pythonLocationSites } from './python-sites';
import { describePath, nameFromPath, reportPythonSite } from './report';
import { yamlLocationSites } from './yaml-sites';

/** Drive letters and UNC shares (`\\\\server\\share`) are both Windows-only locations. */
function what(text: string): string {
  return text.startsWith('\\\\') ? 'Windows network share' : 'Windows drive path';
}

export default defineRule({
  code: 'P103',
  name: 'windows-drive-path',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'safe',
  docs: {
    summary: 'A Windows drive path (`D:\\data\\sales.xlsx`, `C:/models`) or network share (`\\\\fileserver\\finance`) is written into code or a config.',
    why: 'Production runs on Linux containers and clusters where drive letters do not exist. The path also ties the project to one workstation\'s disk layout.',
    example: 'sales = pd.read_excel(r"D:\\shared\\sales\\2024.xlsx")',
    useInstead: 'import os\n\nSALES_PATH = os.environ.get("SALES_PATH", "data/sales/2024.xlsx")\nsales = pd.read_excel(SALES_PATH)',
    fixSafety: 'Safe: the literal becomes `os.environ.get("NAME", <the same literal>)`; behaviour is unchanged until the variable is set.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonLocationSites(ctx, program)) {
        if (site.chdir || site.match.kind !== 'windows-drive') continue;
        reportPythonSite(ctx, program, site, `${what(site.match.text)} \`${describePath(site.match.text)}\` only exists on Windows machines that map it; Linux containers and clusters have no drive letters or shares.`, () => nameFromPath(site.match.text, 'PATH'));
      }
    }
    for (const site of program ? magicLocationSites(ctx, program) : []) {
      if (site.match.kind !== 'windows-drive') continue;
      ctx.report({ unit: site.unit, start: site.start, end: site.end, message: `${what(site.match.text)} \`${describePath(site.match.text)}\` in \`${site.command}\` only exists on Windows machines that map it.` });
    }
    for (const site of yamlLocationSites(ctx)) {
      // a CI job runs on the provider's runner, whose disk layout (C:\hostedtoolcache, D:\a) is documented
      if (site.match.kind !== 'windows-drive' || site.kind === 'github-actions' || site.kind === 'gitlab-ci') continue;
      ctx.report({ unit: ctx.doc.file, start: site.start, end: site.end, message: `${what(site.match.text)} \`${describePath(site.match.text)}\` in this ${site.kind} config will not exist where the pipeline runs.` });
    }
  },
});
