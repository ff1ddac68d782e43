import { SEVERITIES, type Severity } from '../rules';
import { UsageError } from './errors';

/**
 * Command-line parsing, with no dependency: the grammar is small and its error messages are part
 * of the user experience (one line, naming the offending argument, exit code 2).
 */

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'github', 'gitlab', 'junit'] as const;
export type FormatName = (typeof FORMATS)[number];
export const RULES_FORMATS = ['text', 'json'] as const;
export type FailOn = Severity | 'never';
export const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'never'];
export const COMMANDS = ['check', 'report', 'rules', 'explain'] as const;
export const REPORT_FORMATS = ['markdown', 'html'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CheckArgs {
  command: 'check';
  path: string;
  format: FormatName;
  failOn: FailOn;
  config?: string;
  output?: string;
  fix: boolean;
  unsafeFixes: boolean;
  quiet: boolean;
  noColor: boolean;
  /** Threads analysing files (`--jobs N`); undefined: the cores available, capped. */
  jobs?: number;
}
export interface ReportArgs {
  command: 'report';
  path: string;
  format: (typeof REPORT_FORMATS)[number];
  config?: string;
  output?: string;
}
export interface RulesArgs {
  command: 'rules';
  format: (typeof RULES_FORMATS)[number];
  noColor: boolean;
}
export interface ExplainArgs {
  command: 'explain';
  code: string;
}
export type ParsedArgs = CheckArgs | ReportArgs | RulesArgs | ExplainArgs | { command: 'help'; topic?: CommandName; toStderr?: boolean } | { command: 'version' };

/** Options per command: true when the option takes a value. */
const OPTIONS: Record<CommandName, Record<string, boolean>> = {
  check: { format: true, 'fail-on': true, config: true, output: true, fix: false, 'unsafe-fixes': false, quiet: false, 'no-color': false, jobs: true },
  report: { format: true, config: true, output: true },
  rules: { format: true, 'no-color': false },
  explain: {},
};
const SHORT: Record<string, string> = { f: 'format', o: 'output', c: 'config', q: 'quiet', j: 'jobs' };
/** Most threads `--jobs` accepts. */
export const MAX_JOBS = 64;

export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.length === 0) return { command: 'help', toStderr: true };
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    return { command: 'help', topic: isCommand(topic) ? topic : undefined };
  }
  if (first === '--version' || first === '-V') return { command: 'version' };
  if (!isCommand(first)) {
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} before a command`, 'Run `mlready --help` for usage.');
    throw new UsageError(`unknown command "${first}"`, `Commands: ${COMMANDS.join(', ')}. Run \`mlready --help\` for usage.`);
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: first };

  const { options, positionals } = tokenize(first, rest);
  switch (first) {
    case 'check':
      return checkArgs(options, positionals);
    case 'report':
      if (positionals.length > 1) throw new UsageError(`\`mlready report\` takes one PATH, got ${positionals.length}`);
      return { command: 'report', path: positionals[0] ?? '.', format: oneOf(options.get('format') ?? 'markdown', REPORT_FORMATS, '--format'), config: options.get('config'), output: options.get('output') };
    case 'rules':
      if (positionals.length) throw new UsageError(`\`mlready rules\` takes no argument, got "${positionals[0]}"`);
      return { command: 'rules', format: oneOf(options.get('format') ?? 'text', RULES_FORMATS, '--format'), noColor: options.has('no-color') };
    case 'explain':
      if (positionals.length !== 1) throw new UsageError('`mlready explain` needs exactly one rule code or name, e.g. `mlready explain P101`');
      return { command: 'explain', code: positionals[0] };
  }
}

function checkArgs(options: Map<string, string>, positionals: string[]): CheckArgs {
  if (positionals.length > 1) throw new UsageError(`\`mlready check\` takes one PATH, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(' ')}`);
  const fix = options.has('fix');
  const unsafeFixes = options.has('unsafe-fixes');
  // unsafe fixes change behaviour: ask for them together with --fix, never implicitly
  if (unsafeFixes && !fix) throw new UsageError('--unsafe-fixes only applies together with --fix');
  return {
    command: 'check',
    path: positionals[0] ?? '.',
    format: oneOf(options.get('format') ?? 'text', FORMATS, '--format'),
    failOn: oneOf(options.get('fail-on') ?? 'error', FAIL_ON, '--fail-on'),
    config: options.get('config'),
    output: options.get('output'),
    fix,
    unsafeFixes,
    quiet: options.has('quiet'),
    noColor: options.has('no-color'),
    ...(options.has('jobs') ? { jobs: jobsValue(options.get('jobs')!) } : {}),
  };
}

function jobsValue(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}; got "${value}"`);
  return n;
}

function tokenize(command: CommandName, args: string[]): { options: Map<string, string>; positionals: string[] } {
  const known = OPTIONS[command];
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const raw = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = raw.startsWith('--') ? raw.slice(2) : SHORT[raw.slice(1)] ?? '';
    if (!(name in known)) throw new UsageError(`unknown option ${raw} for \`mlready ${command}\``, `Run \`mlready ${command} --help\` for its options.`);
    if (options.has(name)) throw new UsageError(`option --${name} is given twice`);
    if (!known[name]) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      options.set(name, '');
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    options.set(name, value);
  }
  return { options, positionals };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')}; got "${value}"`);
}

function isCommand(s: string | undefined): s is CommandName {
  return (COMMANDS as readonly string[]).includes(s ?? '');
}
