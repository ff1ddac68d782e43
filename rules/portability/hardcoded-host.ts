import type { Node } from '../documents/python/syntax-tree';
import { defineRule } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { hostOf, isLoopbackUrl } from './detect';
import { magicLocationSites, pythonLocationSites } from './python-sites';
import { reportPythonSite } from './report';
import { isCommandPath, yamlLocationSites } from './yaml-sites';

/** Host and port only: the URL's user, password and query are never repeated in a message. */
function where(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@?#]+)(?::(\d+))?/i.exec(url);
  return m ? `${m[1]}://${m[2]}${m[3] ? `:${m[3]}` : ''}` : url; // a bare `host:port` is shown as written
}

/** Variables the libraries themselves read, for the call a URL is passed to. */
const KNOWN_SETTINGS: Record<string, string> = {
  'mlflow.set_tracking_uri': 'MLFLOW_TRACKING_URI',
  'mlflow.set_registry_uri': 'MLFLOW_REGISTRY_URI',
  'sqlalchemy.create_engine': 'DATABASE_URL',
};

/** A variable name for a URL: the setting its library reads, its database kind, its service, or its endpoint. */
function hostEnvName(url: string, literal: Node, program: PythonProgram): string {
  const call = literal.parent?.type === 'argument_list' ? literal.parent.parent : null;
  const qualified = call?.type === 'call' ? program.resolve(call.childForFieldName('function')) : null;
  if (qualified && KNOWN_SETTINGS[qualified]) return KNOWN_SETTINGS[qualified];
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^\s/@]*@)?(\[[0-9a-fA-F:]+\]|[^\s/:@?#]+)(?::\d+)?(\/[^?#]*)?/i.exec(url);
  if (!m) return 'SERVICE_HOST';
  const [, scheme, host, path] = m;
  if (!/^(https?|wss?|grpcs?|tcp|udp)$/i.test(scheme)) return `${scheme.split('+')[0]}_URL`;
  const label = /^[a-z][a-z0-9-]*/i.exec(host)?.[0];
  if (label && !/^localhost$/i.test(label)) return `${label}_URL`;
  const segment = (path ?? '').split('/').filter((p) => /^[a-z][\w-]*$/i.test(p)).pop();
  return segment ? `${segment}_URL` : 'SERVICE_URL';
}

/**
 * `mlflow`, `db`, `feature-store` (compose and CI services, Kubernetes services in the same
 * namespace) and `*.svc` / `*.svc.cluster.local` (cluster DNS) resolve wherever the config is
 * deployed: in a deployment config they are the configuration, not a machine.
 */
function isServiceName(host: string): boolean {
  return (/^[a-z][a-z0-9-]*$/i.test(host) && !/^localhost$/i.test(host)) || /\.svc(\.cluster\.local)?$/i.test(host);
}

function isAddressLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

export default defineRule({
  code: 'P105',
  name: 'hardcoded-host',
  category: 'portability',
  severity: 'warning',
  appliesTo: ['python', 'yaml'],
  fixable: 'safe',
  docs: {
    summary: 'A URL or connection string names a specific machine: an IP address, an explicit port, an internal host name, or a database/broker address.',
    why: 'Hosts differ between development, staging and production. A hard-wired address either breaks when the service moves or, worse, makes a staging job write to the production database.',
    example: 'engine = create_engine("postgresql://etl@10.0.3.17:5432/features")',
    useInstead: 'import os\n\nengine = create_engine(os.environ["FEATURES_DB_URL"])',
    fixSafety: 'Safe: the literal becomes `os.environ.get("NAME", <the same literal>)`, so nothing changes until the variable is set. Credentials inside the URL are a separate finding (security).',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (program) {
      for (const site of pythonLocationSites(ctx, program)) {
        if (site.match.kind !== 'host') continue;
        const loopback = isLoopbackUrl(site.match.text);
        reportPythonSite(
          ctx,
          program,
          site,
          loopback
            ? `\`${where(site.match.text)}\` only reaches a service on this machine; in a container or on a cluster it points at nothing. Read the address from configuration.`
            : `Hard-wired address \`${where(site.match.text)}\`: it changes between environments. Read it from configuration or the environment.`,
          () => hostEnvName(site.match.text, site.literal.node, program),
        );
      }
    }
    // `!curl localhost:8080/health` in a notebook pokes a local service by design: only other hosts
    for (const site of program ? magicLocationSites(ctx, program) : []) {
      if (site.match.kind !== 'host' || isLoopbackUrl(site.match.text)) continue;
      ctx.report({ unit: site.unit, start: site.start, end: site.end, message: `Hard-wired address \`${where(site.match.text)}\` in \`${site.command}\`; read it from configuration.` });
    }
    for (const site of yamlLocationSites(ctx)) {
      if (site.match.kind !== 'host') continue;
      if (isLoopbackUrl(site.match.text) && (site.kind === 'github-actions' || site.kind === 'gitlab-ci' || site.kind === 'docker-compose')) continue; // CI service containers
      if (isServiceName(hostOf(site.match.text))) continue; // the platform's service discovery: compose/CI service names, cluster DNS
      // a named host in a deployment's settings (env values, parameters, catalog entries) is the
      // configuration itself, as a bucket is for P106; an IP address, or any host inside a step's
      // command, is hard-wired
      if (!isCommandPath(site.path) && (!isAddressLiteral(hostOf(site.match.text)) || isLoopbackUrl(site.match.text))) continue;
      ctx.report({ unit: ctx.doc.file, start: site.start, end: site.end, message: `Hard-wired address \`${where(site.match.text)}\` in this ${site.kind} config; use a service name, a variable or a secret reference.` });
    }
  },
});
