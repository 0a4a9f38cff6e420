import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { freePort as freePortMjs, startInfluxdProcess, stopProcess } from '../../scripts/influxd-process.mjs';

/**
 * Starts a throwaway real InfluxDB 1.x (`influxd` from Debian's `influxdb` package) on a free loopback
 * port in a temp dir, with or without auth, and stops it by pid. Tests talk to it over real HTTP. The
 * configuration and the start/stop are the benchmarks' too (scripts/influxd-process.mjs).
 */
export interface Influxd {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  /** Runs an InfluxQL statement (as admin when auth is on) and returns the parsed JSON. */
  query(q: string, db?: string): Promise<QueryResponse>;
  stop(): Promise<void>;
}

/** The subset of a /query response tests read. */
export interface QueryResponse {
  results?: Array<{
    statement_id: number;
    error?: string;
    series?: Array<{ name: string; columns: string[]; values: unknown[][] }>;
  }>;
  error?: string;
}

/** Admin credentials of auth-enabled instances. */
export const ADMIN = { user: 'admin', password: 'admin-pass' } as const;

/** Finds a free TCP port on 127.0.0.1. */
export const freePort: () => Promise<number> = freePortMjs;

/** Starts influxd; `auth: true` enables auth and creates the admin user. */
export async function startInfluxd(options: { auth: boolean; adminPassword?: string }): Promise<Influxd> {
  const adminPassword = options.adminPassword ?? ADMIN.password;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-influxd-'));
  const { url, port, child } = await startInfluxdProcess(dir, { auth: options.auth });
  const pid = child.pid as number; // startInfluxdProcess throws when the process did not start
  const authParams = options.auth ? `&u=${ADMIN.user}&p=${encodeURIComponent(adminPassword)}` : '';
  const query = async (q: string, db?: string): Promise<QueryResponse> => {
    const body = new URLSearchParams({ q, ...(db ? { db } : {}) });
    const res = await fetch(`${url}/query?epoch=ns${authParams}`, { method: 'POST', body });
    return (await res.json()) as QueryResponse;
  };
  if (options.auth) {
    // With auth on and no users, 1.x accepts exactly this statement unauthenticated.
    const body = new URLSearchParams({
      q: `CREATE USER "${ADMIN.user}" WITH PASSWORD '${adminPassword}' WITH ALL PRIVILEGES`,
    });
    const res = await fetch(`${url}/query`, { method: 'POST', body });
    if (!res.ok) throw new Error(`creating the admin user failed: ${await res.text()}`);
  }
  return {
    url,
    port,
    pid,
    dir,
    query,
    async stop() {
      await stopProcess(child);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
