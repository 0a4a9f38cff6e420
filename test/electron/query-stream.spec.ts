// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeQuery } from '../../electron/services/query-service';
import { cellText } from '../../shared/query/exact-json';
import type { QueryParams } from '../../shared/query/query-request';

/**
 * The query service over real HTTP against servers that misbehave the way proxies and broken
 * builds do: bodies dribbled a few bytes at a time (cutting UTF-8 characters and int64 literals),
 * valid JSON of the wrong shape, and an answer cut off mid-document.
 */
describe('query service: streamed bodies from a hostile server', () => {
  let server: Server;
  let base = '';
  const bodies: Record<string, { parts: Buffer[] }> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      const body = bodies[q];
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const parts = [...body.parts];
      const next = () => {
        const part = parts.shift();
        if (part === undefined) {
          res.end();
          return;
        }
        res.write(part);
        setImmediate(next);
      };
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (q: string) => {
    const params: QueryParams = {
      q,
      db: 'db',
      rp: '',
      epoch: 'ns',
      chunked: true,
      chunkSize: 0,
      params: {},
      method: 'GET',
    };
    return executeQuery(sendHttp, {
      target: { baseUrl: base, tls: { caPem: '', skipVerify: false }, timeoutMs: 5000 },
      params,
      auth: { scheme: 'none', username: '' },
      token: null,
    });
  };
  /** `text` as UTF-8, cut every `size` bytes (so characters and numbers are split). */
  const dribble = (text: string, size: number) => {
    const bytes = Buffer.from(text, 'utf8');
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
    return { parts };
  };

  it('merges documents dribbled 3 bytes at a time, keeping int64 and multi-byte tags exact', async () => {
    const doc = (rows: string, partial: boolean) =>
      `{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"hôte-中😀"},` +
      `"columns":["time","n"],` +
      `"values":[${rows}]${partial ? ',"partial":true' : ''}}]${partial ? ',"partial":true' : ''}}]}\n`;
    bodies.dribble = dribble(
      doc('[1700000000123456789,9223372036854775807]', true) + doc('[1700000000123456790,-9223372036854775808]', false),
      3,
    );
    const { result } = await run('dribble');
    expect(result.error).toBeNull();
    const series = result.statements[0]!.series;
    expect(series).toHaveLength(1);
    expect(series[0]!.tags).toEqual({ host: 'hôte-中😀' });
    expect(series[0]!.rows.map((r) => r.map((c) => cellText(c)))).toEqual([
      ['1700000000123456789', '9223372036854775807'],
      ['1700000000123456790', '-9223372036854775808'],
    ]);
  });

  it('says so when valid JSON is not a query result, and keeps the documents that are', async () => {
    bodies.shape = dribble(
      '{"results":[{"statement_id":0,"series":5}]}\n{"results":[{"statement_id":1,' +
        '"series":[{"name":"m","columns":["n"],"values":[[1]]}]}]}\n',
      7,
    );
    const { result } = await run('shape');
    expect(result.error).toMatch(/not an InfluxDB query result/);
    expect(result.statements.find((s) => s.statementId === 1)?.series[0]?.rows).toEqual([[1]]);
  });

  it('reports an answer cut off in the middle of a document', async () => {
    bodies.cut = dribble(
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["n"],"values":[[12345678901234567890],[1',
      5,
    );
    const { result } = await run('cut');
    expect(result.error).toBe('The response ended in the middle of a JSON document.');
  });

  it('reports a document that is not JSON and still merges the next one', async () => {
    bodies.bad = dribble(
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["n"],' +
        '"values":[[00000000000000000001]]}]}]}\n{"results":[{"statement_id":1,' +
        '"series":[{"name":"m","columns":["n"],"values":[[2]]}]}]}\n',
      4,
    );
    const { result } = await run('bad');
    expect(result.error).toMatch(/^A response document is not valid JSON: /);
    expect(result.statements.find((s) => s.statementId === 1)?.series[0]?.rows).toEqual([[2]]);
  });
});
