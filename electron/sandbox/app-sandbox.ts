/**
 * The sandbox inside the app (desktop main process and browser mode): started on launch unless the
 * setting is off, registered as the connection "Sandbox (Cloud Dedicated)" with its token in the
 * vault, `demo` refreshed with recent sample data. If the native engine cannot load, the app keeps
 * working and the status says why the sandbox is off. Node only, no Electron.
 */

import fs from 'node:fs';
import path from 'node:path';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import {
  SANDBOX_CONNECTION_NAME,
  SANDBOX_DEMO_DATABASE,
  type SandboxDatabaseInfo,
  type SandboxStatus,
} from '../../shared/domain/sandbox';
import { AppError } from '../../shared/ipc/result';
import type { ConnectionsStore } from '../services/connections-store';
import type { TokenVault } from '../services/token-vault';
import type { TokenPermission } from './catalog';
import type * as SandboxModule from './index';

/** What the app keeps about its sandbox, in `<dataDir>/sandbox-app.json`. */
interface AppSandboxSettings {
  autoStart: boolean;
  showGuide: boolean;
  connectionId: string | null;
  /** the port of the last run, tried first so the connection URL stays the same */
  port: number;
}

const DEFAULTS: AppSandboxSettings = { autoStart: true, showGuide: true, connectionId: null, port: 0 };

/** Tokens the app mints for its own connection carry this description (older ones are replaced). */
export const APP_TOKEN_DESCRIPTION = 'Influx Workbench app connection';

export type SandboxManageRequest =
  | { action: 'create-database'; name: string }
  | { action: 'delete-database'; name: string }
  | { action: 'create-token'; description: string; read: string[]; write: string[] }
  | { action: 'delete-token'; id: string }
  | { action: 'reload-demo' };

export interface AppSandbox {
  status(): SandboxStatus;
  /** The id of the sandbox connection (listed first), or null. */
  connectionId(): string | null;
  settings(patch: { autoStart?: boolean; showGuide?: boolean }): Promise<SandboxStatus>;
  /** `secret` is set once, when a token is created. */
  manage(req: SandboxManageRequest): Promise<{ status: SandboxStatus; secret: string | null }>;
  close(): Promise<void>;
}

export interface AppSandboxDeps {
  dataDir: string;
  store: ConnectionsStore;
  vault: TokenVault;
  log: { error(scope: string, message: string): void };
  /** Loads the engine (the native DuckDB module); injectable to test a platform where it cannot load. */
  load?: () => Promise<typeof SandboxModule>;
}

function readSettings(file: string): AppSandboxSettings {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<AppSandboxSettings>;
    return { ...DEFAULTS, ...parsed };
  } catch {
    return { ...DEFAULTS };
  }
}

export async function createAppSandbox(deps: AppSandboxDeps): Promise<AppSandbox> {
  const settingsFile = path.join(deps.dataDir, 'sandbox-app.json');
  let settings = readSettings(settingsFile);
  let running: SandboxModule.RunningSandbox | null = null;
  let state: SandboxStatus['state'] = 'off';
  let reason: string | null = 'The sandbox is turned off in its settings.';
  const load = deps.load ?? (() => import('./index'));

  const saveSettings = (): void => {
    try {
      fs.mkdirSync(deps.dataDir, { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 1));
    } catch (err) {
      deps.log.error('sandbox', `could not save ${settingsFile}: ${(err as Error).message}`);
    }
  };

  /** The connection, created or pointed at `url` (the port may change between launches). */
  const ensureConnection = async (url: string | null): Promise<string> => {
    const existing = settings.connectionId ? deps.store.get(settings.connectionId) : undefined;
    if (existing) {
      if (url && existing.url !== url) {
        const { id: _id, createdAt: _c, updatedAt: _u, ...input } = existing;
        await deps.store.save(existing.id, { ...input, url });
      }
      return existing.id;
    }
    const saved = await deps.store.save(undefined, {
      ...DEFAULT_CONNECTION_INPUT,
      name: SANDBOX_CONNECTION_NAME,
      url: url ?? 'http://127.0.0.1:8086',
      flavor: 'cloud-dedicated',
      db: SANDBOX_DEMO_DATABASE,
      bucket: SANDBOX_DEMO_DATABASE,
      authScheme: 'bearer',
    });
    settings = { ...settings, connectionId: saved.id };
    saveSettings();
    return saved.id;
  };

  /** The vault's token if the sandbox knows it; else a new one (older app tokens removed). */
  const ensureToken = async (sb: SandboxModule.RunningSandbox, connectionId: string): Promise<void> => {
    const stored = await deps.vault.get(connectionId).catch(() => null);
    if (stored && sb.engine.catalog.tokenBySecret(stored)) return;
    for (const t of sb.engine.listTokens()) if (t.description === APP_TOKEN_DESCRIPTION) sb.engine.deleteToken(t.id);
    const { secret } = sb.engine.createToken(APP_TOKEN_DESCRIPTION, [
      { action: 'read', resource: '*' },
      { action: 'write', resource: '*' },
    ]);
    const strong = deps.vault.status().level === 'strong';
    await deps.vault.set(connectionId, secret, { keep: strong ? 'persist' : 'session', allowWeak: false });
  };

  const start = async (): Promise<void> => {
    let mod: typeof SandboxModule;
    try {
      mod = await load();
    } catch (err) {
      state = 'unavailable';
      reason =
        `The sandbox is off because its database engine (DuckDB) cannot load on this platform ` +
        `(${process.platform}-${process.arch}): ${(err as Error).message}`;
      deps.log.error('sandbox', reason);
      return;
    }
    try {
      const options = { dataDir: deps.dataDir, profile: 'cloud-dedicated' as const, firstRunToken: false };
      running = await mod.startSandbox({ ...options, port: settings.port }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' && settings.port !== 0) return mod.startSandbox({ ...options, port: 0 });
        throw err;
      });
      const connectionId = await ensureConnection(running.url);
      await ensureToken(running, connectionId);
      // Keep `demo` recent: the InfluxQL metadata lookback is 24 h.
      await mod.writeDemoData(running.engine);
      settings = { ...settings, port: running.server.port };
      saveSettings();
      state = 'running';
      reason = null;
    } catch (err) {
      state = 'failed';
      reason = `The sandbox could not start: ${(err as Error).message}`;
      deps.log.error('sandbox', reason);
      if (running) await running.close().catch(() => undefined);
      running = null;
    }
  };

  const stop = async (): Promise<void> => {
    const r = running;
    running = null;
    if (r) await r.close();
  };

  const status = (): SandboxStatus => {
    const engine = running?.engine;
    const databases: SandboxDatabaseInfo[] = (engine?.listDatabases() ?? []).map((d) => ({
      name: d.name,
      tables: Object.keys(d.measurements).length,
      retentionPeriod: d.retentionPeriod,
    }));
    return {
      state,
      reason,
      url: running?.url ?? null,
      profile: 'cloud-dedicated',
      connectionId: settings.connectionId && deps.store.get(settings.connectionId) ? settings.connectionId : null,
      autoStart: settings.autoStart,
      showGuide: settings.showGuide,
      databases,
      tokens: (engine?.listTokens() ?? []).map((t) => ({ ...t, app: t.description === APP_TOKEN_DESCRIPTION })),
    };
  };

  const engineOrFail = (): SandboxModule.SandboxEngine => {
    if (!running) throw new AppError('CONFLICT', reason ?? 'The sandbox is not running.');
    return running.engine;
  };

  /** Errors from the engine are the user's input problems (a bad name, an unknown id). */
  const userError = (err: unknown): never => {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_REQUEST', (err as Error).message);
  };

  if (settings.autoStart) await start();
  else if (settings.connectionId) await ensureConnection(null);

  return {
    status,
    connectionId: () => status().connectionId,
    async settings(patch) {
      settings = { ...settings, ...patch };
      saveSettings();
      if (patch.autoStart === true && !running) await start();
      if (patch.autoStart === false && running) {
        await stop();
        state = 'off';
        reason = 'The sandbox is turned off in its settings.';
      }
      return status();
    },
    async manage(req) {
      const engine = engineOrFail();
      let secret: string | null = null;
      try {
        if (req.action === 'create-database') await engine.createDatabase(req.name);
        else if (req.action === 'delete-database') await engine.deleteDatabase(req.name);
        else if (req.action === 'create-token') {
          const permissions: TokenPermission[] = [
            ...req.read.map((resource): TokenPermission => ({ action: 'read', resource })),
            ...req.write.map((resource): TokenPermission => ({ action: 'write', resource })),
          ];
          secret = engine.createToken(req.description || 'created in the app', permissions).secret;
        } else if (req.action === 'delete-token') {
          const t = engine.listTokens().find((x) => x.id === req.id);
          if (t?.description === APP_TOKEN_DESCRIPTION) {
            throw new AppError('BAD_REQUEST', "That is the token of the app's own sandbox connection; it stays.");
          }
          engine.deleteToken(req.id);
        } else {
          const mod = await load();
          await mod.writeDemoData(engine);
        }
      } catch (err) {
        userError(err);
      }
      return { status: status(), secret };
    },
    close: stop,
  };
}
