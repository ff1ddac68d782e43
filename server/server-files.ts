import * as fs from 'fs';
import * as path from 'path';
import { DiskFiles } from '../common/fs-files';
import { CONFIG_FILE_NAMES, type WorkspaceFiles } from '../rules';
import { lineStartsOf, type PositionMapper } from './lint/positions';

/**
 * The workspace as the language server sees it: open buffers first, the disk second. A scan can be
 * cancelled (the listing stops and reads fail), so a superseded scan ends quickly. Line starts of
 * notebooks read during a scan are kept until their diagnostics are published, because findings in
 * a closed .ipynb are shown at positions of its JSON text.
 */
export class ServerFiles implements WorkspaceFiles {
  private cancelled = false;
  private readonly disk: DiskFiles;
  readonly notebookPositions = new Map<string, PositionMapper>();

  constructor(
    readonly root: string,
    /** Text of an open buffer for a workspace-relative path. */
    private readonly openText: (relPath: string) => string | undefined,
    /** Paths open in the editor; in open-only mode only these (and mlready.yaml) are listed. */
    private readonly openPaths: () => string[],
    private readonly openOnly: boolean,
  ) {
    this.disk = new DiskFiles(root);
  }

  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  async *list(descend: (dir: string) => boolean): AsyncIterable<string> {
    const seen = new Set<string>();
    if (!this.openOnly) {
      for await (const p of this.disk.list(descend)) {
        if (this.cancelled) return;
        seen.add(p);
        yield p;
      }
    } else {
      for (const name of CONFIG_FILE_NAMES) {
        if (this.openText(name) !== undefined || fs.existsSync(path.join(this.root, name))) {
          seen.add(name);
          yield name;
        }
      }
    }
    // open buffers of files that are not on disk yet (new files not saved), and in open-only mode every open file
    for (const p of this.openPaths()) {
      if (this.cancelled) return;
      if (seen.has(p)) continue;
      if (this.openText(p) !== undefined || fs.existsSync(path.join(this.root, p))) yield p;
    }
  }

  async read(relPath: string): Promise<Uint8Array> {
    if (this.cancelled) throw Object.assign(new Error('scan cancelled'), { code: 'ECANCELED' });
    const open = this.openText(relPath);
    const bytes = open !== undefined ? new TextEncoder().encode(open) : await fs.promises.readFile(path.join(this.root, relPath));
    if (relPath.toLowerCase().endsWith('.ipynb')) this.notebookPositions.set(relPath, lineStartsOf(new TextDecoder().decode(bytes)));
    return bytes;
  }

  /** Sizes of files the scan does not read (large data files): from the buffer when open, else the disk. */
  async size(relPath: string): Promise<number> {
    const open = this.openText(relPath);
    return open !== undefined ? Buffer.byteLength(open) : this.disk.size(relPath);
  }

  /** Names of config files present (open or on disk), as loadConfig expects. */
  configNames(): Set<string> {
    return new Set(CONFIG_FILE_NAMES.filter((name) => this.openText(name) !== undefined || fs.existsSync(path.join(this.root, name))));
  }
}
