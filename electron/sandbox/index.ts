/**
 * Starting a sandbox: open (or create) its data, on first run create `demo` with recent sample data
 * and a read+write token, then serve HTTP on 127.0.0.1. Used by the CLI, browser mode and the
 * desktop app. Node only, no Electron.
 */

import { demoLineProtocol } from './demo';
import { type SandboxConfig, SandboxEngine } from './engine';
import type { SandboxProfile } from './errors';
import { nowNs, type SandboxServer, serveSandbox } from './server';
import { prepareWrite } from './write-path';

export { SandboxDataError, SandboxEngine } from './engine';
export type { SandboxProfile } from './errors';
export { SANDBOX_PROFILES } from './errors';

export const DEMO_DATABASE = 'demo';

export interface StartOptions {
  /** folder that holds `sandbox/`; undefined = memory only */
  dataDir?: string;
  port?: number;
  profile?: SandboxProfile;
  config?: Partial<SandboxConfig>;
  now?: () => bigint;
  /** create the first-run token (the CLI prints it); the app mints its own for its connection */
  firstRunToken?: boolean;
}

export interface RunningSandbox {
  engine: SandboxEngine;
  server: SandboxServer;
  url: string;
  profile: SandboxProfile;
  /** the token created on first run (shown once); null when the data existed already */
  firstRunToken: string | null;
  close(): Promise<void>;
}

/** Creates `demo`, its sample data and a read+write token when the sandbox is new. */
export async function initialiseIfNew(
  engine: SandboxEngine,
  now: () => bigint,
  withToken = true,
): Promise<string | null> {
  if (engine.listDatabases().length > 0 || engine.listTokens().length > 0) return null;
  await engine.createDatabase(DEMO_DATABASE);
  await writeDemoData(engine, now);
  if (!withToken) return null;
  const { secret } = engine.createToken('sandbox default token (read and write, all databases)', [
    { action: 'read', resource: '*' },
    { action: 'write', resource: '*' },
  ]);
  return secret;
}

/** (Re)writes the recent sample data into `demo` (an existing series and time is overwritten). */
export async function writeDemoData(engine: SandboxEngine, now: () => bigint = nowNs): Promise<void> {
  const db = engine.catalog.database(DEMO_DATABASE) ?? (await engine.createDatabase(DEMO_DATABASE));
  const t = now();
  await engine.exclusive(async () => {
    const prepared = prepareWrite(demoLineProtocol(Number(t / 1_000_000n)), {
      core: engine.profile === 'core',
      precision: 1_000_000n,
      nowNs: t,
      database: db,
      maxTables: 500,
      maxColumns: 250,
    });
    await engine.commit(db, prepared);
  });
}

export async function startSandbox(options: StartOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? nowNs;
  const engine = await SandboxEngine.open({
    dataDir: options.dataDir,
    config: { ...options.config, ...(options.profile ? { profile: options.profile } : {}) },
  });
  try {
    const firstRunToken = await initialiseIfNew(engine, now, options.firstRunToken !== false);
    await engine.sweepRetention(now());
    const server = await serveSandbox(engine, { port: options.port, now });
    const sweep = setInterval(() => void engine.sweepRetention(now()).catch(() => undefined), 3_600_000);
    sweep.unref();
    return {
      engine,
      server,
      url: server.url,
      profile: engine.profile,
      firstRunToken,
      close: async () => {
        clearInterval(sweep);
        await server.close();
        await engine.close();
      },
    };
  } catch (err) {
    await engine.close().catch(() => undefined);
    throw err;
  }
}
