// @vitest-environment node
import fs from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import type { AuthScheme } from '../../shared/domain/auth';
import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { browserModeContext } from '../support/app-context';
import { call } from '../support/call';
import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';

/**
 * Every write path against a real InfluxDB 1.6.7, through the same handlers the app and browser mode
 * use (dispatch → schema → handler → service → HTTP). Points are checked by querying influxd.
 */

let seq = 0;
const rid = (): string => `req-${++seq}`;

const makeContext = (): Promise<{ ctx: AppContext; dir: string }> => browserModeContext('iwb-int-');

async function addConnection(
  ctx: AppContext,
  url: string,
  token: string | null,
  scheme: AuthScheme,
  username = '',
): Promise<string> {
  const saved = await call(ctx, 'connections:save', {
    connection: {
      name: `c${seq}`,
      url,
      flavor: '1.x',
      db: 'wb',
      rp: '',
      bucket: '',
      org: '',
      authScheme: scheme,
      username,
      caPem: '',
      skipTlsVerify: false,
      timeoutMs: 10_000,
    },
    token: token === null ? { action: 'keep' } : { action: 'set', value: token, keep: 'session', allowWeak: false },
  });
  return saved.id;
}

function params(over: Partial<WriteParams> = {}): WriteParams {
  return { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'wb', ...over };
}

async function countPoints(influx: Influxd, measurement: string, db = 'wb'): Promise<number> {
  const r = await influx.query(`SELECT COUNT(*) FROM "${measurement}"`, db);
  const values = r.results?.[0]?.series?.[0]?.values?.[0];
  return values ? Number(values[1]) : 0;
}

describe('writes against influxd 1.6 with auth off', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let dir: string;
  let conn: string;
  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE wb');
    ({ ctx, dir } = await makeContext());
    conn = await addConnection(ctx, influx.url, null, 'none');
  });
  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a point (204) and the point lands', async () => {
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params({ precision: 's' }),
      auth: { scheme: 'none', username: '' },
      body: 'plain,host=a value=1 1700000000\nplain,host=b value=2 1700000000\n',
    });
    expect(x.error).toBeNull();
    expect(x.response?.status).toBe(204);
    expect(x.timing.ttfbMs).toBeGreaterThan(0);
    expect(x.timing.totalMs).toBeGreaterThanOrEqual(x.timing.ttfbMs!);
    expect(x.request.url).toBe(`${influx.url}/write?db=wb&precision=s`);
    expect(x.request.bodyLines).toBe(2);
    expect(await countPoints(influx, 'plain')).toBe(2);
    // The time really was read in seconds.
    const r = await influx.query("SELECT value FROM plain WHERE host='a'", 'wb');
    expect(r.results?.[0]?.series?.[0]?.values?.[0]?.[0]).toBe(1_700_000_000_000_000_000);
  });

  it('sends a gzip body that the server accepts', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `zipped,host=h${i % 5} value=${i} ${1700000000 + i}`).join('\n');
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params({ precision: 's', gzip: true }),
      auth: { scheme: 'none', username: '' },
      body,
    });
    expect(x.response?.status).toBe(204);
    expect(x.request.gzip).toBe(true);
    expect(x.request.wireBytes).toBeLessThan(x.request.bodyBytes / 3);
    expect(x.request.headers).toContainEqual(['Content-Encoding', 'gzip']);
    expect(await countPoints(influx, 'zipped')).toBe(200);
  });

  it('shows a partial write: the good lines land, the 400 body names the bad one', async () => {
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params(),
      auth: { scheme: 'none', username: '' },
      body: 'partial,host=a value=1\npartial,host=b value=\npartial,host=c value=3\n',
    });
    expect(x.response?.status).toBe(400);
    const body = JSON.parse(x.response!.body) as { error: string };
    expect(body.error).toContain('partial write');
    expect(body.error).toContain("unable to parse 'partial,host=b value='");
    expect(await countPoints(influx, 'partial')).toBe(2);
  });

  it("reports a missing db with the server's 400", async () => {
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params({ db: '' }),
      auth: { scheme: 'none', username: '' },
      body: 'm value=1',
    });
    expect(x.response?.status).toBe(400);
    expect(x.response?.body).toContain('database is required');
  });

  it("reports an unknown db with the server's 404", async () => {
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params({ db: 'nope' }),
      auth: { scheme: 'none', username: '' },
      body: 'm value=1',
    });
    expect(x.response?.status).toBe(404);
    expect(x.response?.body).toContain('database not found: \\"nope\\"');
  });

  it('reports the v2 endpoint as missing on 1.6 (404 page not found)', async () => {
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params({ api: 'v2', db: '', bucket: 'wb/autogen' }),
      auth: { scheme: 'none', username: '' },
      body: 'm value=1',
    });
    expect(x.request.url).toBe(`${influx.url}/api/v2/write?bucket=wb%2Fautogen`);
    expect(x.response?.status).toBe(404);
  });

  it('pings and reads the version headers', async () => {
    const p = await call(ctx, 'server:ping', { requestId: rid(), connectionId: conn });
    expect(p.exchange.response?.status).toBe(204);
    expect(p.build).toBe('OSS');
    expect(p.version).toMatch(/^1\.6\./);
  });

  it('turns a refused connection into a message, not a crash', async () => {
    const stopped = await addConnection(ctx, 'http://127.0.0.1:9', null, 'none');
    const x = await call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: stopped,
      params: params(),
      auth: { scheme: 'none', username: '' },
      body: 'm value=1',
    });
    expect(x.response).toBeNull();
    expect(x.error?.kind).toBe('connection-refused');
    expect(x.error?.message).toMatch(/Connection refused by 127\.0\.0\.1:9/);
  });
});

describe('writes against influxd 1.6 with auth on', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let dir: string;
  const write = async (conn: string, scheme: AuthScheme, username: string, measurement: string) =>
    call(ctx, 'write:send', {
      requestId: rid(),
      connectionId: conn,
      params: params(),
      auth: { scheme, username },
      body: `${measurement},host=a value=1\n`,
    });

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true });
    const r = await influx.query('CREATE DATABASE wb');
    expect(r.results?.[0]?.error).toBeUndefined();
    ({ ctx, dir } = await makeContext());
  });
  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes with Basic auth (username + password as the token)', async () => {
    const conn = await addConnection(ctx, influx.url, ADMIN.password, 'basic', ADMIN.user);
    const x = await write(conn, 'basic', ADMIN.user, 'basic_auth');
    expect(x.response?.status).toBe(204);
    expect(x.request.headers).toContainEqual(['Authorization', 'Basic [REDACTED]']);
    expect(await countPoints(influx, 'basic_auth')).toBe(1);
  });

  it('writes with query-string u/p, and the sent URL shows p redacted', async () => {
    const conn = await addConnection(ctx, influx.url, ADMIN.password, 'query', ADMIN.user);
    const x = await write(conn, 'query', ADMIN.user, 'query_auth');
    expect(x.response?.status).toBe(204);
    expect(x.request.url).toBe(`${influx.url}/write?db=wb&u=admin&p=[REDACTED]`);
    expect(JSON.stringify(x)).not.toContain(ADMIN.password);
    expect(await countPoints(influx, 'query_auth')).toBe(1);
  });

  it('sends `Token user:password`, which 1.6 does not understand (401; 1.8+ accepts it)', async () => {
    const conn = await addConnection(ctx, influx.url, `${ADMIN.user}:${ADMIN.password}`, 'token');
    const x = await write(conn, 'token', '', 'token_auth');
    expect(x.request.headers).toContainEqual(['Authorization', 'Token [REDACTED]']);
    expect(x.response?.status).toBe(401);
    expect(x.response?.body).toContain('unable to parse authentication credentials');
    expect(await countPoints(influx, 'token_auth')).toBe(0);
  });

  it("shows 1.x's own 401 message for Bearer", async () => {
    const conn = await addConnection(ctx, influx.url, 'some-token-value', 'bearer');
    const x = await write(conn, 'bearer', '', 'bearer_auth');
    expect(x.response?.status).toBe(401);
    expect(x.response?.body).toContain('bearer auth disabld');
  });

  it('shows 401 authorization failed for a wrong password', async () => {
    const conn = await addConnection(ctx, influx.url, 'wrong-password', 'basic', ADMIN.user);
    const x = await write(conn, 'basic', ADMIN.user, 'wrong_pw');
    expect(x.response?.status).toBe(401);
    expect(x.response?.body).toContain('authorization failed');
  });

  it('refuses to send an auth scheme when no token is stored', async () => {
    const conn = await addConnection(ctx, influx.url, null, 'basic', ADMIN.user);
    const res = await dispatch(
      ctx.handlers,
      'write:send',
      {
        requestId: rid(),
        connectionId: conn,
        params: params(),
        auth: { scheme: 'basic', username: ADMIN.user },
        body: 'm value=1',
      },
      ctx.log,
    );
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.message).toMatch(/no token stored/);
  });

  it('sends no credentials with auth None (401 from 1.x)', async () => {
    const conn = await addConnection(ctx, influx.url, ADMIN.password, 'none');
    const x = await write(conn, 'none', '', 'no_auth');
    expect(x.response?.status).toBe(401);
    expect(x.request.headers.some(([k]) => k.toLowerCase() === 'authorization')).toBe(false);
  });
});
