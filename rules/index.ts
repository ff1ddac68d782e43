/** The engine's public surface, used by the CLI, the language server and the tests. */
export { defaultRegistry, ALL_RULES, ALL_COLLECTORS } from './all';
export { initPython } from './documents/python/parser';
export { classify, loadDocument, documentFromNotebook, type AnalyzedDocument, type SourceKind } from './documents/document';
export { notebookFromCells, parseNotebook, type CellInput, type NotebookModel } from './documents/notebook';
export { lintDocument, finalizeDocument, compareFindings, type DocumentResult, type LintOptions, type PendingFinding } from './core/engine';
export { parseConfig, defaultConfig, stageFor, isIgnoredPath, isTestPath, CONFIG_FILE_NAMES, type ResolvedConfig, type ConfigProblem } from './core/config';
export { WorkspaceFacts, type FileFacts } from './core/facts';
export { Registry, docPath, docUrl, DOCS_BASE_URL } from './core/registry';
export { maskSecret, redact } from './core/mask';
export { suppressionComment } from './core/suppressions';
export { decodeFile } from './workspace/decode';
export { scanWorkspace, loadConfig, type ScanResult, type ScanOptions, type WorkspaceFiles, type SuppressionRecord } from './workspace/scan';
export { LineIndex } from './core/lines';
export type { Rule, RuleDocs, RuleContext } from './core/rule';
export * from './core/types';
export { applyFixes, applyEditsToFile, selectFixes, orderEdits } from './core/apply-fixes';
export { computeScore, type ReadinessScore, type ScoreDeduction } from './workspace/score';
export { resolveFix, type SampleReader } from './data-contracts/contract-fix';
