// @vitest-environment node
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { createLogger } from '../../electron/app/logger';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { call } from '../support/call';
import { type Influxd, startInfluxd } from '../support/influxd';
import { runCli } from '../support/run-node';
import { storedText, TRICKY_BODY, TRICKY_LINES } from '../support/tricky-bodies';

const execFileAsync = promisify(execFile);

/**
 * The same tricky bodies through `influx-workbench write`, the app's Send (the same handler the app
 * and browser mode call) and curl, into separate databases of a real influxd 1.6.7: the stored points
 * and series keys are the same, byte for byte of influxd's own JSON.
 */
describe('write fidelity: workbench write = app Send = curl', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let tmp: string;
  let file: string;
  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    for (const db of ['f_curl', 'f_cli', 'f_app', 'f_bad']) await influx.query(`CREATE DATABASE ${db}`);
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-fid-'));
    file = path.join(tmp, 'tricky.lp');
    await fs.writeFile(file, TRICKY_BODY);
    ctx = await createAppContext({
      mode: 'browser',
      version: 'test',
      dataDir: tmp,
      cipher: null,
      log: createLogger(() => {}),
    });
  });
  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('stores identical points and series keys', async () => {
    const curl = await execFileAsync('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-XPOST',
      `${influx.url}/write?db=f_curl`,
      '--data-binary',
      `@${file}`,
    ]);
    expect(curl.stdout).toBe('204');

    const cli = await runCli(['write', '--url', influx.url, '--db', 'f_cli', file]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`sent ${Buffer.byteLength(TRICKY_BODY)} B`);

    const saved = await call(ctx, 'connections:save', {
      connection: {
        name: 'fid',
        url: influx.url,
        flavor: '1.x',
        db: 'f_app',
        rp: '',
        bucket: '',
        org: '',
        authScheme: 'none',
        username: '',
        caPem: '',
        skipTlsVerify: false,
        timeoutMs: 10_000,
      },
      token: { action: 'keep' },
    });
    const sent = await call(ctx, 'write:send', {
      requestId: 'fid-1',
      connectionId: saved.id,
      params: { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'f_app' },
      auth: { scheme: 'none', username: '' },
      body: TRICKY_BODY,
    });
    expect(sent.response?.status).toBe(204);

    const reference = await storedText(influx.url, 'f_curl');
    // Every line landed where curl put it: the CR inside the tag is part of the key, not a line break.
    for (const l of TRICKY_LINES) expect(reference, l.id).toContain(`"name":${JSON.stringify(l.measurement)}`);
    expect(reference).toContain('"fx_cr,t=a\\rb"');
    expect(reference).toContain('"l1\\r\\nl2"');
    expect(await storedText(influx.url, 'f_cli')).toBe(reference);
    expect(await storedText(influx.url, 'f_app')).toBe(reference);
  });

  it('refuses input that is not UTF-8, naming the line and column, and sends nothing', async () => {
    const bad = path.join(tmp, 'latin1.lp');
    await fs.writeFile(
      bad,
      Buffer.concat([Buffer.from('ok v=1 1\nm,t=caf'), Buffer.from([0xe9]), Buffer.from(' v=1 2\n')]),
    );
    const r = await runCli(['write', '--url', influx.url, '--db', 'f_bad', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:8: not valid UTF-8 (byte 0xE9 at offset 16)`);
    const stdin = await runCli(['write', '--url', influx.url, '--db', 'f_bad'], {
      stdin: async (w) => {
        w.write(Buffer.from([0x6d, 0x20, 0x73, 0x3d, 0x22, 0xff, 0x22, 0x0a]));
      },
    });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('<stdin>:1:6: not valid UTF-8 (byte 0xFF at offset 5)');
    const series = await influx.query('SHOW SERIES', 'f_bad');
    expect(series.results?.[0]?.series).toBeUndefined();

    const v = await runCli(['validate', '--flavor', '1.x', bad]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${bad}:2:8 error LP510 not valid UTF-8 (byte 0xE9 at offset 16`);
  });
});
