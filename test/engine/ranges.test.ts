import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseNotebook, type Finding } from '../../rules';
import { LineIndex } from '../../rules/core/lines';
import { scanDir } from '../helpers/engine';

/**
 * Every finding of every fixture: its range (in the file or cell) and its fileRange (in the raw
 * file) must name the same characters, and a portability finding must point at exactly the
 * location its message names.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** The text of the finding's unit, and the map from its offsets to offsets in the raw file. */
function unitOf(file: string, f: Finding): { text: string; toFile: (offset: number) => number } | null {
  if (f.cell === undefined) return { text: file, toFile: (o) => o };
  const nb = parseNotebook(file);
  try {
    const cell = nb.cells.find((c) => c.index === f.cell);
    return cell ? { text: cell.source, toFile: (o) => cell.unit.toFileOffset(o) } : null;
  } finally {
    nb.program.dispose();
  }
}

describe('finding ranges in fixtures', () => {
  const dirs = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => /^[A-Z]\d{3}-/.test(d)).sort() : [];
  for (const dir of dirs) {
    it(`${dir}: range and fileRange name the same text`, async () => {
      for (const sub of ['flagged', 'clean', 'fixed']) {
        const root = path.join(FIXTURES, dir, sub);
        if (!fs.existsSync(root)) continue;
        const result = await scanDir(root);
        for (const f of result.findings) {
          if (f.file === null) continue;
          const raw = fs.readFileSync(path.join(root, f.file), 'utf8').replace(/^\ufeff/, '');
          const unit = unitOf(raw, f);
          assert.ok(unit, `${f.file} cell ${f.cell}`);
          const lines = new LineIndex(unit.text);
          const start = lines.offsetAt(f.range.start);
          const end = lines.offsetAt(f.range.end);
          const where = `${sub}/${f.file}${f.cell !== undefined ? `#${f.cell}` : ''}: ${f.code} at ${JSON.stringify(f.range)}`;
          assert.ok(start <= end, `${where}: range is ordered`);
          assert.deepEqual(lines.positionAt(start), f.range.start, `${where}: the range is inside the text`);
          assert.deepEqual([unit.toFile(start), unit.toFile(end)], [f.fileRange.start, f.fileRange.end], `${where}: fileRange is the range in the file`);
          const inUnit = unit.text.slice(start, end);
          if (/^P10[1236]$/.test(f.code)) {
            // the message names the location in backticks: the range is exactly that text
            const named = /`([^`]+)`/.exec(f.message.replace(/^`[^`]*%(cd|pushd|chdir) /, '`'))?.[1];
            // (escapes in the source, such as `\\\\` in a Python string, name one character of the value)
            // (and `{…}` stands for an f-string field)
            const pattern = new RegExp(`^${(named ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{…\\\}/g, '\\{.*?\\}')}$`, 's');
            if (named && !named.endsWith('…')) assert.ok(pattern.test(inUnit) || inUnit.replace(/\\([\\'"])/g, '$1') === named, `${where}: points at ${JSON.stringify(inUnit)}, the message names ${JSON.stringify(named)}`);
          }
        }
      }
    });
  }
});
