import { parseArgs } from './args';
import { runCheck, type Io } from './check';
import { palette, useColor } from './color';
import { EXIT_ERROR, EXIT_OK, UsageError } from './errors';
import { helpText } from './help';
import { runReport } from './report-command';
import { explainRule, listRules } from './rules-command';
import { VERSION } from './version';

/**
 * Entry point of the `mlready` command. Exit codes are a contract (DESIGN.md §4): 0 clean,
 * 1 findings at --fail-on, 2 usage or internal error. Errors are one line on stderr; a stack
 * trace only with MLREADY_DEBUG=1.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'help':
        (args.toStderr ? io.stderr : io.stdout).write(helpText(args.topic));
        return args.toStderr ? EXIT_ERROR : EXIT_OK;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return EXIT_OK;
      case 'rules':
        io.stdout.write(listRules(args, palette(useColor({ noColor: args.noColor, isTTY: !!io.stdout.isTTY, env: io.env }))));
        return EXIT_OK;
      case 'explain':
        io.stdout.write(explainRule(args));
        return EXIT_OK;
      case 'check':
        return await runCheck(args, io);
      case 'report':
        return await runReport(args, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`mlready: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
    } else {
      io.stderr.write(`mlready: internal error: ${describe(e)}\n`);
      if (io.env.MLREADY_DEBUG === '1') io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
      else io.stderr.write('Set MLREADY_DEBUG=1 to see the stack trace, and please report it.\n');
    }
    return EXIT_ERROR;
  }
}

/** One line about an unexpected error: its code and the first line of its message, capped. */
function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const message = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : String(e).slice(0, 200);
  return err?.code && !message.includes(err.code) ? `${err.code}: ${message}` : message;
}

if (require.main === module) {
  // a closed pipe (`mlready check | head`) ends the run quietly instead of with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    process.stderr.write(`mlready: cannot write the report (${e.code ?? 'error'})\n`);
    process.exit(EXIT_ERROR);
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_ERROR;
    },
  );
}
