import { strict as assert } from 'assert';
import fc from 'fast-check';
import { classify, decodeFile, initPython, LineIndex, type Finding, type ScanResult } from '../../rules';
import { parsePython } from '../../rules/documents/python/parser';
import { parseYaml } from '../../rules/documents/yaml';
import { DOC_BUDGET_MS, SEED, TIME_MS, billionLaughs, describeContent, fixtureFiles, mutationArb, sampleOne, scanOne, statementSpan, type FixtureFile, type Mutation } from './fuzz-helpers';

/**
 * The engine under bad input: every fixture file, mutated (truncation, random bytes, invalid UTF-8,
 * NUL, BOM, CR line ends, 100k-character lines, 10,000-level nesting, notebook JSON corruption and
 * wrong nbformat shapes, YAML alias bombs), is scanned as a workspace. Properties: nothing throws,
 * no rule throws, each document finishes within DOC_BUDGET_MS, a file that cannot be analysed gets
 * a skip reason or a parse diagnostic, and findings before the mutated part survive.
 */

const SYNTAX = new Set(['L001', 'L002', 'N001', 'N010', 'G001']);
/** Rules whose findings legitimately depend on the end of a file (they judge the whole file). */
const WHOLE_FILE = new Set<string>([]);
const stats = { cases: 0, worstMs: 0, worstWallMs: 0, worstKind: '', worstFile: '', byKind: new Map<string, number>() };
const baselines = new Map<string, Promise<ScanResult>>();

function baseline(file: FixtureFile): Promise<ScanResult> {
  const key = `${file.workspace}/${file.rel}`;
  let b = baselines.get(key);
  if (!b) {
    b = scanOne(file.rel, file.text).then((r) => r.result);
    baselines.set(key, b);
  }
  return b;
}

const keyOf = (f: Finding) => `${f.code}@${f.cell ?? ''}:${f.range.start.line}:${f.range.start.character}`;

async function check(file: FixtureFile, m: Mutation, budget = DOC_BUDGET_MS): Promise<void> {
  const where = `${file.workspace}/${file.rel} [${m.kind}, ${describeContent(m.content)}, seed ${SEED}]`;
  let scan: Awaited<ReturnType<typeof scanOne>>;
  try {
    scan = await scanOne(file.rel, m.content);
  } catch (e) {
    throw new Error(`scan threw on ${where}: ${(e as Error).stack}`);
  }
  const { result, ms, cpuMs } = scan;
  stats.cases++;
  stats.byKind.set(m.kind.split(':')[0], (stats.byKind.get(m.kind.split(':')[0]) ?? 0) + 1);
  if (cpuMs > stats.worstMs) Object.assign(stats, { worstMs: cpuMs, worstWallMs: ms, worstKind: m.kind, worstFile: `${file.workspace}/${file.rel}` });
  assert.ok(cpuMs < budget, `${where} took ${cpuMs.toFixed(0)} ms of CPU (budget ${budget} ms)`);
  // a hang that does not burn CPU (a lost promise, a wait) shows in wall time
  assert.ok(ms < budget * 6, `${where} took ${ms.toFixed(0)} ms of wall time (CPU ${cpuMs.toFixed(0)} ms)`);
  assert.deepEqual(result.ruleErrors, [], `a rule threw on ${where}`);

  const bytes = typeof m.content === 'string' ? new TextEncoder().encode(m.content) : m.content;
  const decoded = decodeFile(file.rel, bytes);
  if ('skip' in decoded) {
    assert.equal(result.files.scanned, 0, where);
    assert.equal(result.files.skipped.length, 1, `${where} is not analysable and must be listed as skipped`);
    assert.ok(result.files.skipped[0].reason.length > 5, `${where}: the skip says why`);
    return;
  }
  assert.equal(result.files.scanned, 1, `${where} was neither scanned nor skipped`);
  const text = decoded.text;
  const mine = result.findings.filter((f) => f.file === file.rel);
  const has = (code: string) => mine.some((f) => f.code === code);
  const kind = classify(file.rel);
  if (kind === 'notebook') {
    let json: any;
    let valid = true;
    try {
      json = JSON.parse(text);
    } catch {
      valid = false;
    }
    const shaped = valid && json && typeof json === 'object' && !Array.isArray(json) && json.nbformat === 4 && Array.isArray(json.cells);
    if (!shaped) assert.ok(has('N001'), `${where}: not an nbformat 4 notebook, yet no N001`);
  } else if (kind === 'yaml') {
    const isConfig = /^\.?mlready\.ya?ml$/.test(file.rel);
    const problems = parseYaml(text, file.rel).problems;
    if (problems.length) assert.ok(has(isConfig ? 'G001' : 'L001'), `${where}: YAML problems (${problems[0].message}) but no ${isConfig ? 'G001' : 'L001'}`);
  } else if (kind === 'python') {
    const tree = parsePython(text);
    // ERROR nodes only: a bare `\r` line end (valid Python) leaves MISSING newlines in tree-sitter's tree
    const broken = tree.rootNode.descendantsOfType('ERROR').length > 0;
    tree.delete();
    if (broken) assert.ok(has('L002'), `${where}: Python with syntax errors, yet no L002`);
  }

  // findings on the unmutated part survive
  if (m.keepBefore !== undefined || m.keepCellsBelow !== undefined) {
    const before = (await baseline(file)).findings.filter((f) => f.file === file.rel && !SYNTAX.has(f.code) && !WHOLE_FILE.has(f.code));
    const kept =
      m.keepCellsBelow !== undefined
        ? before.filter((f) => f.cell !== undefined && f.cell < m.keepCellsBelow!)
        : kind === 'notebook'
          ? [] // any change to the JSON text outside a cell may make it invalid: N001 then stands for the whole file
          : before.filter((f) => f.cell === undefined && f.fileRange.end < m.keepBefore! && (f.fileRange.end > f.fileRange.start || f.fileRange.start > 0) && statementEndsBefore(file, f, m.keepBefore!));
    const after = new Set(mine.map(keyOf));
    const lost = kept.filter((f) => !after.has(keyOf(f)));
    assert.deepEqual(lost.map(keyOf), [], `${where}: findings before the mutation were lost`);
  }
}

/**
 * Whether the statement of a finding ends before the line above the mutation: a statement that
 * the inserted line splits is changed, and tree-sitter's error recovery may absorb the statement
 * right before an invalid line (`x = 1` then `\\ 1`), as Python's own error would name it.
 */
function statementEndsBefore(file: FixtureFile, f: Finding, at: number): boolean {
  const python = classify(file.rel) === 'python';
  const [, end] = statementSpan(file.text, python, f.fileRange.start, f.fileRange.end);
  const lines = new LineIndex(file.text);
  return lines.lineOf(end) < lines.lineOf(at) - 1;
}

describe(`fuzz: engine under mutated fixtures (seed ${SEED})`, function () {
  this.timeout(TIME_MS + 120_000);
  before(() => initPython());
  after(() => {
    const kinds = [...stats.byKind].map(([k, n]) => `${k}=${n}`).join(' ');
    console.log(`    fuzz engine: seed ${SEED}, ${stats.cases} cases; worst ${stats.worstMs.toFixed(0)} ms CPU / ${stats.worstWallMs.toFixed(0)} ms wall (${stats.worstKind} on ${stats.worstFile}); ${kinds}`);
  });

  it('every fixture file, each under one mutation of every kind in turn', async () => {
    const files = fixtureFiles();
    assert.ok(files.length > 300, `found ${files.length} fixture files`);
    for (let i = 0; i < files.length; i++) {
      const m = sampleOne(mutationArb(files[i]), SEED + i);
      await check(files[i], m);
    }
  });

  it('random mutations of random fixtures until the time budget is spent', async () => {
    const files = fixtureFiles();
    const budget = Math.max(1000, TIME_MS * 0.4);
    const started = Date.now();
    const caseArb = fc.nat({ max: files.length - 1 }).chain((i) => mutationArb(files[i]).map((m) => ({ i, m })));
    const out = await fc.check(
      fc.asyncProperty(caseArb, async ({ i, m }) => {
        await check(files[i], m);
      }),
      { seed: SEED, numRuns: 100_000, interruptAfterTimeLimit: budget, endOnFailure: true },
    );
    if (out.failed) throw new Error(`${String((out.errorInstance as Error)?.message ?? out.errorInstance).slice(0, 3000)}\n${fc.defaultReportMessage(out)?.slice(0, 1500)}`);
    assert.ok(out.numRuns > 0 || Date.now() - started >= budget, 'no case ran');
  });

  it('YAML alias bombs, 10,000-level nesting and huge files finish within the budget', async () => {
    const cases: [string, string | Uint8Array][] = [
      ['bomb.yaml', billionLaughs()],
      ['bomb.yaml', `x: &x [${'*x,'.repeat(20)}]\n`],
      ['deep.yaml', `${'- '.repeat(10_000)}x\n`],
      ['deep-map.yaml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'],
      ['deep-flow.yaml', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
      ['deep.py', `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`],
      // 10,000 identifiers 10,000 levels deep, next to a read the data-flow follows (depth² parent lookups)
      ['deep-dict.py', `import pandas as pd\ndf = pd.read_csv("x.csv")\nprint(df)\nx = ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
      ['deep-open.py', `x = ${'['.repeat(10_000)}\n`],
      ['deep-indent.py', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + '\n' + ' '.repeat(1000) + 'pass\n'],
      ['deep.ipynb', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
      ['long.py', `DATA = "/home/ana/${'x'.repeat(100_000)}.csv"\n`],
      ['long.yaml', `cmd: ${'x '.repeat(60_000)}\n`],
      ['big.py', `X = 1\n${'y = foo(1, "a")\n'.repeat(12_500)}`], // 200 kB of dense code: analysed
      ['big-strings.py', `X = 1\n${`S = "${'x'.repeat(2000)}"\n`.repeat(500)}`], // 1 MB: analysed
      ['huge.py', `X = 1\n${'#'.repeat(3 * 1024 * 1024)}\n`], // over the limit: skipped
      ['huge.ipynb', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: Array.from({ length: 3000 }, () => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['x = 1\n', 'print(x)\n'] })) })],
      ['nuls.py', new Uint8Array(100_000)],
    ];
    for (const [rel, content] of cases) {
      const file: FixtureFile = { workspace: '<generated>', rel, text: typeof content === 'string' ? content : '' };
      // generated extremes get twice the document budget, and big files 20 ms per kB on top
      await check(file, { kind: `generated:${rel}`, content }, 2 * DOC_BUDGET_MS + content.length / 50);
    }
    const skipped = (await scanOne('huge.py', `X = 1\n${'#'.repeat(3 * 1024 * 1024)}\n`)).result.files.skipped;
    assert.match(skipped[0]?.reason ?? '', /MB limit/);
    const bomb = (await scanOne('bomb.yaml', billionLaughs())).result.findings;
    assert.ok(bomb.length < 50, `the alias bomb is not expanded (${bomb.length} findings)`);
  });
});
