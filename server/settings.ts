import type { Connection } from 'vscode-languageserver/node';
import type { MlreadySettings } from '../common/protocol';
import type { Stage } from '../rules';

/**
 * Settings are pulled from the client per scope (a document or a folder URI) with
 * `workspace/configuration`, as vscode-eslint does, and cached by URI until the client says the
 * configuration changed. Nothing else about settings lives in module state.
 */

export const DEFAULT_SETTINGS: Readonly<MlreadySettings> = { enable: true, scanWorkspace: true, debounceMs: 50, stage: null };

const STAGES = new Set<Stage>(['exploration', 'pilot', 'production']);

/** Settings as the client sent them, checked field by field (a wrong type falls back to the default). */
export function normalizeSettings(raw: unknown): MlreadySettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const debounce = typeof r.debounceMs === 'number' && Number.isFinite(r.debounceMs) ? Math.max(0, Math.min(5000, r.debounceMs)) : DEFAULT_SETTINGS.debounceMs;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    scanWorkspace: typeof r.scanWorkspace === 'boolean' ? r.scanWorkspace : DEFAULT_SETTINGS.scanWorkspace,
    debounceMs: debounce,
    stage: typeof r.stage === 'string' && STAGES.has(r.stage as Stage) ? (r.stage as Stage) : null,
  };
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<MlreadySettings>>();
  /** Settings sent with didChangeConfiguration, used when the client cannot answer workspace/configuration. */
  private pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    /** Requests to the client wait for its `initialized` notification. */
    private readonly ready: Promise<void>,
  ) {}

  get(scopeUri: string): Promise<MlreadySettings> {
    let entry = this.cache.get(scopeUri);
    if (!entry) {
      entry = this.fetch(scopeUri);
      this.cache.set(scopeUri, entry);
    }
    return entry;
  }

  /** Forgets every cached value; `settings` is the didChangeConfiguration payload, if any. */
  reset(settings?: unknown): void {
    this.cache.clear();
    const section = (settings as { mlready?: unknown } | undefined)?.mlready;
    if (section !== undefined) this.pushed = section;
  }

  private async fetch(scopeUri: string): Promise<MlreadySettings> {
    await this.ready;
    if (!this.canPull()) return normalizeSettings(this.pushed);
    try {
      return normalizeSettings(await this.connection.workspace.getConfiguration({ scopeUri, section: 'mlready' }));
    } catch {
      // a client that fails the request gets the defaults rather than no linting at all
      this.cache.delete(scopeUri);
      return normalizeSettings(this.pushed);
    }
  }
}
