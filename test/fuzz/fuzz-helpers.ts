import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { MemoryFiles } from '../../common/fs-files';
import type { Node } from '../../rules/documents/python/syntax-tree';
import { classify, defaultRegistry, initPython, LineIndex, scanWorkspace, type Registry, type ScanResult } from '../../rules';
import { mirrorPython, parsePython } from '../../rules/documents/python/parser';

/**
 * Shared by the fuzz suites: the seed and time budget (overridable by MLREADY_FUZZ_SEED and
 * MLREADY_FUZZ_TIME_MS), the fixture corpus, and the mutations applied to it.
 */
export const SEED = process.env.MLREADY_FUZZ_SEED ? Number(process.env.MLREADY_FUZZ_SEED) : 20261125;
/** The whole fuzz suite's time for its randomised phases; each suite takes a share. */
export const TIME_MS = process.env.MLREADY_FUZZ_TIME_MS ? Number(process.env.MLREADY_FUZZ_TIME_MS) : 20_000;
/** The most one document may take to scan, whatever was done to it (2 slow CI cores). */
export const DOC_BUDGET_MS = Number(process.env.MLREADY_FUZZ_DOC_BUDGET_MS ?? 5000);

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

export interface FixtureFile {
  /** `<fixture>/<flagged|clean|fixed|…>` folder, relative to test/fixtures. */
  workspace: string;
  /** Path inside that workspace. */
  rel: string;
  text: string;
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

let corpus: FixtureFile[] | undefined;
/** Every fixture file mlready analyses (by `classify`), in a stable order. */
export function fixtureFiles(): FixtureFile[] {
  if (corpus) return corpus;
  corpus = [];
  for (const fixture of fs.readdirSync(FIXTURES).sort()) {
    const root = path.join(FIXTURES, fixture);
    if (!fs.statSync(root).isDirectory()) continue;
    for (const variant of fs.readdirSync(root).sort()) {
      const dir = path.join(root, variant);
      if (!fs.statSync(dir).isDirectory()) continue;
      // nested workspaces (policy/enforce …) are walked as files of their parent: good enough for mutation
      for (const rel of walk(dir).sort()) {
        if (!classify(rel)) continue;
        corpus.push({ workspace: `${fixture}/${variant}`, rel, text: fs.readFileSync(path.join(dir, rel), 'utf8') });
      }
    }
  }
  return corpus;
}

/** Scans one file as a workspace of its own; returns the result and the time it took. */
/**
 * `cpuMs` is this process's CPU time (user + system) during the scan: the budget is checked on it,
 * because wall time on a shared 2-core CI machine measures the neighbours as much as the engine.
 */
export async function scanOne(rel: string, content: string | Uint8Array, registry: Registry = defaultRegistry()): Promise<{ result: ScanResult; ms: number; cpuMs: number }> {
  await initPython();
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await scanWorkspace(new MemoryFiles(new Map([[rel, content]])), registry);
  const used = process.cpuUsage(cpu);
  return { result, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

export type Content = string | Uint8Array;

export interface Mutation {
  kind: string;
  content: Content;
  /**
   * Offset in the original text before which nothing changed and after which only new lines
   * were added: findings that end before the line of this offset must survive. Undefined when the
   * mutation may change the meaning of the whole file.
   */
  keepBefore?: number;
  /** For notebooks: a cell was added at this index; findings in the cells before it must survive. */
  keepCellsBelow?: number;
}

const enc = new TextEncoder();

function insertAt(text: string, at: number, what: string): string {
  return text.slice(0, at) + what + text.slice(at);
}

function indentAt(text: string, ls: number): string {
  return /^[ \t]*/.exec(text.slice(ls, ls + 200))![0];
}

/** The start of the line an offset is on (so insertions land between lines). */
function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
}

function bytesWith(text: string, at: number, bytes: number[]): Uint8Array {
  const before = enc.encode(text.slice(0, at));
  const after = enc.encode(text.slice(at));
  const out = new Uint8Array(before.length + bytes.length + after.length);
  out.set(before, 0);
  out.set(bytes, before.length);
  out.set(after, before.length + bytes.length);
  return out;
}

const JUNK = fc.string({ unit: fc.constantFrom('(', ')', '[', ']', '{', '}', ':', ',', '"', "'", '\\', '#', ' ', '\t', 'x', '1', '=', '\u00e9', '\u{1F600}', '\u2028', '\u0000', '\r'), maxLength: 200 });

/**
 * Every mutation the issue names, given a fraction in [0,1) for where it applies. Mutations that
 * only add whole lines at a line boundary give `keepBefore`.
 */
export function mutationArb(file: FixtureFile): fc.Arbitrary<Mutation> {
  const { text } = file;
  const kind = classify(file.rel);
  const pos = fc.nat({ max: Math.max(0, text.length) });
  const base: fc.Arbitrary<Mutation>[] = [
    pos.map((at) => ({ kind: 'truncate', content: text.slice(0, at) })),
    fc.tuple(pos, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, bytes]) => ({ kind: 'random-bytes', content: bytesWith(text, at, [...bytes]) })),
    pos.map((at) => ({ kind: 'invalid-utf8', content: bytesWith(text, at, [0xc3, 0x28, 0xff, 0xfe]) })),
    pos.map((at) => ({ kind: 'nul', content: insertAt(text, at, '\u0000') })),
    fc.constant({ kind: 'bom', content: `\uFEFF${text}` }),
    fc.constant({ kind: 'cr', content: text.replace(/\r?\n/g, '\r') }),
    fc.constant({ kind: 'crlf', content: text.replace(/\r?\n/g, '\r\n') }),
    // a whole line, indented as the line it goes before (so a Python block stays one block)
    pos.map((at) => {
      const ls = lineStart(text, at);
      return { kind: 'long-line', content: insertAt(text, ls, `${indentAt(text, ls)}${'x'.repeat(100_000)}\n`), keepBefore: kind === 'python' ? ls : undefined };
    }),
    pos.map((at) => {
      const ls = lineStart(text, at);
      return { kind: 'deep-brackets', content: insertAt(text, ls, `${indentAt(text, ls)}${'['.repeat(10_000)}${']'.repeat(10_000)}\n`), keepBefore: kind === 'python' ? ls : undefined };
    }),
    fc.tuple(pos, JUNK).map(([at, junk]) => ({ kind: 'junk', content: insertAt(text, at, junk) })),
    JUNK.map((junk) => ({ kind: 'append-junk', content: `${text}${text.endsWith('\n') ? '' : '\n'}${junk.replace(/[\r\n\u2028]/g, ' ')}\n`, keepBefore: kind === 'python' ? text.length : undefined })),
  ];
  if (kind === 'yaml') {
    base.push(
      // nesting over MAX_YAML_DEPTH anywhere: the whole file is reported (L001) and not analysed, by design
      fc.constant({ kind: 'yaml-deep-block', content: `${text}\n---\n${'- '.repeat(10_000)}x\n` }),
      fc.constant({ kind: 'yaml-deep-flow', content: `${text}\n---\n${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n` }),
      fc.constant({ kind: 'yaml-billion-laughs', content: `${text}\n---\n${billionLaughs()}`, keepBefore: text.length }),
      fc.constant({ kind: 'yaml-billion-laughs-only', content: billionLaughs() }),
    );
  }
  if (kind === 'notebook') base.push(...notebookMutations(text));
  return fc.oneof(...base);
}

export function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Random corruption of notebook JSON, and valid JSON of the wrong nbformat shape. */
function notebookMutations(text: string): fc.Arbitrary<Mutation>[] {
  let nb: any;
  try {
    nb = JSON.parse(text);
  } catch {
    return [];
  }
  const reshape = (f: (nb: any) => void) => () => {
    const copy = JSON.parse(JSON.stringify(nb));
    f(copy);
    return JSON.stringify(copy, null, 1);
  };
  const shapes: [string, (nb: any) => void][] = [
    ['cells-object', (n) => (n.cells = { 0: n.cells?.[0] })],
    ['cells-null', (n) => (n.cells = null)],
    ['no-cells', (n) => delete n.cells],
    ['nbformat-3', (n) => Object.assign(n, { nbformat: 3, worksheets: [{ cells: n.cells }] })],
    ['nbformat-string', (n) => (n.nbformat = 'four')],
    ['source-number', (n) => n.cells?.forEach((c: any) => (c.source = 42))],
    ['source-nested', (n) => n.cells?.forEach((c: any) => (c.source = [[c.source], { a: 1 }, null]))],
    ['cell-type-unknown', (n) => n.cells?.forEach((c: any, i: number) => (c.cell_type = i % 2 ? 'mystery' : 7))],
    ['outputs-string', (n) => n.cells?.forEach((c: any) => (c.outputs = 'none'))],
    ['outputs-garbage', (n) => n.cells?.forEach((c: any) => (c.outputs = [null, 1, { output_type: 'stream', text: 5 }, { output_type: 'error', traceback: 'x' }, { output_type: 'execute_result', data: { 'text/plain': [1, null] } }]))],
    ['metadata-array', (n) => (n.metadata = [n.metadata])],
    ['cells-scalars', (n) => (n.cells = [1, 'two', null, true, []])],
    ['exec-count-string', (n) => n.cells?.forEach((c: any) => (c.execution_count = 'x'))],
  ];
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  return [
    fc.constantFrom(...shapes).map(([name, f]) => ({ kind: `nb-shape:${name}`, content: reshape(f)() })),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('delete', 'quote', 'brace', 'comma', 'escape')).map(([at, how]) => {
      const c = how === 'delete' ? '' : how === 'quote' ? '"' : how === 'brace' ? '}' : how === 'comma' ? ',' : '\\';
      return { kind: `nb-json:${how}`, content: text.slice(0, at) + c + text.slice(at + (how === 'delete' ? 1 : 0)) };
    }),
    fc.constant({ kind: 'nb-shape:top-array', content: `[${text}]` }),
    fc.constant({ kind: 'nb-shape:deep-metadata', content: reshape((n) => (n.metadata = '__DEEP__'))().replace('"__DEEP__"', deep) }),
    fc.constant({ kind: 'nb-shape:top-scalar', content: '"cells"' }),
    JUNK.map((junk) => {
      const copy = JSON.parse(JSON.stringify(nb));
      const cells = Array.isArray(copy.cells) ? copy.cells : [];
      cells.push({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: [junk] });
      copy.cells = cells;
      return { kind: 'nb-junk-cell', content: JSON.stringify(copy, null, 1), keepCellsBelow: cells.length - 1 };
    }),
    fc.constant({ kind: 'nb-deep-json', content: `${'['.repeat(10_000)}${']'.repeat(10_000)}` }),
  ];
}

/** A deterministic random generator for the sweep, from the seed. */
export function sampleOne<T>(arb: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arb, { seed, numRuns: 1 })[0];
}

export function describeContent(c: Content): string {
  return typeof c === 'string' ? `${c.length} chars` : `${c.length} bytes`;
}

const STATEMENT = /(_statement|_definition|^decorated_definition)$/;

/** [start, end) of the statement an offset range is in: the innermost Python statement, else its lines. */
export function statementSpan(text: string, python: boolean, start: number, end: number): [number, number] {
  const lines = new LineIndex(text);
  const byLines: [number, number] = [lines.lineStart(lines.lineOf(start)), lines.lineEnd(lines.lineOf(Math.max(start, end - 1)))];
  if (!python) return byLines;
  const parsed = parsePython(text);
  const tree = mirrorPython(text, parsed);
  try {
    let node: Node | null = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
    while (node && !STATEMENT.test(node.type)) node = node.parent;
    if (!node) return byLines;
    return [Math.min(node.startIndex, byLines[0]), Math.max(node.endIndex, byLines[1])];
  } finally {
    parsed.delete();
  }
}
