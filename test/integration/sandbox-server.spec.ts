// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { call, createSandboxToken, runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * The built `influx-workbench sandbox --json` over real HTTP, Cloud Dedicated profile: every route ×
 * every auth scheme, and every write error of spec §3–§5 with its literal status and body.
 */

const json = (status: number, body: object) => ({ status, body: JSON.stringify(body) });

describe('sandbox, Cloud Dedicated profile, over HTTP', () => {
  let sb: SandboxProcess;
  let dir: string;
  let all: string; // read+write on every database
  let writeOnly: string; // write on `w` only
  let readOnly: string; // read on `w` only

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-cd-'));
    for (const db of ['w', 'demo', 'limits']) {
      const r = await runSandboxCli(['database', 'create', db, '--data-dir', dir]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`created database ${db}\n`);
    }
    all = await createSandboxToken(dir, []);
    writeOnly = await createSandboxToken(dir, ['--write', 'w']);
    readOnly = await createSandboxToken(dir, ['--read', 'w']);
    sb = await startSandboxProcess(['--data-dir', dir, '--port', '0']);
    // The folder existed (databases and tokens were created above): no token is printed again.
    expect(sb.token).toBeNull();
    expect(sb.profile).toBe('cloud-dedicated');
    expect(sb.database).toBe('demo');
  });
  afterAll(async () => {
    if (sb) expect(await sb.stop()).toBe(0);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const write = (pathAndQuery: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    call(sb.url + pathAndQuery, { method: 'POST', body: body as BodyInit, headers });

  const selectAll = async (db: string, m: string): Promise<unknown> => {
    const r = await call(`${sb.url}/query?db=${db}&q=${encodeURIComponent(`SELECT * FROM ${m}`)}`, { token: all });
    expect(r.status).toBe(200);
    return JSON.parse(r.body);
  };

  it('GET and HEAD /ping answer 204 with the cloud2 build and no token', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await call(sb.url + '/ping', { method });
      expect(r.status).toBe(204);
      expect(r.body).toBe('');
      expect(r.headers.get('x-influxdb-build')).toBe('cloud2');
      expect(r.headers.get('x-influxdb-version')).toBe('3.0.0-sandbox');
    }
    expect(await call(sb.url + '/ping', { method: 'POST' })).toMatchObject(
      json(404, { code: 'not found', message: 'not found' }),
    );
    expect(await call(sb.url + '/health')).toMatchObject(json(404, { code: 'not found', message: 'not found' }));
    expect(await call(sb.url + '/nope')).toMatchObject(json(404, { code: 'not found', message: 'not found' }));
    expect(await call(sb.url + '/write?db=w')).toMatchObject(json(404, { code: 'not found', message: 'not found' }));
  });

  describe('every write route × every auth scheme', () => {
    const basic = (t: string) => 'Basic ' + Buffer.from(`anyone:${t}`).toString('base64');
    const schemes: [string, (t: string) => { headers: Record<string, string>; query: string }][] = [
      ['Bearer', (t) => ({ headers: { Authorization: `Bearer ${t}` }, query: '' })],
      ['Token', (t) => ({ headers: { Authorization: `Token ${t}` }, query: '' })],
      ['Basic', (t) => ({ headers: { Authorization: basic(t) }, query: '' })],
      ['p=', (t) => ({ headers: {}, query: `&p=${encodeURIComponent(t)}` })],
    ];
    const routes: [string, string, string[]][] = [
      // route, query, schemes that carry a token there (spec §4.1)
      ['/write', '?db=w&precision=s', ['Bearer', 'Token', 'Basic', 'p=']],
      ['/api/v2/write', '?bucket=w&org=ignored&precision=s', ['Bearer', 'Token', 'Basic']],
      ['/api/v3/write_lp', '?db=w&precision=second', ['Bearer', 'Token', 'Basic']],
    ];
    for (const [route, query, accepted] of routes) {
      for (const [scheme, auth] of schemes) {
        it(`${route} with ${scheme}`, async () => {
          const { headers, query: extra } = auth(all);
          const measurement = `auth_${route.replace(/\W/g, '')}_${scheme.replace(/\W/g, '')}`;
          const r = await write(route + query + extra, `${measurement},s=1 v=1 1700000000`, headers);
          if (accepted.includes(scheme)) {
            expect(r).toMatchObject({ status: 204, body: '' });
            expect(await selectAll('w', measurement)).toEqual({
              results: [
                {
                  statement_id: 0,
                  series: [
                    { name: measurement, columns: ['time', 's', 'v'], values: [['2023-11-14T22:13:20Z', '1', 1]] },
                  ],
                },
              ],
            });
          } else {
            expect(r).toMatchObject(json(401, { code: 'unauthorized', message: 'no token' }));
          }
        });
      }
      it(`${route}: no token 401, unknown token 403, no permission 403, write-only token 204`, async () => {
        expect(await write(route + query, 'a v=1')).toMatchObject(
          json(401, { code: 'unauthorized', message: 'no token' }),
        );
        expect(await write(route + query, 'a v=1', { Authorization: 'Bearer nope' })).toMatchObject(
          json(403, { code: 'forbidden', message: 'invalid token' }),
        );
        expect(await write(route + query, 'a v=1', { Authorization: `Bearer ${readOnly}` })).toMatchObject(
          json(403, { code: 'forbidden', message: 'forbidden' }),
        );
        // An unknown scheme and the case-sensitive scheme name carry no token.
        expect(await write(route + query, 'a v=1', { Authorization: `bearer ${all}` })).toMatchObject(
          json(401, { code: 'unauthorized', message: 'no token' }),
        );
        expect(await write(route + query, 'a v=1', { Authorization: 'Bearer' })).toMatchObject(
          json(401, { code: 'unauthorized', message: 'no token' }),
        );
        expect(await write(route + query, 'a v=1', { Authorization: `Bearer ${writeOnly}` })).toMatchObject({
          status: 204,
        });
      });
    }

    for (const [scheme, auth] of schemes) {
      it(`/query with ${scheme}; without a token or read permission 401`, async () => {
        const { headers, query } = auth(all);
        const q = encodeURIComponent('SELECT * FROM nothing_here');
        const ok = await call(`${sb.url}/query?db=w&q=${q}${query}`, { headers });
        expect(ok).toMatchObject({ status: 200, body: '{"results":[{"statement_id":0}]}' });
        const unauthorized = json(401, { code: 'unauthorized', message: 'unauthorized access' });
        expect(await call(`${sb.url}/query?db=w&q=${q}`)).toMatchObject(unauthorized);
        expect(await call(`${sb.url}/query?db=w&q=${q}`, { token: 'nope' })).toMatchObject(unauthorized);
        expect(await call(`${sb.url}/query?db=w&q=${q}`, { token: writeOnly })).toMatchObject(unauthorized);
        expect(await call(`${sb.url}/query?db=w&q=${q}`, { token: readOnly })).toMatchObject({ status: 200 });
      });
    }
  });

  it('a tag or field named _series is a column like any other (InfluxDB 3 reserves no such name)', async () => {
    const bearer = { Authorization: `Bearer ${all}` };
    const body = 'series_tag,_series=x,host=a v=1 1\nseries_tag,_series=y,host=a v=2 1';
    expect(await write('/write?db=w', body, bearer)).toMatchObject({ status: 204 });
    expect(await write('/write?db=w', 'series_field,host=a _series="s",v=3i 2', bearer)).toMatchObject({ status: 204 });
    const one = (series: object) => ({ results: [{ statement_id: 0, series: [series] }] });
    const columns = ['time', '_series', 'host', 'v'];
    expect(await selectAll('w', 'series_tag')).toEqual(
      one({
        name: 'series_tag',
        columns,
        values: [
          ['1970-01-01T00:00:00.000000001Z', 'x', 'a', 1],
          ['1970-01-01T00:00:00.000000001Z', 'y', 'a', 2],
        ],
      }),
    );
    const q = "SELECT sum(v) FROM series_tag WHERE _series = 'y' GROUP BY _series";
    const grouped = await call(`${sb.url}/query?db=w&q=${encodeURIComponent(q)}`, { token: all });
    expect(JSON.parse(grouped.body)).toEqual(
      one({
        name: 'series_tag',
        tags: { _series: 'y' },
        columns: ['time', 'sum'],
        values: [['1970-01-01T00:00:00Z', 2]],
      }),
    );
    expect(await selectAll('w', 'series_field')).toEqual(
      one({ name: 'series_field', columns, values: [['1970-01-01T00:00:00.000000002Z', 's', 'a', 3]] }),
    );
  });

  describe('spec §5.9 worked examples', () => {
    const bearer = () => ({ Authorization: `Bearer ${all}` });
    it('missing db, empty db, bad precision, rp', async () => {
      expect(await write('/write?precision=s', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'failed to deserialize db/rp/precision in request: missing field `db`' }),
      );
      expect(await write('/write?db=&precision=s', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'namespace name  length must be between 1 and 64 characters' }),
      );
      expect(await write('/write?db=demo&precision=h', 'a v=1', bearer())).toMatchObject(
        json(400, {
          code: 'invalid',
          message:
            'failed to deserialize db/rp/precision in request: unknown variant `h`, expected one of ' +
            '`s`, `second`, `millisecond`, `ms`, `microsecond`, `u`, `us`, `n`, `nanosecond`, `ns`',
        }),
      );
      expect(await write('/api/v2/write?bucket=demo&precision=m', 'a v=1', bearer())).toMatchObject(
        json(400, {
          code: 'invalid',
          message:
            'failed to deserialize org/bucket/precision in request: unknown variant `m`, expected ' +
            'one of `s`, `second`, `millisecond`, `ms`, `microsecond`, `u`, `us`, `n`, ' +
            '`nanosecond`, `ns`',
        }),
      );
      expect(await write('/write?db=demo&rp=autogen', 'rp_autogen v=1', bearer())).toMatchObject({ status: 204 });
      expect(await write('/write?db=demo&rp=Weekly', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'rejecting write due to non-existing namespace: demo/weekly' }),
      );
      expect(await write('/write?db=nope', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'rejecting write due to non-existing namespace: nope' }),
      );
      expect(await write('/write?db=a.b', 'a v=1', bearer())).toMatchObject(
        json(400, {
          code: 'invalid',
          message: "namespace name 'a.b' contains invalid character, character number 1 is not allowed",
        }),
      );
      expect(await write('/write', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'no db destination provided' }),
      );
      expect(await write('/api/v2/write', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'no org/bucket destination provided' }),
      );
      expect(await write('/api/v2/write?org=x', 'a v=1', bearer())).toMatchObject(
        json(400, { code: 'invalid', message: 'missing bucket value' }),
      );
      expect(
        await write('/api/v2/write?bucket=demo&org=ignored&precision=ms', 'v2ms v=1 1700000000000', bearer()),
      ).toMatchObject({
        status: 204,
      });
      expect(await write('/api/v2/delete?bucket=demo', '{}', bearer())).toMatchObject(
        json(501, { code: 'not implemented', message: 'deletes are not supported' }),
      );
    });

    it('a partial write stores line 1 and reports line 2', async () => {
      const r = await write('/write?db=w', 'partial1,host=a val=1 123\npartial1,host=a val= 124', bearer());
      expect(r).toMatchObject(
        json(400, {
          code: 'invalid',
          message:
            'failed to parse line protocol: errors encountered on line(s):\nerror parsing line 2 (1-based): No fields were provided',
          line: 2,
        }),
      );
      expect(await selectAll('w', 'partial1')).toEqual({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'partial1',
                columns: ['time', 'host', 'val'],
                values: [['1970-01-01T00:00:00.000000123Z', 'a', 1]],
              },
            ],
          },
        ],
      });
    });

    it('blank and comment lines do not count in line numbers', async () => {
      const r = await write('/write?db=w', '\n# comment\nnumbering v=1\n\nnumbering v=\n', bearer());
      expect(JSON.parse(r.body)).toEqual({
        code: 'invalid',
        message:
          'failed to parse line protocol: errors encountered on line(s):\nerror parsing line 2 (1-based): No fields were provided',
        line: 2,
      });
    });

    it('tag and field kinds and field types are fixed within a batch and across batches', async () => {
      const prefix = 'failed to parse line protocol: errors encountered on line(s):\n';
      expect(JSON.parse((await write('/write?db=w', 'kinds,v=x v=1', bearer())).body)).toEqual({
        code: 'invalid',
        message:
          `${prefix}error writing line 1 (1-based): Unable to insert ` +
          `iox::column_type::field::float type into column v with type iox::column_type::tag`,
        line: 1,
      });
      expect(await write('/write?db=w', 'types value=1', bearer())).toMatchObject({ status: 204 });
      expect(JSON.parse((await write('/write?db=w', 'types value=1i', bearer())).body)).toEqual({
        code: 'invalid',
        message:
          `${prefix}error writing line 1 (1-based): Unable to insert ` +
          `iox::column_type::field::integer type into column value with type ` +
          `iox::column_type::field::float`,
        line: 1,
      });
      // within one batch: the first line fixes the type for the second
      expect(JSON.parse((await write('/write?db=w', 'batch a=1u\nbatch a="x"\nbatch,a=t b=1', bearer())).body)).toEqual(
        {
          code: 'invalid',
          message:
            `${prefix}error writing line 2 (1-based): Unable to insert ` +
            `iox::column_type::field::string type into column a with type ` +
            `iox::column_type::field::uinteger\n` +
            ('error writing line 3 (1-based): Unable to insert iox::column_type::tag type into column ' +
              'a with type iox::column_type::field::uinteger'),
          line: 2,
        },
      );
      const body = [
        'dups v=1,v=2i',
        'dups,t=a,t=a v=1',
        'dups,time=x v=1',
        'dups time=1',
        'dups v=1,v=2 1',
        'dups v=3,time=5 2',
      ].join('\n');
      expect(JSON.parse((await write('/write?db=w', body, bearer())).body)).toEqual({
        code: 'invalid',
        message:
          `${prefix}error writing line 1 (1-based): the field 'v' is specified more than once with conflicting types\n` +
          "error writing line 2 (1-based): the tag 't' is specified more than once with conflicting values\n" +
          'error writing line 3 (1-based): input tag "time" on measurement "dups" is invalid\n' +
          'error writing line 4 (1-based): invalid field name: input field "time" on measurement "dups" is invalid',
        line: 1,
      });
      // the same field twice: the last wins; `time` among other fields is dropped
      expect(await selectAll('w', 'dups')).toEqual({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'dups',
                columns: ['time', 'v'],
                values: [
                  ['1970-01-01T00:00:00.000000001Z', 2],
                  ['1970-01-01T00:00:00.000000002Z', 3],
                ],
              },
            ],
          },
        ],
      });
    });

    it('the same series and time overwrite, merging fields (in one batch and across batches)', async () => {
      expect(await write('/write?db=w', 'ow,h=a x=1,y=1 10\now,h=b x=5 10\now,h=a x=2 10', bearer())).toMatchObject({
        status: 204,
      });
      expect(await write('/write?db=w', 'ow,h=a y=7 10\now,h=a x=9 5', bearer())).toMatchObject({ status: 204 });
      expect(await selectAll('w', 'ow')).toEqual({
        results: [
          {
            statement_id: 0,
            series: [
              {
                name: 'ow',
                columns: ['time', 'h', 'x', 'y'],
                values: [
                  ['1970-01-01T00:00:00.000000005Z', 'a', 9, null],
                  ['1970-01-01T00:00:00.000000010Z', 'a', 2, 7],
                  ['1970-01-01T00:00:00.000000010Z', 'b', 5, null],
                ],
              },
            ],
          },
        ],
      });
    });

    it('a timestamp that overflows i64 after the precision is applied', async () => {
      const r = await write('/write?db=w&precision=s', 'ovf v=1 9223372036854775', bearer());
      expect(JSON.parse(r.body)).toEqual({
        code: 'invalid',
        message:
          'failed to parse line protocol: errors encountered on line(s):\ntimestamp overflows i64 on line 1 (1-based)',
        line: 1,
      });
    });

    it('column and table limits', async () => {
      const fields = Array.from({ length: 250 }, (_, i) => `f${i}=1`).join(',');
      const r = await write('/write?db=limits', `wide ${fields}\nwide f0=2`, bearer());
      expect(JSON.parse(r.body)).toEqual({
        code: 'invalid',
        message:
          'failed to parse line protocol: errors encountered on line(s):\nerror writing line 1 (1-based): ' +
          ("couldn't create columns in table `wide`; table contains 1 existing columns, applying " +
            'this write would result in 251 columns, limit is 250'),
        line: 1,
      });
      const tables = Array.from({ length: 499 }, (_, i) => `t${i} v=1`).join('\n');
      expect(await write('/write?db=limits', tables, bearer())).toMatchObject({ status: 204 });
      expect(JSON.parse((await write('/write?db=limits', 't0 v=2\nt_extra v=1', bearer())).body)).toEqual({
        code: 'invalid',
        message:
          'failed to parse line protocol: errors encountered on line(s):\nerror writing line 2 (1-based): ' +
          "couldn't create new table; namespace contains 500 existing tables, applying this write would result in 501 tables, limit is 500",
        line: 2,
      });
    });
  });

  describe('transport', () => {
    const bearer = () => ({ Authorization: `Bearer ${all}` });
    it('gzip bodies work; other encodings 415; a bad gzip stream 400', async () => {
      const gz = zlib.gzipSync('gz,a=b v=1 1700000000');
      expect(await write('/write?db=w&precision=s', gz, { ...bearer(), 'Content-Encoding': 'gzip' })).toMatchObject({
        status: 204,
      });
      expect(await selectAll('w', 'gz')).toMatchObject({
        results: [{ series: [{ values: [['2023-11-14T22:13:20Z', 'b', 1]] }] }],
      });
      expect(await write('/write?db=w', 'a v=1', { ...bearer(), 'Content-Encoding': 'br' })).toMatchObject(
        json(415, { code: 'unsupported media type', message: 'unacceptable content-encoding: br' }),
      );
      const bad = await write('/write?db=w', 'not gzip', { ...bearer(), 'Content-Encoding': 'gzip' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).message).toMatch(/^error decoding gzip stream: /);
    });

    it('an 11 MiB body gets 413, before and after gunzip', async () => {
      const big = 'big v=1\n'.repeat((11 * 1024 * 1024) / 8);
      const tooLarge = json(413, { code: 'request too large', message: 'max request size (10485760 bytes) exceeded' });
      expect(await write('/write?db=w', big, bearer())).toMatchObject(tooLarge);
      expect(await write('/write?db=w', zlib.gzipSync(big), { ...bearer(), 'Content-Encoding': 'gzip' })).toMatchObject(
        tooLarge,
      );
    });

    it('a body that is not UTF-8 gets Rust’s Utf8Error text', async () => {
      const body = Buffer.concat([Buffer.from('utf v="ab'), Buffer.from([0xff]), Buffer.from('"')]);
      expect(await write('/write?db=w', body, bearer())).toMatchObject(
        json(400, {
          code: 'invalid',
          message: 'body content is not valid utf8: invalid utf-8 sequence of 1 bytes from index 9',
        }),
      );
    });

    it('an empty body or only comments: 204, nothing written', async () => {
      expect(await write('/write?db=w', '', bearer())).toMatchObject({ status: 204 });
      expect(await write('/write?db=w', '# just a comment\n\n', bearer())).toMatchObject({ status: 204 });
    });
  });

  describe('/query transport', () => {
    const q = encodeURIComponent('SELECT * FROM types');
    it('GET, POST form, POST application/vnd.influxql and multipart give the same result', async () => {
      const expected = await call(`${sb.url}/query?db=w&q=${q}`, { token: all });
      expect(expected.status).toBe(200);
      expect(JSON.parse(expected.body)).toMatchObject({ results: [{ series: [{ name: 'types' }] }] });
      const form = await call(`${sb.url}/query`, {
        method: 'POST',
        token: all,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `db=w&q=${q}`,
      });
      expect(form.body).toBe(expected.body);
      const raw = await call(`${sb.url}/query?db=w`, {
        method: 'POST',
        token: all,
        headers: { 'Content-Type': 'application/vnd.influxql' },
        body: 'SELECT * FROM types',
      });
      expect(raw.body).toBe(expected.body);
      const fd = new FormData();
      fd.set('db', 'w');
      fd.set('q', 'SELECT * FROM types');
      const multi = await call(`${sb.url}/query`, { method: 'POST', token: all, body: fd });
      expect(multi.body).toBe(expected.body);
    });

    it('a small answer is one write with Content-Length; a large or multi-document one streams chunked', async () => {
      const small = await call(`${sb.url}/query?db=w&q=${q}`, { token: all });
      expect(small.headers.get('content-length')).toBe(String(Buffer.byteLength(small.body)));
      expect(small.headers.get('transfer-encoding')).toBeNull();
      const lines = Array.from({ length: 3000 }, (_, i) => `bigq v=${i} ${1_700_000_000_000_000_000 + i * 1e9}`);
      expect(await call(`${sb.url}/write?db=w`, { method: 'POST', token: all, body: lines.join('\n') })).toMatchObject({
        status: 204,
      });
      const large = await call(`${sb.url}/query?db=w&q=${encodeURIComponent('SELECT v FROM bigq')}`, { token: all });
      expect(large.headers.get('transfer-encoding')).toBe('chunked');
      expect(large.headers.get('content-length')).toBeNull();
      expect(JSON.parse(large.body).results[0].series[0].values).toHaveLength(3000);
      const docs = await call(
        `${sb.url}/query?db=w&q=${encodeURIComponent('SELECT v FROM bigq LIMIT 3')}&chunked=true&chunk_size=1`,
        {
          token: all,
        },
      );
      expect(docs.headers.get('transfer-encoding')).toBe('chunked');
      expect(docs.body.split('}{"results"').length).toBe(3);
    });

    it('a client that drops a streamed answer halfway leaves the following queries whole (connections are reused)', async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => `dropq v=${i} ${1_700_000_000_000_000_000 + i * 1e9}`);
      expect(await call(`${sb.url}/write?db=w`, { method: 'POST', token: all, body: lines.join('\n') })).toMatchObject({
        status: 204,
      });
      const big = `${sb.url}/query?db=w&q=${encodeURIComponent('SELECT v FROM dropq')}&chunked=true&chunk_size=10`;
      const expected = await call(`${sb.url}/query?db=w&q=${encodeURIComponent('SELECT count(v) FROM dropq')}`, {
        token: all,
      });
      expect(expected.body).toContain('3000');
      for (let i = 0; i < 6; i++) {
        const abort = new AbortController();
        const res = await fetch(big, { headers: { Authorization: `Bearer ${all}` }, signal: abort.signal });
        const reader = res.body!.getReader();
        expect((await reader.read()).done).toBe(false);
        abort.abort();
        await reader.read().catch(() => undefined);
        const again = await call(`${sb.url}/query?db=w&q=${encodeURIComponent('SELECT count(v) FROM dropq')}`, {
          token: all,
        });
        expect(again.body).toBe(expected.body);
        expect((await call(big, { token: all })).body.split('}{"results"')).toHaveLength(300);
      }
    });

    it('Accept: application/x-msgpack gets JSON, labelled as JSON (clients decode by Content-Type)', async () => {
      const json = await call(`${sb.url}/query?db=w&q=${q}`, { token: all });
      const r = await call(`${sb.url}/query?db=w&q=${q}`, { token: all, headers: { Accept: 'application/x-msgpack' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.body).toBe(json.body);
    });

    it('request-level errors', async () => {
      const invalid = (message: string) => json(400, { code: 'invalid', message });
      expect(await call(`${sb.url}/query`, { token: all })).toMatchObject(
        invalid("missing query parameters 'db' and 'q'"),
      );
      expect(await call(`${sb.url}/query?db=w`, { token: all })).toMatchObject(
        invalid('expected a query to be provided in the query string or body'),
      );
      expect(
        await call(`${sb.url}/query?db=w&q=${q}`, {
          token: all,
          headers: { Accept: 'application/json, text/plain, */*' },
        }),
      ).toMatchObject(invalid('invalid mime type (application/json, text/plain, */*)'));
      expect(
        await call(`${sb.url}/query?db=w`, {
          method: 'POST',
          token: all,
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        }),
      ).toMatchObject(invalid('invalid mime type (application/json)'));
      expect(await call(`${sb.url}/query?db=w&q=${q}&chunked=yes`, { token: all })).toMatchObject(
        invalid('error decoding params from url: provided string was not `true` or `false`'),
      );
      expect(await call(`${sb.url}/query?db=w&q=${q}`, { method: 'PUT', token: all })).toMatchObject(
        json(404, { code: 'not found', message: 'not found' }),
      );
    });
  });
});
