import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Workspace Trust, beyond the manifest and status tests in test/client: in Restricted Mode
 * mlready only reads. Every client command that changes files asks `ensureTrustedFor` first,
 * and the language server and the engine never write a file nor start a process (they return
 * edits; the client applies them).
 */
const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Source without comments, so that documentation mentioning a call does not count. */
function code(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const WRITES = /\b(?:applyEdit|writeFile(?:Sync)?|appendFile(?:Sync)?|createWriteStream|mkdir(?:Sync)?|rename(?:Sync)?|unlink(?:Sync)?|rmSync|rmdir(?:Sync)?|copyFile(?:Sync)?|fs\.promises\.(?:writeFile|rm|mkdir))\s*\(/;

describe('reliability: Workspace Trust (read-only in Restricted Mode)', () => {
  it('every client command that changes files asks for trust before it does', () => {
    const commands = sources('client/commands');
    assert.ok(commands.length >= 5);
    const writing = commands.filter((f) => WRITES.test(code(f)));
    assert.ok(writing.length >= 2, `commands that write: ${writing.join(', ')}`);
    for (const f of writing) {
      const text = code(f);
      const trust = text.search(/ensureTrustedFor\(/);
      assert.ok(trust >= 0, `${f} changes files without ensureTrustedFor`);
      assert.ok(trust < text.search(WRITES), `${f} asks for trust only after changing files`);
    }
  });

  it('the server and the engine never write a file nor start a process', () => {
    for (const f of [...sources('server'), ...sources('rules')]) {
      const text = code(f);
      assert.ok(!WRITES.test(text), `${f} writes: ${WRITES.exec(text)?.[0]}`);
      assert.ok(!/from ['"](?:node:)?child_process['"]|require\(['"](?:node:)?child_process['"]\)/.test(text), `${f} imports child_process`);
    }
  });
});
