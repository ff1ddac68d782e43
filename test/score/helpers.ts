import * as path from 'path';
import { DiskFiles } from '../../common/fs-files';
import { ALL_COLLECTORS, ALL_RULES, computeScore, initPython, Registry, scanWorkspace, workspaceCollectors, type ReadinessScore, type ScanResult } from '../../rules';

export const PROJECTS = path.resolve(__dirname, '..', 'score-projects');

/** The default rules and collectors, plus the readiness collectors (until rules/all.ts lists them). */
export function scoreRegistry(): Registry {
  return new Registry(ALL_RULES, [...ALL_COLLECTORS, ...workspaceCollectors.filter((c) => !ALL_COLLECTORS.includes(c))]);
}

export async function scoreProject(name: string): Promise<{ result: ScanResult; score: ReadinessScore }> {
  await initPython();
  const result = await scanWorkspace(new DiskFiles(path.join(PROJECTS, name)), scoreRegistry());
  return { result, score: computeScore(result.findings, result.facts, result.config) };
}
