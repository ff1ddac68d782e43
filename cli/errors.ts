/** Exit codes of the CLI (DESIGN.md §4, contract): CI scripts branch on them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A mistake in the command line or its inputs: reported in one line, with exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Appended after the message, e.g. "Run `mlready check --help`". */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
