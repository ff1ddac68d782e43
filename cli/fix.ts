import * as fs from 'fs';
import { applyFixes, decodeFile, type Finding, type ScanResult } from '../rules';
import { isNotebookPath, type FileLocator } from './locations';

/**
 * `--fix`: applies fixes to the files on disk, rescanning after each pass because a fix may enable
 * another (or two fixes overlapped and only the first was applied), until nothing changes or
 * MAX_PASSES is reached. Only `safe` fixes unless `--unsafe-fixes`. Notebooks are edited through
 * the fixes' file offsets, and the engine escapes inserted text for the JSON string it lands in.
 */
export const MAX_PASSES = 5;

export interface FixOutcome {
  result: ScanResult;
  applied: number;
  files: Set<string>;
}

export async function fixUntilStable(scan: () => Promise<ScanResult>, locator: FileLocator, unsafe: boolean): Promise<FixOutcome> {
  let result = await scan();
  let applied = 0;
  const files = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let appliedThisPass = 0;
    for (const [file, findings] of fixableByFile(result.findings, unsafe)) {
      const n = fixFile(locator.absolute(file), file, findings, unsafe);
      if (n) {
        appliedThisPass += n;
        files.add(file);
      }
    }
    if (!appliedThisPass) break;
    applied += appliedThisPass;
    result = await scan();
  }
  return { result, applied, files };
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
function fixFile(absolute: string, file: string, findings: Finding[], unsafe: boolean): number {
  const bytes = fs.readFileSync(absolute);
  // decoded as the engine decoded it, so the fixes' offsets match; a BOM is put back on write
  const decoded = decodeFile(file, bytes);
  if (!('text' in decoded)) return 0;
  const { text, applied } = applyFixes(decoded.text, findings, isNotebookPath(file), !unsafe);
  if (!applied || text === decoded.text) return 0;
  const hadBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  fs.writeFileSync(absolute, hadBom ? BOM + text : text);
  return applied;
}
