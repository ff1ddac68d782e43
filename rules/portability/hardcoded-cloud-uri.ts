import { defineRule } from '../core/rule';
import { magicLocationSites, pythonLocationSites } from './python-sites';
import { describePath, nameFromPath, reportPythonSite } from './report';
import { isCommandPath, yamlLocationSites } from './yaml-sites';

export default defineRule({
  code: 'P106',
  name: 'hardcoded-cloud-uri',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'safe',
  docs: {
    summary: 'A cloud storage location (`s3://`, `gs://`, `abfss://`, `wasbs://`, `hdfs://`, `dbfs:/` …) is written into code or into a step\'s command.',
    why: 'Buckets differ per environment and per team. A bucket in code means staging runs read production data (or the reverse), and moving storage means a code change and a redeploy.',
    example: 'df = pl.read_parquet("s3://acme-prod-datalake/fraud/transactions/")',
    useInstead: 'import os\n\nTRANSACTIONS_URI = os.environ.get("TRANSACTIONS_URI", "s3://acme-prod-datalake/fraud/transactions/")\ndf = pl.read_parquet(TRANSACTIONS_URI)',
    fixSafety: 'Safe: the literal becomes `os.environ.get("NAME", <the same literal>)`; behaviour is unchanged until the variable is set.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonLocationSites(ctx, program)) {
        if (site.chdir || site.match.kind !== 'cloud') continue;
        reportPythonSite(ctx, program, site, `Cloud storage location \`${describePath(site.match.text)}\` is hard-wired; each environment should say which bucket it uses.`, () => nameFromPath(site.match.text, 'URI'));
      }
    }
    // a shell escape is a command, as a step's command in YAML is
    for (const site of program ? magicLocationSites(ctx, program) : []) {
      if (site.match.kind !== 'cloud') continue;
      ctx.report({ unit: site.unit, start: site.start, end: site.end, message: `Cloud storage location \`${describePath(site.match.text)}\` is hard-wired in \`${site.command}\`; read the bucket from configuration.` });
    }
    // in configs a bucket is usually the configuration itself; inside a step's command it is hidden in code
    for (const site of yamlLocationSites(ctx)) {
      if (site.match.kind !== 'cloud' || !isCommandPath(site.path)) continue;
      ctx.report({ unit: ctx.doc.file, start: site.start, end: site.end, message: `Cloud storage location \`${describePath(site.match.text)}\` is hard-wired in a${/^[aeiou]/.test(site.kind) ? 'n' : ''} ${site.kind} step command; pass it as a parameter.` });
    }
  },
});
