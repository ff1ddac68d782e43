import type { TextEdit } from 'vscode-languageserver/node';
import { applyFixes, finalizeDocument, lintDocument, loadDocument, type Finding, type LintOptions, type SourceKind, type WorkspaceFacts } from '../../rules';
import { changedSpan } from '../../rules/core/changed-span';
import { lineStartsOf } from './positions';

/**
 * Fix-all for a document held as one text (a module, a YAML file, an .ipynb opened as JSON): safe
 * fixes are applied in memory and the result is linted again until nothing changes, as the CLI's
 * `--fix` does, because a fix may enable another (moving a notebook's imports up leaves an empty
 * cell that the next pass deletes). The editor then gets one edit, and running fix-all a second
 * time changes nothing. The workspace facts are left as they were: the result is only a proposal.
 */
export const MAX_FIX_PASSES = 5;

export interface FixAllResult {
  /** Replaces the span that differs between the document and its fixed text; undefined when nothing changes. */
  edit?: TextEdit;
  fixes: number;
}

export function fixAllText(text: string, path: string, kind: SourceKind, first: Finding[], options: LintOptions, facts: WorkspaceFacts): FixAllResult {
  const isNotebook = kind === 'notebook';
  let current = text;
  let findings = first;
  let fixes = 0;
  const saved = facts.files.get(path);
  const listed = facts.paths.has(path);
  try {
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const { text: next, applied } = applyFixes(current, findings, isNotebook, true);
      if (!applied || next === current) break;
      fixes += applied;
      current = next;
      if (pass + 1 < MAX_FIX_PASSES) findings = lintText(current, path, kind, options, facts);
    }
  } finally {
    if (saved) facts.files.set(path, saved);
    else facts.files.delete(path);
    if (!listed) facts.paths.delete(path);
  }
  return current === text ? { fixes: 0 } : { edit: spanEdit(text, current), fixes };
}

function lintText(text: string, path: string, kind: SourceKind, options: LintOptions, facts: WorkspaceFacts): Finding[] {
  const doc = loadDocument(path, text, kind);
  try {
    const result = lintDocument(doc, options);
    facts.set(result.facts);
    return finalizeDocument(result, facts, options, doc);
  } finally {
    doc.dispose();
  }
}

/** One edit over the changed span only, so the editor keeps cursors, folding and undo steps outside it. */
export function spanEdit(before: string, after: string): TextEdit {
  const span = changedSpan(before, after);
  let start = span.start;
  let end = before.length - span.oldEnd;
  // never split a surrogate pair or a \r\n between the kept and the replaced text
  while (start > 0 && isTrailSurrogateOrLf(before, start)) start--;
  while (end > 0 && isTrailSurrogateOrLf(before, before.length - end)) end--;
  const lines = lineStartsOf(before);
  return { range: { start: lines.positionAt(start), end: lines.positionAt(before.length - end) }, newText: after.slice(start, after.length - end) };
}

function isTrailSurrogateOrLf(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  return (c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff) || (c === 10 && p === 13);
}
