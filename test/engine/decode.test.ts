import { strict as assert } from 'assert';
import { decodeFile } from '../../rules';
import { DEFAULT_MAX_BYTES, NOTEBOOK_MAX_BYTES } from '../../rules/workspace/decode';
import { codes, scanFiles } from '../helpers/engine';

/** Bytes to text, or a reason to skip the file: nothing is guessed. */
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decoding files', () => {
  it('decodes UTF-8, with or without a byte order mark (which is dropped)', () => {
    assert.deepEqual(decodeFile('a.py', bytes('x = "é 📊"\n')), { text: 'x = "é 📊"\n' });
    assert.deepEqual(decodeFile('a.py', bytes([0xef, 0xbb, 0xbf], 'x = 1\n')), { text: 'x = 1\n' });
    assert.deepEqual(decodeFile('a.py', new Uint8Array()), { text: '' });
  });

  it('skips binary files', () => {
    const r = decodeFile('model.py', bytes('PK', [0, 0, 3, 4], 'rest'));
    assert.ok('skip' in r && /binary/.test(r.skip));
  });

  it('skips invalid UTF-8 (Latin-1 files, truncated sequences, lone surrogates)', () => {
    for (const b of [bytes('caf', [0xe9], '\n'), bytes('x = "', [0xf0, 0x9f], '"'), bytes([0xed, 0xa0, 0x80]), bytes([0xc0, 0xaf])]) {
      const r = decodeFile('a.py', b);
      assert.ok('skip' in r && /UTF-8/.test(r.skip), JSON.stringify(r));
    }
  });

  it('skips files over the size limit, with a larger limit for notebooks', () => {
    const big = new Uint8Array(DEFAULT_MAX_BYTES + 1).fill(0x61);
    const r = decodeFile('a.py', big);
    assert.ok('skip' in r && /MB limit/.test(r.skip), JSON.stringify(r));
    assert.ok('text' in decodeFile('a.ipynb', big));
    assert.ok(NOTEBOOK_MAX_BYTES > DEFAULT_MAX_BYTES);
    assert.ok('skip' in decodeFile('a.py', bytes('x'), 0));
  });

  it('reports skipped files in the scan and still analyses the others', async () => {
    const r = await scanFiles({ 'a.py': 'A = "/home/ana/a.csv"\n', 'latin1.py': bytes('x = "caf', [0xe9], '"\n') as unknown as string, 'blob.py': bytes([0, 1, 2]) as unknown as string });
    assert.deepEqual(r.files.skipped.map((s) => s.file).sort(), ['blob.py', 'latin1.py']);
    assert.equal(r.files.scanned, 1);
    assert.deepEqual(codes(r, 'P101'), ['a.py:1 P101']);
  });
});
