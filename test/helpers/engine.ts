import { DiskFiles, MemoryFiles } from '../../common/fs-files';
import { defaultRegistry, initPython, scanWorkspace, type ScanResult } from '../../rules';

export async function scanDir(dir: string): Promise<ScanResult> {
  await initPython();
  return scanWorkspace(new DiskFiles(dir), defaultRegistry());
}

/** Scans files given as a path → text map, as if they were a workspace. */
export async function scanFiles(files: Record<string, string>): Promise<ScanResult> {
  await initPython();
  return scanWorkspace(new MemoryFiles(new Map(Object.entries(files))), defaultRegistry());
}

export function codes(result: ScanResult, code?: string): string[] {
  return result.findings.filter((f) => !code || f.code === code).map((f) => `${f.file}${f.cell !== undefined ? `#${f.cell}` : ''}:${f.range.start.line + 1} ${f.code}`);
}
