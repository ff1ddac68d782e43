import type { SeverityCounts } from './server-api';
import { plural, scoreBar } from './text';

/**
 * What the status bar item shows, as a pure function of the client's state, so the wording is
 * unit-tested without VS Code. `$(name)` are codicons.
 */
export interface StatusModel {
  trusted: boolean;
  enabled: boolean;
  server: 'starting' | 'running' | 'stopped';
  scanning: boolean;
  score?: number;
  counts?: SeverityCounts;
  files?: number;
  /** The server's short text, e.g. "Scanning 120 files…". */
  message?: string;
}

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** Command run on click. */
  command: string;
  /** Short text for screen readers (codicons are not read out well). */
  accessibleLabel: string;
}

export const RESTRICTED_TOOLTIP =
  'Restricted Mode: this workspace is not trusted, so mlready only analyses files (read-only). ' +
  'Diagnostics and the readiness score work; commands that change files, such as fix all, are disabled until you trust the workspace.';

export function countsSummary(counts: SeverityCounts | undefined): string {
  if (!counts) return '';
  const parts = [
    counts.error ? plural(counts.error, 'error') : '',
    counts.warning ? plural(counts.warning, 'warning') : '',
    counts.info ? plural(counts.info, 'info', 'infos') : '',
    counts.hint ? plural(counts.hint, 'hint') : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

export function statusPresentation(m: StatusModel, commands: { readiness: string; output: string }): StatusPresentation {
  const lines: string[] = [];
  if (m.score !== undefined) lines.push(`ML readiness ${m.score}/100  ${scoreBar(m.score)}`);
  const counts = countsSummary(m.counts);
  if (counts) lines.push(m.files !== undefined ? `${counts} in ${plural(m.files, 'file')}` : counts);
  if (m.message) lines.push(m.message);

  if (m.server === 'stopped') {
    return {
      text: '$(error) mlready',
      tooltip: 'The mlready server is not running. Click to show its output.',
      command: commands.output,
      accessibleLabel: 'mlready server stopped',
    };
  }
  if (!m.trusted) {
    return {
      text: `${m.scanning || m.server === 'starting' ? '$(sync~spin)' : '$(shield)'} mlready (restricted)`,
      tooltip: [RESTRICTED_TOOLTIP, ...lines].join('\n\n'),
      command: commands.readiness,
      accessibleLabel: 'mlready, restricted mode' + (m.score !== undefined ? `, readiness ${m.score} of 100` : ''),
    };
  }
  if (!m.enabled) {
    return {
      text: '$(circle-slash) mlready',
      tooltip: 'mlready is disabled by the setting `mlready.enable`.',
      command: commands.output,
      accessibleLabel: 'mlready disabled',
    };
  }
  if (m.server === 'starting' || m.scanning) {
    const what = m.server === 'starting' ? 'Starting the mlready server…' : 'Scanning the workspace…';
    return {
      text: '$(sync~spin) mlready',
      tooltip: [what, ...lines].join('\n\n'),
      command: commands.readiness,
      accessibleLabel: m.server === 'starting' ? 'mlready starting' : 'mlready scanning',
    };
  }
  if (m.score === undefined) {
    return {
      text: '$(checklist) mlready',
      tooltip: ['No readiness score yet. Click to compute it.', ...lines].join('\n\n'),
      command: commands.readiness,
      accessibleLabel: 'mlready',
    };
  }
  const errors = m.counts?.error ?? 0;
  const warnings = m.counts?.warning ?? 0;
  const badges = `${errors ? ` $(error) ${errors}` : ''}${warnings ? ` $(warning) ${warnings}` : ''}`;
  return {
    text: `$(checklist) ${m.score}${badges}`,
    tooltip: [...lines, 'Click to show the readiness summary.'].join('\n\n'),
    command: commands.readiness,
    accessibleLabel: `mlready readiness ${m.score} of 100` + (counts ? `, ${counts}` : ''),
  };
}
