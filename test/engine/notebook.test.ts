import { strict as assert } from 'assert';
import fc from 'fast-check';
import { initPython } from '../../rules';
import { parseNotebook, type NotebookModel } from '../../rules/documents/notebook';
import { scanFiles } from '../helpers/engine';

/**
 * Notebook offset maps: every character of every cell must map to the escape or character of the
 * .ipynb text that produced it, whatever the JSON looks like (escapes, unicode, CRLF, source as a
 * string or as a list of lines, missing ids, any nbformat 4 minor version, attachments, outputs).
 */

/** The JSON string token (a character, a short escape or a \uXXXX escape) that starts at `at`. */
function tokenAt(text: string, at: number): string {
  if (text[at] !== '\\') return text[at];
  return text[at + 1] === 'u' ? text.slice(at, at + 6) : text.slice(at, at + 2);
}

function decodeToken(token: string): string {
  return JSON.parse(`"${token}"`) as string;
}

/** Checks the model against JSON.parse and the map of every cell character. */
function assertMapped(text: string, nb: NotebookModel): void {
  assert.equal(nb.problem, undefined, nb.problem?.message);
  const json = JSON.parse(text.replace(/^\ufeff/, '')) as { cells: { cell_type: string; source?: string | string[] }[] };
  assert.equal(nb.cells.length, json.cells.length);
  nb.cells.forEach((cell, c) => {
    const src = json.cells[c].source;
    const expected = Array.isArray(src) ? src.join('') : (src ?? '');
    assert.equal(cell.source, expected, `cell ${c} source`);
    assert.equal(cell.unit.text, expected);
    let previous = -1;
    for (let i = 0; i < cell.source.length; i++) {
      const at = cell.unit.toFileOffset(i);
      assert.equal(decodeToken(tokenAt(text, at)), cell.source[i], `cell ${c}, character ${i} (${JSON.stringify(cell.source[i])}) maps to ${at}`);
      assert.ok(at > previous, `cell ${c}: offsets increase at ${i}`);
      previous = at;
    }
    if (cell.source.length > 0) assert.equal(text[cell.unit.toFileOffset(cell.source.length)], '"', `cell ${c}: the end maps to a closing quote`);
    // ranges of the cell's text map to JSON text that decodes back to the same text
    const lines = cell.unit.lines;
    for (let l = 0; l < lines.lineCount; l++) {
      const [s, e] = [lines.lineStart(l), lines.lineEnd(l)];
      if (e > s && !Array.isArray(src)) {
        const raw = text.slice(cell.unit.toFileOffset(s), cell.unit.toFileOffset(e));
        assert.equal(JSON.parse(`"${raw}"`), cell.source.slice(s, e), `cell ${c} line ${l}`);
      }
    }
  });
}

/** Escapes one code unit of a JSON string in a chosen style: raw, short escape, \u lower or upper case. */
function escapeChar(ch: string, style: number): string {
  const code = ch.charCodeAt(0);
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '/': '\\/' };
  const mustEscape = ch === '"' || ch === '\\' || code < 0x20 || (code >= 0xd800 && code <= 0xdfff);
  const hex = code.toString(16).padStart(4, '0');
  if (style === 0 && !mustEscape) return ch;
  if (style === 1 && short[ch]) return short[ch];
  if (style === 2 || mustEscape) return short[ch] && style !== 3 ? short[ch] : `\\u${hex}`;
  return `\\u${hex.toUpperCase()}`;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CellSpec {
  type: 'code' | 'markdown' | 'raw';
  source: string;
  asList: boolean;
}

/** Writes a notebook with randomly chosen escapes, whitespace and source layouts. */
function writeNotebook(cells: CellSpec[], seed: number, minor: number): string {
  const r = rng(seed);
  const ws = () => [' ', '\n', '\r\n', '\t', '', '  '][Math.floor(r() * 6)];
  const str = (s: string) => `"${Array.from(s.split(''), (ch) => escapeChar(ch, Math.floor(r() * 4))).join('')}"`;
  const cellJson = cells.map((c, i) => {
    let source: string;
    if (c.asList) {
      // Jupyter splits after each \n; other writers split anywhere, which is valid too
      const pieces: string[] = [];
      let rest = c.source;
      while (rest.length) {
        const nl = rest.indexOf('\n');
        let cut = nl >= 0 ? nl + 1 : rest.length;
        if (r() < 0.2) cut = Math.max(1, Math.floor(r() * rest.length));
        // never split a surrogate pair across two JSON strings written raw
        if (cut < rest.length && /[\ud800-\udbff]/.test(rest[cut - 1])) cut++;
        pieces.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      source = `[${ws()}${pieces.map(str).join(`,${ws()}`)}${ws()}]`;
    } else source = str(c.source);
    const fields = [`"cell_type":${ws()}"${c.type}"`, `"metadata":${ws()}{}`, `"source":${ws()}${source}`];
    if (minor >= 5 && r() < 0.7) fields.push(`"id": "cell-${i}"`);
    if (c.type === 'code') fields.push('"execution_count": null', '"outputs": []');
    return `{${ws()}${fields.join(`,${ws()}`)}${ws()}}`;
  });
  return `{${ws()}"cells":${ws()}[${cellJson.join(`,${ws()}`)}],${ws()}"metadata": {"kernelspec": {"name": "python3", "language": "python"}},${ws()}"nbformat": 4,${ws()}"nbformat_minor": ${minor}${ws()}}`;
}

describe('notebook offset maps', () => {
  before(() => initPython());

  const tricky: [string, string][] = [
    [
      'escaped quotes, backslashes and unicode escapes in list sources',
      JSON.stringify({
        cells: [
          { cell_type: 'code', metadata: {}, execution_count: 1, outputs: [], source: ['df = pd.read_csv("C:\\\\Users\\\\ana\\\\d\u00e9j\u00e0.csv")\n', 'print(\'it\\\'s "ok"\')  # \u2014 \ud83d\udcca'] },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 4,
      }, null, 1).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ],
    [
      'a CRLF file with \\r\\n inside sources, source as one string',
      '{\r\n "cells": [\r\n  {\r\n   "cell_type": "code",\r\n   "execution_count": null,\r\n   "metadata": {},\r\n   "outputs": [],\r\n   "source": "import os\\r\\nx = \\"a\\\\tb\\"\\r\\n%cd /tmp\\r\\n"\r\n  }\r\n ],\r\n "metadata": {},\r\n "nbformat": 4,\r\n "nbformat_minor": 2\r\n}\r\n',
    ],
    [
      'nbformat 4.0 without ids, empty and missing sources',
      '{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"execution_count":null,"source":[]},{"cell_type":"markdown","metadata":{},"source":""},{"cell_type":"raw","metadata":{}},{"cell_type":"code","metadata":{},"outputs":[],"execution_count":3,"source":["x\\u003d1"]}],"metadata":{},"nbformat":4,"nbformat_minor":0}',
    ],
    [
      'attachments, a big base64 output and widget metadata before the source',
      `{"cells":[{"attachments":{"chart.png":{"image/png":"${'iVBORw0KGgoAAAANSUhEUg'.repeat(20_000)}"}},"cell_type":"markdown","id":"m1","metadata":{},"source":["![chart](attachment:chart.png)\\n","caption \\"1\\""]},{"cell_type":"code","execution_count":2,"id":"c2","metadata":{"tags":["parameters"]},"outputs":[{"data":{"image/png":"${'A'.repeat(2_000_000)}","text/plain":["<Figure size 640x480>"]},"metadata":{},"output_type":"display_data"},{"name":"stdout","output_type":"stream","text":["done\\n"]}],"source":"plt.plot(x)\\nplt.savefig(\\"/home/ana/fig.png\\")"}],"metadata":{"widgets":{"application/vnd.jupyter.widget-state+json":{"state":{"k":{"model_name":"X","state":{"value":"${'v'.repeat(100_000)}"}}}}}},"nbformat":4,"nbformat_minor":5}`,
    ],
    [
      'a byte order mark, and escaped slashes',
      '\ufeff{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"execution_count":null,"source":["url = \\"https:\\/\\/example.com\\/a\\"\\n","s = \'\\\\\\\\server\\\\share\'"]}],"metadata":{},"nbformat":4,"nbformat_minor":1}',
    ],
    [
      'duplicate "source" keys (the last one wins, as in JSON.parse)',
      '{"cells":[{"cell_type":"code","source":"old = 1","metadata":{},"outputs":[],"execution_count":null,"source":["new = 2\\n","y = \\"\\u00e9\\""]}],"metadata":{},"nbformat":4,"nbformat_minor":3}',
    ],
  ];
  for (const [name, text] of tricky) {
    it(`maps every character: ${name}`, () => {
      const t = Date.now();
      const nb = parseNotebook(text);
      try {
        assertMapped(text, nb);
        assert.ok(Date.now() - t < 3000, `took ${Date.now() - t} ms`);
      } finally {
        nb.program.dispose();
      }
    });
  }

  it('parses every nbformat 4 minor version, with or without cell ids', () => {
    for (let minor = 0; minor <= 5; minor++) {
      const text = writeNotebook([{ type: 'code', source: 'import pandas as pd\npd.read_csv("x.csv")\n', asList: true }], minor, minor);
      const nb = parseNotebook(text);
      assertMapped(text, nb);
      assert.equal(nb.nbformatMinor, minor);
      assert.equal(nb.program.units.length, 1);
      nb.program.dispose();
    }
  });

  it('keeps the map exact for random sources, escapes and layouts (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', '"', "'", '\\', '\t', '/', '%cd /data\n', '!pip install x\n', 'é', '—', '📊', '\u0000', '\u001f', '\u2028', '\ufeff', '"""', 'print("a\\"b")\n'),
      // any code point, lone surrogates included (written as \u escapes)
      fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 6 }).map((cps) => String.fromCodePoint(...cps)),
      fc.string({ maxLength: 12 }),
    );
    const cell = fc.record({
      type: fc.constantFrom<'code' | 'markdown' | 'raw'>('code', 'code', 'markdown', 'raw'),
      source: fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
      asList: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 4 }), fc.integer(), fc.integer({ min: 0, max: 5 }), (cells, seed, minor) => {
        const text = writeNotebook(cells, seed, minor);
        const nb = parseNotebook(text);
        try {
          assertMapped(text, nb);
        } finally {
          nb.program.dispose();
        }
      }),
      { seed: 20240611, numRuns: 200 },
    );
  });

  it('places a finding in a cell and in the .ipynb text at the same characters', async () => {
    const text = JSON.stringify({
      cells: [
        { cell_type: 'code', metadata: {}, execution_count: 1, outputs: [], source: ['import pandas as pd\n'] },
        { cell_type: 'code', metadata: {}, execution_count: 2, outputs: [], source: 'note = "caf\u00e9"\ndf = pd.read_csv("/home/ana/caf\u00e9/donn\u00e9es.csv")' },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const result = await scanFiles({ 'nb.ipynb': text });
    const f = result.findings.find((x) => x.code === 'P101');
    assert.ok(f, 'P101 expected');
    assert.equal(f.cell, 1);
    assert.deepEqual(f.range, { start: { line: 1, character: 18 }, end: { line: 1, character: 44 } });
    const raw = text.slice(f.fileRange.start, f.fileRange.end);
    assert.equal(JSON.parse(`"${raw}"`), '/home/ana/café/données.csv');
  });

  describe('problems', () => {
    const problems: [string, string, RegExp][] = [
      ['an empty file', '   \n', /empty/],
      ['invalid JSON', '{"cells": [', /not valid JSON/],
      ['a JSON array', '[]', /not a notebook/],
      ['nbformat 3', '{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}', /Unsupported nbformat 3/],
      ['no cells', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', /nbformat 4 notebook/],
      ['cells that is not an array', '{"nbformat": 4, "cells": {}}', /nbformat 4 notebook/],
      ['a cell that is not an object', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ["x = 1", {"cell_type": "code", "source": "y = 2", "metadata": {}, "outputs": []}]}', /Cell 0 is not a JSON object/],
      ['nesting too deep', '{"cells": ' + '['.repeat(5000), /nesting deeper/],
    ];
    for (const [name, text, message] of problems) {
      it(`reports ${name} with a position in the file, without throwing`, () => {
        const nb = parseNotebook(text);
        assert.ok(nb.problem, 'a problem is expected');
        assert.match(nb.problem.message, message);
        assert.ok(nb.problem.start >= 0 && nb.problem.end >= nb.problem.start && nb.problem.end <= text.length);
        nb.program.dispose();
      });
    }

    it('still analyses the valid cells of a notebook with one bad cell', () => {
      const nb = parseNotebook('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [42, {"cell_type": "code", "source": "import os", "metadata": {}, "outputs": []}]}');
      assert.equal(nb.cells.length, 1);
      assert.equal(nb.cells[0].index, 1, 'the cell keeps its index in the cells array');
      assert.ok(nb.program.imports.imports('os'));
      nb.program.dispose();
    });

    it('does not read cells of a notebook in another language as Python', () => {
      const nb = parseNotebook('{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "R", "name": "ir"}}, "cells": [{"cell_type": "code", "source": "x <- c(1, 2)", "metadata": {}, "outputs": []}]}');
      assert.equal(nb.language, 'r');
      assert.equal(nb.program.units.length, 0);
      assert.equal(nb.cells[0].source, 'x <- c(1, 2)');
      nb.program.dispose();
    });
  });
});
