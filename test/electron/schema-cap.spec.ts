// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { fetchSchema, SCHEMA_ITEM_LIMIT } from '../../electron/services/schema-service';

/** A server that answers SHOW with a huge list must not freeze the sidebar: answers are capped. */
describe('schema answers are bounded', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `["db${i}"]`).join(',');
    const body = `{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[${values}]}]}]}\n`;
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it(`keeps the first ${SCHEMA_ITEM_LIMIT} items and says so`, async () => {
    const answer = await fetchSchema(sendHttp, {
      target: { baseUrl: url, tls: { caPem: '', skipVerify: false }, timeoutMs: 5000 },
      flavor: '1.x',
      request: { kind: 'databases', db: '', rp: '', measurement: '', tagKey: '' },
      auth: { scheme: 'none', username: '' },
      token: null,
    });
    expect(answer.items).toHaveLength(SCHEMA_ITEM_LIMIT);
    expect(answer.error).toBe(`Showing the first ${SCHEMA_ITEM_LIMIT} of 20000 items.`);
  });
});
