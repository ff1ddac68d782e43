import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { MemoryFiles } from '../../common/fs-files';
import { applyFixes, applyEditsToFile, classify, defaultRegistry, initPython, LineIndex, parseNotebook, scanWorkspace, type Finding, type Fix, type ScanResult, type UnitEdit } from '../../rules';
import { MAX_PASSES } from '../../cli/fix';
import { FIXTURES, SEED, TIME_MS, statementSpan } from './fuzz-helpers';

/**
 * Fix invariants, as properties over every fixture that has fixes (test/rules/fixtures.test.ts
 * checks each fixture's own `fixed/` text; this checks every fix of every rule the fixtures raise):
 *  - fix-all (the safe fixes) leaves no new syntax error, and applying it twice equals applying it once;
 *  - every safe fix touches only its finding's statement, apart from what it adds at the top of the
 *    file (imports and the module-level names they bring: `SEED = 42`, `log = logging.getLogger(…)`)
 *    and, for N105, the imports it moves;
 *  - any single fix (safe or not) leaves no new syntax error and removes its finding.
 */

const SYNTAX = ['L001', 'L002', 'N001', 'N010'];

interface Workspace {
  name: string;
  files: Map<string, string>;
  result: ScanResult;
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

async function scan(files: Map<string, string>): Promise<ScanResult> {
  return scanWorkspace(new MemoryFiles(new Map(files)), defaultRegistry());
}

const syntaxCount = (r: ScanResult, file: string) => r.findings.filter((f) => f.file === file && SYNTAX.includes(f.code)).length;

/** The first fix fix-all would consider for a finding (what the adapters apply). */
const firstFix = (f: Finding, onlySafe: boolean): Fix | undefined => f.fixes.find((x) => !onlySafe || x.applicability === 'safe');

/** The text of a unit (the file, or a notebook cell as the engine sees it). */
function unitText(fileText: string, isNotebook: boolean, cell: number | undefined): string {
  if (!isNotebook || cell === undefined) return fileText;
  return parseNotebook(fileText).cells[cell].unit.text;
}

/** Text added at the top of a module: imports, and the names they bring. */
const HEADER_LINE = /^(?:\s*$|\s*#|(?:import|from)\s|[A-Za-z_][A-Za-z0-9_]* = |(?:\w+\.)*(?:\w*seed\w*|basicConfig)\()/;
const isHeaderText = (s: string) => s.replace(/\([^()]*\)/g, '()').split(/\r?\n/).every((l) => HEADER_LINE.test(l));
/** Lines that are only imports (a moved import, possibly parenthesised over several lines). */
const isImportsOnly = (s: string) => /^\s*(?:(?:import|from)\s[^\n]*(?:\([^)]*\))?[^\n]*\s*)+$/.test(s);

describe(`fuzz: fix invariants over the fixtures (seed ${SEED})`, function () {
  this.timeout(TIME_MS + 180_000);
  const workspaces: Workspace[] = [];
  const counts = { workspaces: 0, fixAll: 0, safeFixes: 0, singleFixes: 0 };

  before(async () => {
    await initPython();
    for (const fixture of fs.readdirSync(FIXTURES).sort()) {
      const dir = path.join(FIXTURES, fixture, 'flagged');
      if (!fs.existsSync(dir)) continue;
      const files = new Map(walk(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel), 'utf8')] as [string, string]));
      const result = await scan(files);
      if (result.findings.some((f) => f.fixes.length > 0)) workspaces.push({ name: fixture, files, result });
    }
    counts.workspaces = workspaces.length;
  });
  after(() => console.log(`    fix invariants: seed ${SEED}; ${counts.workspaces} fixtures with fixes, fix-all on ${counts.fixAll} files, ${counts.safeFixes} safe fixes checked for scope, ${counts.singleFixes} single fixes applied and re-scanned`));

  /**
   * Fix-all as `mlready check --fix` does it (cli/fix.ts fixUntilStable): safe fixes, re-scanning
   * after each pass because a fix may enable another (moving a cell's imports leaves it empty) or
   * an overlapping fix was held back, until nothing changes (at most MAX_PASSES).
   */
  async function fixAll(files: Map<string, string>, first?: ScanResult): Promise<{ files: Map<string, string>; result: ScanResult; passes: number }> {
    let current = new Map(files);
    let result = first ?? (await scan(current));
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const next = new Map(current);
      let changed = false;
      for (const [file, text] of current) {
        const mine = result.findings.filter((f) => f.file === file);
        if (!mine.some((f) => firstFix(f, true))) continue;
        const fixed = applyFixes(text, mine, file.endsWith('.ipynb'), true).text;
        if (fixed !== text) (changed = true), next.set(file, fixed);
      }
      if (!changed) return { files: current, result, passes: pass - 1 };
      current = next;
      result = await scan(current);
    }
    return { files: current, result, passes: MAX_PASSES + 1 };
  }

  it('fix-all leaves no new syntax error, converges, and twice equals once', async () => {
    assert.ok(workspaces.length > 30, `${workspaces.length} fixtures with fixes`);
    for (const ws of workspaces) {
      const once = await fixAll(ws.files, ws.result);
      assert.ok(once.passes <= MAX_PASSES, `${ws.name}: fix-all did not converge in ${MAX_PASSES} passes`);
      for (const [file, text] of once.files) {
        if (text === ws.files.get(file)) continue;
        counts.fixAll++;
        assert.ok(syntaxCount(once.result, file) <= syntaxCount(ws.result, file), `${ws.name}/${file}: fix-all introduced a syntax error: ${once.result.findings.filter((f) => f.file === file && SYNTAX.includes(f.code)).map((f) => f.message)}`);
        assert.deepEqual(once.result.findings.filter((f) => f.file === file && firstFix(f, true)).map((f) => `${f.code}:${f.range.start.line}`), [], `${ws.name}/${file}: safe fixes left after fix-all`);
      }
      const twice = await fixAll(once.files, once.result);
      assert.equal(twice.passes, 0, `${ws.name}: applying fix-all a second time changed files again`);
    }
  });

  it('a safe fix touches only its statement, and what it adds at the top', () => {
    for (const ws of workspaces) {
      for (const f of ws.result.findings) {
        const fix = firstFix(f, true);
        if (!fix || !f.file) continue;
        counts.safeFixes++;
        const fileText = ws.files.get(f.file)!;
        const isNotebook = f.file.endsWith('.ipynb');
        const text = unitText(fileText, isNotebook, f.cell);
        const lines = new LineIndex(text);
        const start = lines.offsetAt(f.range.start);
        const end = lines.offsetAt(f.range.end);
        const python = classify(f.file) === 'python' || (isNotebook && f.cell !== undefined);
        const [sStart, sEnd] = statementSpan(text, python, start, end);
        for (const e of fix.edits) {
          const where: string = `${ws.name}/${f.file}${f.cell !== undefined ? `#${f.cell}` : ''} ${f.code} "${fix.title}": edit ${e.start}-${e.end} ${JSON.stringify(e.newText).slice(0, 80)}`;
          if (e.cell === f.cell && e.start >= sStart && e.end <= sEnd) continue;
          if (e.start === e.end && isHeaderText(e.newText) && (e.cell !== f.cell || e.start <= sStart)) continue;
          const editText = unitText(fileText, isNotebook, e.cell);
          if (f.code === 'N105' && e.newText === '' && isImportsOnly(editText.slice(e.start, e.end))) continue;
          // deleting the finding's own cell (N106): the cell object, and the comma and spaces around it
          if (isNotebook && e.cell === undefined && e.newText === '' && f.cell !== undefined) {
            const cell = parseNotebook(fileText).cells[f.cell];
            const removed = fileText.slice(e.fileStart, e.fileEnd);
            if (e.fileStart <= cell.start && e.fileEnd >= cell.end && /^[\s,]*$/.test(removed.replace(fileText.slice(cell.start, cell.end), ''))) continue;
          }
          assert.fail(`${where}: outside the statement [${sStart}, ${sEnd}) ${JSON.stringify(text.slice(sStart, sEnd)).slice(0, 120)}`);
        }
      }
    }
    assert.ok(counts.safeFixes > 50, `${counts.safeFixes} safe fixes`);
  });

  it('any single fix leaves no new syntax error and removes its finding (random sample, time-bounded)', async () => {
    const cases: { ws: Workspace; f: Finding; fix: Fix }[] = [];
    for (const ws of workspaces) for (const f of ws.result.findings) for (const fix of f.fixes) if (f.file && fix.edits.length) cases.push({ ws, f, fix });
    assert.ok(cases.length > 100, `${cases.length} fixes`);
    const out = await fc.check(
      fc.asyncProperty(fc.nat({ max: cases.length - 1 }), async (i) => {
        const { ws, f, fix } = cases[i];
        const file = f.file!;
        const before = ws.files.get(file)!;
        const fixed = applyEditsToFile(before, fix.edits as UnitEdit[], file.endsWith('.ipynb'));
        const files = new Map(ws.files).set(file, fixed);
        // a fix that creates files (a generated schema module) is applied with them, as the adapters do
        for (const c of fix.createFiles ?? []) if (typeof (c as { content?: unknown }).content === 'string') files.set((c as { path: string }).path, (c as { content: string }).content);
        const after = await scan(files);
        counts.singleFixes++;
        const where = `${ws.name}/${file} ${f.code} "${fix.title}"`;
        assert.ok(syntaxCount(after, file) <= syntaxCount(ws.result, file), `${where} introduced a syntax error`);
        const count = (r: ScanResult) => r.findings.filter((x) => x.file === file && x.code === f.code && x.cell === f.cell).length;
        assert.ok(count(after) < count(ws.result), `${where}: the ${f.code} finding is still there (${count(ws.result)} before, ${count(after)} after)`);
      }),
      { seed: SEED, numRuns: Math.min(cases.length * 2, 400), interruptAfterTimeLimit: Math.max(2000, TIME_MS * 0.3), endOnFailure: true },
    );
    if (out.failed) throw new Error(`${String((out.errorInstance as Error)?.message ?? out.errorInstance).slice(0, 2000)}\n${fc.defaultReportMessage(out)?.slice(0, 500)}`);
  });
});
