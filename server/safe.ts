import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Log } from './log';

/**
 * Every handler runs through these wrappers: a thrown error (or rejected promise) is logged and the
 * server keeps running. Notifications swallow the error; requests answer with the given fallback,
 * or with an InternalError response when there is no sensible fallback.
 */

export function guardNotification<P>(log: Log, name: string, handler: (params: P) => unknown, fileOf?: (params: P) => string | undefined): (params: P) => void {
  return (params: P) => {
    const fail = (e: unknown) => log.failure(name, e, safeFile(fileOf, params));
    try {
      const r = handler(params);
      if (r instanceof Promise) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

export function guardRequest<P, R, T>(log: Log, name: string, handler: (params: P, token: T) => R | Promise<R>, fallback?: () => R): (params: P, token: T) => Promise<R | ResponseError<void>> {
  return async (params: P, token: T) => {
    try {
      return await handler(params, token);
    } catch (e) {
      log.failure(name, e);
      if (fallback) return fallback();
      return new ResponseError(ErrorCodes.InternalError, `mlready: ${name} failed; see the mlready output for details.`);
    }
  };
}

/** Runs a piece of work detached from any handler (timers, scans), logging its failure. */
export function runGuarded(log: Log, name: string, work: () => unknown, file?: string): void {
  try {
    const r = work();
    if (r instanceof Promise) r.catch((e) => log.failure(name, e, file));
  } catch (e) {
    log.failure(name, e, file);
  }
}

function safeFile<P>(fileOf: ((p: P) => string | undefined) | undefined, params: P): string | undefined {
  try {
    return fileOf?.(params);
  } catch {
    return undefined;
  }
}
