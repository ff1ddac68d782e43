import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import type { ReadinessResult } from '../../common/protocol';
import { ensureBuilt as ensureCli, runCli } from '../cli/helpers';
import { cellUri, ensureBuilt, LspClient, TempWorkspace } from '../lsp/client';
import { DOC_BUDGET_MS, SEED, fixtureFiles, mutationArb, type Mutation } from './fuzz-helpers';

/**
 * The CLI and the language server under the same mutated fixtures as the engine fuzz: the CLI
 * scans a workspace of mutated files from disk (bytes as they are), the server is given them as
 * open documents (text, as an editor would send it). Neither crashes; every file is analysed or
 * listed as skipped with a reason; every document is published within the budget.
 */

const CASES = Number(process.env.MLREADY_FUZZ_ADAPTER_CASES ?? 60);
/**
 * A notebook of ten mutated files is one program; a cell nested 10,000 levels deep next to other
 * code costs seconds today (tree-sitter 0.25 computes `parent` from the root, and the data-flow
 * of D101 asks it for every identifier: depth² steps). Bounded here so that a hang still fails.
 */
const NOTEBOOK_BUDGET_MS = 60_000;

function mutatedSample(): { rel: string; m: Mutation }[] {
  const files = fixtureFiles();
  const picks = fc.sample(fc.nat({ max: files.length - 1 }), { seed: SEED, numRuns: CASES });
  return picks.map((i, n) => {
    const m = fc.sample(mutationArb(files[i]), { seed: SEED + n, numRuns: 1 })[0];
    // one folder per case, so that names never collide and the file keeps its kind
    return { rel: `case${n}/${files[i].rel}`, m };
  });
}

const lossy = new TextDecoder('utf-8');
const LANGUAGE: Record<string, string> = { py: 'python', ipynb: 'json', yaml: 'yaml', yml: 'yaml', txt: 'pip-requirements', toml: 'toml' };

describe(`fuzz: the CLI and the server on mutated fixtures (seed ${SEED}, ${CASES} files)`, function () {
  this.timeout(180_000);
  const cases = mutatedSample();
  before(() => {
    ensureCli();
    ensureBuilt();
  });

  it('CLI: exits 0 or 1 with valid JSON, every file analysed or skipped with a reason', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-fuzz-cli-')));
    try {
      for (const { rel, m } of cases) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), m.content);
      }
      const started = Date.now();
      const run = await runCli(['check', '.', '--format', 'json'], { cwd: dir });
      const ms = Date.now() - started;
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr.slice(-2000)}`);
      assert.ok(!/internal error|Error:|at .*\.js:\d+/.test(run.stderr), run.stderr.slice(-2000));
      const report = JSON.parse(run.stdout) as { files: { scanned: number; skipped: { file: string; reason: string }[] } };
      const skipped = report.files.skipped;
      for (const s of skipped) assert.ok(s.reason.length > 5, JSON.stringify(s));
      const analysed = cases.filter(({ rel }) => !rel.endsWith('/mlready.yaml')).length;
      assert.ok(report.files.scanned + skipped.length >= analysed, `${report.files.scanned} scanned + ${skipped.length} skipped < ${analysed} files`);
      console.log(`    fuzz CLI: ${cases.length} mutated files in ${ms} ms; ${report.files.scanned} scanned, ${skipped.length} skipped (${[...new Set(cases.map((c) => c.m.kind.split(':')[0]))].join(' ')})`);
      assert.ok(ms < cases.length * DOC_BUDGET_MS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('server: every mutated document is published within the budget, and the server keeps answering', async () => {
    const ws = new TempWorkspace({});
    const client = await LspClient.start({ workspace: ws, settings: { scanWorkspace: false, debounceMs: 0 } });
    let worst = 0;
    let worstNotebook = 0;
    try {
      for (const { rel, m } of cases) {
        const uri = ws.uriOf(rel);
        const text = typeof m.content === 'string' ? m.content : lossy.decode(m.content);
        const started = Date.now();
        client.open(uri, LANGUAGE[rel.split('.').pop()!] ?? 'plaintext', text, 1);
        await client.diagnosticsFor(uri, (_, p) => p.version === 1, DOC_BUDGET_MS * 4).catch((e) => {
          throw new Error(`${rel} [${m.kind}]: ${(e as Error).message.slice(0, 500)}`);
        });
        worst = Math.max(worst, Date.now() - started);
        // an edit on top of the mutation, then close: nothing stays published for it
        client.change(uri, 2, [{ text: `${text.slice(0, text.length >> 1)}` }]);
        client.close(uri);
      }
      // notebook documents whose cells are the mutated texts (as an editor sends them)
      // (suppression comments are defused: an `ignore-file[P101]` in one cell would silence the sentinel below)
      const texts = cases.map(({ m }) => (typeof m.content === 'string' ? m.content : lossy.decode(m.content)).replace(/mlready:/g, 'mlready-'));
      for (const n of [0, 2]) {
        const nbUri = ws.uriOf(`fuzz${n}.ipynb`);
        const cells = texts.slice(n * 10, n * 10 + 10).map((text, i) => ({ uri: cellUri(nbUri, `c${i}`), text, kind: (i % 4 === 3 ? 1 : 2) as 1 | 2 }));
        // a last cell with a known finding: its publication says the notebook was linted (cells without findings are not published)
        const sentinel = { uri: cellUri(nbUri, 'sentinel'), text: 'DATA = "/home/ana/sentinel.csv"\n', kind: 2 as const };
        cells.push(sentinel);
        const started = Date.now();
        client.openNotebook(nbUri, cells);
        // notebooks get their own, larger bound: one program of ten mutated files (see NOTEBOOK_BUDGET_MS)
        await client.diagnosticsFor(sentinel.uri, (d) => d.some((x) => x.code === 'P101'), NOTEBOOK_BUDGET_MS);
        worstNotebook = Math.max(worstNotebook, Date.now() - started);
        client.changeCell(nbUri, 2, cells[0].uri, 2, [{ text: texts[(n + 7) % texts.length] }]);
        client.closeNotebook(nbUri, cells.map((c) => c.uri));
      }
      const readiness = await client.request<ReadinessResult>('mlready/readiness', {});
      assert.equal(readiness.folders.length, 1);
      assert.ok(!/Unhandled|TypeError|RangeError|failed:/.test(client.stderr + client.logs.map((l) => l.message).join('\n')), (client.stderr + JSON.stringify(client.logs)).slice(-2000));
      console.log(`    fuzz server: ${cases.length} mutated documents, worst ${worst} ms from didOpen to publish; 2 notebooks of 10 mutated cells, worst ${worstNotebook} ms`);
      assert.ok(worst < DOC_BUDGET_MS * 4, `worst document took ${worst} ms`);
    } finally {
      await client.shutdown();
      ws.dispose();
    }
  });
});
