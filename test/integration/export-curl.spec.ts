// @vitest-environment node
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeWrite } from '../../electron/services/write-service';
import type { AuthScheme } from '../../shared/domain/auth';
import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { toCurl } from '../../shared/export/curl';
import { importCurl } from '../../shared/export/curl-import';
import type { ExportRequest } from '../../shared/export/model';
import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';

/**
 * Every generated curl command (each auth scheme, with and without gzip, v1 /write: influxd 1.6 has
 * no /api/v2) is run by a real shell against a real influxd, next to the workbench's own request for
 * the same write. Both must get the same status and, when accepted, store the same points.
 */

interface CurlRun {
  status: number;
  body: string;
}

function runShell(script: string, cwd: string, token: string): Promise<CurlRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      ['-c', script],
      { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', INFLUX_TOKEN: token }, timeout: 20_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        // curl -i prints the status line and headers, a blank line, then the body.
        const m = /^HTTP\/[\d.]+ (\d{3})/m.exec(stdout);
        if (!m) return reject(new Error(`no HTTP status in curl output:\n${stdout}\n${stderr}`));
        const sep = stdout.search(/\r?\n\r?\n/);
        resolve({ status: Number(m[1]), body: sep < 0 ? '' : stdout.slice(sep).trim() });
      },
    );
  });
}

/** Rows of a measurement as [time, ...values] with columns sorted, so two measurements compare equal. */
async function rows(influx: Influxd, measurement: string): Promise<unknown[][]> {
  const r = await influx.query(`SELECT * FROM "${measurement}"`, 'wb');
  const s = r.results?.[0]?.series?.[0];
  if (!s) return [];
  const order = s.columns.map((c, i) => [c, i] as const).sort((a, b) => a[0].localeCompare(b[0]));
  return s.values.map((v) => order.map(([c, i]) => [c, v[i]]));
}

const body = (m: string): string =>
  `${m},host=a,region=eu\\ west usage=0.5,count=3i,ok=true,msg="it's \\"ok\\"" 1700000000\n${m},host=b usage=0.75,count=4i 1700000001\n`;

function request(url: string, scheme: AuthScheme, gzip: boolean, measurement: string): ExportRequest {
  const params: WriteParams = { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'wb', precision: 's', gzip };
  return {
    baseUrl: url,
    flavor: '1.x',
    params,
    auth: { scheme, username: scheme === 'basic' || scheme === 'query' ? ADMIN.user : '' },
    body: body(measurement),
  };
}

describe.each([
  { auth: false, schemes: ['none'] as AuthScheme[], expected: { none: 204 } as Partial<Record<AuthScheme, number>> },
  {
    auth: true,
    schemes: ['none', 'basic', 'query', 'bearer', 'token'] as AuthScheme[],
    // 1.6 knows Basic and u/p; Bearer needs a shared secret, Token is not understood: both 401.
    expected: { none: 401, basic: 204, query: 204, bearer: 401, token: 401 } as Partial<Record<AuthScheme, number>>,
  },
])('generated curl vs the workbench against influxd 1.6 (auth $auth)', ({ auth, schemes, expected }) => {
  let influx: Influxd;
  let tmp: string;
  beforeAll(async () => {
    influx = await startInfluxd({ auth });
    await influx.query('CREATE DATABASE wb');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-export-curl-'));
  });
  afterAll(async () => {
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  for (const scheme of schemes) {
    for (const gzip of [false, true]) {
      it(`${scheme}${gzip ? ' + gzip' : ''}: same status${expected[scheme] === 204 ? ' and same stored points' : ''}`, async () => {
        const tag = `${scheme}_${gzip ? 'gz' : 'plain'}_${auth ? 'auth' : 'open'}`;
        const viaCurl = request(influx.url, scheme, gzip, `curl_${tag}`);
        const script = toCurl(viaCurl);
        // The command names the variable, never the password.
        expect(script).not.toContain(ADMIN.password);
        // And it reads back as the request it was made from.
        expect(importCurl(script).write?.params).toEqual(viaCurl.params);
        const dir = await fs.mkdtemp(path.join(tmp, 'run-'));
        const curl = await runShell(script, dir, ADMIN.password);

        const viaWorkbench = request(influx.url, scheme, gzip, `wb_${tag}`);
        const x = await executeWrite(sendHttp, {
          target: { baseUrl: influx.url, tls: { caPem: '', skipVerify: false }, timeoutMs: 10_000 },
          params: viaWorkbench.params,
          auth: viaWorkbench.auth,
          token: scheme === 'none' ? null : ADMIN.password,
          body: viaWorkbench.body,
        });

        expect(x.error).toBeNull();
        expect(curl.status).toBe(expected[scheme]);
        expect(x.response?.status).toBe(curl.status);
        if (curl.status === 204) {
          const stored = await rows(influx, `curl_${tag}`);
          expect(stored).toHaveLength(2);
          expect(stored).toEqual(await rows(influx, `wb_${tag}`));
          expect(stored[0]).toContainEqual(['msg', 'it\'s "ok"']);
          expect(stored[0]).toContainEqual(['region', 'eu west']);
          expect(stored[0]).toContainEqual(['time', 1_700_000_000_000_000_000]);
        } else {
          // Same refusal, word for word (e.g. 1.6's "bearer auth disabld").
          expect(JSON.parse(curl.body)).toEqual(JSON.parse(x.response!.body));
          expect(await rows(influx, `curl_${tag}`)).toEqual([]);
        }
      });
    }
  }
});
