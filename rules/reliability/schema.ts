import { isAlias, isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { TextUnit } from '../core/units';
import type { Severity } from '../core/types';

/**
 * A small JSON Schema validator that walks the YAML node tree (never `toJS`: aliases stay
 * unexpanded and are not validated, `<<` merge keys disable the checks that depend on the merged
 * keys), so that each problem points at the key or value it is about.
 *
 * Supported keywords: `type` (string or list; `integer` counts as `number`), `properties`,
 * `required`, `additionalProperties` (false or a schema), `patternProperties`, `items`, `enum`,
 * `anyOf`/`oneOf` (the first matching branch wins; `oneOf` is not checked for exclusivity),
 * `minimum`, `minItems`, `minProperties`, `pattern`, `dependentRequired`, `$ref` to
 * `#/definitions/…` of the same file, `title` (used in messages). Extensions: `x-extends` (a `$ref`
 * whose properties and required keys this schema inherits), `x-requiredAny` (groups of keys, one of
 * which must be present), `x-exclusive` (groups of keys that must not appear together),
 * `x-unknown` at the root (severity of unknown keys: `error` or `warning`). A string holding a
 * template or expression (`${{ … }}`, `{{ … }}`, `${ … }`) matches any type, and a null value
 * (an empty key) matches any schema.
 */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: (string | number | boolean | null)[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  minItems?: number;
  minProperties?: number;
  pattern?: string;
  dependentRequired?: Record<string, string[]>;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  'x-extends'?: string;
  'x-requiredAny'?: string[][];
  'x-exclusive'?: string[][];
  'x-unknown'?: 'error' | 'warning';
}

export interface SchemaProblem {
  start: number;
  end: number;
  message: string;
  severity: Severity;
}

const TEMPLATE = /\$\{\{|\{\{|\$\{/;

interface Ctx {
  root: JsonSchema;
  unit: TextUnit;
  out: SchemaProblem[];
  budget: number;
  unknownSeverity: Severity;
  max: number;
}

export function validate(node: unknown, schema: JsonSchema, unit: TextUnit, at?: [number, number], max = 20): SchemaProblem[] {
  const ctx: Ctx = { root: schema, unit, out: [], budget: 50_000, unknownSeverity: schema['x-unknown'] === 'warning' ? 'warning' : 'error', max };
  check(node, schema, ctx, at ?? firstLine(unit, node), 'the file');
  return ctx.out.slice(0, max);
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 10 && s.$ref; i++) s = { ...lookup(s.$ref, root), ...withoutRef(s) };
  if (s['x-extends']) {
    const base = resolve(lookup(s['x-extends'], root), root);
    s = { ...base, ...s, properties: { ...base.properties, ...s.properties }, required: s.required ?? base.required, 'x-extends': undefined, title: s.title ?? base.title };
  }
  return s;
}

function withoutRef(s: JsonSchema): JsonSchema {
  const { $ref: _r, ...rest } = s;
  return rest;
}

function lookup(ref: string, root: JsonSchema): JsonSchema {
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  const found = m ? root.definitions?.[m[1]] : undefined;
  return found ?? {};
}

function firstLine(unit: TextUnit, node: unknown): [number, number] {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  if (!r) return [0, 1];
  const line = unit.lines.lineOf(r[0]);
  return [r[0], Math.max(r[0] + 1, Math.min(r[1], unit.lines.lineEnd(line)))];
}

/** The node's JSON type, `template` for a templated string, `null`, or `unknown` for an alias. */
function typeOf(node: unknown): string {
  if (node === null || node === undefined) return 'null';
  if (isAlias(node)) return 'unknown';
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return TEMPLATE.test(v) ? 'template' : 'string';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    if (typeof v === 'boolean') return 'boolean';
  }
  return 'unknown';
}

function typeMatches(actual: string, expected: string | string[] | undefined): boolean {
  if (!expected) return true;
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

const TYPE_NAME: Record<string, string> = { object: 'map', array: 'list', string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', null: 'null' };

function typeList(expected: string | string[]): string {
  const list = (Array.isArray(expected) ? expected : [expected]).filter((t) => t !== 'null').map((t) => article(TYPE_NAME[t] ?? t));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : (list[0] ?? 'empty');
}

function push(ctx: Ctx, at: [number, number], message: string, severity: Severity = 'error'): void {
  if (ctx.out.length < ctx.max * 2) ctx.out.push({ start: at[0], end: at[1], message, severity });
}

function keyRange(pair: { key: unknown }): [number, number] | undefined {
  return isScalar(pair.key) && pair.key.range ? [pair.key.range[0], pair.key.range[1]] : undefined;
}

function scalarRange(node: unknown): [number, number] | undefined {
  return isScalar(node) && node.range ? [node.range[0], node.range[1]] : undefined;
}

function check(node: unknown, raw: JsonSchema, ctx: Ctx, at: [number, number], label: string): void {
  if (ctx.budget-- <= 0) return;
  const schema = resolve(raw, ctx.root);
  const actual = typeOf(node);
  if (actual === 'unknown' || actual === 'null' || actual === 'template') return;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const results = branches.map((b) => {
      const sub: Ctx = { ...ctx, out: [] };
      check(node, b, sub, at, label);
      ctx.budget = sub.budget;
      return { b: resolve(b, ctx.root), problems: sub.out };
    });
    if (results.some((r) => r.problems.length === 0)) return;
    const typed = results.filter((r) => typeMatches(actual, r.b.type) || !r.b.type);
    if (!typed.length) {
      const types = [...new Set(results.flatMap((r) => (Array.isArray(r.b.type) ? r.b.type : r.b.type ? [r.b.type] : [])))];
      push(ctx, scalarRange(node) ?? at, `${label} must be ${typeList(types)}, not ${article(TYPE_NAME[actual] ?? actual)}.`);
      return;
    }
    typed.sort((a, b) => a.problems.length - b.problems.length);
    for (const p of typed[0].problems) push(ctx, [p.start, p.end], p.message, p.severity);
    return;
  }
  if (schema.type && !typeMatches(actual, schema.type)) {
    push(ctx, scalarRange(node) ?? at, `${label} must be ${typeList(schema.type)}, not ${article(TYPE_NAME[actual] ?? actual)}.`);
    return;
  }
  if (schema.enum && isScalar(node) && !schema.enum.includes(node.value as never)) {
    push(ctx, scalarRange(node) ?? at, `${label} must be one of ${schema.enum.map((e) => `\`${e}\``).join(', ')}, not \`${String(node.value)}\`.`);
  }
  if (schema.pattern && isScalar(node) && typeof node.value === 'string' && !new RegExp(schema.pattern).test(node.value)) {
    push(ctx, scalarRange(node) ?? at, `${label} \`${node.value}\` is not valid${schema.description ? `: expected ${schema.description}` : ''}.`);
  }
  if (schema.minimum !== undefined && isScalar(node) && typeof node.value === 'number' && node.value < schema.minimum) {
    push(ctx, scalarRange(node) ?? at, `${label} must be at least ${schema.minimum}.`);
  }
  if (isSeq(node)) {
    if (schema.minItems !== undefined && node.items.length < schema.minItems) push(ctx, at, `${label} must not be empty.`);
    if (schema.items) {
      node.items.forEach((item, i) => {
        const itemAt = isMap(item) && item.items[0] ? (keyRange(item.items[0]) ?? firstLine(ctx.unit, item)) : (scalarRange(item) ?? firstLine(ctx.unit, item));
        check(item, schema.items!, ctx, itemAt, `item ${i + 1} of ${label}`);
      });
    }
    return;
  }
  if (!isMap(node)) return;
  const keys = new Map<string, { pair: (typeof node.items)[number]; range: [number, number] }>();
  let merged = false;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    if (!isScalar(pair.key)) continue;
    const key = String((pair.key as Scalar).value);
    if (key === '<<') {
      merged = true;
      continue;
    }
    keys.set(key, { pair, range: keyRange(pair) ?? at });
  }
  const title = schema.title ?? label;
  if (!merged) {
    for (const r of schema.required ?? []) if (!keys.has(r)) push(ctx, at, `\`${r}\` is required in ${title}.`);
    const any = schema['x-requiredAny'];
    if (any && !any.some((group) => group.every((k) => keys.has(k)))) push(ctx, at, `${title[0].toUpperCase()}${title.slice(1)} needs ${any.map((g) => g.map((k) => `\`${k}\``).join(' and ')).join(' or ')}.`);
    for (const [k, deps] of Object.entries(schema.dependentRequired ?? {})) {
      if (!keys.has(k)) continue;
      for (const d of deps) if (!keys.has(d)) push(ctx, keys.get(k)!.range, `\`${d}\` is required in ${title} when \`${k}\` is set.`);
    }
    if (schema.minProperties !== undefined && keys.size < schema.minProperties) push(ctx, at, `${title[0].toUpperCase()}${title.slice(1)} must not be empty.`);
  }
  for (const group of schema['x-exclusive'] ?? []) {
    const present = group.filter((k) => keys.has(k));
    if (present.length > 1) push(ctx, keys.get(present[1])!.range, `${title[0].toUpperCase()}${title.slice(1)} cannot have both ${present.map((k) => `\`${k}\``).join(' and ')}.`);
  }
  const known = Object.keys(schema.properties ?? {});
  for (const [key, { pair, range }] of keys) {
    let sub: JsonSchema | undefined = schema.properties?.[key];
    if (!sub && schema.patternProperties) {
      for (const [pattern, s] of Object.entries(schema.patternProperties)) {
        if (new RegExp(pattern).test(key)) {
          sub = s;
          break;
        }
      }
    }
    if (!sub) {
      if (schema.additionalProperties === false) {
        const suggestion = closest(key, known);
        push(ctx, range, `\`${key}\` is not a field of ${title}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}.`, ctx.unknownSeverity);
        continue;
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') sub = schema.additionalProperties;
    }
    if (sub) check(pair.value, sub, ctx, range, `\`${key}\``);
  }
}

/** The known key closest to a mistyped one (case, `_`/`-`, or at most two edits), if any. */
export function closest(key: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const exact = known.find((k) => norm(k) === norm(key));
  if (exact) return exact;
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD && d <= Math.max(1, Math.floor(Math.min(key.length, k.length) / 3))) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
