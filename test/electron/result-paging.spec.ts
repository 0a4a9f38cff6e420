// @vitest-environment node
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import type { Logger } from '../../electron/app/logger';
import { STREAM_PREVIEW_CHARS } from '../../electron/services/http-client';
import { createResultStore } from '../../electron/services/result-store';
import { type ConnectionInput, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { cellText } from '../../shared/query/exact-json';
import { emptyQueryResult, type QueryResult } from '../../shared/query/result-model';
import { FIRST_PAGE_ROWS, MAX_PAGE_ROWS } from '../../shared/query/result-page';
import { call } from '../support/call';

/**
 * Main keeps each query result; `query:run` answers with the first page, and the table, the chart
 * and exports read the rest from main. Through dispatch() (the schema check every transport runs),
 * against a local server answering with rows that must come back exact.
 */

const log: Logger = { info: () => {}, error: () => {} };
const N = 30_000;
/** Row i: an exact int64 time, a value (-0 on row 1, an int64 beyond 2^53 on row 2), a string with NUL and a quote. */
function row(i: number): string {
  const v = i === 1 ? '-0' : i === 2 ? '9223372036854775807' : String(i % 1000);
  return `[${1_700_000_000_000_000_000n + BigInt(i)},${v},"s\\u0000\\"${i}"]`;
}

function storedResult(rows: number): QueryResult {
  const r = emptyQueryResult();
  r.statements.push({
    statementId: 0,
    error: null,
    messages: [],
    series: [{ name: 'm', tags: {}, columns: ['v'], rows: Array.from({ length: rows }, (_, i) => [i]) }],
  });
  r.rowCount = rows;
  return r;
}

describe('result store', () => {
  const meta = { connectionId: 'c', epoch: '' as const, db: 'd' };

  it('drops the least recently used result past the count bound', () => {
    const store = createResultStore({ maxResults: 2, maxRows: 1_000 });
    const a = store.put(storedResult(1), meta);
    const b = store.put(storedResult(1), meta);
    store.get(a); // a is now the most recent
    const c = store.put(storedResult(1), meta);
    expect(store.ids()).toEqual([a, c]);
    expect(() => store.get(b)).toThrow(/no longer kept.*Run the query again/);
  });

  it('drops older results to stay under the row bound, but always keeps the newest', () => {
    const store = createResultStore({ maxResults: 10, maxRows: 100 });
    const a = store.put(storedResult(60), meta);
    const b = store.put(storedResult(30), meta);
    const c = store.put(storedResult(50), meta);
    expect(store.ids()).toEqual([b, c]);
    const huge = store.put(storedResult(500), meta);
    expect(store.ids()).toEqual([huge]);
    expect(store.get(huge).result.rowCount).toBe(500);
    expect(() => store.get(a)).toThrow(/NOT_FOUND|no longer kept/);
  });

  it('release frees a result once', () => {
    const store = createResultStore();
    const a = store.put(storedResult(3), meta);
    expect(store.release(a)).toBe(true);
    expect(store.release(a)).toBe(false);
    expect(store.ids()).toEqual([]);
  });
});

describe('query:run keeps the rows in main; pages, chart and exports read them', () => {
  let server: http.Server;
  let ctx: AppContext;
  let dir: string;
  let connectionId = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (q === 'empty') {
        res.end('{"results":[{"statement_id":0}]}\n');
        return;
      }
      const values = Array.from({ length: N }, (_, i) => row(i)).join(',');
      res.end(
        `{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"h,1"},` +
          `"columns":["time","v","s"],"values":[${values}]}]}]}\n`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-paging-'));
    ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log });
    const saved = await call(ctx, 'connections:save', {
      connection: {
        ...DEFAULT_CONNECTION_INPUT,
        name: 'paging',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      },
      token: { action: 'keep' },
    });
    connectionId = saved.id;
  });
  /** Saves the test connection again with `extra` settings (its defaults otherwise). */
  const resave = (extra: Partial<ConnectionInput> = {}) =>
    call(ctx, 'connections:save', {
      id: connectionId,
      connection: {
        ...DEFAULT_CONNECTION_INPUT,
        name: 'paging',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        ...extra,
      },
      token: { action: 'keep' },
    });
  afterAll(async () => {
    ctx.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  let runs = 0;
  const run = (q: string): ReturnType<typeof call<'query:run'>> =>
    call(ctx, 'query:run', {
      requestId: `r-${++runs}`,
      connectionId,
      q,
      db: 'd',
      rp: '',
      epoch: 'ns',
      chunked: false,
      chunkSize: 0,
      params: {},
      method: 'GET',
    });

  it('answers with the first page only; every row comes back exact through query:page', async () => {
    const out = await run('SELECT * FROM cpu');
    const { result } = out;
    expect(result.rowCount).toBe(N);
    const s = result.statements[0]!.series[0]!;
    expect(s.rowCount).toBe(N);
    expect(s.firstRows).toHaveLength(FIRST_PAGE_ROWS);
    expect(s.numericColumns).toEqual([1]);
    // The answer is small: 30,000 rows are about 1.5 MB of JSON; the result part is one page, the
    // exchange a body preview of at most 64 KiB.
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    expect(JSON.stringify(out).length).toBeLessThan(20_000 + 2 * STREAM_PREVIEW_CHARS);
    expect(result.resultId).toMatch(/^[A-Za-z0-9-]+$/);
    const resultId = result.resultId!;
    const all = [...s.firstRows];
    while (all.length < N) {
      const { rows } = await call(ctx, 'query:page', {
        resultId,
        statement: 0,
        series: 0,
        offset: all.length,
        limit: MAX_PAGE_ROWS,
      });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(MAX_PAGE_ROWS);
      all.push(...rows);
    }
    expect(all).toHaveLength(N);
    expect(all.map((r) => cellText(r[0]!))).toEqual(
      Array.from({ length: N }, (_, i) => String(1_700_000_000_000_000_000n + BigInt(i))),
    );
    expect(cellText(all[1]![1]!)).toBe('-0');
    expect(cellText(all[2]![1]!)).toBe('9223372036854775807');
    expect(all[29_999]![2]).toBe('s\u0000"29999');
    // Past the end: no rows. A page above the limit is refused by the contract.
    expect((await call(ctx, 'query:page', { resultId, statement: 0, series: 0, offset: N, limit: 10 })).rows).toEqual(
      [],
    );
    await expect(
      call(ctx, 'query:page', { resultId, statement: 0, series: 0, offset: 0, limit: MAX_PAGE_ROWS + 1 }),
    ).rejects.toThrow(/BAD_REQUEST/);
    await expect(call(ctx, 'query:page', { resultId, statement: 0, series: 1, offset: 0, limit: 1 })).rejects.toThrow(
      /NOT_FOUND/,
    );
  });

  it('exports CSV, JSON and line protocol of every row, written by main (browser mode: a file)', async () => {
    const { result } = await run('SELECT * FROM cpu');
    const resultId = result.resultId!;
    const csv = await call(ctx, 'query:export', { resultId, statement: 0, format: 'csv', to: 'clipboard' });
    expect(csv).toMatchObject({ to: 'file', rows: N });
    if (csv.to !== 'file') throw new Error('expected a file');
    expect(path.dirname(csv.path)).toBe(path.join(dir, 'exports'));
    expect((await fs.stat(csv.path)).mode & 0o777).toBe(0o600);
    const lines = (await fs.readFile(csv.path, 'utf8')).split('\r\n');
    expect(lines[0]).toBe('name,host,time,v,s');
    expect(lines).toHaveLength(N + 2);
    expect(lines[2]).toBe('cpu,"h,1",1700000000000000001,-0,"s\u0000""1"');
    expect(lines[3]).toBe('cpu,"h,1",1700000000000000002,9223372036854775807,"s\u0000""2"');
    expect(lines[N]).toBe(`cpu,"h,1",${1_700_000_000_000_000_000n + BigInt(N - 1)},999,"s\u0000""${N - 1}"`);

    const json = await call(ctx, 'query:export', { resultId, statement: 0, format: 'json', to: 'file' });
    if (json.to !== 'file') throw new Error('expected a file');
    const text = await fs.readFile(json.path, 'utf8');
    expect(text).toMatch(/\[\s*1700000000000000002,\s*9223372036854775807,/);
    expect(text).toMatch(/\[\s*1700000000000000001,\s*-0,/);
    expect(
      (JSON.parse(text) as { statements: Array<{ series: Array<{ values: unknown[] }> }> }).statements[0]!.series[0]!
        .values,
    ).toHaveLength(N);

    const lp = await call(ctx, 'query:export', {
      resultId,
      statement: 0,
      format: 'lp',
      to: 'file',
      lp: { cpu: { tags: [], types: { v: 'integer', s: 'string' } } },
    });
    if (lp.to !== 'file') throw new Error('expected a file');
    const lpLines = (await fs.readFile(lp.path, 'utf8')).split('\n');
    expect(lpLines).toHaveLength(N + 1);
    expect(lpLines[2]).toBe('cpu,host=h\\,1 v=9223372036854775807i,s="s\u0000\\"2" 1700000000000000002');
  });

  it('the chart gets the time and numeric columns, every row or a sample that says so', async () => {
    const { result } = await run('SELECT * FROM cpu');
    const { series } = await call(ctx, 'query:chart', { resultId: result.resultId!, statement: 0 });
    expect(series).toHaveLength(1);
    expect(series[0]!.columns).toEqual(['time', 'v']);
    expect(series[0]!.rowCount).toBe(N);
    expect(series[0]!.rows.length).toBeLessThanOrEqual(N);
  });

  it('release frees the rows: later pages say to run the query again', async () => {
    const { result } = await run('SELECT * FROM cpu');
    const resultId = result.resultId!;
    expect(await call(ctx, 'query:release', { resultId })).toEqual({ released: true });
    await expect(call(ctx, 'query:page', { resultId, statement: 0, series: 0, offset: 0, limit: 1 })).rejects.toThrow(
      /NOT_FOUND.*Run the query again/,
    );
  });

  it("the connection's row and byte budget ends a result cleanly, saying how to narrow the query", async () => {
    const saved = await resave({ queryMaxRows: 1_000 });
    expect(saved).toMatchObject({ queryMaxRows: 1_000, queryMaxBytes: 512 * 1024 * 1024 });
    const rows = await run('SELECT * FROM cpu');
    expect(rows.result.rowCount).toBe(1_000);
    expect(rows.result.statements[0]!.series[0]!.rowCount).toBe(1_000);
    expect(rows.result.error).toMatch(/stopped at 1,000 rows .*limit per query is 1,000 rows.*Narrow the query/);
    expect(rows.result.error).toContain('edit "paging" → Query result limits');
    // 30,000 rows are about 1.5 MB: a 1 MiB budget ends the result before its end.
    await resave({ queryMaxBytes: 1024 * 1024 });
    const bytes = await run('SELECT * FROM cpu');
    expect(bytes.result.rowCount).toBeGreaterThan(0);
    expect(bytes.result.rowCount).toBeLessThan(N);
    expect(bytes.result.error).toMatch(/limit per query is 1.0 MiB.*Narrow the query/);
    await expect(resave({ queryMaxRows: 10 })).rejects.toThrow(/BAD_REQUEST.*queryMaxRows.*at least 1,000 rows/);
    await resave();
  });

  it('a result without series keeps nothing', async () => {
    const { result } = await run('empty');
    expect(result.resultId).toBeNull();
    expect(result.statements).toHaveLength(1);
  });
});
