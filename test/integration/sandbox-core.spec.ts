// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { call, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/** The built `influx-workbench sandbox --profile core --memory --json` over real HTTP (spec §3, §4.2, §6, §8). */

describe('sandbox, Core profile, over HTTP', () => {
  let sb: SandboxProcess;
  let token: string;
  beforeAll(async () => {
    sb = await startSandboxProcess(['--profile', 'core', '--memory']);
    expect(sb.profile).toBe('core');
    token = sb.token!;
    expect(token).toBeTruthy();
  });
  afterAll(async () => {
    if (sb) expect(await sb.stop()).toBe(0);
  });

  const unauthenticated = { status: 401, body: '{"error": "the request was not authenticated"}' };
  const post = (p: string, body: string, headers: Record<string, string> = {}) =>
    call(sb.url + p, { method: 'POST', body, headers: { Authorization: `Bearer ${token}`, ...headers } });

  it('/ping and /health need a token; /ping answers 200 JSON with the Core build', async () => {
    expect(await call(sb.url + '/ping')).toMatchObject(unauthenticated);
    expect(await call(sb.url + '/health')).toMatchObject(unauthenticated);
    const ping = await call(sb.url + '/ping', { token });
    expect(ping.status).toBe(200);
    expect(ping.headers.get('x-influxdb-build')).toBe('Core');
    expect(ping.headers.get('x-influxdb-version')).toBe('3.0.0-sandbox');
    expect(ping.headers.get('request-id')).toBe(ping.headers.get('x-request-id'));
    expect(ping.headers.get('cluster-uuid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(JSON.parse(ping.body) as object)).toEqual(['product_name', 'version', 'revision', 'process_id']);
    expect(await call(sb.url + '/ping', { method: 'HEAD', token })).toMatchObject({ status: 404 });
    expect(await call(sb.url + '/health', { token })).toMatchObject({ status: 200, body: 'OK' });
    expect(await call(sb.url + '/api/v1/health', { token })).toMatchObject({ status: 200, body: 'OK' });
    expect(await call(sb.url + '/nope', { token })).toMatchObject({ status: 404, body: 'Not found' });
    const options = await call(sb.url + '/api/v3/write_lp', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a malformed Authorization header is 400; an unknown token 401', async () => {
    expect(await call(sb.url + '/ping', { headers: { Authorization: 'Foo x' } })).toMatchObject({
      status: 400,
      body: JSON.stringify({
        error:
          "Authorization header was malformed, the request was not in the form of 'Authorization: " +
          "<auth-scheme> <token>', supported auth-schemes are Bearer, Token and Basic",
      }),
    });
    expect(await call(sb.url + '/ping', { token: 'nope' })).toMatchObject(unauthenticated);
    // ?p= is honoured on /write and /query
    const w = await call(`${sb.url}/write?db=viap&p=${encodeURIComponent(token)}`, { method: 'POST', body: 'm v=1' });
    expect(w.status).toBe(204);
  });

  it('writes create the database; v3 partial writes report each line; legacy writes are all-or-nothing', async () => {
    expect(
      await post('/api/v3/write_lp?db=core1&precision=second', 'cpu,host=a val=1 1700000000\ncpu,host=a val= 2'),
    ).toMatchObject({
      status: 400,
      body: JSON.stringify({
        error: 'partial write of line protocol occurred',
        data: [{ error_message: 'No fields were provided', line_number: 2, original_line: 'cpu,host=a val= 2' }],
      }),
    });
    expect(await post('/write?db=core1&precision=s', 'cpu,host=b val=2 1700000000\ncpu,host=b val= 3')).toMatchObject({
      status: 400,
      body: JSON.stringify({
        error: 'line protocol parsing error',
        data: { error_message: 'No fields were provided', line_number: 2, original_line: 'cpu,host=b val= 3' },
      }),
    });
    const q = await call(`${sb.url}/query?db=core1&q=${encodeURIComponent('SELECT * FROM cpu')}`, { token });
    expect(JSON.parse(q.body)).toEqual({
      results: [
        {
          statement_id: 0,
          series: [{ name: 'cpu', columns: ['time', 'host', 'val'], values: [['2023-11-14T22:13:20Z', 'a', 1]] }],
        },
      ],
    });
    expect(await post('/api/v3/write_lp?db=core1', 'cpu val=1i')).toMatchObject({
      status: 400,
      body: JSON.stringify({
        error: 'partial write of line protocol occurred',
        data: [
          {
            error_message:
              "invalid column type for column 'val', expected iox::column_type::field::float, got iox::column_type::field::integer",
            line_number: 1,
            original_line: 'cpu val=1i',
          },
        ],
      }),
    });
    expect(await post('/api/v2/write?bucket=core1', 'cpu val=')).toMatchObject({
      status: 400,
      body: JSON.stringify({
        code: 'invalid',
        message: 'write buffer error: line protocol parse failed: No fields were provided',
      }),
    });
    expect(await post('/api/v3/write_lp?db=core1', '')).toMatchObject({
      status: 400,
      body: JSON.stringify({ error: 'incoming write was empty' }),
    });
    expect(await post('/api/v2/write?bucket=core1', '')).toMatchObject({
      status: 400,
      body: JSON.stringify({ code: 'invalid', message: 'incoming write was empty' }),
    });
    expect(await post('/api/v3/write_lp', 'a v=1')).toMatchObject({
      status: 400,
      body: "missing query parameter 'db'",
    });
    expect(await post('/api/v3/write_lp?db=_x', 'a v=1')).toMatchObject({
      status: 400,
      body: JSON.stringify({ error: 'db name did not start with a number or letter' }),
    });
    expect(await post('/write?db=core1', 'a v=1', { 'Content-Encoding': 'br' })).toMatchObject({
      status: 400,
      body: 'unacceptable content-encoding: br',
    });
  });

  it('precision=auto picks the unit by magnitude on /api/v3/write_lp', async () => {
    expect(
      await post('/api/v3/write_lp?db=auto', 'm v=1 1700000000\nm v=2 1700000001000\nm v=3 1700000002000000'),
    ).toMatchObject({
      status: 204,
    });
    const q = await call(`${sb.url}/query?db=auto&epoch=s&q=${encodeURIComponent('SELECT v FROM m')}`, { token });
    expect(JSON.parse(q.body)).toEqual({
      results: [
        {
          statement_id: 0,
          series: [
            {
              name: 'm',
              columns: ['time', 'v'],
              values: [
                [1700000000, 1],
                [1700000001, 2],
                [1700000002, 3],
              ],
            },
          ],
        },
      ],
    });
  });
});
