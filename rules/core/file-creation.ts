import type { FileCreation, Fix } from './types';

/**
 * The checks every adapter makes before it writes the files a fix creates (a generated schema
 * module, a data contract). A fix may only add files inside the workspace and never overwrites
 * one: when a file already exists with other content, the fix is not applied at all, because its
 * edits import what the fix meant to write, not what is there.
 */

/** A `/`-separated path relative to the workspace root that cannot leave it. */
export function isWorkspaceRelativePath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || p.includes('\0') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export type CreationPlan =
  /** Files to write; files that already exist with the same content are left out. */
  | { ok: true; create: FileCreation[] }
  | { ok: false; reason: string };

/**
 * Decides which of a fix's files to write. `existing(path)` returns the current text of a
 * workspace file, or undefined when there is none. Also sound for the same file planned twice in
 * one pass (two reads of one dataset): the second plan sees the first file and finds it identical.
 */
export function planFileCreation(fix: Fix, existing: (path: string) => string | undefined): CreationPlan {
  const create: FileCreation[] = [];
  const planned = new Map<string, string>();
  for (const file of fix.createFiles ?? []) {
    if (!isWorkspaceRelativePath(file.path)) return { ok: false, reason: `${file.path} is not a path inside the workspace` };
    const prior = planned.get(file.path);
    if (prior !== undefined) {
      if (prior !== file.content) return { ok: false, reason: `the fix writes ${file.path} twice with different content` };
      continue;
    }
    planned.set(file.path, file.content);
    const current = existing(file.path);
    if (current === undefined) create.push(file);
    else if (normalizeEol(current) !== normalizeEol(file.content)) return { ok: false, reason: `${file.path} already exists` };
  }
  return { ok: true, create };
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
