/** Core vocabulary of the engine. Nothing here knows about VS Code, LSP or the file system. */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Categories and their family letters are a public contract (DESIGN.md §2). */
export type Category =
  | 'monitoring'
  | 'portability'
  | 'data-contracts'
  | 'reproducibility'
  | 'governance'
  | 'security'
  | 'reliability'
  | 'notebook-hygiene';

export const CATEGORY_LETTER: Record<Category, string> = {
  monitoring: 'M',
  portability: 'P',
  'data-contracts': 'D',
  reproducibility: 'R',
  governance: 'G',
  security: 'S',
  reliability: 'L',
  'notebook-hygiene': 'N',
};
export const CATEGORIES = Object.keys(CATEGORY_LETTER) as Category[];

export type Stage = 'exploration' | 'pilot' | 'production';
export const STAGES: readonly Stage[] = ['exploration', 'pilot', 'production'];

/** Zero-based, UTF-16 code units, as in LSP. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Applicability = 'safe' | 'unsafe';

/** An edit in the coordinates of one text unit (a plain file, or one notebook cell). */
export interface UnitEdit {
  /** Notebook cell index into the `cells` array; undefined for the file's own text. */
  cell?: number;
  range: Range;
  /** Offsets of the same range in the unit's text, and in the whole file's text. */
  start: number;
  end: number;
  fileStart: number;
  fileEnd: number;
  newText: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: UnitEdit[];
  /**
   * New files the fix adds, besides its edits (a generated schema module, a data contract).
   * Paths are relative to the workspace root, `/`-separated; an adapter creates a file only when
   * none exists at that path, and never overwrites one.
   */
  createFiles?: FileCreation[];
  /**
   * Set when the content of `createFiles` can be improved from workspace files the engine does
   * not read while linting (a data sample): the adapter passes the fix to `resolveFix` (engine)
   * with a reader, before applying it. Plain JSON, so it survives LSP `Diagnostic.data`.
   */
  resolve?: FixResolution;
}

export interface FileCreation {
  path: string;
  content: string;
}

export interface FixResolution {
  /** Which resolver completes the fix, e.g. `data-contract`. */
  kind: string;
  data: Record<string, unknown>;
}

export interface Finding {
  code: string;
  name: string;
  category: Category;
  severity: Severity;
  message: string;
  /** Path relative to the scanned root, `/`-separated; null for workspace-level findings. */
  file: string | null;
  /** 0-based index into a notebook's `cells` array; absent for whole-file findings. */
  cell?: number;
  range: Range;
  /** Offsets of the range in the whole file's raw text (the .ipynb JSON for notebooks). */
  fileRange: { start: number; end: number };
  fixes: Fix[];
  docUrl: string;
  /** True when the finding was raised under production-stage expectations. */
  stage?: Stage;
}

export interface SkippedFile {
  file: string;
  reason: string;
}
