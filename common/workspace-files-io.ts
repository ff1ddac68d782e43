import * as fs from 'fs';
import * as path from 'path';
import { isWorkspaceRelativePath, type FileCreation, type SampleReader } from '../rules';

/**
 * Disk access for fixes that create files, shared by the CLI and the language server: bounded
 * reads of data samples (the contract generator never reads a whole data file) and the creation of
 * new files, which never overwrites anything. Every path is workspace-relative and checked.
 */

function inside(root: string, rel: string): string | undefined {
  if (!isWorkspaceRelativePath(rel)) return undefined;
  const full = path.resolve(root, ...rel.split('/'));
  const back = path.relative(path.resolve(root), full);
  return back && !back.startsWith('..') && !path.isAbsolute(back) ? full : undefined;
}

/** Reads byte ranges of workspace files; never more than the range asked for. */
export function diskSampleReader(root: string): SampleReader {
  return {
    async size(rel) {
      const full = inside(root, rel);
      if (!full) return undefined;
      try {
        const stat = await fs.promises.stat(full);
        return stat.isFile() ? stat.size : undefined;
      } catch {
        return undefined;
      }
    },
    async read(rel, start, end) {
      const full = inside(root, rel);
      if (!full) throw new Error(`${rel} is not inside the workspace`);
      const handle = await fs.promises.open(full, 'r');
      try {
        const length = Math.max(0, end - start);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

/** Current text of a workspace file, or undefined when there is none (or it is not a file). */
export function existingText(root: string, rel: string): string | undefined {
  const full = inside(root, rel);
  if (!full) return undefined;
  try {
    return fs.readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes new files (creating their folders). The `wx` flag makes the write fail rather than
 * replace a file that appeared since the plan was made.
 */
export function createWorkspaceFiles(root: string, files: FileCreation[]): void {
  for (const file of files) {
    const full = inside(root, file.path);
    if (!full) throw new Error(`${file.path} is not inside the workspace`);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.content, { flag: 'wx' });
  }
}
