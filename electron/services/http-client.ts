import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';

import { formatBytes } from '../../shared/domain/format';
import type {
  HttpExchange,
  NetworkErrorKind,
  NetworkFailure,
  RedirectHop,
  ResponseInfo,
} from '../../shared/domain/http';
import { redactHeaderList, redactText, redactUrl } from '../../shared/domain/redact';

/**
 * The one HTTP client. It runs in the main process (and in the browser-mode server and the CLI, which
 * are main-process code too) on node:http, because it needs what a renderer fetch cannot give:
 * time to first byte, a hard response cap, per-connection TLS trust, and control over redirects so
 * that credentials never follow a redirect to another origin.
 */

// --- Types ---

/** TLS options of a connection. */
export interface TlsOptions {
  readonly caPem: string;
  readonly skipVerify: boolean;
}

/** One outgoing request. `secrets` are redacted from anything the result carries. */
export interface HttpRequestSpec {
  readonly method: 'GET' | 'POST' | 'HEAD';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | null;
  /** Size before compression, for the inspector. */
  readonly bodyBytes: number;
  readonly bodyLines: number;
  readonly gzip: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly tls: TlsOptions;
  readonly signal?: AbortSignal;
  readonly secrets: readonly string[];
  readonly maxRedirects?: number;
  /**
   * Streaming: called with each raw chunk of the final response's body as it arrives (bytes: the
   * query stream parses them without decoding twice). The exchange then keeps only the first
   * {@link STREAM_PREVIEW_CHARS} characters of the body. Returning `'stop'` ends the exchange there (a
   * complete response with what was read); returning a promise pauses the response until it settles.
   */
  readonly onData?: (chunk: Uint8Array) => void | 'stop' | Promise<void>;
}

/** How much of a streamed body the exchange keeps for the inspector. */
export const STREAM_PREVIEW_CHARS = 64 * 1024;

/** Response bodies above this are cut off with a clear error, so a hostile server cannot exhaust memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

// --- Client ---

/**
 * Kept-alive connections for a run of requests to one server (a file load's batches): without it
 * every request opens a new TCP (and TLS) connection, which on a busy server costs as much as a small
 * batch. Sockets are keyed by host, port and TLS options, so a pool never mixes trust settings.
 * Idle sockets do not keep the process alive; `destroy` closes them.
 */
export interface ConnectionPool {
  readonly http: http.Agent;
  readonly https: https.Agent;
  destroy(): void;
}

/** A new {@link ConnectionPool}. */
export function createConnectionPool(): ConnectionPool {
  const pool = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return {
    ...pool,
    destroy: () => {
      pool.http.destroy();
      pool.https.destroy();
    },
  };
}

/**
 * Sends a request and never throws: transport failures come back as `error`. Without a `pool`, each
 * exchange is measured from a cold connection, like curl.
 */
export async function sendHttp(spec: HttpRequestSpec, pool?: ConnectionPool): Promise<HttpExchange> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const redirects: RedirectHop[] = [];
  let originalOrigin: string;
  try {
    originalOrigin = new URL(spec.url).origin;
  } catch {
    originalOrigin = '';
  }
  let current = { method: spec.method, url: spec.url, headers: { ...spec.headers }, body: spec.body };
  let ttfbMs: number | null = null;
  const maxRedirects = spec.maxRedirects ?? 5;
  const sentRequest = () => ({
    method: spec.method,
    url: redactUrl(redactText(spec.url, spec.secrets)),
    headers: redactHeaderList(Object.entries(spec.headers)),
    bodyBytes: spec.bodyBytes,
    wireBytes: spec.body?.byteLength ?? 0,
    gzip: spec.gzip,
    bodyLines: spec.bodyLines,
  });
  const done = (response: ResponseInfo | null, error: NetworkFailure | null): HttpExchange => ({
    request: sentRequest(),
    response,
    error,
    timing: { startedAt, ttfbMs, totalMs: round(performance.now() - t0) },
    redirects,
  });

  if (originalOrigin === '') {
    return done(
      null,
      failure('bad-request', `"${redactText(spec.url, spec.secrets)}" is not a valid URL.`, 'ERR_INVALID_URL'),
    );
  }
  try {
    for (let hop = 0; ; hop++) {
      const res = await once(current, spec, t0, pool);
      ttfbMs = res.ttfbMs;
      const location = res.response.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
      if (!isRedirect(res.response.status) || location === undefined) {
        return done(scrubResponse(res.response, spec.secrets), null);
      }
      if (hop >= maxRedirects) {
        return done(null, failure('too-many-redirects', `Stopped after ${maxRedirects} redirects.`, null));
      }
      const next = new URL(location, current.url);
      const crossOrigin = next.origin !== originalOrigin;
      redirects.push({
        status: res.response.status,
        location: redactUrl(redactText(next.toString(), spec.secrets)),
        crossOrigin,
      });
      const headers = { ...current.headers };
      // A token is bound to its connection's origin: never send it anywhere else.
      if (crossOrigin) {
        for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
        next.searchParams.delete('p');
        next.searchParams.delete('u');
      }
      // 307/308 keep the method and body; the others turn into a GET, as browsers and curl -L do.
      const keep = res.response.status === 307 || res.response.status === 308;
      if (!keep) {
        for (const k of Object.keys(headers)) {
          const l = k.toLowerCase();
          if (l === 'content-encoding' || l === 'content-type') delete headers[k];
        }
      }
      current = {
        method: keep ? current.method : current.method === 'HEAD' ? 'HEAD' : 'GET',
        url: next.toString(),
        headers,
        body: keep ? current.body : null,
      };
    }
  } catch (err) {
    return done(null, classifyError(err, spec));
  }
}

interface OnceResult {
  readonly response: ResponseInfo;
  readonly ttfbMs: number;
}

function once(
  req: { method: string; url: string; headers: Record<string, string>; body: Uint8Array | null },
  spec: HttpRequestSpec,
  t0: number,
  pool: ConnectionPool | undefined,
): Promise<OnceResult> {
  return new Promise<OnceResult>((resolve, reject) => {
    const url = new URL(req.url);
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers, 'User-Agent': 'influx-workbench' };
    if (req.body) headers['Content-Length'] = String(req.body.byteLength);
    const options: https.RequestOptions = {
      method: req.method,
      headers,
      agent: pool === undefined ? false : isHttps ? pool.https : pool.http,
      timeout: spec.timeoutMs,
    };
    if (isHttps) {
      const ca = trustedCas(spec.tls.caPem);
      if (ca) options.ca = ca;
      options.rejectUnauthorized = !spec.tls.skipVerify;
    }
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      spec.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const request = (isHttps ? https : http).request(url, options, (res) => {
      const ttfbMs = round(performance.now() - t0);
      const chunks: Buffer[] = [];
      let size = 0;
      // Redirect bodies are never streamed to the caller: only the final response is.
      const streaming = spec.onData !== undefined && !(isRedirect(res.statusCode ?? 0) && res.headers.location);
      const decoder = new StringDecoder('utf8');
      let preview = '';
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > spec.maxResponseBytes) {
          const err = new ResponseTooLarge(spec.maxResponseBytes);
          // Settle first: destroying an unfinished response emits 'aborted' synchronously, which would
          // otherwise be reported as a reset.
          finish(() => reject(err));
          res.destroy(err);
          request.destroy(err);
          return;
        }
        if (!streaming) {
          chunks.push(chunk);
          return;
        }
        if (preview.length < STREAM_PREVIEW_CHARS)
          preview += decoder.write(chunk).slice(0, STREAM_PREVIEW_CHARS - preview.length);
        let next: void | 'stop' | Promise<void>;
        try {
          next = spec.onData!(chunk);
        } catch (err) {
          finish(() => reject(err));
          res.destroy();
          request.destroy();
          return;
        }
        if (next === 'stop') {
          // The caller has read enough: the exchange is what arrived so far, not a failure.
          complete();
          res.destroy();
          request.destroy();
        } else if (next) {
          res.pause();
          next.then(
            () => res.resume(),
            (err: unknown) => {
              finish(() => reject(err));
              res.destroy();
              request.destroy();
            },
          );
        }
      });
      const complete = (): void => {
        if (streaming && preview.length < STREAM_PREVIEW_CHARS)
          preview += decoder.end().slice(0, STREAM_PREVIEW_CHARS - preview.length);
        const body = streaming ? Buffer.from(preview, 'utf8') : Buffer.concat(chunks);
        const list: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) list.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        finish(() =>
          resolve({
            ttfbMs,
            response: {
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: list,
              body: body.toString('utf8'),
              bodyBytes: streaming ? size : body.length,
              contentType: String(res.headers['content-type'] ?? ''),
            },
          }),
        );
      };
      res.on('end', complete);
      res.on('error', (e) => finish(() => reject(e)));
      res.on('aborted', () =>
        finish(() => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }))),
      );
    });
    // The socket timeout above covers idle sockets; this one bounds the whole exchange.
    const overall = setTimeout(() => {
      const err = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
      request.destroy(err);
      finish(() => reject(err));
    }, spec.timeoutMs);
    request.on('timeout', () => {
      const err = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
      request.destroy(err);
      finish(() => reject(err));
    });
    const onAbort = (): void => {
      const err = Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' });
      request.destroy(err);
      finish(() => reject(err));
    };
    // Listen for errors before anything can destroy the request: an unhandled 'error' crashes main.
    request.on('error', (e) => finish(() => reject(e)));
    if (spec.signal?.aborted) {
      onAbort();
      return;
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.body) request.end(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
    else request.end();
  });
}

/**
 * The CAs to trust: Node's default store plus the connection's extra PEM. Node's `ca` option
 * replaces the default store, so the defaults are passed along: an extra CA adds, never narrows.
 * Undefined when there is no extra PEM (Node then uses its defaults).
 */
export function trustedCas(caPem: string): string[] | undefined {
  if (caPem.trim() === '') return undefined;
  return [...tls.rootCertificates, caPem];
}

// --- Errors ---

class ResponseTooLarge extends Error {
  readonly code = 'RESPONSE_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`response larger than ${limit} bytes`);
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function classifyError(err: unknown, spec: HttpRequestSpec): NetworkFailure {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : null;
  const raw = redactText(typeof e.message === 'string' ? e.message : String(err), spec.secrets);
  const host = safeHost(spec.url);
  if (err instanceof ResponseTooLarge) {
    return failure(
      'response-too-large',
      `The response was larger than ${formatBytes(err.limit)} and was cut off. The server may be misbehaving.`,
      code,
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return failure(
        'connection-refused',
        `Connection refused by ${host}. Is InfluxDB running, and is the port right?`,
        code,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return failure(
        'dns',
        `Could not resolve the host name "${safeHostname(spec.url)}". Check the URL for typos.`,
        code,
      );
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return failure(
        'timeout',
        `No complete answer from ${host} within ${spec.timeoutMs} ms. Raise the timeout or check the network.`,
        code,
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return failure('reset', `The connection to ${host} was reset before a complete response arrived (${raw}).`, code);
    case 'ABORT_ERR':
      return failure('cancelled', 'Cancelled.', code);
    default:
      if ((code !== null && TLS_CODES.has(code)) || /certificate|ssl|tls/i.test(raw)) {
        return failure(
          'tls',
          `TLS error talking to ${host}: ${raw}. Add the server's CA in the connection's TLS settings` +
            (spec.tls.skipVerify ? '.' : ', or (for testing only) skip verification.'),
          code,
        );
      }
      if (code === 'ERR_INVALID_URL' || code === 'ERR_INVALID_HTTP_TOKEN' || code === 'ERR_INVALID_CHAR') {
        return failure('bad-request', `The request could not be built: ${raw}`, code);
      }
      return failure('other', `Request to ${host} failed: ${raw}`, code);
  }
}

function failure(kind: NetworkErrorKind, message: string, code: string | null): NetworkFailure {
  return { kind, message, code };
}

// --- Helpers ---

function scrubResponse(r: ResponseInfo, secrets: readonly string[]): ResponseInfo {
  // A hostile or buggy server may echo credentials back (e.g. in an error); they never leave main.
  return {
    ...r,
    body: redactText(r.body, secrets),
    headers: redactHeaderList(r.headers).map(([k, v]) => [k, redactText(v, secrets)] as const),
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
