import type { WorkspaceFacts } from '../core/facts';
import type { FixSpec, RuleContext } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { envBackedLiteral, envNameFor, toEnvName } from '../fixes/python-edits';
import type { LocationSite } from './python-sites';

/** Reports a location in Python, with the fix that reads it from the environment when the literal is only that location. */
export function reportPythonSite(ctx: RuleContext, program: PythonProgram, site: LocationSite, message: string, fallbackName: string, when?: (facts: WorkspaceFacts) => boolean): void {
  const unit = site.literal.unit as PythonUnit;
  const fixes: FixSpec[] = [];
  if (site.whole) {
    const envName = envNameFor(site.literal.node, fallbackName);
    fixes.push({
      title: `Read from the environment variable ${envName} (keeps the current value as the default)`,
      applicability: 'safe',
      edits: envBackedLiteral(program, unit, site.literal.node, envName),
    });
  }
  ctx.report({ unit, start: site.start, end: site.end, message, fixes, when });
}

/** `DATA_PATH` from `/home/ana/data/train.csv`: the file's stem, or the last folder. */
export function nameFromPath(path: string, suffix: string): string {
  const last = path.split(/[\\/]/).filter(Boolean).pop() ?? 'DATA';
  const stem = last.replace(/\.[A-Za-z0-9]+$/, '');
  return toEnvName(`${stem}_${suffix}`);
}

export function describePath(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
