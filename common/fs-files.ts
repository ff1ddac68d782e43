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
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (descend(child)) stack.push(child);
        } else if (entry.isFile()) yield child;
        else if (entry.isSymbolicLink()) {
          // a link to a file is read; a link to a folder is not followed (it may loop)
          try {
            if ((await fs.promises.stat(path.join(this.root, child))).isFile()) yield child;
          } catch {
            this.unreadable.push({ file: child, reason: 'broken symbolic link' });
          }
        }
      }
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

  async *list(descend: (dir: string) => boolean): AsyncIterable<string> {
    for (const p of [...this.files.keys()].sort()) {
      const parts = p.split('/');
      let ok = true;
      for (let i = 1; i < parts.length && ok; i++) ok = descend(parts.slice(0, i).join('/'));
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
