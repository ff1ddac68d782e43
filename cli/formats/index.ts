import type { FormatName } from '../args';
import type { Palette } from '../color';
import type { CheckReport } from '../report';
import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';

export interface RenderOptions {
  /** Colours for the text format; the other formats never colour. */
  color: Palette;
  /** Findings only: no summary lines. */
  quiet: boolean;
}

const FORMATTERS: Record<FormatName, (report: CheckReport, options: RenderOptions) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
  github: formatGithub,
  gitlab: formatGitlab,
  junit: formatJunit,
};

export function render(format: FormatName, report: CheckReport, options: RenderOptions): string {
  return FORMATTERS[format](report, options);
}
