/**
 * The environment the language server runs in, shared by the extension (client/language-client.ts)
 * and the tests and benchmark that start the server the same way (test/lsp/client.ts).
 *
 * glibc's malloc keeps memory that a burst of work freed (a workspace scan moves tens of MB of
 * results between threads) unless told to give it back: with these thresholds, allocations over
 * 128 kB are mapped on their own and returned when freed, and free memory at the top of the heap
 * is trimmed past 128 kB. The server stays a long-lived process with what it keeps, not what it
 * once needed. A value the user set is left as it is; other platforms ignore these variables.
 */
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

export function serverEnvironment(base: NodeJS.ProcessEnv, codeCacheDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(SERVER_MALLOC_ENV)) env[key] ??= value;
  if (codeCacheDir) env.MLREADY_CODE_CACHE ??= codeCacheDir;
  return env;
}
