/**
 * Bytes to text, or a clear reason why a file is not analysed. Nothing is guessed: binary files and
 * invalid UTF-8 are reported as skipped rather than linted as garbage.
 */
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const NOTEBOOK_MAX_BYTES = 50 * 1024 * 1024;

export type Decoded = { text: string } | { skip: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function maxBytesFor(path: string): number {
  return path.toLowerCase().endsWith('.ipynb') ? NOTEBOOK_MAX_BYTES : DEFAULT_MAX_BYTES;
}

/** The reason a file of this size is not analysed, or undefined when it is small enough. */
export function oversize(path: string, size: number, maxBytes = maxBytesFor(path)): string | undefined {
  return size > maxBytes ? `file is ${(size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit for analysis` : undefined;
}

export function decodeFile(path: string, bytes: Uint8Array, maxBytes = maxBytesFor(path)): Decoded {
  const tooLarge = oversize(path, bytes.length, maxBytes);
  if (tooLarge) return { skip: tooLarge };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { skip: 'binary file (contains NUL bytes)' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { skip: 'not valid UTF-8 text' };
  }
}
