import type { Node } from '../documents/python/syntax-tree';
import type { WorkspaceFacts } from '../core/facts';
import type { FixSpec, RuleContext } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import type { YamlKind } from '../documents/yaml-kind';
import { envBackedLiteral, envNameFor, toEnvName } from '../fixes/python-edits';
import type { LocationSite } from './python-sites';
import { CONTAINER_KINDS } from './yaml-sites';

/**
 * Reports a location in Python, with the fix that reads it from the environment when the literal
 * is only that location. `fallbackName` is asked only for that fix: most sites have none.
 */
export function reportPythonSite(ctx: RuleContext, program: PythonProgram, site: LocationSite, message: string, fallbackName: () => string, when?: (facts: WorkspaceFacts) => boolean): void {
  const unit = site.literal.unit as PythonUnit;
  const fixes: FixSpec[] = [];
  if (site.whole) {
    const envName = uniqueName(ctx, envNameForSite(site.literal.node, fallbackName()), site.literal.node.text);
    fixes.push({
      title: `Read from the environment variable ${envName} (keeps the current value as the default)`,
      applicability: 'safe',
      edits: envBackedLiteral(program, unit, site.literal.node, envName),
    });
  }
  ctx.report({ unit, start: site.start, end: site.end, message, fixes, when });
}

/** Names given to literals per document: two different values never share one variable. */
const namesByDoc = new WeakMap<object, Map<string, string>>();

function uniqueName(ctx: RuleContext, name: string, literal: string): string {
  let names = namesByDoc.get(ctx.doc);
  if (!names) namesByDoc.set(ctx.doc, (names = new Map()));
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${name}_${i}`;
    const taken = names.get(candidate);
    if (taken === undefined) names.set(candidate, literal);
    if (taken === undefined || taken === literal) return candidate;
  }
}

const GENERIC_KEYS = /^(path|paths|file|filename|file_name|filepath|file_path|fname|fp|uri|url|dir|dirname|directory|folder|location|loc|src|dst|dest|destination|source|target|output|input|name|host|endpoint|base_url|address|conn|dsn)$/i;
const PATH_LIKE_NAME = /(path|dir|directory|file|folder|root|uri|url|location|bucket|prefix|host|endpoint)$/i;

/**
 * The variable name for a literal: the name it is bound to (`X = "…"`, `f(x="…")`), or the name
 * the call that wraps it is bound to when that name says it is a location (`REPORT_DIR =
 * Path("/mnt/reports")`), else a name made from the value.
 */
function envNameForSite(literal: Node, fallback: string): string {
  const parent = literal.parent;
  // `open(file="…")`, `{"path": "…"}`: a generic keyword says less than the value does
  const key = parent?.type === 'keyword_argument' ? parent.childForFieldName('name')?.text : parent?.type === 'pair' ? parent.childForFieldName('key')?.text.replace(/['"]/g, '') : undefined;
  if (key !== undefined && GENERIC_KEYS.test(key)) return toEnvName(fallback);
  if (parent && (parent.type === 'assignment' || parent.type === 'keyword_argument' || parent.type === 'pair')) return envNameFor(literal, fallback);
  const call = parent?.type === 'argument_list' ? parent.parent : null;
  const assignment = call?.type === 'call' ? call.parent : null;
  if (assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call!.id) {
    const left = assignment.childForFieldName('left');
    const name = left?.type === 'identifier' ? left.text : left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
    if (name && PATH_LIKE_NAME.test(name)) return toEnvName(name);
  }
  return envNameFor(literal, fallback);
}

/**
 * `TRAIN_PATH` from `/home/ana/data/train.csv`: the file's stem, or the last folder; a stem that
 * does not start with a letter (`2024-06.csv`) is prefixed with its folder (`EXPORTS_2024_06_PATH`).
 */
export function nameFromPath(path: string, suffix: string): string {
  const parts = path
    .replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')
    .split(/[\\/]/)
    .filter(Boolean)
    .map((p) => p.replace(/\.[A-Za-z0-9]+$/, ''));
  const stem: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) {
    stem.unshift(parts[i]);
    if (/^[A-Za-z]/.test(parts[i])) break;
  }
  return toEnvName(`${stem.join('_') || 'DATA'}_${suffix}`);
}

export function describePath(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const CONTAINER_FILES = /(^|\/)(Dockerfile[^/]*|Containerfile|[^/]*\.dockerfile|docker-compose[^/]*\.ya?ml|compose\.ya?ml)$/i;

/**
 * The condition on a finding about a container path (`/app/…`, `/workspace/…`): it stands only
 * when the project has no Dockerfile, compose file or container job spec, i.e. when the path is
 * not the image's own layout.
 */
export function unlessContainerProject(facts: WorkspaceFacts): boolean {
  if (facts.findPaths((p) => CONTAINER_FILES.test(p)).length > 0) return false;
  for (const f of facts.files.values()) if (f.yamlKind && CONTAINER_KINDS.has(f.yamlKind as YamlKind)) return false;
  return true;
}
