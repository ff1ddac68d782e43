import type { Connection } from 'vscode-languageserver/node';

/**
 * Logging to the client's output channel. Messages name rules, files and handlers but never quote
 * a file's content: error messages can embed source text (a JSON parser's "unexpected token …"),
 * so for errors only their class and stack frames are logged.
 */
export class Log {
  private readonly ruleErrorsSeen = new Set<string>();

  constructor(private readonly connection: Connection) {}

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  debug(message: string): void {
    this.connection.console.debug(message);
  }

  /** An error in one of our handlers: the server keeps running. */
  failure(where: string, error: unknown, file?: string): void {
    this.connection.console.error(`mlready: ${where}${file ? ` on ${file}` : ''} failed: ${describeError(error)}`);
  }

  /** A rule that threw on a file: logged once per rule and file. */
  ruleError(code: string, file: string): void {
    const key = `${code}\u0000${file}`;
    if (this.ruleErrorsSeen.has(key)) return;
    this.ruleErrorsSeen.add(key);
    this.connection.console.error(`mlready: rule ${code} failed on ${file}; the other rules' findings are still reported.`);
  }
}

/** Error class and stack frames, without the message (which may quote user text). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 6)
    .map((l) => l.trim())
    .join(' | ');
  return `${error.name}${frames ? ` (${frames})` : ''}`;
}
