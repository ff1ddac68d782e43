import type { FormatName } from '../args';
import type { Palette } from '../color';
import type { CheckReport } from '../report';
import { githubFormat } from './github';
import { gitlabFormat } from './gitlab';
import { jsonFormat } from './json';
import { junitFormat } from './junit';
import { markdownFormat } from './markdown';
import { sarifFormat } from './sarif';
import { batched, joined, type Chunks } from './stream';
import { textFormat } from './text';

export interface RenderOptions {
  /** Colours for the text format; the other formats never colour. */
  color: Palette;
  /** Findings only: no summary lines. */
  quiet: boolean;
}

/** Each format yields its text in pieces (see stream.ts); joined, they are the whole report. */
const FORMATTERS: Record<FormatName, (report: CheckReport, options: RenderOptions) => Chunks> = {
  text: textFormat,
  json: jsonFormat,
  sarif: sarifFormat,
  markdown: markdownFormat,
  github: githubFormat,
  gitlab: gitlabFormat,
  junit: junitFormat,
};

/**
 * The report's text in pieces of about CHUNK_SIZE characters, produced as they are consumed: write
 * each before asking for the next, and the whole text never exists at once.
 */
export function renderChunks(format: FormatName, report: CheckReport, options: RenderOptions): Iterable<string> {
  return batched(FORMATTERS[format](report, options));
}

/** The report's whole text (for small reports and tests). */
export function render(format: FormatName, report: CheckReport, options: RenderOptions): string {
  return joined(FORMATTERS[format](report, options));
}
