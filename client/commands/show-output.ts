import type { CommandServices } from './context';

/** `mlready.showOutput`: the server's log (and trace, with `mlready.trace.server`). */
export function showOutput({ session }: CommandServices): void {
  session.outputChannel.show(true);
}
