/**
 * Streamed output. A report on a large workspace is tens of megabytes of text (and twice that in
 * memory: messages contain characters such as `…`, so V8 keeps the text as a two-byte string), so
 * formats yield it in pieces that `mlready check` writes as they come, and the whole text never
 * exists at once. The pieces joined are exactly the text the format prints.
 */
export type Chunks = Iterable<string>;

/** Size of the pieces that reach the output (characters), so writes are neither tiny nor huge. */
export const CHUNK_SIZE = 64 * 1024;

/** Concatenates small pieces into pieces of about `size` characters (the last may be smaller). */
export function* batched(pieces: Chunks, size = CHUNK_SIZE): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (!piece) continue;
    parts.push(piece);
    length += piece.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length) yield parts.join('');
}

/** The whole text of a stream, for callers that want one string (tests, small reports). */
export function joined(pieces: Chunks): string {
  let out = '';
  for (const piece of pieces) out += piece;
  return out;
}

/** Yields `items` separated by `separator`, as `items.join(separator)` would print them. */
export function* joinedBy(items: Iterable<string>, separator: string): Generator<string> {
  let first = true;
  for (const item of items) {
    if (first) first = false;
    else yield separator;
    yield item;
  }
}

/**
 * An array of a JSON document whose elements are produced one by one while it is written, so that
 * they (one object per finding, say) never all exist at once. `elements` is called afresh for
 * every printing; an undefined element is left out (where JSON.stringify would print null).
 * JSON.stringify itself prints it as the whole array (toJSON), so a document holding LazyArrays
 * prints the same with JSON.stringify as with jsonChunks.
 */
export class LazyArray {
  constructor(
    readonly elements: () => Iterable<unknown>,
    /**
     * The elements are plain JSON values with no LazyArray inside (findings, SARIF results): each is
     * printed by JSON.stringify without first being searched for one.
     */
    readonly plainElements = false,
  ) {}

  toJSON(): unknown[] {
    const out: unknown[] = [];
    for (const e of this.elements()) if (e !== undefined) out.push(e);
    return out;
  }
}

/** A LazyArray of `map` applied to each item. */
export function lazyArray<T>(items: Iterable<T>, map: (item: T) => unknown, plainElements = false): LazyArray {
  return new LazyArray(function* () {
    for (const item of items) yield map(item);
  }, plainElements);
}

const INDENT = '  ';

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces, where `value` may contain LazyArrays.
 * Parts without a LazyArray are printed by JSON.stringify itself and indented for their depth (a
 * JSON text has no raw line break inside strings, so every line break is an indentation point);
 * the objects and arrays around a LazyArray are printed here with JSON.stringify's rules.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  const top = value instanceof LazyArray ? value : toJsonValue(value, '');
  if (top === undefined) return; // JSON.stringify(undefined) is undefined: nothing to print
  yield* jsonValue(top, 0);
}

function* jsonValue(value: unknown, depth: number): Generator<string> {
  if (value instanceof LazyArray) {
    yield* jsonLazyArray(value, depth);
    return;
  }
  if (!hasLazy(value)) {
    yield indented(JSON.stringify(value, null, 2), depth);
    return;
  }
  const inner = INDENT.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (!value.length) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      const item = value[i] instanceof LazyArray ? value[i] : toJsonValue(value[i], String(i));
      yield `${i ? ',' : ''}\n${inner}`;
      if (item === undefined) yield 'null';
      else yield* jsonValue(item, depth + 1);
    }
    yield `\n${INDENT.repeat(depth)}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value as object)) {
    const raw = (value as Record<string, unknown>)[key];
    const item = raw instanceof LazyArray ? raw : toJsonValue(raw, key);
    if (item === undefined) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonValue(item, depth + 1);
  }
  yield first ? '{}' : `\n${INDENT.repeat(depth)}}`;
}

function* jsonLazyArray(array: LazyArray, depth: number): Generator<string> {
  const inner = INDENT.repeat(depth + 1);
  let first = true;
  for (const element of array.elements()) {
    const mapped = element instanceof LazyArray ? element : toJsonValue(element, '');
    if (mapped === undefined) continue;
    yield `${first ? '[' : ','}\n${inner}`;
    first = false;
    if (array.plainElements && !(mapped instanceof LazyArray)) yield indented(JSON.stringify(mapped, null, 2), depth + 1);
    else yield* jsonValue(mapped, depth + 1);
  }
  yield first ? '[]' : `\n${INDENT.repeat(depth)}]`;
}

/** What JSON.stringify prints for a member: toJSON applied, undefined for what it leaves out. */
function toJsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(k: string): unknown }).toJSON(key);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/** Whether a plain object or array holds a LazyArray at any depth (other values print whole). */
function hasLazy(value: unknown): boolean {
  if (value instanceof LazyArray) return true;
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.some(hasLazy);
}

function indented(text: string, depth: number): string {
  return depth && text.includes('\n') ? text.replace(/\n/g, `\n${INDENT.repeat(depth)}`) : text;
}
