import { performance } from 'perf_hooks';
import type { Range } from 'vscode-languageserver/node';
import { finalizeDocument, lintDocument, suppressionComment, type AnalyzedDocument, type Applicability, type FileFacts, type Finding, type LintOptions, type UnitEdit, type WorkspaceFacts, type FileCreation, type FixResolution } from '../../rules';
import type { LocatedEdit, Locator } from './locate';

/**
 * One lint of one document: parse, run the rules, record the file's facts, finalize against the
 * workspace facts, and place every finding, fix and "ignore" edit where the editor shows it. The
 * document (with its trees) is disposed before returning: only findings and facts survive.
 */

export interface LocatedFix {
  title: string;
  applicability: Applicability;
  edits: LocatedEdit[];
  /** Workspace-relative files the fix adds (see `Fix.createFiles`); the code action creates them. */
  createFiles?: FileCreation[];
  resolve?: FixResolution;
}

export interface LocatedFinding {
  finding: Finding;
  uri: string;
  range: Range;
  /** Fixes whose every edit could be placed in this editor document. */
  fixes: LocatedFix[];
  /** Inserts the suppression comment on its own line above the finding, when a comment can go there. */
  ignore?: LocatedEdit;
}

export interface Analysis {
  findings: Finding[];
  facts: FileFacts;
  located: LocatedFinding[];
  ruleErrors: { code: string; message: string }[];
  durationMs: number;
}

export function analyze(load: () => AnalyzedDocument, locator: Locator, options: LintOptions, facts: WorkspaceFacts): Analysis {
  const started = performance.now();
  const doc = load();
  try {
    const result = lintDocument(doc, options);
    facts.set(result.facts);
    const findings = finalizeDocument(result, facts, options, doc);
    const located: LocatedFinding[] = [];
    for (const finding of findings) {
      const place = locator.finding(finding);
      if (!place) continue;
      const fixes = locateFixes(finding, locator);
      const ignore = ignoreEdit(doc, finding);
      const ignoreAt = ignore && locator.edit(ignore);
      located.push({ finding, ...place, fixes, ...(ignoreAt ? { ignore: ignoreAt } : {}) });
    }
    return { findings, facts: result.facts, located, ruleErrors: result.ruleErrors, durationMs: performance.now() - started };
  } finally {
    doc.dispose();
  }
}

export function locateFixes(finding: Finding, locator: Locator): LocatedFix[] {
  const out: LocatedFix[] = [];
  for (const fix of finding.fixes) {
    const edits = fix.edits.map((e) => locator.edit(e));
    if (!edits.every((e): e is LocatedEdit => !!e)) continue;
    const located: LocatedFix = { title: fix.title, applicability: fix.applicability, edits };
    if (fix.createFiles?.length) located.createFiles = fix.createFiles;
    if (fix.resolve) located.resolve = fix.resolve;
    out.push(located);
  }
  return out;
}

type Unit = AnalyzedDocument['file'];

/** Governance findings about suppression comments cannot sensibly be suppressed by another one. */
const NOT_IGNORABLE = /^G90\d$/;

/** `# mlready: ignore[CODE] reason: …` on a new line above the finding, with the line's indentation. */
export function ignoreEdit(doc: AnalyzedDocument, f: Finding): UnitEdit | undefined {
  if (NOT_IGNORABLE.test(f.code)) return undefined;
  const unit = commentableUnit(doc, f);
  if (!unit) return undefined;
  const line = f.range.start.line;
  if (line >= unit.lines.lineCount) return undefined;
  const start = unit.lines.lineStart(line);
  if (insideMultilineString(doc, unit, start) || (doc.kind === 'yaml' && insideYamlBlockScalar(unit, line))) return undefined;
  const indent = /^[ \t]*/.exec(unit.lines.lineText(line))![0];
  const position = { line, character: 0 };
  const edit: UnitEdit = {
    range: { start: position, end: position },
    start,
    end: start,
    fileStart: unit.toFileOffset(start),
    fileEnd: unit.toFileOffset(start),
    newText: `${indent}${suppressionComment(f.code)}${eolOf(unit.text)}`,
  };
  if (unit.cell !== undefined) edit.cell = unit.cell;
  return edit;
}

/** The unit where a `#` comment above the finding is read as a suppression, if any. */
function commentableUnit(doc: AnalyzedDocument, f: Finding): Unit | undefined {
  if (doc.kind === 'notebook') {
    if (f.cell === undefined) return undefined;
    const cell = doc.notebook?.cells.find((c) => c.index === f.cell);
    return cell?.type === 'code' ? cell.unit : undefined;
  }
  return doc.file;
}

function insideMultilineString(doc: AnalyzedDocument, unit: Unit, offset: number): boolean {
  const py = doc.python?.units.find((u) => u.cell === unit.cell);
  return !!py && py.nodes('string').some((n) => n.startIndex < offset && n.endIndex > offset);
}

/** A line inside a `key: |` or `key: >` block: a `#` line there would become part of the value. */
function insideYamlBlockScalar(unit: Unit, line: number): boolean {
  const indentOf = (text: string) => /^[ \t]*/.exec(text)![0].length;
  const own = indentOf(unit.lines.lineText(line));
  for (let l = line - 1; l >= 0; l--) {
    const text = unit.lines.lineText(l);
    if (text.trim() === '') continue;
    if (indentOf(text) < own) return /[|>][-+0-9]*\s*(#.*)?$/.test(text);
  }
  return false;
}

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
