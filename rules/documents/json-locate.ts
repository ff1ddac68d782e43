/**
 * A JSON parser that keeps source offsets for every value, so that a notebook cell's source can be
 * mapped character by character back into the .ipynb text. Strings are decoded lazily: a 5 MB base64
 * image in an output is never copied unless a rule asks for it. Nesting is bounded, so hostile input
 * cannot overflow the stack.
 */

export type JsonNode =
  | { type: 'object'; start: number; end: number; members: JsonMember[] }
  | { type: 'array'; start: number; end: number; items: JsonNode[] }
  | { type: 'string'; start: number; end: number }
  | { type: 'number'; start: number; end: number; value: number }
  | { type: 'literal'; start: number; end: number; value: boolean | null };

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const MAX_JSON_DEPTH = 512;

export function parseJsonWithLocations(text: string): JsonNode {
  let pos = 0;
  const n = text.length;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, Math.min(at, n));
  };
  const skipWs = () => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const describe = (at: number) => (at >= n ? 'end of file' : `'${text[at]}'`);

  const scanString = (): number => {
    // pos is at the opening quote; returns the offset just after the closing quote
    const start = pos;
    pos++;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 34) return ++pos;
      if (c === 92) {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('invalid \\u escape in string');
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else fail('invalid escape in string');
      } else if (c < 32) fail('control character in string (unescaped line break?)');
      else pos++;
    }
    return fail('unterminated string', start);
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    skipWs();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const members: JsonMember[] = [];
      skipWs();
      if (text[pos] === '}') return { type: 'object', start, end: ++pos, members };
      for (;;) {
        skipWs();
        if (text[pos] !== '"') fail(`expected a property name, found ${describe(pos)}`);
        const keyStart = pos;
        scanString();
        const key = decodeJsonString(text, keyStart, pos).value;
        skipWs();
        if (text[pos] !== ':') fail(`expected ':' after property name, found ${describe(pos)}`);
        pos++;
        members.push({ key, keyStart, value: parseValue(depth + 1) });
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') return { type: 'object', start, end: ++pos, members };
        fail(`expected ',' or '}' in object, found ${describe(pos)}`);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipWs();
      if (text[pos] === ']') return { type: 'array', start, end: ++pos, items };
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') return { type: 'array', start, end: ++pos, items };
        fail(`expected ',' or ']' in array, found ${describe(pos)}`);
      }
    }
    if (c === '"') {
      scanString();
      return { type: 'string', start, end: pos };
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = pos;
    const m = number.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      pos += m[0].length;
      return { type: 'number', start, end: pos, value: Number(m[0]) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { type: 'literal', start, end: pos, value };
      }
    }
    return fail(`unexpected ${describe(pos)}`);
  };

  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const root = parseValue(0);
  skipWs();
  if (pos < n) fail(`unexpected ${describe(pos)} after the JSON value`);
  return root;
}

/**
 * Decodes the JSON string whose quotes span [start, end). `offsets[i]` is the offset in `text`
 * of the escape sequence or character that produced decoded code unit i; `offsets[length]` is
 * the closing quote.
 */
export function decodeJsonString(text: string, start: number, end: number, withOffsets = false): { value: string; offsets?: Int32Array } {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\') && !withOffsets) return { value: raw };
  let out = '';
  const offsets = withOffsets ? new Int32Array(raw.length + 1) : undefined;
  let k = 0;
  for (let i = 0; i < raw.length; ) {
    const at = start + 1 + i;
    let ch: string;
    if (raw.charCodeAt(i) === 92) {
      const e = raw[i + 1];
      if (e === 'u') {
        ch = String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        ch = ESCAPES[e] ?? e;
        i += 2;
      }
    } else {
      ch = raw[i];
      i++;
    }
    out += ch;
    if (offsets) offsets[k++] = at;
  }
  if (offsets) {
    offsets[k] = end - 1;
    return { value: out, offsets: offsets.subarray(0, k + 1) };
  }
  return { value: out };
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i].key === key) return node.members[i].value;
  return undefined;
}

export function stringValue(text: string, node: JsonNode | undefined): string | undefined {
  return node?.type === 'string' ? decodeJsonString(text, node.start, node.end).value : undefined;
}

/** Converts a located JSON node to a plain value (used for small pieces such as metadata). */
export function toPlain(text: string, node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(node.members.map((m) => [m.key, toPlain(text, m.value)]));
    case 'array':
      return node.items.map((i) => toPlain(text, i));
    case 'string':
      return decodeJsonString(text, node.start, node.end).value;
    default:
      return node.value;
  }
}

/** Escapes text for insertion inside a JSON string literal. */
export function escapeJsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
