import * as path from 'path';
import { fileURLToPath } from 'url';

/**
 * URIs and workspace-relative paths. The engine sees `/`-separated paths relative to a workspace
 * folder; LSP sees URIs. URIs we build for files the client never opened follow VS Code's own
 * encoding (every character outside [A-Za-z0-9-._~] percent-encoded) so they match its URIs.
 */

/** File system path of a `file:` URI, or undefined for other schemes (untitled:, vscode-notebook-cell: …). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The last segment of a URI's path, decoded: the name classify() looks at. */
export function baseNameOf(uri: string): string {
  const noQuery = uri.replace(/[?#].*$/, '');
  const last = noQuery.slice(noQuery.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** `/`-separated path of `fsPath` relative to `root`, or undefined when it is not inside. */
export function relativeTo(root: string, fsPath: string): string | undefined {
  const rel = path.relative(root, fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** URI of a workspace-relative path under a folder URI. */
export function childUri(folderUri: string, relPath: string): string {
  const base = folderUri.endsWith('/') ? folderUri.slice(0, -1) : folderUri;
  return `${base}/${relPath.split('/').map(encodeSegment).join('/')}`;
}
