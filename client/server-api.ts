/**
 * The custom messages the client exchanges with the mlready server. The single definition lives
 * in common/protocol.ts (types only, shared with the server); this module re-exports what the
 * client uses and adds what only the client needs, so the rest of the client imports from here.
 */
export {
  FIX_ALL_KIND,
  FixAllWorkspaceRequest,
  ReadinessChangedNotification,
  ReadinessRequest,
  ScanWorkspaceRequest,
  SHOW_RULE_DOCS_COMMAND,
  StatusNotification,
  type FixAllWorkspaceParams,
  type FixAllWorkspaceResult,
  type FolderReadiness,
  type MlreadyInitializationOptions as ProtocolInitializationOptions,
  type MlreadySettings,
  type ReadinessFinding,
  type ReadinessChangedParams,
  type ReadinessGap,
  type ReadinessLocation,
  type ReadinessPractice,
  type ReadinessParams,
  type ReadinessResult,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type SeverityCounts,
  type StatusParams,
} from '../common/protocol';

import type { SeverityCounts } from '../common/protocol';

/** Counts from the server, with any missing severity as 0 (an older or newer server may omit one). */
export function normalizeCounts(raw: Partial<SeverityCounts> | undefined | null): SeverityCounts | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return { error: n(raw.error), warning: n(raw.warning), info: n(raw.info), hint: n(raw.hint) };
}
