import { isScalar } from 'yaml';
import { addValue, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { EditSpec, FixSpec } from '../core/rule';
import { parseFrom } from '../documents/dockerfile';
import { yentries, yget, yitems, yscalars, ystring } from '../documents/yaml-nodes';
import { imageMoves, parseImageRef } from '../reproducibility/pins';

/**
 * Where the workspace already pins an image: `name:tag`, `name@sha256:…` or both, in Kubernetes,
 * Argo, Kubeflow, compose, CI and Azure ML files (`image:` and the like), Dockerfile `FROM`
 * lines, and kustomize `images:` overrides (`newTag`, `digest`). `imagePinFixes` turns them into
 * a fix for a reference to the same image that moves (no tag, or `latest`): the digest when one
 * is known (with its tag when the same file gives both), else the one version tag the workspace
 * uses — nothing when the workspace uses several.
 *
 * Meant for R120 (`unpinned-image`, reproducibility family), which reports the moving references:
 * `deferredFixes: (facts) => imagePinFixes(facts, value, { unit, start, end })`.
 */
export const IMAGE_PIN_KEY = 'reliability.image-pin';

export interface ImagePin {
  name: string;
  tag?: string;
  digest?: string;
  source: string;
}

const IMAGE_KEYS = new Set(['image', 'imageUri', 'image_uri', 'containerImage', 'container_image', 'baseImage', 'base_image']);

function normalizeName(name: string): string {
  // docker.io/library/python and python are the same image
  return name.replace(/^(docker\.io\/|index\.docker\.io\/)(library\/)?/, '').toLowerCase();
}

function record(facts: Parameters<FactCollector>[1], value: string, source: string): void {
  const ref = parseImageRef(value.replace(/^docker:\/\//, ''));
  if (!ref || imageMoves(ref)) return;
  addValue(facts, IMAGE_PIN_KEY, { name: normalizeName(ref.name), tag: ref.tag, digest: ref.digest, source } satisfies ImagePin);
}

export const imagePinCollector: FactCollector = (doc, facts) => {
  if (doc.dockerfile) {
    for (const ins of doc.dockerfile.instructions) {
      const from = parseFrom(ins);
      if (from && !/\$/.test(from.image)) record(facts, from.image, doc.path);
    }
  }
  if (!doc.yaml) return;
  const kustomization = /(^|\/)kustomization\.ya?ml$/.test(doc.path);
  for (const { doc: d, kind } of doc.yaml.documents) {
    if (kustomization) {
      for (const img of yitems(yget(d.contents, 'images'))) {
        const name = ystring(yget(img, 'newName')) ?? ystring(yget(img, 'name'));
        const tag = ystring(yget(img, 'newTag'));
        const digest = ystring(yget(img, 'digest'));
        if (name && (tag || digest)) addValue(facts, IMAGE_PIN_KEY, { name: normalizeName(name), tag, digest, source: doc.path } satisfies ImagePin);
      }
      continue;
    }
    if (kind === 'generic' || kind === 'mlready-config') continue;
    for (const { scalar, path } of yscalars(d.contents)) {
      const last = path[path.length - 1];
      if (typeof last === 'string' && IMAGE_KEYS.has(last) && isScalar(scalar) && typeof scalar.value === 'string') record(facts, scalar.value, doc.path);
    }
    if (kind === 'github-actions') {
      for (const job of yentries(yget(d.contents, 'jobs'))) {
        const c = ystring(yget(job.value, 'container'));
        if (c) record(facts, c, doc.path);
      }
    }
  }
};

/** Fixes pinning a moving image reference (`value`, the text at `edit`) to what the workspace pins it to elsewhere. */
export function imagePinFixes(facts: WorkspaceFacts, value: string, at: Omit<EditSpec, 'newText'>): FixSpec[] {
  const raw = value.trim();
  const prefix = raw.startsWith('docker://') ? 'docker://' : '';
  const ref = parseImageRef(raw.slice(prefix.length));
  if (!ref || !imageMoves(ref)) return [];
  const name = normalizeName(ref.name);
  const pins = facts.values<ImagePin>(IMAGE_PIN_KEY).map((v) => v.value).filter((p) => p.name === name);
  if (!pins.length) return [];
  const digests = [...new Set(pins.filter((p) => p.digest).map((p) => p.digest!))];
  let pinned: string | undefined;
  let source: string | undefined;
  if (digests.length === 1) {
    const withDigest = pins.filter((p) => p.digest === digests[0]);
    const tags = [...new Set(withDigest.filter((p) => p.tag).map((p) => p.tag!))];
    pinned = `${ref.name}${tags.length === 1 ? `:${tags[0]}` : ''}@${digests[0]}`;
    source = withDigest[0].source;
  } else if (digests.length === 0) {
    const tags = [...new Set(pins.filter((p) => p.tag && p.tag.toLowerCase() !== 'latest').map((p) => p.tag!))];
    if (tags.length !== 1) return [];
    pinned = `${ref.name}:${tags[0]}`;
    source = pins.find((p) => p.tag === tags[0])!.source;
  }
  if (!pinned || !source) return [];
  return [{ title: `Pin to \`${pinned}\` (as in ${source})`, applicability: 'unsafe', edits: [{ ...at, newText: `${prefix}${pinned}` }] }];
}
