import type { ServerContext } from '../context';

/**
 * `shutdown` stops timers and scans so nothing runs after it; `exit` is handled by
 * vscode-languageserver (exit code 0 after shutdown, 1 without), which also exits when the
 * client process given in `initialize` dies.
 */
export function registerLifecycle(ctx: ServerContext): void {
  ctx.connection.onShutdown(() => {
    ctx.shuttingDown = true;
    try {
      ctx.linter.dispose();
      ctx.workspace.dispose();
    } catch (e) {
      ctx.log.failure('shutdown', e);
    }
  });
}
