import * as fs from 'fs';
import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { CONFIG_FILE_NAMES, computeScore, decodeFile, defaultRegistry, initPython, scanWorkspace, type ScanOptions, type ScanResult, type SkippedFile } from '../rules';
import { AnalysisPool, defaultJobs } from '../rules/workspace/pool';
import type { CheckArgs } from './args';
import { palette, useColor } from './color';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors';
import { fixUntilStable } from './fix';
import { render } from './formats';
import { FileLocator, toPosix } from './locations';
import { buildReport, plural, reachesFailOn } from './report';
import { VERSION } from './version';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** `mlready check`: scan, optionally fix, render, and return the exit code. */
export async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  const rootAbs = path.resolve(args.path);
  const stat = statOrNull(rootAbs);
  if (!stat) throw new UsageError(`PATH "${args.path}" does not exist`);
  if (!stat.isFile() && !stat.isDirectory()) throw new UsageError(`PATH "${args.path}" is neither a file nor a folder`);
  const locator = new FileLocator(rootAbs, stat.isFile());
  // worker threads analyse files alongside this one; the pool outlives the --fix passes
  const pool = new AnalysisPool(args.jobs ?? defaultJobs());
  const scanOptions: ScanOptions = { config: configToUse(args, locator), pool };

  await initPython();
  const registry = defaultRegistry();
  let unreadable: SkippedFile[] = [];
  const scan = async (): Promise<ScanResult> => {
    const files = new DiskFiles(rootAbs);
    const result = await scanWorkspace(files, registry, undefined, scanOptions);
    unreadable = files.unreadable;
    return result;
  };

  let result: ScanResult;
  let fixed: { applied: number; files: number } | undefined;
  try {
    if (args.fix) {
      const outcome = await fixUntilStable(scan, locator, args.unsafeFixes);
      result = outcome.result;
      fixed = { applied: outcome.applied, files: outcome.files.size };
      if (!args.quiet) {
        for (const created of outcome.created) io.stderr.write(`mlready: created ${created}\n`);
        for (const n of outcome.notApplied) io.stderr.write(`mlready: did not apply "${n.fix}" in ${n.file}: ${n.reason}\n`);
      }
    } else result = await scan();
  } finally {
    await pool.close();
  }

  const report = buildReport({
    version: VERSION,
    root: args.path,
    result,
    score: computeScore(result.findings, result.facts, result.config),
    extraSkipped: unreadable,
    registry,
    failOn: args.failOn,
    locator,
    fixed,
  });

  // rule failures go to stderr by code and file only: their messages may quote the file
  for (const e of report.ruleErrors) io.stderr.write(`mlready: rule ${e.code} failed on ${e.file}; its findings for that file are missing.\n`);
  if (fixed && !args.quiet && args.format !== 'text') io.stderr.write(`mlready: applied ${plural(fixed.applied, 'fix', 'fixes')} in ${plural(fixed.files, 'file')}.\n`);

  const toTerminal = !args.output;
  const color = palette(args.format === 'text' && useColor({ noColor: args.noColor, isTTY: toTerminal && !!io.stdout.isTTY, env: io.env }));
  const output = render(args.format, report, { color, quiet: args.quiet });
  if (args.output) writeOutput(args.output, output);
  else io.stdout.write(output);

  return report.findings.some((f) => reachesFailOn(f, args.failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The configuration: `--config FILE` when given (relative to the current directory), else the
 * scan finds mlready.yaml at the root. When PATH is a single file, the config beside it applies.
 */
export function configToUse(args: Pick<CheckArgs, "config">, locator: FileLocator): ScanOptions['config'] {
  let file: string | undefined;
  if (args.config) {
    file = path.resolve(args.config);
    if (!statOrNull(file)?.isFile()) throw new UsageError(`config file "${args.config}" does not exist`);
  } else if (locator.rootIsFile) {
    file = CONFIG_FILE_NAMES.map((n) => path.join(locator.rootDir, n)).find((p) => statOrNull(p)?.isFile());
    if (!file) return undefined;
  } else return undefined;
  const decoded = decodeFile(file, fs.readFileSync(file));
  if ('skip' in decoded) throw new UsageError(`config file "${args.config ?? file}" cannot be read: ${decoded.skip}`);
  return { path: toPosix(path.relative(locator.rootDir, file)), text: decoded.text };
}

export function writeOutput(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write the report to "${file}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}
