/**
 * mlready's custom LSP messages, shared by the server and the VS Code client. Types only (plus
 * method-name constants): nothing here pulls runtime code from the engine or from LSP libraries,
 * so the client bundle can import it freely. Every result carries `version` so that fields can
 * be added without breaking an older client.
 */
import type { Range, WorkspaceEdit } from 'vscode-languageserver';
import type { Category, CategoryScore, MlTestScore, PracticeResult, ReadinessScore, ScoreGap, Severity, SkippedFile, Stage } from '../rules';

export type SeverityCounts = Record<Severity, number>;

/** `mlready/scanWorkspace` request: scan the workspace folder(s) again and publish the results. */
export const ScanWorkspaceRequest = { method: 'mlready/scanWorkspace' } as const;
export interface ScanWorkspaceParams {
  /** Only this folder (a workspace folder URI); all folders when absent. */
  folderUri?: string;
}
export interface ScanWorkspaceResult {
  version: 1;
  folders: {
    folderUri: string;
    scanned: number;
    skipped: number;
    findings: number;
    bySeverity: SeverityCounts;
    /** Overall readiness score, 0–100. */
    score: number;
    durationMs: number;
  }[];
}

/** `mlready/readiness` request: the score and the findings behind it, for the readiness panel. */
export const ReadinessRequest = { method: 'mlready/readiness' } as const;
export interface ReadinessParams {
  folderUri?: string;
  /** How many top findings to return per folder (default 50). */
  top?: number;
  /** How many findings to return in `findings` per folder (default 5000; 0 leaves them out). */
  maxFindings?: number;
}
export interface ReadinessFinding {
  code: string;
  name: string;
  category: Category;
  severity: Severity;
  message: string;
  /** Workspace-relative `/`-separated path; null for project-level findings. */
  path: string | null;
  /** URI of the file; null for project-level findings. */
  uri: string | null;
  /** Range in the cell when `cell` is set, else in the file. */
  range: Range;
  /** Cell index (in the .ipynb `cells` array, or in the open notebook's cells). */
  cell?: number;
  /** URI of the cell when the notebook is open in the notebook editor. */
  cellUri?: string;
  docUrl: string;
}
/** A place in the workspace the panel can open (a practice's evidence, a gap's finding). */
export interface ReadinessLocation {
  path: string;
  uri: string;
  cell?: number;
  /** URI of the cell when the notebook is open in the notebook editor. */
  cellUri?: string;
  range?: Range;
}
export type ReadinessPractice = Omit<PracticeResult, 'locations'> & { locations: ReadinessLocation[] };
export type ReadinessGap = Omit<ScoreGap, 'locations'> & { locations: ReadinessLocation[] };
/**
 * The score as sent: `overall`, `categories` and `deductions` always; the explanation (practices,
 * per-category losses, ML Test Score) from servers that compute it (issue 9).
 */
export interface ReadinessScoreWire extends Pick<ReadinessScore, 'overall' | 'categories' | 'deductions'> {
  stage?: Stage;
  size?: ReadinessScore['size'];
  practices?: ReadinessPractice[];
  details?: Record<Category, CategoryScore>;
  overallLosses?: ReadinessScore['overallLosses'];
  mlTestScore?: MlTestScore;
}
export interface FileReadiness {
  path: string;
  uri: string;
  findings: number;
  byCategory: Partial<Record<Category, number>>;
  bySeverity: SeverityCounts;
  /** True when the file is open in the editor (its findings come from the live buffer). */
  open: boolean;
}
export interface FolderReadiness {
  folderUri: string;
  name: string;
  /** `computeScore` over every finding of the folder (open buffers and disk). */
  score: ReadinessScoreWire;
  /** The gaps that cost the most overall points, ranked (at most 20). */
  gaps?: ReadinessGap[];
  /** Every finding of the folder (at most `maxFindings`), for the file table and the tree view. */
  findings?: ReadinessFinding[];
  /** True when `findings` was cut at `maxFindings`. */
  findingsTruncated?: boolean;
  stage?: Stage;
  /** Findings counted by severity and category, over the whole folder. */
  bySeverity: SeverityCounts;
  byCategory: Partial<Record<Category, number>>;
  /** Files with at least one finding, most findings first. */
  files: FileReadiness[];
  /** The most severe findings first (errors, then warnings …), at most `top`. */
  topFindings: ReadinessFinding[];
  /** Findings about the project as a whole (no file): model card, owner … */
  projectFindings: ReadinessFinding[];
  skipped: SkippedFile[];
  /** False until the first workspace scan of the folder finished (or when scanning is off). */
  scanned: boolean;
  scanning: boolean;
  /** ISO time of the last completed scan. */
  scannedAt?: string;
}
export interface ReadinessResult {
  version: 1;
  folders: FolderReadiness[];
}

/**
 * `mlready/readinessChanged` notification (server → client): findings or facts of a folder changed
 * (a re-lint after an edit or a save, a file event, a scan). Debounced (at most one every 300 ms);
 * views that show readiness ask `mlready/readiness` again.
 */
export const ReadinessChangedNotification = { method: 'mlready/readinessChanged' } as const;
export interface ReadinessChangedParams {
  version: 1;
  folderUris: string[];
}

/** `mlready/fixAllWorkspace` request: the safe fixes of every file, as one edit to preview. */
export const FixAllWorkspaceRequest = { method: 'mlready/fixAllWorkspace' } as const;
export interface FixAllWorkspaceParams {
  folderUri?: string;
}
export interface FixAllWorkspaceResult {
  version: 1;
  edit: WorkspaceEdit;
  /** Number of fixes in the edit, and of files it touches. */
  fixes: number;
  files: number;
}

/** `mlready/status` notification (server → client): for the status bar. */
export const StatusNotification = { method: 'mlready/status' } as const;
export interface StatusParams {
  version: 1;
  state: 'scanning' | 'idle';
  /** Files analysed (open and scanned) and their findings. */
  files: number;
  findings: number;
  bySeverity: SeverityCounts;
  /** Overall score of the first folder, when known. */
  score?: number;
  /** Short human text, e.g. "Scanning 120 files…". */
  message?: string;
}

/** Settings under the `mlready` section, pulled with `workspace/configuration`. */
export interface MlreadySettings {
  enable: boolean;
  scanWorkspace: boolean;
  /** Delay between the last keystroke and the re-lint of a document. */
  debounceMs: number;
  /** Overrides the project stage of mlready.yaml; null or absent keeps the file's. */
  stage?: 'exploration' | 'pilot' | 'production' | null;
}

/** `initializationOptions` the client may send. */
export interface MlreadyInitializationOptions {
  /** File URI of the extension's docs/rules folder; rule links become `docsBaseUri + CODE-name.md`. */
  docsBaseUri?: string;
}

/** Client-side command the "Show documentation" code action runs, with the doc URL as argument. */
export const SHOW_RULE_DOCS_COMMAND = 'mlready.showRuleDocs';
/** Code action kind of the fix-all source action. */
export const FIX_ALL_KIND = 'source.fixAll.mlready';
