import * as fs from 'fs';
import { applyEditsToFile, decodeFile, needsFileCreation, planFileCreation, resolveFix, selectFixes, type Finding, type Fix, type ScanResult } from '../rules';
import { createWorkspaceFiles, diskSampleReader, existingText } from '../common/workspace-files-io';
import { isNotebookPath, type FileLocator } from './locations';

/**
 * `--fix`: applies fixes to the files on disk, rescanning after each pass because a fix may enable
 * another (or two fixes overlapped and only the first was applied), until nothing changes or
 * MAX_PASSES is reached. Only `safe` fixes unless `--unsafe-fixes`. Notebooks are edited through
 * the fixes' file offsets, and the engine escapes inserted text for the JSON string it lands in.
 *
 * Fixes that create files (a generated data contract) are unsafe, so they come only with
 * `--unsafe-fixes`: the fix is first completed from a bounded sample of the data (`resolveFix`),
 * its new files are written (never over an existing file: a fix whose file exists with other
 * content is skipped), and only then are its edits applied.
 */
export const MAX_PASSES = 5;

export interface FixOutcome {
  result: ScanResult;
  applied: number;
  files: Set<string>;
  /** Workspace-relative paths of the files that fixes created. */
  created: string[];
  /** Fixes not applied because their files could not be created, with why. */
  notApplied: { file: string; fix: string; reason: string }[];
}

export async function fixUntilStable(scan: () => Promise<ScanResult>, locator: FileLocator, unsafe: boolean): Promise<FixOutcome> {
  let result: ScanResult | undefined = await scan();
  const outcome: Omit<FixOutcome, 'result'> = { applied: 0, files: new Set(), created: [], notApplied: [] };
  const refused = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let appliedThisPass = 0;
    for (const [file, findings] of fixableByFile(result.findings, unsafe)) {
      const n = await fixFile(locator, file, findings, unsafe, outcome, refused);
      if (n) {
        appliedThisPass += n;
        outcome.files.add(file);
      }
    }
    if (!appliedThisPass) break;
    outcome.applied += appliedThisPass;
    // this pass's findings are stale: let them go before the rescan makes new ones (on a large
    // workspace two scans' findings at once are tens of MB)
    result = undefined;
    result = await scan();
  }
  return { ...outcome, result };
}

function fixableByFile(findings: readonly Finding[], unsafe: boolean): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    // only files inside PATH are ever written (an explicit --config elsewhere is not)
    if (f.file === null || f.file.startsWith('../')) continue;
    if (!f.fixes.some((x) => unsafe || x.applicability === 'safe')) continue;
    let list = out.get(f.file);
    if (!list) out.set(f.file, (list = []));
    list.push(f);
  }
  return out;
}

const BOM = '\uFEFF';

/** Applies one pass of fixes to a file; returns how many fixes were written. */
async function fixFile(locator: FileLocator, file: string, findings: Finding[], unsafe: boolean, outcome: Pick<FixOutcome, 'created' | 'notApplied'>, refused: Set<string>): Promise<number> {
  const absolute = locator.absolute(file);
  const bytes = fs.readFileSync(absolute);
  // decoded as the engine decoded it, so the fixes' offsets match; a BOM is put back on write
  const decoded = decodeFile(file, bytes);
  if (!('text' in decoded)) return 0;
  // a file-creating fix refused once (its file exists) is not offered again: the next fix of the finding is
  const candidates = findings.map((f) => ({ ...f, fixes: f.fixes.filter((x) => !needsFileCreation(x) || !refused.has(refusalKey(file, x))) }));
  const chosen: Fix[] = [];
  for (const fix of selectFixes(candidates, !unsafe, unsafe)) {
    if (!needsFileCreation(fix)) {
      chosen.push(fix);
      continue;
    }
    const created = await createFilesOf(locator.rootDir, fix);
    if (created.ok) {
      outcome.created.push(...created.paths);
      chosen.push(fix);
    } else {
      refused.add(refusalKey(file, fix));
      outcome.notApplied.push({ file, fix: fix.title, reason: created.reason });
    }
  }
  if (!chosen.length) return 0;
  const text = applyEditsToFile(decoded.text, chosen.flatMap((f) => f.edits), isNotebookPath(file));
  if (text !== decoded.text) {
    const hadBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    fs.writeFileSync(absolute, hadBom ? BOM + text : text);
  }
  return chosen.length;
}

function refusalKey(file: string, fix: Fix): string {
  return `${file}\u0000${fix.title}`;
}

/** Completes the fix from its data sample, then writes its files unless one exists with other content. */
async function createFilesOf(root: string, fix: Fix): Promise<{ ok: true; paths: string[] } | { ok: false; reason: string }> {
  const resolved = await resolveFix(fix, diskSampleReader(root));
  const plan = planFileCreation(resolved, (p) => existingText(root, p));
  if (!plan.ok) return plan;
  try {
    createWorkspaceFiles(root, plan.create);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return { ok: true, paths: plan.create.map((f) => f.path) };
}
