import type { ServerContext } from '../context';
import { guardRequest } from '../safe';

/**
 * `shutdown` stops timers and scans so nothing runs after it; `exit` is handled by
 * vscode-languageserver (exit code 0 after shutdown, 1 without), which also exits when the
 * client process given in `initialize` dies.
 */
export function registerLifecycle(ctx: ServerContext): void {
  ctx.connection.onShutdown(
    guardRequest(ctx.log, 'shutdown', () => {
      ctx.shuttingDown = true;
      ctx.linter.dispose();
      ctx.workspace.dispose();
    }),
  );
}
