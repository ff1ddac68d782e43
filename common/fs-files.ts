import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceFiles } from '../rules';

/**
 * WorkspaceFiles over the disk, shared by the CLI and the language server. Symbolic links are not
 * followed into folders (no loops), unreadable folders are skipped, and the caller's `descend`
 * prunes ignored folders before they are listed.
 */
export class DiskFiles implements WorkspaceFiles {
  readonly unreadable: { file: string; reason: string }[] = [];

  constructor(readonly root: string) {}

  async *list(descend: (dir: string) => boolean): AsyncIterable<string> {
    const stat = await fs.promises.stat(this.root);
    if (stat.isFile()) {
      yield path.basename(this.root);
      return;
    }
    const stack: string[] = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(path.join(this.root, rel), { withFileTypes: true });
      } catch (e) {
        this.unreadable.push({ file: rel || '.', reason: `folder could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      // a folder's files are listed before its subfolders are asked about (their .gitignore decides)
      const folders: string[] = [];
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) folders.push(child);
        else if (entry.isFile()) yield child;
        else if (entry.isSymbolicLink()) {
          // a link to a file is read; a link to a folder is not followed (it may loop)
          try {
            if ((await fs.promises.stat(path.join(this.root, child))).isFile()) yield child;
          } catch {
            this.unreadable.push({ file: child, reason: 'broken symbolic link' });
          }
        }
      }
      for (const folder of folders) if (descend(folder)) stack.push(folder);
    }
  }

  /** Whether the root is a single file, asked once (every read and size used to stat it). */
  private rootIsFile?: boolean;

  private fullPath(rel: string): string {
    this.rootIsFile ??= fs.statSync(this.root).isFile();
    return this.rootIsFile ? this.root : path.join(this.root, rel);
  }

  read(rel: string): Promise<Uint8Array> {
    return fs.promises.readFile(this.fullPath(rel));
  }

  async size(rel: string): Promise<number> {
    return (await fs.promises.stat(this.fullPath(rel))).size;
  }
}

/** In-memory files, for tests and for the language server's open buffers. */
export class MemoryFiles implements WorkspaceFiles {
  constructor(readonly files: Map<string, string | Uint8Array>) {}

  /** Files of a folder before its subfolders' (as a walk of the disk lists them), each level by name. */
  async *list(descend: (dir: string) => boolean): AsyncIterable<string> {
    const asked = new Map<string, boolean>();
    for (const p of [...this.files.keys()].sort(filesFirst)) {
      const parts = p.split('/');
      let ok = true;
      for (let i = 1; i < parts.length && ok; i++) {
        const dir = parts.slice(0, i).join('/');
        let d = asked.get(dir);
        if (d === undefined) asked.set(dir, (d = descend(dir)));
        ok = d;
      }
      if (ok) yield p;
    }
  }

  async read(p: string): Promise<Uint8Array> {
    const v = this.files.get(p);
    if (v === undefined) throw Object.assign(new Error(`no such file: ${p}`), { code: 'ENOENT' });
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }

  async size(p: string): Promise<number> {
    return (await this.read(p)).length;
  }
}

/** Orders paths as a walk does: at each level, a folder's files before its subfolders, then by name. */
function filesFirst(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; ; i++) {
    const xFile = i === x.length - 1;
    const yFile = i === y.length - 1;
    if (xFile !== yFile) return xFile ? -1 : 1;
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    if (xFile) return 0;
  }
}
