// @vitest-environment node
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeQuery, type QueryBudget, type QueryRowSink } from '../../electron/services/query-service';
import { cellText } from '../../shared/query/exact-json';
import type { QueryResult } from '../../shared/query/result-model';

/**
 * `/query` answers larger than memory should hold: a budget ends the result cleanly (the first N rows,
 * and a message saying how to narrow the query), a row sink gets rows as they arrive and the result
 * keeps none, and an answer nested absurdly deep is an error, not a crash.
 */

const ROW = (i: number) => `[${1_700_000_000_000_000_000n + BigInt(i)},"host-${i % 7}",${i}]`;

/** Writes one endless `/query` document (never a closing bracket), respecting backpressure. */
function endless(res: ServerResponse, onClose: () => void): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","n"],"values":[');
  let i = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
    onClose();
  });
  const pump = (): void => {
    while (!closed) {
      let text = '';
      for (let k = 0; k < 1000; k++, i++) text += `${i === 0 ? '' : ','}${ROW(i)}`;
      if (!res.write(text)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

describe('query service: budgets, row sinks and nesting', () => {
  let server: Server;
  let base = '';
  let closedByClient = 0;
  let lastBackpressureWaits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      if (q === 'endless') {
        endless(res, () => closedByClient++);
        return;
      }
      if (q === 'deep') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`{"results":[{"statement_id":0,"series":[{"name":"m","columns":["v"],"values":[${'['.repeat(200_000)}`);
        return;
      }
      if (q === 'rows') {
        // 30,000 rows in one document (about 1.3 MB), written at once.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const rows = Array.from({ length: 30_000 }, (_, i) => ROW(i)).join(',');
        res.end(
          `{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","n"],"values":[${rows}]}]}]}\n`,
        );
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (q: string, budget?: QueryBudget, onRows?: QueryRowSink) =>
    executeQuery(sendHttp, {
      target: { baseUrl: base, tls: { caPem: '', skipVerify: false }, timeoutMs: 60_000 },
      params: { q, db: 'd', rp: '', epoch: 'ns', chunked: false, chunkSize: 0, params: {}, method: 'GET' },
      auth: { scheme: 'none', username: '' },
      token: null,
      budget,
      onRows,
    });

  it('a row budget ends an endless answer cleanly: exactly the first N rows and how to narrow the query', async () => {
    const before = closedByClient;
    const { result, exchange } = await run('endless', { maxRows: 25_000, maxBytes: Infinity });
    expect(exchange.error).toBeNull();
    expect(exchange.response?.status).toBe(200);
    expect(result.rowCount).toBe(25_000);
    const rows = result.statements[0]!.series[0]!.rows;
    expect(rows).toHaveLength(25_000);
    expect(cellText(rows[24_999]![0]!)).toBe(String(1_700_000_000_000_000_000n + 24_999n));
    expect(result.error).toMatch(
      /^The result was stopped at 25,000 rows \(.* read\): the limit per query is 25,000 rows\./,
    );
    expect(result.error).toMatch(/Narrow the query: a time range/);
    // The request was ended, not read to the end.
    await expect.poll(() => closedByClient).toBe(before + 1);
  });

  it('a byte budget ends the answer the same way', async () => {
    const { result, exchange } = await run('endless', { maxRows: Infinity, maxBytes: 2 * 1024 * 1024 });
    expect(exchange.error).toBeNull();
    expect(result.error).toMatch(/the limit per query is 2\.0 MiB\. Narrow the query/);
    expect(result.rowCount).toBeGreaterThan(10_000);
  });

  it('with a row sink, rows arrive in parts (one long document cut between rows) and none are kept', async () => {
    const parts: QueryResult[] = [];
    const continues: boolean[] = [];
    const { result } = await run('rows', { maxRows: Infinity, maxBytes: Infinity }, (part, c) => {
      parts.push(part);
      continues.push(c);
    });
    expect(result.error).toBeNull();
    expect(result.rowCount).toBe(30_000);
    expect(result.statements).toEqual([{ statementId: 0, series: [], error: null, messages: [] }]);
    const all = parts.flatMap((p) => p.statements.flatMap((s) => s.series.flatMap((x) => x.rows)));
    expect(all).toHaveLength(30_000);
    expect(all.map((r) => r[2])).toEqual(Array.from({ length: 30_000 }, (_, i) => i));
    // Even a single small document goes through whole: the sink saw it, with no continuation.
    expect(continues[0]).toBe(false);
  });

  it('a sink that returns a promise holds the response until it settles', async () => {
    let inFlight = 0;
    let overlapped = false;
    const { result } = await run('endless', { maxRows: 400_000, maxBytes: Infinity }, async () => {
      inFlight++;
      if (inFlight > 1) overlapped = true;
      await new Promise((r) => setImmediate(r));
      lastBackpressureWaits++;
      inFlight--;
    });
    expect(result.rowCount).toBeGreaterThanOrEqual(400_000);
    expect(lastBackpressureWaits).toBeGreaterThan(1);
    expect(overlapped).toBe(false);
  });

  it('an answer nested 200,000 deep is a clear error, not a stack overflow', async () => {
    const { result, exchange } = await run('deep');
    expect(exchange.error).toBeNull();
    expect(result.error).toBe(
      'The response nests deeper than 32 levels; no InfluxDB query result does. The server may be misbehaving.',
    );
  });
});
