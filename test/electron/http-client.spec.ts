// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import { afterEach, describe, expect, it } from 'vitest';

import { DEFAULT_MAX_RESPONSE_BYTES, type HttpRequestSpec, sendHttp } from '../../electron/services/http-client';
import { createRequestRegistry } from '../../electron/services/request-registry';
import { executePing, executeWrite, type Target } from '../../electron/services/write-service';
import { REDACTED } from '../../shared/domain/auth';
import { formatBytes } from '../../shared/domain/format';
import { headerValue, type HttpExchange, isSuccess } from '../../shared/domain/http';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';

/** What a test server saw of one request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Starts a server on 127.0.0.1:0 that records every request (with its full body) before `respond`. */
async function startServer(
  respond: (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen) => void,
): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(s);
      respond(req, res, s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const s: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(s);
  return s;
}

function spec(url: string, overrides: Partial<HttpRequestSpec> = {}): HttpRequestSpec {
  const body = Buffer.from('m f=1 1\n');
  return {
    method: 'POST',
    url,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body,
    bodyBytes: body.byteLength,
    bodyLines: 1,
    gzip: false,
    timeoutMs: 5_000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    tls: { caPem: '', skipVerify: false },
    secrets: [],
    ...overrides,
  };
}

describe('sendHttp: normal responses', () => {
  it('204: status, timing (ttfb ≤ total), sent request as given', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(204, { 'X-Influxdb-Version': '1.6.7' });
      res.end();
    });
    const x = await sendHttp(spec(`${server.origin}/write?db=d`));
    expect(x.error).toBeNull();
    expect(x.response?.status).toBe(204);
    expect(x.response?.statusText).toBe('No Content');
    expect(x.response?.body).toBe('');
    expect(isSuccess(x)).toBe(true);
    expect(x.timing.ttfbMs).not.toBeNull();
    expect(x.timing.ttfbMs!).toBeGreaterThanOrEqual(0);
    expect(x.timing.totalMs).toBeGreaterThanOrEqual(x.timing.ttfbMs!);
    expect(Number.isNaN(Date.parse(x.timing.startedAt))).toBe(false);
    expect(x.request).toMatchObject({
      method: 'POST',
      url: `${server.origin}/write?db=d`,
      bodyBytes: 8,
      wireBytes: 8,
      gzip: false,
      bodyLines: 1,
    });
    expect(x.redirects).toEqual([]);
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/write?db=d' });
    expect(server.seen[0]!.body.toString()).toBe('m f=1 1\n');
    expect(server.seen[0]!.headers['content-length']).toBe('8');
    expect(server.seen[0]!.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('a slow first byte shows in ttfb and total', async () => {
    const server = await startServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('a');
        setTimeout(() => res.end('b'), 100);
      }, 100);
    });
    const x = await sendHttp(spec(`${server.origin}/`));
    expect(x.response?.body).toBe('ab');
    expect(x.timing.ttfbMs!).toBeGreaterThanOrEqual(90);
    expect(x.timing.totalMs).toBeGreaterThanOrEqual(x.timing.ttfbMs! + 90);
  });

  it('keeps the response header list with duplicates, in order', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('X-Multi', ['one', 'two']);
      res.setHeader('X-Influxdb-Build', 'OSS');
      res.writeHead(200);
      res.end();
    });
    const x = await sendHttp(spec(`${server.origin}/`));
    const multi = x.response!.headers.filter(([k]) => k.toLowerCase() === 'x-multi').map(([, v]) => v);
    expect(multi).toEqual(['one', 'two']);
    expect(headerValue(x.response!.headers, 'x-influxdb-build')).toBe('OSS');
  });

  it('a JSON error body with its content type and size', async () => {
    const body = JSON.stringify({ error: 'partial write: unable to parse "bad": missing fields' });
    const server = await startServer((_req, res) => {
      res.writeHead(400, 'Bad Request', { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const x = await sendHttp(spec(`${server.origin}/write?db=d`));
    expect(x.error).toBeNull();
    expect(x.response).toMatchObject({
      status: 400,
      statusText: 'Bad Request',
      body,
      bodyBytes: Buffer.byteLength(body),
      contentType: 'application/json',
    });
    expect(isSuccess(x)).toBe(false);
  });

  it('counts body bytes of a non-ASCII body in bytes, not characters', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ümlaut 🎉');
    });
    const x = await sendHttp(spec(`${server.origin}/`));
    expect(x.response?.body).toBe('ümlaut 🎉');
    expect(x.response?.bodyBytes).toBe(Buffer.byteLength('ümlaut 🎉'));
  });

  it('GET without a body sends no Content-Length body', async () => {
    const server = await startServer((_req, res) => res.end('pong'));
    const x = await sendHttp(spec(`${server.origin}/ping`, { method: 'GET', body: null, bodyBytes: 0, bodyLines: 0 }));
    expect(x.response?.body).toBe('pong');
    expect(server.seen[0]!.method).toBe('GET');
    expect(server.seen[0]!.body.length).toBe(0);
    expect(x.request.wireBytes).toBe(0);
  });
});

describe('sendHttp: redirects', () => {
  it('307 to the same origin keeps method, body and Authorization', async () => {
    const server = await startServer((req, res) => {
      if (req.url?.startsWith('/old')) {
        res.writeHead(307, { Location: '/new/write?db=d&u=admin&p=sek' });
        res.end();
      } else {
        res.writeHead(204);
        res.end();
      }
    });
    const x = await sendHttp(
      spec(`${server.origin}/old`, {
        headers: { Authorization: 'Token sek', 'Content-Type': 'text/plain' },
        secrets: ['sek'],
      }),
    );
    expect(x.response?.status).toBe(204);
    expect(server.seen).toHaveLength(2);
    const second = server.seen[1]!;
    expect(second.method).toBe('POST');
    expect(second.headers.authorization).toBe('Token sek');
    expect(second.body.toString()).toBe('m f=1 1\n');
    expect(second.url).toBe('/new/write?db=d&u=admin&p=sek');
    expect(x.redirects).toEqual([
      { status: 307, location: `${server.origin}/new/write?db=d&u=admin&p=${REDACTED}`, crossOrigin: false },
    ]);
  });

  it.each([301, 302, 303, 307, 308])(
    '%i to another origin drops Authorization and the u/p parameters',
    async (status) => {
      const other = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('landed');
      });
      const first = await startServer((_req, res) => {
        res.writeHead(status, { Location: `${other.origin}/write?db=d&u=admin&p=TOPSECRET&keep=1` });
        res.end();
      });
      const x = await sendHttp(
        spec(`${first.origin}/write?db=d&u=admin&p=TOPSECRET`, {
          headers: { Authorization: 'Bearer TOPSECRET', 'Content-Type': 'text/plain' },
          secrets: ['TOPSECRET'],
        }),
      );
      expect(first.seen[0]!.headers.authorization).toBe('Bearer TOPSECRET');
      expect(other.seen).toHaveLength(1);
      const got = other.seen[0]!;
      expect(got.headers.authorization).toBeUndefined();
      const params = new URL(got.url, other.origin).searchParams;
      expect(params.has('p')).toBe(false);
      expect(params.has('u')).toBe(false);
      expect(params.get('keep')).toBe('1');
      expect(JSON.stringify(got)).not.toContain('TOPSECRET');
      expect(x.response?.body).toBe('landed');
      expect(x.redirects).toHaveLength(1);
      expect(x.redirects[0]).toMatchObject({ status, crossOrigin: true });
      expect(JSON.stringify(x)).not.toContain('TOPSECRET');
    },
  );

  it('Authorization stays dropped when a foreign server redirects back to the original origin', async () => {
    let originServer: TestServer | null = null;
    const foreign = await startServer((_req, res) => {
      res.writeHead(307, { Location: `${originServer!.origin}/final` });
      res.end();
    });
    originServer = await startServer((req, res) => {
      if (req.url === '/start') {
        res.writeHead(307, { Location: `${foreign.origin}/bounce` });
        res.end();
      } else res.end('ok');
    });
    await sendHttp(spec(`${originServer.origin}/start`, { headers: { authorization: 'Token abc' } }));
    expect(foreign.seen[0]!.headers.authorization).toBeUndefined();
    expect(originServer.seen.map((s) => s.url)).toEqual(['/start', '/final']);
    expect(originServer.seen[1]!.headers.authorization).toBeUndefined();
  });

  it('localhost and 127.0.0.1 are different origins', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/a') {
        res.writeHead(307, { Location: `http://localhost:${server.port}/b` });
        res.end();
      } else res.end('b');
    });
    const x = await sendHttp(spec(`${server.origin}/a`, { headers: { Authorization: 'Token abc' } }));
    // localhost may resolve to ::1 first and be refused; either way the credential must not be sent.
    expect(x.redirects[0]?.crossOrigin).toBe(true);
    for (const s of server.seen.slice(1)) expect(s.headers.authorization).toBeUndefined();
  });

  it('302 turns a POST into a GET without body or content headers', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/write') {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      } else res.end('got it');
    });
    const x = await sendHttp(
      spec(`${server.origin}/write`, {
        headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', Authorization: 'Token t' },
      }),
    );
    expect(x.response?.body).toBe('got it');
    const second = server.seen[1]!;
    expect(second.method).toBe('GET');
    expect(second.body.length).toBe(0);
    expect(second.headers['content-type']).toBeUndefined();
    expect(second.headers['content-encoding']).toBeUndefined();
    expect(second.headers['content-length']).toBeUndefined();
    // Same origin: the credential is kept.
    expect(second.headers.authorization).toBe('Token t');
    // The inspector still shows what was sent first.
    expect(x.request.method).toBe('POST');
  });

  it('a redirect loop stops with too-many-redirects', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(302, { Location: '/loop' });
      res.end();
    });
    const x = await sendHttp(spec(`${server.origin}/loop`, { maxRedirects: 3 }));
    expect(x.response).toBeNull();
    expect(x.error?.kind).toBe('too-many-redirects');
    expect(server.seen).toHaveLength(4);
    expect(x.redirects).toHaveLength(3);
  });

  it('the default redirect limit is 5', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(301, { Location: '/loop' });
      res.end();
    });
    const x = await sendHttp(spec(`${server.origin}/loop`));
    expect(x.error?.kind).toBe('too-many-redirects');
    expect(server.seen).toHaveLength(6);
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/x', 'javascript:alert(1)'])(
    'a redirect to %s fails cleanly, without following it',
    async (location) => {
      const server = await startServer((_req, res) => {
        res.writeHead(302, { Location: location });
        res.end();
      });
      const x = await sendHttp(spec(`${server.origin}/`));
      expect(x.response).toBeNull();
      expect(x.error).not.toBeNull();
      expect(x.redirects[0]?.crossOrigin).toBe(true);
    },
  );

  it('a redirect Location that echoes the token is redacted in the recorded hop', async () => {
    const other = await startServer((_req, res) => res.end('ok'));
    const first = await startServer((_req, res) => {
      res.writeHead(302, { Location: `${other.origin}/next?echo=EchoedToken-12345&auth=Token%20x` });
      res.end();
    });
    const x = await sendHttp(
      spec(`${first.origin}/`, {
        headers: { Authorization: 'Token EchoedToken-12345' },
        secrets: ['EchoedToken-12345'],
      }),
    );
    expect(x.response?.body).toBe('ok');
    expect(JSON.stringify(x)).not.toContain('EchoedToken-12345');
    expect(x.redirects[0]?.location).toContain(REDACTED);
  });

  it('a 3xx without Location is returned as the response', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(304);
      res.end();
    });
    const x = await sendHttp(spec(`${server.origin}/`));
    expect(x.response?.status).toBe(304);
    expect(x.redirects).toEqual([]);
  });
});

describe('sendHttp: hostile and broken servers', () => {
  it('a response above maxResponseBytes → response-too-large, without reading it all', async () => {
    let written = 0;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      // An endless body: stop only when the client goes away.
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => undefined);
      pump();
    });
    const t0 = Date.now();
    const x = await sendHttp(spec(`${server.origin}/`, { maxResponseBytes: 100_000, timeoutMs: 10_000 }));
    expect(x.error?.kind).toBe('response-too-large');
    expect(x.error?.message).toContain(formatBytes(100_000));
    expect(x.response).toBeNull();
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('a response exactly at the limit is accepted', async () => {
    const server = await startServer((_req, res) => res.end(Buffer.alloc(1000, 0x62)));
    const x = await sendHttp(spec(`${server.origin}/`, { maxResponseBytes: 1000 }));
    expect(x.error).toBeNull();
    expect(x.response?.bodyBytes).toBe(1000);
  });

  it('a server that never answers → timeout within the timeout', async () => {
    const server = await startServer(() => undefined);
    const t0 = Date.now();
    const x = await sendHttp(spec(`${server.origin}/`, { timeoutMs: 300 }));
    const elapsed = Date.now() - t0;
    expect(x.error?.kind).toBe('timeout');
    expect(x.error?.message).toContain('300 ms');
    expect(x.timing.ttfbMs).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('a server that trickles bytes forever still times out (overall, not idle, timeout)', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      const t = setInterval(() => {
        if (res.destroyed) clearInterval(t);
        else res.write('.');
      }, 50);
      res.on('close', () => clearInterval(t));
    });
    const t0 = Date.now();
    const x = await sendHttp(spec(`${server.origin}/`, { timeoutMs: 400 }));
    expect(x.error?.kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('a closed port → connection-refused', async () => {
    const server = await startServer(() => undefined);
    const origin = server.origin;
    await servers.pop()!.close();
    const x = await sendHttp(spec(`${origin}/write`));
    expect(x.error).toMatchObject({ kind: 'connection-refused', code: 'ECONNREFUSED' });
    expect(x.error?.message).toContain(origin.replace('http://', ''));
    expect(x.response).toBeNull();
  });

  it('a server that destroys the socket mid-response → reset', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      // Destroyed once the headers and the first bytes have left the server.
      res.write('partial', () => req.socket.destroy());
    });
    const x = await sendHttp(spec(`${server.origin}/`));
    expect(x.error?.kind).toBe('reset');
    expect(x.response).toBeNull();
  });

  it('a server that closes the socket before any response → reset', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const x = await sendHttp(spec(`${server.origin}/`));
    expect(x.error?.kind).toBe('reset');
    expect(x.timing.ttfbMs).toBeNull();
  });

  it('an AbortSignal cancels an in-flight request → cancelled', async () => {
    const controller = new AbortController();
    // Cancelled once the server has the request (it never answers).
    const server = await startServer(() => controller.abort());
    const t0 = Date.now();
    const x = await sendHttp(spec(`${server.origin}/`, { signal: controller.signal, timeoutMs: 10_000 }));
    expect(x.error).toMatchObject({ kind: 'cancelled', message: 'Cancelled.' });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('an already aborted signal sends nothing and raises no uncaught error', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const server = await startServer((_req, res) => res.end());
      const controller = new AbortController();
      controller.abort();
      const x = await sendHttp(spec(`${server.origin}/`, { signal: controller.signal }));
      expect(x.error?.kind).toBe('cancelled');
      // A request sent after it is answered, and is the only one the server saw.
      const after = await sendHttp(spec(`${server.origin}/after`));
      expect(after.response?.status).toBe(200);
      expect(server.seen.map((r) => r.url)).toEqual(['/after']);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    // An 'error' emitted on a request with no listener would crash the main process.
    expect(uncaught).toEqual([]);
  });

  it('an unresolvable host (.invalid) → dns', async () => {
    const x = await sendHttp(spec('http://no-such-host.invalid:8086/write', { timeoutMs: 10_000 }));
    expect(x.error?.kind).toBe('dns');
    expect(x.error?.message).toContain('no-such-host.invalid');
  });

  it('a server echoing the credentials gets them redacted in body and headers', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'X-Echo': `${req.headers.authorization}`,
        'X-Raw': 'SuperSecretToken42',
      });
      res.end(
        JSON.stringify({
          error: `bad token SuperSecretToken42 in ${req.url}`,
          authorization: req.headers.authorization,
        }),
      );
    });
    const x = await sendHttp(
      spec(`${server.origin}/write?db=d&u=admin&p=SuperSecretToken42`, {
        headers: { Authorization: 'Token SuperSecretToken42' },
        secrets: ['SuperSecretToken42'],
      }),
    );
    expect(x.response?.status).toBe(401);
    const text = JSON.stringify(x);
    expect(text).not.toContain('SuperSecretToken42');
    expect(x.response?.body).toContain(REDACTED);
    expect(headerValue(x.response!.headers, 'x-raw')).toBe(REDACTED);
    expect(x.request.url).toBe(`${server.origin}/write?db=d&u=admin&p=${REDACTED}`);
    expect(x.request.headers).toEqual([['Authorization', `Token ${REDACTED}`]]);
  });

  it('a secret in an error message is redacted too', async () => {
    const x = await sendHttp(spec('http://127.0.0.1:1/write?p=SecretInUrl99', { secrets: ['SecretInUrl99'] }));
    expect(x.error).not.toBeNull();
    expect(JSON.stringify(x)).not.toContain('SecretInUrl99');
  });
});

describe('write-service over real sockets', () => {
  const target = (baseUrl: string, timeoutMs = 5_000): Target => ({
    baseUrl,
    tls: { caPem: '', skipVerify: false },
    timeoutMs,
  });

  it('gzip: the server receives a valid gzip body equal to the text as written, and wireBytes < bodyBytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const line = 'cpu,host=server01,region=uswest value=0.64 1434055562000000000';
    const body = Array.from({ length: 500 }, () => line).join('\r\n') + '\r\n';
    const x = await executeWrite(sendHttp, {
      target: target(server.origin),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd', gzip: true },
      auth: { scheme: 'none', username: '' },
      token: null,
      body,
    });
    const seen = server.seen[0]!;
    expect(seen.headers['content-encoding']).toBe('gzip');
    const unzipped = gunzipSync(seen.body).toString('utf8');
    // Byte for byte: no line-ending rewrite (a CR may be data inside a tag or string).
    expect(unzipped).toBe(body);
    expect(x.request.gzip).toBe(true);
    expect(x.request.bodyBytes).toBe(Buffer.byteLength(unzipped));
    expect(x.request.wireBytes).toBe(seen.body.length);
    expect(x.request.wireBytes).toBeLessThan(x.request.bodyBytes / 10);
    expect(x.request.bodyLines).toBe(500);
  });

  it('without gzip the body arrives byte for byte, CRs included, and no Content-Encoding', async () => {
    const server = await startServer((_req, res) => res.writeHead(204).end());
    const x = await executeWrite(sendHttp, {
      target: target(`${server.origin}/prefix/`),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
      auth: { scheme: 'none', username: '' },
      token: null,
      body: 'a f=1\r\nb,t=x\ry f=2\nc s="1\r\n2"',
    });
    expect(server.seen[0]!.url).toBe('/prefix/write?db=d');
    expect(server.seen[0]!.body.toString()).toBe('a f=1\r\nb,t=x\ry f=2\nc s="1\r\n2"');
    expect(server.seen[0]!.headers['content-encoding']).toBeUndefined();
    expect(x.request).toMatchObject({ bodyBytes: 29, wireBytes: 29, bodyLines: 4, gzip: false });
  });

  it('sends a byte body (a file) as is, invalid UTF-8 included', async () => {
    const server = await startServer((_req, res) => res.writeHead(204).end());
    const bytes = Buffer.from([...Buffer.from('m,t=caf'), 0xe9, ...Buffer.from(' v=1\n')]);
    await executeWrite(sendHttp, {
      target: target(server.origin),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
      auth: { scheme: 'none', username: '' },
      token: null,
      body: bytes,
    });
    expect(Buffer.compare(server.seen[0]!.body, bytes)).toBe(0);
  });

  it.each([
    ['bearer', 'Bearer tok-ABCDEFGH'],
    ['token', 'Token tok-ABCDEFGH'],
    ['basic', `Basic ${Buffer.from('admin:tok-ABCDEFGH').toString('base64')}`],
  ] as const)(
    'auth %s puts the exact Authorization header on the wire and redacts it in the result',
    async (scheme, header) => {
      const server = await startServer((_req, res) => res.writeHead(204).end());
      const x = await executeWrite(sendHttp, {
        target: target(server.origin),
        params: { ...DEFAULT_WRITE_PARAMS, api: 'v2', bucket: 'b', org: 'o' },
        auth: { scheme, username: 'admin' },
        token: 'tok-ABCDEFGH',
        body: 'm f=1',
      });
      expect(server.seen[0]!.headers.authorization).toBe(header);
      expect(server.seen[0]!.url).toBe('/api/v2/write?bucket=b&org=o');
      expect(JSON.stringify(x)).not.toContain('tok-ABCDEFGH');
      expect(JSON.stringify(x)).not.toContain(header.split(' ')[1]);
    },
  );

  it('query auth sends u and p on the wire and redacts p in the result', async () => {
    const server = await startServer((_req, res) => res.writeHead(204).end());
    const x = await executeWrite(sendHttp, {
      target: target(server.origin),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
      auth: { scheme: 'query', username: 'admin' },
      token: 'pa ss/word',
      body: 'm f=1',
    });
    const params = new URL(server.seen[0]!.url, server.origin).searchParams;
    expect(params.get('u')).toBe('admin');
    expect(params.get('p')).toBe('pa ss/word');
    expect(new URL(x.request.url).searchParams.get('p')).toBe(REDACTED);
    expect(JSON.stringify(x)).not.toContain('pa%20ss');
  });

  it('a server echoing the Basic credentials does not leak the token in base64 form', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'unable to parse authentication credentials', got: req.headers.authorization }));
    });
    const token = 'basic-secret-token-1234';
    const x = await executeWrite(sendHttp, {
      target: target(server.origin),
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
      auth: { scheme: 'basic', username: 'admin' },
      token,
      body: 'm f=1',
    });
    expect(x.response?.status).toBe(401);
    const encoded = Buffer.from(`admin:${token}`).toString('base64');
    expect(JSON.stringify(x)).not.toContain(encoded);
    expect(JSON.stringify(x)).not.toContain(token);
  });

  it('ping reads the version and build headers', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(204, { 'X-Influxdb-Version': '1.6.7~rc0', 'X-Influxdb-Build': 'OSS' });
      res.end();
    });
    const r = await executePing(sendHttp, {
      target: target(server.origin),
      auth: { scheme: 'token', username: '' },
      token: 'abcd1234',
    });
    expect(r.version).toBe('1.6.7~rc0');
    expect(r.build).toBe('OSS');
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/ping' });
    expect(server.seen[0]!.headers.authorization).toBe('Token abcd1234');
  });

  it('the request registry cancels an in-flight write', async () => {
    let arrived!: () => void;
    const atServer = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await startServer(() => arrived());
    const registry = createRequestRegistry();
    const pending = registry.run('req-1', (signal) =>
      executeWrite(sendHttp, {
        target: target(server.origin, 10_000),
        params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
        auth: { scheme: 'none', username: '' },
        token: null,
        body: 'm f=1',
        signal,
      }),
    );
    // Wait until the server has the request, then cancel it.
    await atServer;
    expect(server.seen).toHaveLength(1);
    expect(registry.size()).toBe(1);
    expect(registry.cancel('req-1')).toBe(true);
    const x = await pending;
    expect(x.error?.kind).toBe('cancelled');
    expect(registry.size()).toBe(0);
    expect(registry.cancel('req-1')).toBe(false);
  });

  it('cancelAll aborts every in-flight request; a reused id aborts the older one', async () => {
    const server = await startServer(() => undefined);
    const registry = createRequestRegistry();
    const write = (signal: AbortSignal): Promise<HttpExchange> =>
      executeWrite(sendHttp, {
        target: target(server.origin, 10_000),
        params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
        auth: { scheme: 'none', username: '' },
        token: null,
        body: 'm f=1',
        signal,
      });
    const a = registry.run('same', write);
    const b = registry.run('same', write);
    expect((await a).error?.kind).toBe('cancelled');
    const c = registry.run('other', write);
    expect(registry.size()).toBe(2);
    registry.cancelAll();
    expect((await b).error?.kind).toBe('cancelled');
    expect((await c).error?.kind).toBe('cancelled');
    expect(registry.size()).toBe(0);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [16 * 1024 * 1024, '16.0 MiB'],
  ])('%i → %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });
});
