import { imagePinFixes } from '../reliability/image-pins';
import { isScalar, type Scalar } from 'yaml';
import { defineRule, type RuleContext } from '../core/rule';
import { parseFrom, splitWords } from '../documents/dockerfile';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, ygetIn, yitems, yscalars, ystring, type YamlPath } from '../documents/yaml-nodes';
import { imageMoves, parseImageRef } from './pins';
import { stringValue } from './python';

/** YAML kinds whose `image:` values name container images that a scheduler pulls. */
const IMAGE_KINDS = new Set<YamlKind>(['kubernetes', 'argo', 'kubeflow', 'vertex', 'azureml', 'docker-compose', 'github-actions', 'gitlab-ci', 'mlproject']);
const IMAGE_KEYS = new Set(['image', 'imageUri', 'image_uri', 'containerImage', 'container_image', 'training_image', 'trainingImage', 'baseImage', 'base_image']);

export default defineRule({
  code: 'R120',
  name: 'unpinned-image',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['dockerfile', 'yaml', 'python'],
  docs: {
    summary:
      'A container image is referenced with no tag or with `:latest` and no digest: Dockerfile `FROM`, `image:` in Kubernetes, Argo, Kubeflow, Vertex AI, Azure ML, docker-compose, MLproject, GitHub Actions and GitLab CI files (and Azure ML environments `@latest`), and image arguments of pipeline SDKs in Python (`image_uri=` for SageMaker, `base_image=` for Kubeflow components, `container_uri=` for Vertex AI, `image=` for Airflow, Flyte, Metaflow …).',
    why:
      '`latest` (which is also what a missing tag means) points at whatever was pushed last. The training image rebuilt next month, or the serving pod rescheduled tonight, silently gets a different OS, Python and library set than the one that was tested; a rollback does not roll anything back. A version tag is readable, a digest (`@sha256:…`) is immutable; use both.',
    example: 'FROM python:latest\n\n# k8s\ncontainers:\n  - name: model\n    image: registry.example.com/fraud-model',
    useInstead: 'FROM python:3.11.9-slim@sha256:…\n\n# k8s\ncontainers:\n  - name: model\n    image: registry.example.com/fraud-model:1.4.2@sha256:…',
    language: 'text',
  },
  check(ctx) {
    if (ctx.doc.dockerfile) checkDockerfile(ctx);
    if (ctx.doc.yaml) checkYaml(ctx);
    if (ctx.doc.python) checkPython(ctx);
  },
});

/** SDKs whose calls take container images to run steps or jobs in. */
const IMAGE_SDKS = ['sagemaker', 'kfp', 'google.cloud.aiplatform', 'azure.ai.ml', 'azureml', 'airflow', 'flytekit', 'metaflow', 'prefect', 'prefect_docker', 'prefect_kubernetes', 'zenml', 'kubernetes', 'docker', 'modal', 'dagster_k8s', 'dagster_docker', 'ray', 'mlflow'];
const IMAGE_KEYWORDS = new Set(['image', 'image_uri', 'image_name', 'container_uri', 'container_image', 'base_image', 'training_image', 'serving_container_image_uri', 'docker_image', 'custom_image']);

function checkPython(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  if (!IMAGE_SDKS.some((m) => program.imports.imports(m))) return;
  for (const call of program.calls()) {
    for (const [kw, node] of call.keywords) {
      if (!IMAGE_KEYWORDS.has(kw) || node.type !== 'string') continue;
      const value = stringValue(node);
      if (!value || /\.(png|jpe?g|gif|bmp|tiff?|webp|svg|npy|pt|pth)$/i.test(value) || !/^[a-z0-9]/.test(value)) continue;
      const ref = parseImageRef(value);
      const how = ref && imageMoves(ref);
      if (!how) continue;
      ctx.report({ unit: call.unit, start: node.startIndex, end: node.endIndex, message: `\`${kw}=\` ${advice(value, how)}` });
    }
  }
}

function advice(image: string, how: 'no-tag' | 'latest'): string {
  const name = parseImageRef(image)?.name ?? image;
  return how === 'latest'
    ? `\`${image}\` uses the \`latest\` tag, which moves with every push: pin a version tag, ideally with its digest (\`${name}:<version>@sha256:…\`).`
    : `\`${image}\` has no tag, so it pulls \`latest\`, which moves with every push: pin a version tag, ideally with its digest (\`${name}:<version>@sha256:…\`).`;
}

function checkDockerfile(ctx: RuleContext): void {
  const model = ctx.doc.dockerfile!;
  const stages = new Set<string>();
  const args = new Map<string, string>();
  for (const ins of model.instructions) {
    if (ins.keyword === 'ARG') {
      for (const w of splitWords(ins)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(w.text);
        if (m) args.set(m[1], m[2].replace(/^["']|["']$/g, ''));
      }
      continue;
    }
    const from = parseFrom(ins);
    if (!from) continue;
    const image = from.image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, n: string) => args.get(n) ?? whole);
    const previousStage = stages.has(image.toLowerCase());
    if (from.stage) stages.add(from.stage.toLowerCase());
    if (previousStage || image.toLowerCase() === 'scratch') continue;
    const ref = parseImageRef(image);
    const how = ref && imageMoves(ref);
    if (!how) continue;
    ctx.report({ unit: ctx.doc.file, start: from.imageStart, end: from.imageEnd, message: `\`FROM ${from.image}\`: ${advice(image, how)}` });
  }
}

function checkYaml(ctx: RuleContext): void {
  const yaml = ctx.doc.yaml!;
  for (const { doc, kind } of yaml.documents) {
    if (!IMAGE_KINDS.has(kind)) continue;
    const root = doc.contents;
    const sites: Scalar[] = [];
    for (const { scalar, path } of yscalars(root)) {
      if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range) continue;
      if (!isImageSite(kind, path)) continue;
      // compose: `image:` next to `build:` names the image compose builds, not one it pulls
      if (kind === 'docker-compose' && path[0] === 'services' && path.length === 3 && yget(ygetIn(root, path.slice(0, 2)), 'build') !== undefined) continue;
      sites.push(scalar);
    }
    if (kind === 'github-actions') {
      for (const job of yentries(yget(root, 'jobs'))) {
        const container = yget(job.value, 'container');
        if (isScalar(container) && typeof container.value === 'string') sites.push(container);
        for (const step of yitems(yget(job.value, 'steps'))) {
          const uses = yget(step, 'uses');
          const v = ystring(uses);
          if (v?.startsWith('docker://') && isScalar(uses)) sites.push(uses);
        }
      }
    }
    for (const s of sites) {
      const raw = (s.value as string).trim();
      const value = raw.replace(/^docker:\/\//, '');
      if (kind === 'azureml' && value.startsWith('azureml:')) {
        checkAzureEnvironment(ctx, s, value);
        continue;
      }
      const ref = parseImageRef(value);
      const how = ref && imageMoves(ref);
      if (!how) continue;
      ctx.report({
        unit: ctx.doc.file,
        start: s.range![0],
        end: s.range![1],
        message: `Image ${advice(value, how)}`,
        // pin to the tag or digest the workspace already uses for this image, when there is exactly one
        deferredFixes: (facts) => imagePinFixes(facts, value, { unit: ctx.doc.file, start: s.range![0], end: s.range![1] }),
      });
    }
    if (kind === 'azureml') {
      const env = yget(root, 'environment');
      if (isScalar(env) && typeof env.value === 'string' && env.value.startsWith('azureml:')) checkAzureEnvironment(ctx, env, env.value);
    }
  }
}

function isImageSite(kind: YamlKind, path: YamlPath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'string' && IMAGE_KEYS.has(last)) return true;
  // GitLab: image: { name: … }, services: [{ name: … }] or services: ["postgres:15"]
  if (kind === 'gitlab-ci') {
    if (last === 'name' && parent === 'image') return true;
    if (typeof last === 'number' && parent === 'services') return true;
    if (last === 'name' && typeof parent === 'number' && path[path.length - 3] === 'services') return true;
  }
  return false;
}

/** Azure ML: `environment: azureml:my-env@latest` or with no version moves with every registration. */
function checkAzureEnvironment(ctx: RuleContext, s: Scalar, value: string): void {
  const body = value.slice('azureml:'.length);
  if (body.startsWith('/')) return; // a full ARM id names a version
  const latest = /@latest$/.test(body);
  const versioned = /:[^:@]+$/.test(body) && !latest;
  if (versioned) return;
  const name = body.replace(/@latest$/, '');
  ctx.report({
    unit: ctx.doc.file,
    start: s.range![0],
    end: s.range![1],
    message: `Azure ML environment \`${value}\` ${latest ? 'uses the `@latest` label' : 'has no version'}, which moves with every registration: reference a version (\`azureml:${name}:<version>\`).`,
  });
}
