import * as fs from 'fs';
import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { CONFIG_FILE_NAMES, computeScore, decodeFile, defaultRegistry, initPython, scanWorkspace, type Registry, type ScanOptions, type ScanResult, type SkippedFile } from '../rules';
import { AnalysisPool, defaultJobs } from '../rules/workspace/pool';
import type { CheckArgs } from './args';
import { palette, useColor } from './color';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './errors';
import { fixUntilStable } from './fix';
import { renderChunks } from './formats';
import { FileLocator, toPosix } from './locations';
import { buildReport, plural, reachesFailOn, type CheckReport } from './report';
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
  // the ScanResult lives only inside scanToReport: what rendering does not need (the workspace
  // facts, the fixes' edits) can be collected while the report is written
  const report = await scanToReport(args, io, { rootAbs, locator, registry, scanOptions, pool });
  const fixed = report.fixed;

  // rule failures go to stderr by code and file only: their messages may quote the file
  for (const e of report.ruleErrors) io.stderr.write(`mlready: rule ${e.code} failed on ${e.file}; its findings for that file are missing.\n`);
  if (fixed && !args.quiet && args.format !== 'text') io.stderr.write(`mlready: applied ${plural(fixed.applied, 'fix', 'fixes')} in ${plural(fixed.files, 'file')}.\n`);

  const toTerminal = !args.output;
  const color = palette(args.format === 'text' && useColor({ noColor: args.noColor, isTTY: toTerminal && !!io.stdout.isTTY, env: io.env }));
  // streamed: each piece is written before the next is made, so the report's text (tens of MB on
  // a large workspace) never exists whole
  const output = renderChunks(args.format, report, { color, quiet: args.quiet });
  if (args.output) writeOutputChunks(args.output, output);
  else await writeChunks(io.stdout, output);

  return report.findings.some((f) => reachesFailOn(f, args.failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** Scans PATH (and applies --fix), and turns the last scan into the report. */
async function scanToReport(
  args: CheckArgs,
  io: Io,
  context: { rootAbs: string; locator: FileLocator; registry: Registry; scanOptions: ScanOptions; pool: AnalysisPool },
): Promise<CheckReport> {
  const { rootAbs, locator, registry, scanOptions, pool } = context;
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

  return buildReport({
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

/**
 * Writes the pieces to FILE as they come (created or truncated, as writeFileSync would). The file
 * is opened once the first piece is made, so a report that fails before it leaves the file alone;
 * failures of the file itself are usage errors, failures of the report propagate as they are.
 */
export function writeOutputChunks(file: string, chunks: Iterable<string>): void {
  const cannot = (e: unknown) => new UsageError(`cannot write the report to "${file}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  const pieces = chunks[Symbol.iterator]();
  let fd: number | undefined;
  try {
    for (;;) {
      const next = pieces.next();
      if (fd === undefined) {
        try {
          fd = fs.openSync(file, 'w');
        } catch (e) {
          throw cannot(e);
        }
      }
      if (next.done) break;
      try {
        writeAll(fd, Buffer.from(next.value, 'utf8'));
      } catch (e) {
        throw cannot(e);
      }
    }
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    throw e;
  }
  try {
    fs.closeSync(fd);
  } catch (e) {
    throw cannot(e);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  // a write may take part of the buffer (pipes, FIFOs): write the rest
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // the first error is the one to report
  }
}

/**
 * Writes the pieces to a stream, waiting for it to drain whenever it asks to (stdout may be a pipe
 * to a slow reader), so pieces are not all queued in memory; returns once the last piece is handed
 * to the stream and the stream has drained.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (stream.write(chunk) === false) await drained(stream);
  }
  if ((stream as { writableNeedDrain?: boolean }).writableNeedDrain) await drained(stream);
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (e?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (e) reject(e);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(Object.assign(new Error('the output closed before the report was written'), { code: 'EPIPE' }));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
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
