import { isScalar } from 'yaml';
import type { RuleContext } from '../core/rule';
import type { YamlKind } from '../documents/yaml-kind';
import { yscalars, type YamlPath } from '../documents/yaml-nodes';
import { findCommandPaths, findLocations, isAllowed, type PathMatch } from './detect';

/** Locations in the values of known pipeline and job configs. Unknown (generic) YAML is left alone. */
export interface YamlLocationSite {
  match: PathMatch;
  start: number;
  end: number;
  kind: YamlKind;
  path: YamlPath;
}

/** Kinds whose steps run inside containers, where /app, /opt … are the image's own paths. */
export const CONTAINER_KINDS = new Set<YamlKind>(['argo', 'kubeflow', 'vertex', 'kubernetes', 'docker-compose', 'azureml']);
/** Keys whose values are commands that a step runs. */
export const COMMAND_KEYS = new Set(['command', 'args', 'run', 'script', 'cmd', 'entrypoint', 'before_script', 'after_script']);

export function yamlLocationSites(ctx: RuleContext): YamlLocationSite[] {
  const yaml = ctx.doc.yaml;
  if (!yaml) return [];
  const out: YamlLocationSite[] = [];
  for (const { doc, kind } of yaml.documents) {
    if (kind === 'generic' || kind === 'mlready-config') continue;
    for (const { scalar, path } of yscalars(doc.contents)) {
      if (!isScalar(scalar) || typeof scalar.value !== 'string' || !scalar.range) continue;
      const value = scalar.value;
      const matches = findLocations(value);
      if (isCommandPath(path)) {
        for (const m of findCommandPaths(value)) if (!matches.some((o) => m.start < o.end && o.start < m.end)) matches.push(m);
      }
      if (!matches.length) continue;
      const [start, end] = scalar.range;
      const source = ctx.doc.text.slice(start, end);
      // plain and simply quoted scalars map 1:1 onto their source; in block and folded scalars, or
      // quoted ones with escapes, a match is found by its text when that text occurs once
      const inner = source.startsWith('"') || source.startsWith("'") ? 1 : 0;
      const exact = source.slice(inner, inner + value.length) === value;
      for (const match of matches) {
        if (isAllowed(match, ctx.config.allow.paths, ctx.config.allow.hosts)) continue;
        if (exact) {
          out.push({ match, kind, path, start: start + inner + match.start, end: start + inner + match.end });
          continue;
        }
        const at = source.indexOf(match.text);
        const unique = at >= 0 && source.indexOf(match.text, at + 1) < 0;
        out.push({ match, kind, path, start: unique ? start + at : start, end: unique ? start + at + match.text.length : end });
      }
    }
  }
  return out;
}

export function isCommandPath(path: YamlPath): boolean {
  return path.some((p) => typeof p === 'string' && COMMAND_KEYS.has(p));
}
