import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts a throwaway real InfluxDB 1.x (`influxd` from Debian's `influxdb` package) on a free loopback
 * port in a temp dir, with or without auth, and stops it by pid. Tests talk to it over real HTTP.
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
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts influxd; `auth: true` enables auth and creates the admin user. */
export async function startInfluxd(options: { auth: boolean; adminPassword?: string }): Promise<Influxd> {
  const adminPassword = options.adminPassword ?? ADMIN.password;
  const bin = process.env.INFLUXD_BIN ?? 'influxd';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-influxd-'));
  const port = await freePort();
  const rpcPort = await freePort();
  const conf = `reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = ${options.auth}
  log-enabled = false
  max-body-size = 25000000
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
  suppress-logo = true
`;
  await fs.writeFile(path.join(dir, 'influxdb.conf'), conf);
  const log = await fs.open(path.join(dir, 'influxd.log'), 'w');
  const child = spawn(bin, ['-config', path.join(dir, 'influxdb.conf')], {
    stdio: ['ignore', log.fd, log.fd],
    detached: false,
  });
  const pid = child.pid;
  if (pid === undefined)
    throw new Error(`could not start ${bin}: is the influxdb package installed? (apt-get install -y influxdb)`);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited)
      throw new Error(
        `influxd exited early; see ${dir}/influxd.log:\n${await fs.readFile(path.join(dir, 'influxd.log'), 'utf8')}`,
      );
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('influxd did not answer /ping within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
      if (!exited) {
        process.kill(pid, 'SIGTERM');
        const until = Date.now() + 10_000;
        while (!exited && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        if (!exited) process.kill(pid, 'SIGKILL');
      }
      await log.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
