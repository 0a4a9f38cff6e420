// @vitest-environment node
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type HttpRequestSpec, sendHttp } from '../../electron/services/http-client';

/** TLS options of a connection against a real HTTPS server whose certificate is signed by a test CA. */
const dir = path.join(__dirname, '..', 'fixtures', 'tls');
const ca = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');

describe('TLS options', () => {
  let server: https.Server;
  let url: string;
  let seenAuth: string | undefined;
  beforeAll(async () => {
    server = https.createServer(
      { key: fs.readFileSync(path.join(dir, 'server.key')), cert: fs.readFileSync(path.join(dir, 'server.pem')) },
      (req, res) => {
        seenAuth = req.headers.authorization;
        res.writeHead(204, { 'X-Influxdb-Version': 'tls-test' });
        res.end();
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/ping`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const spec = (tls: HttpRequestSpec['tls']): HttpRequestSpec => ({
    method: 'GET',
    url,
    headers: { Authorization: 'Token tls-secret-token' },
    body: null,
    bodyBytes: 0,
    bodyLines: 0,
    gzip: false,
    timeoutMs: 5_000,
    maxResponseBytes: 1024,
    tls,
    secrets: ['tls-secret-token'],
  });

  it('refuses an untrusted certificate with an actionable TLS message', async () => {
    seenAuth = undefined;
    const x = await sendHttp(spec({ caPem: '', skipVerify: false }));
    expect(x.response).toBeNull();
    expect(x.error?.kind).toBe('tls');
    expect(x.error?.message).toMatch(/Add the server's CA in the connection's TLS settings/);
    // The token never went out over an unverified connection.
    expect(seenAuth).toBeUndefined();
  });

  it('trusts the server when its CA is added to the connection', async () => {
    const x = await sendHttp(spec({ caPem: ca, skipVerify: false }));
    expect(x.error).toBeNull();
    expect(x.response?.status).toBe(204);
    expect(seenAuth).toBe('Token tls-secret-token');
  });

  it('connects without verification only when skipVerify is on', async () => {
    const x = await sendHttp(spec({ caPem: '', skipVerify: true }));
    expect(x.response?.status).toBe(204);
  });
});
