import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { formatBytes } from '../../shared/domain/format';
import type { AppContext } from '../app/create-app';
import { RENDERER_SECURITY_HEADERS } from '../app/csp';
import { dispatch } from '../app/dispatch';
import { readStaticFile } from '../app/static-files';

/**
 * Browser mode: the same renderer build and the same handlers, over a loopback HTTP bridge.
 *
 * Guarded by a random launch key that works once: the printed URL carries it (`/?k=…`), and the server
 * trades it for two fresh secrets:
 *  - a session cookie (HttpOnly, SameSite=Strict) under a per-instance name, so two instances never
 *    overwrite each other's cookie;
 *  - a page secret, handed over in the redirect's fragment (`/#iwb=…`: never sent to any server, never
 *    in a Referer) that the page keeps in sessionStorage and sends in the {@link PAGE_SECRET_HEADER}
 *    header.
 * Browsers send cookies to every port of a host, so another web server on 127.0.0.1 can see the
 * cookie; it cannot see the page secret (sessionStorage is per origin, port included). Every API call
 * needs both. The Host header must name the loopback address (DNS rebinding) and API calls must come
 * from our own Origin.
 */

/** A running browser-mode server. */
export interface WebServer {
  /** The URL to open, with the secret. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/** The header that carries the page secret on every API call. */
export const PAGE_SECRET_HEADER = 'x-iwb-page';
/** The fragment parameter that hands the page secret to the page once. */
export const PAGE_SECRET_FRAGMENT = 'iwb';
/**
 * Largest API request body, in bytes. A request is decoded into one JS string, which V8 caps at
 * 2^29 − 24 UTF-16 units; a UTF-8 byte is at most one unit, so staying below the cap in bytes means
 * the decode can never fail. It still fits the largest write body (256 Mi characters of line
 * protocol) with room for its JSON escaping.
 */
export const MAX_API_BODY_BYTES = 500 * 1024 * 1024;

/** Starts the server on 127.0.0.1 (a random free port unless `port` is given). */
export async function startWebServer(options: {
  ctx: AppContext;
  staticDir: string;
  port?: number;
  secret?: string;
  /** The request body limit; {@link MAX_API_BODY_BYTES} unless a test needs a small one. */
  maxBodyBytes?: number;
}): Promise<WebServer> {
  const maxBody = options.maxBodyBytes ?? MAX_API_BODY_BYTES;
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  // One session per launch key: created when the key is used (and the key then stops working).
  let session: { cookie: string; page: string } | null = null;
  const cookieName = `iwb_${randomBytes(6).toString('hex')}`;
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
      if (session !== null) {
        send(
          res,
          403,
          'text/plain; charset=utf-8',
          'This launch key was already used: it works once. Go back to the tab it opened, or restart `npm run web` for a new URL.',
        );
        return;
      }
      session = { cookie: randomBytes(24).toString('base64url'), page: randomBytes(24).toString('base64url') };
      res.writeHead(303, {
        Location: `/#${PAGE_SECRET_FRAGMENT}=${session.page}`,
        'Set-Cookie': `${cookieName}=${session.cookie}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (session === null || !same(readCookie(req.headers.cookie, cookieName), session.cookie)) {
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
    // The cookie alone is not enough: it reaches every server on this host. The page secret never
    // sits in a cookie.
    const page = req.headers[PAGE_SECRET_HEADER];
    if (typeof page !== 'string' || !same(page, session!.page)) {
      send(
        res,
        403,
        'text/plain; charset=utf-8',
        'Forbidden: this page has no session secret. Go back to the tab the launch URL opened, or restart `npm run web`.',
      );
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
    // Refused before reading when Content-Length says so, else as soon as the stream passes the limit.
    const declared = Number(req.headers['content-length'] ?? 0);
    const text = declared > maxBody ? null : await readBody(req, maxBody);
    if (text === null) {
      const size = declared > maxBody ? formatBytes(declared) : `over ${formatBytes(maxBody)}`;
      res.writeHead(413, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'close',
      });
      res.end(
        JSON.stringify({
          ok: false,
          error: {
            code: 'BAD_REQUEST',
            message:
              `The request is ${size}; browser mode accepts at most ${formatBytes(maxBody)} per ` +
              `request. Split the body into smaller batches.`,
          },
        }),
      );
      // The rest of the body is not read: the connection is closed once the answer is out.
      res.on('finish', () => req.destroy());
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

/** The body as text, or null as soon as it passes `limit` bytes (what was read is dropped). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      chunks = [];
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
