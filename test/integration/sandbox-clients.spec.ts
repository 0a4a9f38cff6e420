// @vitest-environment node
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { InfluxDB as InfluxV2, Point } from '@influxdata/influxdb-client';
import { InfluxDB as NodeInflux } from 'influx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuthScheme } from '../../shared/domain/auth';
import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { toCurl } from '../../shared/export/curl';
import { call, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * Real clients nobody here wrote, against the built sandbox (Cloud Dedicated profile): each writes
 * points and reads the same points back through /query.
 */

function run(file: string, args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
    );
  });
}

describe('real clients against the sandbox', () => {
  let sb: SandboxProcess;
  let token: string;
  let tmp: string;
  beforeAll(async () => {
    sb = await startSandboxProcess(['--memory']);
    token = sb.token!;
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-clients-'));
  });
  afterAll(async () => {
    if (sb) expect(await sb.stop()).toBe(0);
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  const readBack = async (m: string) => {
    const r = await call(`${sb.url}/query?db=demo&q=${encodeURIComponent(`SELECT * FROM "${m}"`)}`, { token });
    expect(r.status).toBe(200);
    return JSON.parse(r.body) as unknown;
  };

  it('npm @influxdata/influxdb-client: v2 write (Token auth, gzip), read back', async () => {
    const writeApi = new InfluxV2({ url: sb.url, token }).getWriteApi('ignored-org', 'demo', 'ms', {
      gzipThreshold: 0,
      maxRetries: 0,
    });
    writeApi.writePoint(new Point('v2client').tag('host', 'a').floatField('usage', 0.5).timestamp(1_700_000_000_000));
    writeApi.writePoint(new Point('v2client').tag('host', 'b').intField('n', 7).timestamp(1_700_000_001_000));
    await writeApi.close();
    expect(await readBack('v2client')).toEqual({
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'v2client',
              columns: ['time', 'host', 'n', 'usage'],
              values: [
                ['2023-11-14T22:13:20Z', 'a', null, 0.5],
                ['2023-11-14T22:13:21Z', 'b', 7, null],
              ],
            },
          ],
        },
      ],
    });
  });

  it('npm influx (node-influx): v1 write and query with u/p', async () => {
    const url = new URL(sb.url);
    const client = new NodeInflux({
      host: url.hostname,
      port: Number(url.port),
      database: 'demo',
      username: 'anyone',
      password: token,
    });
    await client.writePoints(
      [
        { measurement: 'nodeinflux', tags: { host: 'a' }, fields: { v: 1.5, s: 'x y' }, timestamp: 1_700_000_000 },
        { measurement: 'nodeinflux', tags: { host: 'b' }, fields: { v: 2, s: 'z' }, timestamp: 1_700_000_060 },
      ],
      { precision: 's' },
    );
    const rows = await client.query<{ host: string; v: number; s: string }>('SELECT * FROM nodeinflux');
    expect(rows.map((r) => ({ time: r.time.toISOString(), host: r.host, v: r.v, s: r.s }))).toEqual([
      { time: '2023-11-14T22:13:20.000Z', host: 'a', v: 1.5, s: 'x y' },
      { time: '2023-11-14T22:14:20.000Z', host: 'b', v: 2, s: 'z' },
    ]);
    // node-influx talks to /ping too (its `ping`): the sandbox answers with the cloud2 build and no token.
    const [host] = await client.ping(5_000);
    expect(host?.online).toBe(true);
    expect(host?.version).toBe('3.0.0-sandbox');
  });

  it('Debian python3-influxdb: v1 write and query', async () => {
    const url = new URL(sb.url);
    const script = `
import json, os, sys
from influxdb import InfluxDBClient
c = InfluxDBClient(host=sys.argv[1], port=int(sys.argv[2]), username='anyone', password=os.environ['TOKEN'], database='demo')
ok = c.write_points([
  {"measurement": "pyclient", "tags": {"host": "a"}, "time": 1700000000, "fields": {"v": 1.25, "n": 3}},
  {"measurement": "pyclient", "tags": {"host": "b"}, "time": 1700000001, "fields": {"v": 2.5, "n": 4}},
], time_precision='s')
rs = c.query('SELECT * FROM pyclient')
print(json.dumps({"ok": ok, "points": list(rs.get_points())}))
`;
    const file = path.join(tmp, 'client.py');
    await fs.writeFile(file, script);
    const { stdout } = await run('/usr/bin/python3', [file, url.hostname, url.port], { TOKEN: token });
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      points: [
        { time: '2023-11-14T22:13:20Z', host: 'a', n: 3, v: 1.25 },
        { time: '2023-11-14T22:13:21Z', host: 'b', n: 4, v: 2.5 },
      ],
    });
  });

  const curlCases: [WriteParams['api'], AuthScheme, boolean][] = [
    ['v1', 'bearer', false],
    ['v1', 'token', true],
    ['v1', 'basic', false],
    ['v1', 'query', false],
    ['v2', 'token', false],
    ['v2', 'bearer', true],
    ['v3', 'bearer', false],
  ];
  for (const [api, scheme, gzip] of curlCases) {
    it(`the workbench's Copy as curl (${api}, ${scheme}${gzip ? ', gzip' : ''}) writes what /query reads back`, async () => {
      const m = `curl_${api}_${scheme}_${gzip ? 'gz' : 'plain'}`;
      const params: WriteParams = {
        ...DEFAULT_WRITE_PARAMS,
        api,
        db: 'demo',
        bucket: 'demo',
        precision: api === 'v3' ? 'second' : 's',
        gzip,
      };
      const script = toCurl({
        baseUrl: sb.url,
        flavor: 'cloud-dedicated',
        params,
        auth: { scheme, username: scheme === 'basic' || scheme === 'query' ? 'anyone' : '' },
        body: `${m},host=a,region=eu\\ west usage=0.5,count=3i,msg="it's \\"ok\\"" 1700000000\n`,
      });
      expect(script).not.toContain(token);
      const dir = await fs.mkdtemp(path.join(tmp, 'curl-'));
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
        execFile(
          'sh',
          ['-c', script],
          { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', INFLUX_TOKEN: token }, timeout: 20_000 },
          (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({ stdout: out })),
        ),
      );
      expect(/^HTTP\/[\d.]+ (\d{3})/m.exec(stdout)?.[1]).toBe('204');
      expect(await readBack(m)).toEqual({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: m,
                columns: ['time', 'count', 'host', 'msg', 'region', 'usage'],
                values: [['2023-11-14T22:13:20Z', 3, 'a', 'it\'s "ok"', 'eu west', 0.5]],
              },
            ],
          },
        ],
      });
    });
  }
});
