// The whole-string formatters from before output was streamed, by format (see the files beside).
import type { FormatName } from '../../../cli/args';
import type { RenderOptions } from '../../../cli/formats';
import type { CheckReport } from '../../../cli/report';
import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const LEGACY_FORMATTERS: Record<FormatName, (report: CheckReport, options: RenderOptions) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
  github: formatGithub,
  gitlab: formatGitlab,
  junit: formatJunit,
};
