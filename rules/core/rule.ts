import type { Node } from '../documents/python/syntax-tree';
import type { AnalyzedDocument } from '../documents/document';
import type { ResolvedConfig } from './config';
import type { FileFacts, WorkspaceFacts } from './facts';
import type { Applicability, Category, FileCreation, FixResolution, Severity, Stage } from './types';
import type { TextUnit } from './units';

/** What a rule looks at. 'python' covers .py files and notebooks' code cells as one program. */
export type RuleTarget = 'python' | 'notebook' | 'yaml' | 'requirements' | 'dockerfile' | 'dotenv' | 'toml' | 'workspace';

export interface RuleDocs {
  /** One sentence: what the rule reports. */
  summary: string;
  /** Why it matters for production. */
  why: string;
  /** Code that is flagged. */
  example: string;
  /** The production way to write it. */
  useInstead: string;
  /** Required when a fix exists: what the fix changes and why it is safe or not. */
  fixSafety?: string;
  /** Language of the example blocks (python, yaml, text). */
  language?: string;
}

export interface Rule {
  /** Stable code, family letter + number (contract). */
  code: string;
  /** Stable kebab-case name (contract). */
  name: string;
  category: Category;
  /** Default severity at the 'pilot' stage. */
  severity: Severity;
  /** Severities at other stages; when absent, the stage shifts the default (see severity.ts). */
  stageSeverity?: Partial<Record<Stage, Severity | 'off'>>;
  appliesTo: RuleTarget[];
  docs: RuleDocs;
  /** Whether the rule offers fixes, and the most permissive applicability it uses. */
  fixable?: Applicability;
  /** Default options, overridable in mlready.yaml under rules.<code>. */
  options?: Record<string, unknown>;
  /** Per-document check, for every target except 'workspace'. */
  check?(ctx: RuleContext): void;
  /** Project-level check, run once per scan after every file's facts are known. */
  checkWorkspace?(ctx: WorkspaceRuleContext): void;
}

export interface EditSpec {
  unit: TextUnit;
  start: number;
  end: number;
  newText: string;
}

export interface FixSpec {
  title: string;
  applicability: Applicability;
  edits: EditSpec[];
  /** Files the fix creates (see `Fix.createFiles`). */
  createFiles?: FileCreation[];
  /** See `Fix.resolve`. */
  resolve?: FixResolution;
}

export interface ReportSpec {
  /** Where: a unit (file or cell) and offsets in it. Omit for workspace-level findings. */
  unit?: TextUnit;
  start?: number;
  end?: number;
  message: string;
  /** Overrides the rule's default severity for this finding (before stage and config apply). */
  severity?: Severity;
  fixes?: FixSpec[];
  /** Checked once the workspace facts are complete; returning false drops the finding. */
  when?: (facts: WorkspaceFacts) => boolean;
  /**
   * Fixes that depend on other files (a version pinned in a lock file, a package installed in the
   * project's virtual environment): computed once the workspace facts are complete and appended
   * after `fixes`.
   */
  deferredFixes?: (facts: WorkspaceFacts) => FixSpec[];
  /** For workspace rules: the file the finding belongs to (defaults to the document's path). */
  path?: string | null;
}

export interface RuleContext {
  readonly rule: Rule;
  readonly doc: AnalyzedDocument;
  readonly config: ResolvedConfig;
  /** The stage that applies to this file (from mlready.yaml `stage`/`stages`, or raised by a pipeline). */
  readonly stage: Stage;
  /** The rule's options: defaults merged with mlready.yaml. */
  readonly options: Record<string, unknown>;
  /** Facts of this file, filled by the fact collectors before rules run. */
  readonly fileFacts: FileFacts;
  report(spec: ReportSpec): void;
  /** Shorthand for reporting a tree-sitter node of a Python unit. */
  reportNode(unit: TextUnit, node: Node, message: string, extra?: Omit<ReportSpec, 'unit' | 'start' | 'end' | 'message'>): void;
}

export interface WorkspaceRuleContext {
  readonly rule: Rule;
  readonly config: ResolvedConfig;
  readonly facts: WorkspaceFacts;
  readonly options: Record<string, unknown>;
  report(spec: { message: string; location?: FindingLocation; severity?: Severity }): void;
}

/** A place in a file recorded in facts, so that workspace rules can point at it later. */
export interface FindingLocation {
  path: string;
  cell?: number;
  range: import('./types').Range;
  fileRange: { start: number; end: number };
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
