import { describe, expect, it } from 'vitest';

import { executeQueryScript } from '../../../electron/services/query-script';
import type { SendHttp } from '../../../electron/services/write-service';
import type { HttpExchange } from '../../../shared/domain/http';
import { emptyQueryResult, mergeQueryDocument } from '../../../shared/query/result-model';
import { schemaItems, type SchemaRequest, schemaStatement } from '../../../shared/query/schema';
import { autoQueryMethod, mergeStatementResults } from '../../../shared/query/script';

const req = (over: Partial<SchemaRequest>): SchemaRequest => ({
  kind: 'measurements',
  db: 'db',
  rp: '',
  measurement: '',
  tagKey: '',
  ...over,
});

/** A fake server: answers each request's q from `answer`, recording what was sent. */
function fakeServer(answer: (q: string) => { status: number; body: string }) {
  const sent: Array<{ method: string; q: string }> = [];
  const send: SendHttp = async (spec) => {
    const url = new URL(spec.url);
    const q = spec.method === 'GET' ? url.searchParams.get('q')! : new URLSearchParams(spec.body!.toString()).get('q')!;
    sent.push({ method: spec.method, q });
    const { status, body } = answer(q);
    spec.onData?.(Buffer.from(body, 'utf8'));
    const x: HttpExchange = {
      request: {
        method: spec.method,
        url: spec.url,
        headers: [],
        bodyBytes: 0,
        wireBytes: 0,
        gzip: false,
        bodyLines: 0,
      },
      response: {
        status,
        statusText: status === 200 ? 'OK' : 'Bad Request',
        headers: [],
        body,
        bodyBytes: body.length,
        contentType: 'application/json',
      },
      error: null,
      timing: { startedAt: new Date(0).toISOString(), ttfbMs: 1, totalMs: 2 },
      redirects: [],
    };
    return x;
  };
  return { send, sent };
}

describe('multi-statement scripts', () => {
  it('chooses GET/POST with the real parser, falling back to the keyword scan', () => {
    expect(autoQueryMethod('SELECT * FROM cpu; SHOW MEASUREMENTS')).toBe('GET');
    expect(autoQueryMethod('SELECT * INTO b FROM a')).toBe('POST');
    expect(autoQueryMethod('SELECT * FROM "into" WHERE x = \'drop\'')).toBe('GET');
    expect(autoQueryMethod('SELECT * FROM a WHERE x = $v', { v: 1 })).toBe('GET');
    expect(autoQueryMethod('DROP MEASURMENT x')).toBe('POST'); // does not parse: keyword fallback
  });

  it('renumbers statements and keeps each error when merging', () => {
    const a = emptyQueryResult();
    mergeQueryDocument(a, {
      results: [{ statement_id: 0, series: [{ name: 'cpu', columns: ['time', 'v'], values: [[1, 2]] }] }],
    });
    const b = emptyQueryResult();
    b.error = 'error parsing query: bad';
    const c = emptyQueryResult();
    mergeQueryDocument(c, { results: [{ statement_id: 0, error: 'database not found: x' }] });
    const merged = mergeStatementResults([a, b, c]);
    expect(merged.statements.map((s) => [s.statementId, s.error, s.series.length])).toEqual([
      [0, null, 1],
      [1, 'error parsing query: bad', 0],
      [2, 'database not found: x', 0],
    ]);
    expect(merged.rowCount).toBe(1);
    expect(merged.error).toBeNull();
  });

  it('runs one request per statement on 3.x flavors and the whole script on 1.x', async () => {
    const server = fakeServer((q) =>
      q.startsWith('SELECT * FROM bad')
        ? { status: 200, body: '{"results":[{"statement_id":0,"error":"Cannot retrieve database"}]}' }
        : {
            status: 200,
            body: `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["name"],"values":[["${q.length}"]]}]}]}`,
          },
    );
    const input = {
      target: { baseUrl: 'http://127.0.0.1:1', tls: { caPem: '', skipVerify: false }, timeoutMs: 1000 },
      params: {
        q: 'SHOW MEASUREMENTS; SELECT * FROM bad; SELECT * FROM good',
        db: 'db',
        rp: '',
        epoch: '' as const,
        chunked: false,
        chunkSize: 0,
        params: {},
        method: 'auto' as const,
      },
      auth: { scheme: 'none' as const, username: '' },
      token: null,
    };
    const v3 = await executeQueryScript(server.send, { ...input, flavor: 'core' });
    expect(server.sent.map((s) => s.q)).toEqual(['SHOW MEASUREMENTS', 'SELECT * FROM bad', 'SELECT * FROM good']);
    expect(v3.requests).toBe(3);
    expect(v3.result.statements.map((s) => [s.statementId, s.error])).toEqual([
      [0, null],
      [1, 'Cannot retrieve database'],
      [2, null],
    ]);
    server.sent.length = 0;
    const v1 = await executeQueryScript(server.send, { ...input, flavor: '1.x' });
    expect(server.sent).toEqual([{ method: 'GET', q: input.params.q }]);
    expect(v1.requests).toBe(1);
  });
});

describe('schema statements', () => {
  it('quotes names and bounds 3.x scans by time', () => {
    expect(schemaStatement(req({ kind: 'fields', db: 'my db', measurement: 'disk io' }), '1.x')).toBe(
      'SHOW FIELD KEYS ON "my db" FROM "disk io"',
    );
    expect(schemaStatement(req({ kind: 'tag-values', measurement: 'cpu', tagKey: 'select' }), '1.x')).toBe(
      'SHOW TAG VALUES ON db FROM cpu WITH KEY = "select" LIMIT 1000',
    );
    expect(schemaStatement(req({ kind: 'tag-values', measurement: 'cpu', tagKey: 'host' }), 'cloud-dedicated')).toBe(
      'SHOW TAG VALUES ON db FROM cpu WITH KEY = host WHERE time > now() - 1d LIMIT 1000',
    );
    expect(schemaStatement(req({ kind: 'measurements' }), 'core')).toBe(
      'SHOW MEASUREMENTS ON db WHERE time > now() - 1d',
    );
    // No WHERE in its grammar.
    expect(schemaStatement(req({ kind: 'fields', measurement: 'cpu' }), 'core')).toBe('SHOW FIELD KEYS ON db FROM cpu');
  });

  it('reads 3.x-shaped answers (one series per measurement) without duplicates', () => {
    const r = emptyQueryResult();
    mergeQueryDocument(r, {
      results: [
        {
          statement_id: 0,
          series: [
            { name: 'cpu', columns: ['fieldKey', 'fieldType'], values: [['usage', 'float']] },
            {
              name: 'mem',
              columns: ['fieldKey', 'fieldType'],
              values: [
                ['used', 'integer'],
                ['used', 'integer'],
              ],
            },
          ],
        },
      ],
    });
    expect(schemaItems('fields', r)).toEqual([
      { name: 'usage', type: 'float', measurement: 'cpu' },
      { name: 'used', type: 'integer', measurement: 'mem' },
    ]);
  });
});
