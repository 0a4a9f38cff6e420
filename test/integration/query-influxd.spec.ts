// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeQuery } from '../../electron/services/query-service';
import { executeWrite } from '../../electron/services/write-service';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { cellText, isExactInt } from '../../shared/query/exact-json';
import type { QueryParams } from '../../shared/query/query-request';
import { type Influxd, startInfluxd } from '../support/influxd';

/** The /query client against a real influxd 1.6.7. */
const BIG = '9223372036854775806'; // int64 max - 1: JSON.parse would round it to ...5808
const NS = '1700000000123456789';

describe('/query client against influxd 1.6', () => {
  let influx: Influxd;
  const target = () => ({ baseUrl: influx.url, tls: { caPem: '', skipVerify: false }, timeoutMs: 10_000 });
  const q = (over: Partial<QueryParams>): QueryParams => ({
    q: '',
    db: 'qdb',
    rp: '',
    epoch: '',
    chunked: false,
    chunkSize: 0,
    params: {},
    method: 'GET',
    ...over,
  });
  const run = (over: Partial<QueryParams>) =>
    executeQuery(sendHttp, { target: target(), params: q(over), auth: { scheme: 'none', username: '' }, token: null });

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE qdb');
    const lines = [`big,host=a n=${BIG}i ${NS}`];
    for (let i = 0; i < 25; i++)
      lines.push(`cpu,host=h${i % 3} usage=${i / 10},count=${i}i ${1700000000 + i * 60}000000000`);
    const x = await executeWrite(sendHttp, {
      target: target(),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'qdb' },
      auth: { scheme: 'none', username: '' },
      token: null,
      body: lines.join('\n'),
    });
    expect(x.response?.status).toBe(204);
  });
  afterAll(async () => {
    await influx?.stop();
  });

  it('keeps int64 fields and epoch=ns times exact', async () => {
    const { result } = await run({ q: 'SELECT n FROM big', epoch: 'ns' });
    expect(result.error).toBeNull();
    const row = result.statements[0]!.series[0]!.rows[0]!;
    expect(isExactInt(row[0]!)).toBe(true);
    expect(cellText(row[0]!)).toBe(NS);
    expect(cellText(row[1]!)).toBe(BIG);
  });

  it('returns RFC3339 times by default and every epoch on request', async () => {
    const rfc = await run({ q: 'SELECT n FROM big' });
    expect(rfc.result.statements[0]!.series[0]!.rows[0]![0]).toBe('2023-11-14T22:13:20.123456789Z');
    for (const [epoch, expected] of [
      ['h', 472222],
      ['m', 28333333],
      ['s', 1700000000],
      ['ms', 1700000000123],
      ['u', 1700000000123456],
    ] as const) {
      const r = await run({ q: 'SELECT n FROM big', epoch });
      expect(r.result.statements[0]!.series[0]!.rows[0]![0]).toBe(expected);
    }
  });

  it('merges chunked responses (chunk_size 4) into whole series, with progress', async () => {
    const progress: number[] = [];
    const { result, exchange } = await executeQuery(sendHttp, {
      target: target(),
      params: q({ q: 'SELECT usage, "count" FROM cpu GROUP BY host', chunked: true, chunkSize: 4, epoch: 's' }),
      auth: { scheme: 'none', username: '' },
      token: null,
      onProgress: (p) => progress.push(p.documents),
    });
    expect(exchange.response?.status).toBe(200);
    const series = result.statements[0]!.series;
    expect(series.map((s) => s.tags.host)).toEqual(['h0', 'h1', 'h2']);
    expect(series.map((s) => s.rows.length)).toEqual([9, 8, 8]);
    expect(result.rowCount).toBe(25);
    expect(progress.at(-1)).toBeGreaterThanOrEqual(6); // 9 rows in chunks of 4 → 3 documents for h0 alone
  });

  it('shows a statement error inside HTTP 200, including 1.6\'s "not executed" quirk', async () => {
    const plain = await run({
      q: 'SELECT * FROM cpu LIMIT 1; SELECT * FROM nope.autogen.x; SELECT * FROM cpu LIMIT 1',
      db: 'qdb',
    });
    expect(plain.exchange.response?.status).toBe(200);
    // Execution stops at the failing statement; 1.6 replaces its real error with "not executed".
    expect(plain.result.statements.map((s) => s.error)).toEqual([null, 'not executed']);
    // Chunked mode carries the real error; the duplicate "not executed" does not overwrite it.
    const chunked = await run({ q: 'SELECT * FROM cpu LIMIT 1; SELECT * FROM nope.autogen.x', chunked: true });
    expect(chunked.result.statements[1]!.error).toBe('database not found: nope');
  });

  it("reports a parse error (HTTP 400) as the request error, in influxd's words", async () => {
    const r = await run({ q: 'SELEC * FROM cpu' });
    expect(r.exchange.response?.status).toBe(400);
    expect(r.result.error).toBe(
      'error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, ' +
        'GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1',
    );
  });

  it('binds parameters', async () => {
    const r = await run({
      q: 'SELECT "count" FROM cpu WHERE host = $h AND "count" > $min',
      params: { h: 'h1', min: 10 },
    });
    expect(r.result.error).toBeNull();
    expect(r.result.statements[0]!.series[0]!.rows.map((row) => row[1])).toEqual([13, 16, 19, 22]);
  });

  it("POSTs management statements (GET shows 1.6's deprecation warning)", async () => {
    const get = await run({ q: 'CREATE DATABASE viaget', method: 'GET' });
    expect(get.result.statements[0]!.messages[0]?.text).toContain(
      "deprecated use of 'CREATE DATABASE viaget' in a read only context",
    );
    const post = await run({ q: 'CREATE DATABASE viapost', method: 'POST' });
    expect(post.exchange.request.method).toBe('POST');
    expect(post.result.statements[0]!.messages).toEqual([]);
    const dbs = await run({ q: 'SHOW DATABASES' });
    expect(dbs.result.statements[0]!.series[0]!.rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(['viaget', 'viapost']),
    );
  });

  it('reports a missing q', async () => {
    const r = await run({ q: '' });
    expect(r.exchange.response?.status).toBe(400);
    expect(r.result.error).toBe('missing required parameter "q"');
  });
});
