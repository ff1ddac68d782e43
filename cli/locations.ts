import * as fs from 'fs';
import * as path from 'path';
import { decodeFile, LineIndex, type Finding, type Range } from '../rules';

/**
 * Where files and findings are on disk. Findings carry paths relative to PATH and, for notebooks,
 * ranges in cell coordinates; formats that point into files (SARIF, GitHub, GitLab) need positions
 * in the file's own text, which for a notebook is the .ipynb JSON.
 */
export class FileLocator {
  /** The folder that finding paths are relative to: PATH, or its folder when PATH is a file. */
  readonly rootDir: string;
  /**
   * The folder CI formats resolve paths against: the current directory when PATH lies inside it
   * (CI runs at the repository root, and GitHub/GitLab resolve paths against the checkout),
   * otherwise PATH itself.
   */
  readonly ciBase: string;
  /** Line indexes of the last notebooks read (findings come grouped by file, so a few suffice). */
  private readonly texts = new Map<string, LineIndex | null>();

  constructor(
    readonly rootAbs: string,
    readonly rootIsFile: boolean,
    cwd = process.cwd(),
  ) {
    this.rootDir = rootIsFile ? path.dirname(rootAbs) : rootAbs;
    const fromCwd = path.relative(cwd, this.rootDir);
    this.ciBase = fromCwd === '' || (!fromCwd.startsWith('..') && !path.isAbsolute(fromCwd)) ? cwd : this.rootDir;
  }

  /** Absolute path of a finding's file. */
  absolute(file: string): string {
    if (this.rootIsFile && file === path.basename(this.rootAbs)) return this.rootAbs;
    return path.resolve(this.rootDir, ...file.split('/'));
  }

  /** Path for CI formats: relative to `ciBase`, `/`-separated. */
  ciPath(file: string): string {
    return toPosix(path.relative(this.ciBase, this.absolute(file)));
  }

  /** The finding's range in its file's own text (0-based), or null when the file cannot be read again. */
  rangeInFile(f: Finding): Range | null {
    if (f.file === null) return null;
    if (!isNotebookPath(f.file)) return f.range;
    const index = this.lineIndex(f.file);
    return index ? index.rangeOf(f.fileRange.start, f.fileRange.end) : null;
  }

  private lineIndex(file: string): LineIndex | null {
    let index = this.texts.get(file);
    if (index !== undefined) {
      // most recently used last
      this.texts.delete(file);
      this.texts.set(file, index);
    } else {
      if (this.texts.size >= MAX_CACHED_TEXTS) this.texts.delete(this.texts.keys().next().value!);
      index = null;
      try {
        // decoded exactly as the engine decoded it, so offsets agree (a BOM is dropped)
        const decoded = decodeFile(file, fs.readFileSync(this.absolute(file)));
        if ('text' in decoded) index = new LineIndex(decoded.text);
      } catch {
        // the file vanished since the scan: the caller reports the finding without a region
      }
      this.texts.set(file, index);
    }
    return index;
  }
}

/** Notebook texts kept by a FileLocator: a report does not hold every notebook of the workspace. */
export const MAX_CACHED_TEXTS = 16;

export function isNotebookPath(file: string): boolean {
  return file.toLowerCase().endsWith('.ipynb');
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
