import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { computeScore, defaultRegistry, initPython, scanWorkspace, type ScanOptions } from '../rules';
import type { ReportArgs } from './args';
import { configToUse, statOrNull, writeOutput, type Io } from './check';
import { EXIT_OK, UsageError } from './errors';
import { FileLocator } from './locations';
import { renderReadinessReport, type ReadinessReportModel } from './report-readiness';
import { VERSION } from './version';

/** `mlready report`: scan PATH and write the readiness report (Markdown or self-contained HTML). */
export async function runReport(args: ReportArgs, io: Io): Promise<number> {
  const rootAbs = path.resolve(args.path);
  const stat = statOrNull(rootAbs);
  if (!stat) throw new UsageError(`PATH "${args.path}" does not exist`);
  if (!stat.isFile() && !stat.isDirectory()) throw new UsageError(`PATH "${args.path}" is neither a file nor a folder`);
  const locator = new FileLocator(rootAbs, stat.isFile());
  const scanOptions: ScanOptions = { config: configToUse(args, locator) };
  await initPython();
  const registry = defaultRegistry();
  const files = new DiskFiles(rootAbs);
  const result = await scanWorkspace(files, registry, undefined, scanOptions);
  const score = computeScore(result.findings, result.facts, result.config);
  const skipped = [...result.files.skipped, ...files.unreadable.filter((u) => !result.files.skipped.some((s) => s.file === u.file))].sort((a, b) => a.file.localeCompare(b.file));
  const model: ReadinessReportModel = {
    root: args.path,
    version: VERSION,
    score,
    gaps: score.gaps,
    findings: result.findings,
    suppressions: result.suppressions,
    scanned: result.facts.files.size,
    skipped,
  };
  const output = renderReadinessReport(args.format, model);
  if (args.output) writeOutput(args.output, output);
  else io.stdout.write(output);
  for (const e of result.ruleErrors) io.stderr.write(`mlready: rule ${e.code} failed on ${e.file}; its findings for that file are missing.\n`);
  return EXIT_OK;
}
