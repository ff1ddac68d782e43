import { strict as assert } from 'assert';
import {
  decodeJsonString,
  escapeJsonStringContent,
  JsonSyntaxError,
  MAX_JSON_DEPTH,
  member,
  parseJsonWithLocations,
  stringValue,
  toPlain,
  type JsonNode,
} from '../../rules/documents/json-locate';

/** The located parser must agree with JSON.parse on every valid input, and fail where it fails. */
function plain(text: string): unknown {
  return toPlain(text, parseJsonWithLocations(text));
}

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonWithLocations(text);
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError, `expected a JsonSyntaxError, got ${e}`);
    return e;
  }
  assert.fail(`${JSON.stringify(text.slice(0, 40))} should not parse`);
}

describe('json-locate', () => {
  describe('values', () => {
    const samples = [
      '{}',
      '[]',
      '""',
      '0',
      '-0.5e+10',
      'true',
      'null',
      ' \t\r\n {"a" : [1, 2.5, -3e2, true, false, null, "x"], "b": {"c": {}}} \n',
      '{"dup": 1, "dup": 2}',
      '["\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0041\\u00e9\\u20AC", "\\ud83d\\ude00", "raw é 😀"]',
      '{"": ""}',
    ];
    for (const s of samples) {
      it(`agrees with JSON.parse on ${JSON.stringify(s).slice(0, 50)}`, () => {
        assert.deepEqual(plain(s), JSON.parse(s));
      });
    }

    it('gives every value its exact source range', () => {
      const text = '{"name": "churn", "n": [1, {"deep": null}], "ok": true}';
      const root = parseJsonWithLocations(text);
      const slice = (n: JsonNode | undefined) => (n ? text.slice(n.start, n.end) : undefined);
      assert.equal(slice(root), text);
      assert.equal(slice(member(root, 'name')), '"churn"');
      assert.equal(slice(member(root, 'n')), '[1, {"deep": null}]');
      assert.equal(slice(member(root, 'ok')), 'true');
      const n = member(root, 'n');
      assert.equal(n?.type, 'array');
      if (n?.type === 'array') assert.equal(slice(member(n.items[1], 'deep')), 'null');
      assert.equal(root.type === 'object' && text.slice(root.members[1].keyStart, root.members[1].keyStart + 3), '"n"');
    });

    it('reads the last of duplicate keys, as JSON.parse does', () => {
      const text = '{"source": "first", "source": "second"}';
      assert.equal(stringValue(text, member(parseJsonWithLocations(text), 'source')), 'second');
    });

    it('skips a leading byte order mark', () => {
      assert.deepEqual(plain('\ufeff{"a": 1}'), { a: 1 });
    });
  });

  describe('strings and their offset maps', () => {
    const cases: [string, string][] = [
      ['plain ascii', 'hello'],
      ['escaped quotes and backslashes', 'say \\"hi\\" C:\\\\Users\\\\ana'],
      ['short escapes', 'a\\nb\\tc\\rd\\be\\ff\\/g'],
      ['BMP unicode escapes, both cases', '\\u00e9t\\u00C9 \\u20ac'],
      ['a surrogate pair as two escapes', 'chart \\ud83d\\udcca done'],
      ['raw astral characters', 'chart 📊 done 😀'],
      ['a lone escaped surrogate', 'x\\ud800y'],
      ['an escaped NUL', 'a\\u0000b'],
    ];
    for (const [name, content] of cases) {
      it(`maps ${name} character by character`, () => {
        const text = `"${content}"`;
        const expected = JSON.parse(text) as string;
        const { value, offsets } = decodeJsonString(text, 0, text.length, true);
        assert.equal(value, expected);
        assert.ok(offsets);
        assert.equal(offsets!.length, value.length + 1);
        for (let i = 0; i < value.length; i++) {
          // the escape or character at offsets[i] decodes to code unit i
          const at: number = offsets![i];
          const token: string = text[at] === '\\' ? (text[at + 1] === 'u' ? text.slice(at, at + 6) : text.slice(at, at + 2)) : text[at];
          assert.equal(JSON.parse(`"${token}"`), value[i], `code unit ${i} of ${name}`);
          if (i > 0) assert.ok(offsets![i] > offsets![i - 1], 'offsets increase');
        }
        assert.equal(offsets![value.length], text.length - 1, 'the end maps to the closing quote');
      });
    }

    it('decodes without offsets when none are asked for', () => {
      assert.equal(decodeJsonString('"a\\u0062c"', 0, 10).value, 'abc');
      assert.equal(decodeJsonString('"plain"', 0, 7).value, 'plain');
    });

    it('escapes text for insertion so that it decodes back', () => {
      for (const s of ['import os\n', 'a "quoted" \\ path', 'tab\tand\r\nCRLF', 'é 📊 \u0001']) {
        assert.equal(JSON.parse(`"${escapeJsonStringContent(s)}"`), s);
      }
    });
  });

  describe('errors', () => {
    const bad: [string, string, number][] = [
      ['empty input', '', 0],
      ['an unterminated string', '{"a": "abc', 6],
      ['a raw line break in a string', '{"a": "x\ny"}', 8],
      ['a raw tab in a string', '["a\tb"]', 3],
      ['an invalid escape', '["\\x41"]', 2],
      ['a short \\u escape', '["\\u12"]', 2],
      ['a missing colon', '{"a" 1}', 5],
      ['a trailing comma in an object', '{"a": 1,}', 8],
      ['a trailing comma in an array', '[1,]', 3],
      ['a missing comma', '[1 2]', 3],
      ['a single-quoted string', "{'a': 1}", 1],
      ['NaN', '[NaN]', 1],
      ['a leading plus', '[+1]', 1],
      ['a lone minus', '[-]', 1],
      ['text after the value', '{} x', 3],
      ['a merge conflict marker', '{\n<<<<<<< HEAD\n"a": 1}', 2],
      ['an unclosed array at the end', '[1, [2, 3]', 10],
    ];
    for (const [name, text, offset] of bad) {
      it(`reports ${name} at offset ${offset}`, () => {
        assert.throws(() => JSON.parse(text));
        const e = syntaxError(text);
        assert.equal(e.offset, offset, e.message);
        assert.ok(e.offset >= 0 && e.offset <= text.length);
      });
    }

    it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without overflowing the stack`, () => {
      for (const open of ['[', '{"a":']) {
        const depth = 100_000;
        const text = open.repeat(depth);
        const e = syntaxError(text);
        assert.match(e.message, /nesting deeper/);
        assert.ok(e.offset <= open.length * (MAX_JSON_DEPTH + 2));
      }
      const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
      assert.doesNotThrow(() => parseJsonWithLocations(ok));
    });

    it('parses a large document quickly (a 5 MB base64 output is not copied)', () => {
      const blob = 'iVBORw0KGgo'.repeat(500_000);
      const text = `{"outputs": [{"data": {"image/png": "${blob}"}}], "n": 1}`;
      const t = Date.now();
      const root = parseJsonWithLocations(text);
      assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
      assert.equal(toPlain(text, member(root, 'n')!), 1);
    });
  });
});
