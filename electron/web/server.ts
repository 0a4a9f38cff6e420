import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { MAX_WRITE_BODY_CHARS } from '../../shared/ipc/contract';
import type { AppContext } from '../app/create-app';
import { RENDERER_SECURITY_HEADERS } from '../app/csp';
import { dispatch } from '../app/dispatch';
import { readStaticFile } from '../app/static-files';

/**
 * Browser mode: the same renderer build and the same handlers, over a loopback HTTP bridge.
 *
 * Guarded by a random per-launch secret: the printed URL carries it once (`/?k=…`), the server trades
 * it for an HttpOnly SameSite=Strict cookie, and every other request needs that cookie. The Host
 * header must name the loopback address (DNS rebinding) and API calls must come from our own Origin.
 */

/** A running browser-mode server. */
export interface WebServer {
  /** The URL to open, with the secret. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

const COOKIE = 'iwb_session';
const MAX_API_BODY = MAX_WRITE_BODY_CHARS * 4 + 1024 * 1024;

/** Starts the server on 127.0.0.1 (a random free port unless `port` is given). */
export async function startWebServer(options: {
  ctx: AppContext;
  staticDir: string;
  port?: number;
  secret?: string;
}): Promise<WebServer> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const host = '127.0.0.1';
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = options.ctx.onEvent((event, payload) => {
    for (const res of sse) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  let origin = '';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.ctx.log.error('web', 'request failed', err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error; see the server log.');
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const port = (server.address() as AddressInfo).port;
    if (req.headers.host !== `${host}:${port}` && req.headers.host !== `localhost:${port}`) {
      send(res, 421, 'text/plain; charset=utf-8', 'Wrong Host header.');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('k')) {
      if (!same(url.searchParams.get('k') ?? '', secret)) {
        send(res, 403, 'text/plain; charset=utf-8', 'Wrong key. Open the URL printed by `npm run web`.');
        return;
      }
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (!same(readCookie(req.headers.cookie, COOKIE), secret)) {
      send(
        res,
        403,
        'text/plain; charset=utf-8',
        'Forbidden. Open the URL printed by `npm run web` (it carries a one-time key).',
      );
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      await handleApi(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
      return;
    }
    const file = await readStaticFile(options.staticDir, url.pathname);
    if (!file) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
      return;
    }
    res.writeHead(200, { ...RENDERER_SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    // CSRF: API calls must come from our own page, opened as 127.0.0.1 or as localhost (both pass the
    // Host check above, so both must pass here).
    const localhostOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
    if (req.headers.origin !== undefined && req.headers.origin !== origin && req.headers.origin !== localhostOrigin) {
      send(res, 403, 'text/plain; charset=utf-8', 'Cross-origin request refused.');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    const m = /^\/api\/invoke\/([a-z-]+:[a-z-]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m || req.headers.origin === undefined) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
      return;
    }
    const text = await readBody(req, MAX_API_BODY);
    if (text === null) {
      sendJson(res, {
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'The request is too large (over 256 MiB of text).' },
      });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      sendJson(res, { ok: false, error: { code: 'BAD_REQUEST', message: 'The request is not JSON.' } });
      return;
    }
    sendJson(res, await dispatch(options.ctx.handlers, m[1], raw, options.ctx.log));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return {
    url: `${origin}/?k=${secret}`,
    origin,
    async close() {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      options.ctx.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Pending history is on disk before close() resolves.
      await options.ctx
        .flush()
        .catch((err: unknown) =>
          options.ctx.log.error('history', `saving history.json failed: ${(err as Error).message}`),
        );
    },
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function sendJson(res: http.ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return '';
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
