// @vitest-environment node
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { RENDERER_CSP } from '../../electron/app/csp';
import type { Logger } from '../../electron/app/logger';
import {
  MAX_API_BODY_BYTES,
  PAGE_SECRET_FRAGMENT,
  PAGE_SECRET_HEADER,
  startWebServer,
  type WebServer,
} from '../../electron/web/server';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';

const SECRET = 'test-secret-0123456789abcdefghij';

let root: string;
let ctx: AppContext;
let server: WebServer;
let port: number;
/** The session cookie (`name=value`) and page secret that the launch key was traded for. */
let COOKIE: string;
let PAGE: string;

const silentLog: Logger = { info: () => undefined, error: () => undefined };

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-web-'));
  const staticDir = path.join(root, 'static');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Influx Workbench</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(root, 'outside.txt'), 'OUTSIDE-THE-ROOT');
  ctx = await createAppContext({
    mode: 'browser',
    version: 'test',
    dataDir: path.join(root, 'data'),
    cipher: null,
    log: silentLog,
  });
  server = await startWebServer({ ctx, staticDir, secret: SECRET });
  port = Number(new URL(server.origin).port);
  ({ cookie: COOKIE, page: PAGE } = await login(port));
});

/** Uses the launch key once, as the browser does: returns the cookie and the page secret. */
async function login(at: number, key = SECRET): Promise<{ cookie: string; page: string }> {
  const r = await rawRequest(at, 'GET', `/?k=${key}`, { Host: `127.0.0.1:${at}` });
  if (r.status !== 303) throw new Error(`login failed: ${r.status} ${r.body}`);
  const cookie = (r.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const page = new URLSearchParams(new URL(String(r.headers.location), 'http://x').hash.slice(1)).get(
    PAGE_SECRET_FRAGMENT,
  );
  if (!page) throw new Error('no page secret in the redirect');
  return { cookie, page };
}

function rawRequest(at: number, method: string, rawPath: string, headers: Record<string, string>, body?: string) {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: at, method, path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

afterEach(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A raw request, so Host, Origin and the path are sent exactly as given. */
function request(
  method: string,
  rawPath: string,
  opts: {
    headers?: Record<string, string>;
    body?: string;
    cookie?: boolean;
    page?: boolean;
    origin?: string | null;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
  if (opts.cookie !== false) headers.Cookie = COOKIE;
  if (opts.page !== false) headers[PAGE_SECRET_HEADER] = PAGE;
  Object.assign(headers, opts.headers ?? {});
  const origin = opts.origin === undefined ? server.origin : opts.origin;
  if (origin !== null) headers.Origin = origin;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return rawRequest(port, method, rawPath, headers, opts.body);
}

const invoke = (channel: string, body: unknown, opts: Parameters<typeof request>[2] = {}): Promise<Reply> =>
  request('POST', `/api/invoke/${channel}`, { body: JSON.stringify(body), ...opts });

describe('the per-launch key and the session cookie', () => {
  it('the printed URL carries the key, on 127.0.0.1', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?k=${SECRET}`);
    expect(server.origin).toBe(`http://127.0.0.1:${port}`);
  });

  it('a random secret is generated when none is given', async () => {
    const other = await startWebServer({ ctx, staticDir: path.join(root, 'static') });
    try {
      const key = new URL(other.url).searchParams.get('k');
      expect(key).not.toBeNull();
      expect(key!.length).toBeGreaterThanOrEqual(24);
      expect(key).not.toBe(SECRET);
    } finally {
      await other.close();
    }
  });

  it('GET / without key or cookie → 403', async () => {
    const r = await request('GET', '/', { cookie: false, origin: null });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('Influx Workbench</title>');
  });

  it.each([`/?k=wrong`, `/?k=`, `/?k=${SECRET}x`, `/?k=${SECRET.slice(0, -1)}`])('GET %s → 403', async (p) => {
    const r = await request('GET', p, { cookie: false, origin: null });
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('GET /?k=<right> → 303 to /#iwb=<page secret> with an HttpOnly SameSite=Strict per-instance cookie', async () => {
    const fresh = await startWebServer({ ctx, staticDir: path.join(root, 'static'), secret: SECRET });
    try {
      const at = Number(new URL(fresh.origin).port);
      const r = await rawRequest(at, 'GET', `/?k=${SECRET}`, { Host: `127.0.0.1:${at}` });
      expect(r.status).toBe(303);
      expect(r.headers.location).toMatch(new RegExp(`^/#${PAGE_SECRET_FRAGMENT}=[A-Za-z0-9_-]{32}$`));
      const cookie = r.headers['set-cookie']?.[0] ?? '';
      // Neither the launch key nor the page secret is the cookie's value, and the name is not shared.
      expect(cookie).toMatch(/^iwb_[0-9a-f]{12}=[A-Za-z0-9_-]{32};/);
      expect(cookie).not.toContain(SECRET);
      expect(cookie).not.toContain(String(r.headers.location).split('=')[1]);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      expect(cookie).toMatch(/;\s*Path=\//);
    } finally {
      await fresh.close();
    }
  });

  it('the launch key works once: a replayed URL is refused and sets no cookie', async () => {
    const r = await request('GET', `/?k=${SECRET}`, { cookie: false, origin: null });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/already used/);
    expect(r.headers['set-cookie']).toBeUndefined();
    // The first session keeps working.
    expect((await invoke('app:info', {})).status).toBe(200);
  });

  it('a leaked cookie alone cannot call the API: the page secret header is required', async () => {
    const noPage = await invoke('app:info', {}, { page: false });
    expect(noPage.status).toBe(403);
    const wrongPage = await invoke('app:info', {}, { headers: { [PAGE_SECRET_HEADER]: `${PAGE.slice(0, -1)}x` } });
    expect(wrongPage.status).toBe(403);
    // The page secret without the cookie is not enough either.
    expect((await invoke('app:info', {}, { cookie: false })).status).toBe(403);
    expect((await request('GET', '/api/events', { page: false })).status).toBe(403);
    expect((await invoke('app:info', {})).status).toBe(200);
  });

  it('two instances keep their own sessions: opening B does not log A out', async () => {
    const other = await startWebServer({ ctx, staticDir: path.join(root, 'static') });
    try {
      const at = Number(new URL(other.url).port);
      const b = await login(at, new URL(other.url).searchParams.get('k')!);
      expect(b.cookie.split('=')[0]).not.toBe(COOKIE.split('=')[0]);
      // One browser sends every 127.0.0.1 cookie to both servers.
      const jar = `${COOKIE}; ${b.cookie}`;
      const a1 = await invoke('app:info', {}, { headers: { Cookie: jar } });
      expect(a1.status).toBe(200);
      const b1 = await rawRequest(
        at,
        'POST',
        '/api/invoke/app:info',
        { Host: `127.0.0.1:${at}`, Cookie: jar, Origin: other.origin, [PAGE_SECRET_HEADER]: b.page },
        '{}',
      );
      expect(b1.status).toBe(200);
      // A's page secret does not open B.
      const cross = await rawRequest(
        at,
        'POST',
        '/api/invoke/app:info',
        { Host: `127.0.0.1:${at}`, Cookie: jar, Origin: other.origin, [PAGE_SECRET_HEADER]: PAGE },
        '{}',
      );
      expect(cross.status).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('a wrong cookie → 403', async () => {
    const r = await request('GET', '/', {
      cookie: false,
      origin: null,
      headers: { Cookie: `${COOKIE.split('=')[0]}=nope; other=1` },
    });
    expect(r.status).toBe(403);
  });

  it('with the cookie, GET / serves index.html with the CSP header', async () => {
    const r = await request('GET', '/', { origin: null, headers: { Cookie: `other=1; ${COOKIE}` } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Influx Workbench</title>');
    expect(r.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('serves assets; HEAD has no body; other methods on static paths → 405', async () => {
    const js = await request('GET', '/assets/app.js', { origin: null });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const head = await request('HEAD', '/', { origin: null });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await request('POST', '/', { origin: null })).status).toBe(405);
    expect((await request('GET', '/missing.js', { origin: null })).status).toBe(404);
  });
});

describe('request guards', () => {
  it.each(['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:1`, `0.0.0.0:PORT`, `[::1]:PORT`])(
    'Host %s → 421',
    async (host) => {
      const r = await request('GET', '/', { headers: { Host: host.replace('PORT', String(port)) }, origin: null });
      expect(r.status).toBe(421);
    },
  );

  it('Host localhost:<port> is accepted', async () => {
    const r = await request('GET', '/', { headers: { Host: `localhost:${port}` }, origin: null });
    expect(r.status).toBe(200);
  });

  it('opened as http://localhost:<port>, the page can use the API (Host and Origin agree)', async () => {
    const headers = { Host: `localhost:${port}` };
    const r = await invoke('app:info', {}, { headers, origin: `http://localhost:${port}` });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: { mode: 'browser' } });
  });

  it('the localhost origin of another port is still refused', async () => {
    const r = await invoke(
      'app:info',
      {},
      { headers: { Host: `localhost:${port}` }, origin: `http://localhost:${port + 1}` },
    );
    expect(r.status).toBe(403);
  });

  it('a wrong Host is refused even with the right key', async () => {
    const r = await request('GET', `/?k=${SECRET}`, {
      headers: { Host: 'rebound.example' },
      cookie: false,
      origin: null,
    });
    expect(r.status).toBe(421);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    '/../outside.txt',
    '/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/assets/..%2f..%2foutside.txt',
    '/%2e%2e%2foutside.txt',
    '/..%5coutside.txt',
    '//etc/passwd',
    '/%00',
    '/%E0%A4%A',
  ])('path traversal %s → 404', async (p) => {
    const r = await request('GET', p, { origin: null });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('OUTSIDE-THE-ROOT');
  });

  it('API POST without Origin → 404, handler not reached', async () => {
    const r = await invoke(
      'connections:save',
      { connection: { ...DEFAULT_CONNECTION_INPUT, name: 'x' }, token: { action: 'keep' } },
      { origin: null },
    );
    expect(r.status).toBe(404);
    const list = JSON.parse((await invoke('connections:list', {})).body) as { data: { connections: unknown[] } };
    expect(list.data.connections).toEqual([]);
  });

  it.each(['http://evil.example', `http://localhost:${1}`, 'null', `http://127.0.0.1:${1}`])(
    'API POST with Origin %s → 403',
    async (origin) => {
      const r = await invoke('app:info', {}, { origin });
      expect(r.status).toBe(403);
    },
  );

  it('API without the cookie → 403, even from our origin', async () => {
    const r = await invoke('app:info', {}, { cookie: false });
    expect(r.status).toBe(403);
  });

  it('GET on an invoke path → 404', async () => {
    expect((await request('GET', '/api/invoke/app:info')).status).toBe(404);
  });
});

describe('request body limits', () => {
  it('the limit keeps every body decodable into one JS string (V8: 2^29 − 24 units)', () => {
    expect(MAX_API_BODY_BYTES).toBeLessThan(2 ** 29 - 24);
  });

  it('a Content-Length over the limit is refused before any of the body is read, naming the true limit', async () => {
    // Only the headers are sent: a server that waited for the body would never answer.
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/invoke/write:send',
          agent: false,
          headers: {
            Host: `127.0.0.1:${port}`,
            Cookie: COOKIE,
            Origin: server.origin,
            [PAGE_SECRET_HEADER]: PAGE,
            'Content-Type': 'application/json',
            'Content-Length': String(600 * 1024 * 1024),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message:
          'The request is 600.0 MiB; browser mode accepts at most 500.0 MiB per request. Split the body into smaller batches.',
      },
    });
  });

  it('a streamed body is refused as soon as it passes the limit, and the server keeps serving', async () => {
    const small = await startWebServer({
      ctx,
      staticDir: path.join(root, 'static'),
      secret: SECRET,
      maxBodyBytes: 1024 * 1024,
    });
    try {
      const at = Number(new URL(small.origin).port);
      const s = await login(at);
      let sent = 0;
      let stopped = false;
      const reply = await new Promise<Reply>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: at,
            method: 'POST',
            path: '/api/invoke/write:send',
            agent: false,
            headers: {
              Host: `127.0.0.1:${at}`,
              Cookie: s.cookie,
              Origin: small.origin,
              [PAGE_SECRET_HEADER]: s.page,
              'Content-Type': 'application/json',
              'Transfer-Encoding': 'chunked',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
            );
          },
        );
        req.on('error', () => undefined); // the server closes the connection after answering
        // Keep writing until the answer comes: 64 MiB at most, far past the limit.
        const piece = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (sent < 64 * 1024 * 1024 && !req.destroyed && !stopped) {
            sent += piece.length;
            if (!req.write(piece)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        req.on('response', () => {
          stopped = true;
        });
        pump();
      });
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body).error.message).toBe(
        'The request is over 1.0 MiB; browser mode accepts at most 1.0 MiB per request. Split the body into smaller batches.',
      );
      expect(sent).toBeLessThan(64 * 1024 * 1024);
      const ok = await rawRequest(
        at,
        'POST',
        '/api/invoke/app:info',
        { Host: `127.0.0.1:${at}`, Cookie: s.cookie, Origin: small.origin, [PAGE_SECRET_HEADER]: s.page },
        '{}',
      );
      expect(ok.status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('the API bridge', () => {
  it('POST /api/invoke/app:info → ok, browser mode, memory-only vault', async () => {
    const r = await invoke('app:info', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual({
      ok: true,
      data: { mode: 'browser', version: 'test', vault: expect.objectContaining({ backend: 'memory', level: 'none' }) },
    });
  });

  it.each(['not json', '{"unterminated":', ''])('a body that is not JSON (%j) → BAD_REQUEST envelope', async (body) => {
    const r = await request('POST', '/api/invoke/app:info', { body });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not JSON/) },
    });
  });

  it('a schema-invalid request → BAD_REQUEST envelope', async () => {
    const r = await invoke('app:info', { extra: true });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('an unknown channel → NOT_FOUND envelope', async () => {
    const r = await invoke('nope:nothing', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel' } });
  });

  it('a channel name outside the pattern → 404', async () => {
    expect((await invoke('APP:INFO', {})).status).toBe(404);
    expect((await invoke('app:info/extra', {})).status).toBe(404);
  });

  it('a saved token never comes back over the bridge, and stays in memory only', async () => {
    const token = 'browser-mode-token-abcdef123456';
    const saved = await invoke('connections:save', {
      connection: { ...DEFAULT_CONNECTION_INPUT, name: 'local' },
      token: { action: 'set', value: token, keep: 'persist', allowWeak: true },
    });
    expect(JSON.parse(saved.body)).toMatchObject({
      ok: true,
      data: { name: 'local', token: { hasToken: true, storage: 'session' } },
    });
    const list = await invoke('connections:list', {});
    expect(saved.body + list.body).not.toContain(token);
    const dataDir = path.join(root, 'data');
    for (const f of await fs.readdir(dataDir))
      expect(await fs.readFile(path.join(dataDir, f), 'utf8')).not.toContain(token);
  });

  it('SSE /api/events receives connections:changed after a save', async () => {
    const events: string[] = [];
    const received = new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          method: 'GET',
          headers: { Host: `127.0.0.1:${port}`, Cookie: COOKIE, Origin: server.origin, [PAGE_SECRET_HEADER]: PAGE },
          agent: false,
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toBe('text/event-stream');
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            events.push(chunk);
            if (buffer.includes(': connected') && !buffer.includes('event:')) {
              // Connected: now trigger a change.
              void invoke('connections:save', {
                connection: { ...DEFAULT_CONNECTION_INPUT, name: 'sse' },
                token: { action: 'keep' },
              });
            }
            if (buffer.includes('\n\n') && buffer.includes('event: connections:changed')) resolve(buffer);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    const text = await received;
    const block = text.split('\n\n').find((b) => b.startsWith('event: connections:changed'))!;
    const data = JSON.parse(
      block
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    ) as { ids: string[] };
    const list = JSON.parse((await invoke('connections:list', {})).body) as {
      data: { connections: Array<{ id: string }> };
    };
    expect(data.ids).toEqual([list.data.connections[0]!.id]);
  });

  it('SSE without the cookie → 403', async () => {
    expect((await request('GET', '/api/events', { cookie: false })).status).toBe(403);
  });

  it('close() ends open event streams and stops listening', async () => {
    const ended = new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          method: 'GET',
          headers: { Host: `127.0.0.1:${port}`, Cookie: COOKIE, [PAGE_SECRET_HEADER]: PAGE },
          agent: false,
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve());
          res.on('close', () => resolve());
          void server.close();
        },
      );
      req.on('error', reject);
      req.end();
    });
    await ended;
    await expect(request('GET', '/', { origin: null })).rejects.toThrow();
    // afterEach closes again: close() must be idempotent enough not to hang.
    server = { ...server, close: async () => undefined };
  });
});
