import { isScalar } from 'yaml';
import { defineRule } from '../core/rule';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { containerSites, readableDocuments, servesRequests, type ContainerSite } from './workloads';
import { insertIntoMap, type YamlValue } from './yaml-edit';

/** Health endpoints of model servers whose images are recognisable. */
const KNOWN_SERVERS: { image: RegExp; ready: string; live: string; port?: number }[] = [
  { image: /tritonserver/, ready: '/v2/health/ready', live: '/v2/health/live', port: 8000 },
  { image: /mlserver/, ready: '/v2/health/ready', live: '/v2/health/live', port: 8080 },
  { image: /torchserve/, ready: '/ping', live: '/ping', port: 8080 },
  { image: /bentoml|bento/, ready: '/readyz', live: '/livez', port: 3000 },
  { image: /text-generation-inference/, ready: '/health', live: '/health', port: 80 },
  { image: /vllm/, ready: '/health', live: '/health', port: 8000 },
];

function firstPort(site: ContainerSite): number | string | undefined {
  for (const p of yitems(yget(site.container, 'ports'))) {
    const v = yget(p, 'containerPort');
    if (isScalar(v) && typeof v.value === 'number') return v.value;
  }
  return undefined;
}

function probeSkeleton(site: ContainerSite): { readinessProbe?: YamlValue; livenessProbe?: YamlValue; how: string } | undefined {
  const image = ystring(yget(site.container, 'image')) ?? '';
  const command = [...yitems(yget(site.container, 'command')), ...yitems(yget(site.container, 'args'))].map((n) => ystring(n) ?? '').join(' ');
  const known = KNOWN_SERVERS.find((s) => s.image.test(image));
  const port = firstPort(site) ?? known?.port;
  if (port === undefined) return undefined;
  const mlflow = /mlflow\s+models\s+serve/.test(command);
  const paths = known ?? (mlflow ? { ready: '/ping', live: '/ping' } : undefined);
  const action = (path?: string): { [k: string]: YamlValue } => (path ? { httpGet: { path, port } } : { tcpSocket: { port } });
  return {
    readinessProbe: { ...action(paths?.ready), initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { ...action(paths?.live), initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 3 },
    how: paths ? `HTTP ${paths.ready}` : `TCP port ${port}`,
  };
}

export default defineRule({
  code: 'L205',
  name: 'missing-health-probe',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary: 'A serving container of a Deployment or StatefulSet (one that declares a port or runs a known model server) has no `readinessProbe` or no `livenessProbe`.',
    why:
      'Without a readiness probe Kubernetes sends traffic to a pod as soon as its process starts — while the model is still loading — so every rollout and every restart answers errors. Without a liveness probe a server that deadlocks or leaks until it stops answering keeps its place in the Service forever. KServe, Seldon and Azure ML managed endpoints configure probes themselves and are not checked.',
    example: 'containers:\n  - name: model\n    image: registry.example.com/fraud-model:2.3.1\n    ports:\n      - containerPort: 8080',
    useInstead:
      'containers:\n  - name: model\n    image: registry.example.com/fraud-model:2.3.1\n    ports:\n      - containerPort: 8080\n    readinessProbe:\n      httpGet:\n        path: /health/ready\n        port: 8080\n      periodSeconds: 10\n    livenessProbe:\n      httpGet:\n        path: /health/live\n        port: 8080\n      initialDelaySeconds: 60\n      periodSeconds: 20',
    fixSafety:
      'Unsafe: the fix adds the probes that are missing — HTTP probes on the health endpoints of recognised model servers (Triton, MLServer, TorchServe, BentoML, TGI, vLLM, `mlflow models serve`), a TCP probe on the first container port otherwise — with a 60 s initial delay for liveness. A model that takes longer to load is restarted in a loop: raise `initialDelaySeconds` or add a `startupProbe`, and prefer an HTTP endpoint that checks the model is loaded.',
    language: 'yaml',
  },
  check(ctx) {
    if (!ctx.doc.yaml) return;
    const unit = ctx.doc.file;
    for (const { doc, kind } of readableDocuments(ctx.doc.yaml)) {
      if (kind !== 'kubernetes') continue;
      for (const site of containerSites(kind, doc.contents)) {
        if (site.role !== 'main' || site.source !== 'pod' || !['Deployment', 'StatefulSet'].includes(site.workload.resourceKind) || !servesRequests(site)) continue;
        const readiness = yget(site.container, 'readinessProbe') !== undefined;
        const liveness = yget(site.container, 'livenessProbe') !== undefined;
        if (readiness && liveness) continue;
        if (yget(site.container, '<<') !== undefined) continue;
        const skeleton = probeSkeleton(site);
        const entries: { [k: string]: YamlValue } = {};
        if (!readiness && skeleton?.readinessProbe) entries.readinessProbe = skeleton.readinessProbe;
        if (!liveness && skeleton?.livenessProbe) entries.livenessProbe = skeleton.livenessProbe;
        const edit = Object.keys(entries).length ? insertIntoMap(unit, doc.contents, site.container, entries, { after: ['ports', 'resources', 'env', 'image'] }) : undefined;
        const missing = !readiness && !liveness ? 'no readiness or liveness probe' : !readiness ? 'no readiness probe' : 'no liveness probe';
        const w = site.workload;
        ctx.report({
          unit,
          start: site.anchor[0],
          end: site.anchor[1],
          message: `Serving container \`${site.name}\` of ${w.resourceKind} \`${w.name}\` has ${missing}: ${!readiness ? 'it receives traffic while the model is still loading, and ' : ''}a server that stops answering is never restarted or taken out of the Service.`,
          fixes: edit ? [{ title: `Add ${Object.keys(entries).join(' and ')} (${skeleton!.how}) to \`${site.name}\``, applicability: 'unsafe', edits: [edit] }] : [],
        });
      }
    }
  },
});
