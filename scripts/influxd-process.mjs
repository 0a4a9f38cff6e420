// A throwaway influxd 1.x (Debian's `influxdb`) on free loopback ports with its config, data and log
// under one folder: the one configuration both the tests (test/support/influxd.ts) and the benchmarks
// start. Types: influxd-process.d.mts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** influxdb.conf for `dir`: loopback only, no reporting, no CQs, warnings only. `maxBodySize` 0 is unlimited. */
export function influxdConfig({ dir, port, rpcPort, auth, maxBodySize }) {
  return `reporting-enabled = false
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
  auth-enabled = ${auth}
  log-enabled = false
  max-body-size = ${maxBodySize}
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
  suppress-logo = true
`;
}

/**
 * Starts influxd (INFLUXD_BIN or `influxd`) in `dir` and resolves once `/ping` answers 204 (within
 * `startTimeoutMs`); rejects at once, with its log, if the process exits first. The caller stops it
 * with {@link stopProcess}. Options: `auth` (default false), `maxBodySize` (default 25,000,000, influxd's own).
 */
export async function startInfluxdProcess(
  dir,
  { auth = false, maxBodySize = 25_000_000, startTimeoutMs = 30_000 } = {},
) {
  const bin = process.env.INFLUXD_BIN ?? 'influxd';
  const port = await freePort();
  const rpcPort = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'influxdb.conf');
  fs.writeFileSync(conf, influxdConfig({ dir, port, rpcPort, auth, maxBodySize }));
  const logFile = path.join(dir, 'influxd.log');
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(bin, ['-config', conf], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd); // the child has its own copy
  if (child.pid === undefined) {
    const err = await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${bin} (${err.message}): is influxdb installed? (apt-get install -y influxdb)`);
  }
  let gone = null;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      gone = { code, signal };
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  // A wait for a state (the port answers /ping), with a ceiling; the pause between tries only spaces them,
  // and the process exiting ends it at once.
  for (;;) {
    if (gone) throw new Error(`influxd exited early (${gone.code ?? gone.signal}); ${logFile}:\n${readLog(logFile)}`);
    try {
      if ((await fetch(`${url}/ping`, { signal: AbortSignal.timeout(5_000) })).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProcess(child, 0);
      throw new Error(
        `influxd did not answer /ping within ${startTimeoutMs / 1000} s; ${logFile}:\n${readLog(logFile)}`,
      );
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
  }
  return { url, port, child };
}

function readLog(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops a child process by its pid: SIGTERM, then SIGKILL if it has not exited within `graceMs`.
 * Resolves when it has exited.
 */
export async function stopProcess(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  if (graceMs > 0) {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') child.kill('SIGKILL');
  }
  await exited;
}
