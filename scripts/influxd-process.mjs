// A throwaway influxd 1.x for the benchmarks (the tests have test/support/influxd.ts): its own config
// and data under `dir`, loopback only, no body size limit; stopped by the caller through `child`.
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

/** Starts influxd (INFLUXD_BIN or `influxd`) in `dir` and waits for /ping; returns its URL and process. */
export async function startInfluxdProcess(dir) {
  const port = await freePort();
  const rpc = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'influxdb.conf'),
    `reporting-enabled = false
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  max-body-size = 0
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
  suppress-logo = true
`,
  );
  const child = spawn(process.env.INFLUXD_BIN ?? 'influxd', ['-config', path.join(dir, 'influxdb.conf')], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/ping`)).status === 204) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error('influxd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child };
}
