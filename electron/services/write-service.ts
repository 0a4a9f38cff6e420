import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

import { headerValue, type HttpExchange, type PingResult } from '../../shared/domain/http';
import { credentialForms } from '../../shared/domain/redact';
import type { AuthChoice, WriteParams } from '../../shared/domain/write-request';
import { buildPingRequest, buildWriteRequest } from '../../shared/domain/write-request';
import { type ConnectionPool, DEFAULT_MAX_RESPONSE_BYTES, type HttpRequestSpec, type TlsOptions } from './http-client';

const gzipAsync = promisify(gzipCb);

/**
 * Writes and pings, shared by every transport (Electron IPC, browser mode, CLI). Takes the HTTP
 * sender as a parameter so tests can point it anywhere.
 */

/** Target and transport settings of a request. */
export interface Target {
  readonly baseUrl: string;
  readonly tls: TlsOptions;
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
}

/** The HTTP function services depend on; `pool` keeps connections alive across a run of requests. */
export type SendHttp = (spec: HttpRequestSpec, pool?: ConnectionPool) => Promise<HttpExchange>;

/** What a write needs besides its body. */
export interface WriteInput {
  readonly target: Target;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly token: string | null;
}

/**
 * The one place a write request is turned into what the HTTP client sends: URL, headers, transport
 * settings and every form of the credential to redact. Built once per connection and used for every
 * body (the editor's Send, and each batch of a file load).
 */
export function writeRequestSpecs(
  input: WriteInput,
): (body: { raw: Uint8Array; wire: Uint8Array; lines: number; signal?: AbortSignal }) => HttpRequestSpec {
  const built = buildWriteRequest(input.target.baseUrl, input.params, input.auth, input.token);
  const common = transport(input.target, input.auth, input.token);
  return ({ raw, wire, lines, signal }) => ({
    method: 'POST',
    url: built.url,
    headers: built.headers,
    body: wire,
    bodyBytes: raw.byteLength,
    bodyLines: lines,
    gzip: input.params.gzip,
    ...common,
    signal,
  });
}

/** A GET of an already built URL (ping, a verify query) to a connection's target. */
export function getRequestSpec(
  target: Target,
  built: { url: string; headers: Readonly<Record<string, string>> },
  auth: AuthChoice,
  token: string | null,
  signal?: AbortSignal,
): HttpRequestSpec {
  return {
    method: 'GET',
    url: built.url,
    headers: built.headers,
    body: null,
    bodyBytes: 0,
    bodyLines: 0,
    gzip: false,
    ...transport(target, auth, token),
    signal,
  };
}

/** Timeout, response cap, TLS and the credential's forms (raw, escaped, URL-encoded, Basic base64). */
function transport(
  target: Target,
  auth: AuthChoice,
  token: string | null,
): Pick<HttpRequestSpec, 'timeoutMs' | 'maxResponseBytes' | 'tls' | 'secrets'> {
  return {
    timeoutMs: target.timeoutMs,
    maxResponseBytes: target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    tls: target.tls,
    secrets: credentialForms(token, [auth.username]),
  };
}

/** Sends a line-protocol write. */
export async function executeWrite(
  send: SendHttp,
  input: WriteInput & {
    /**
     * Line protocol exactly as the user wrote it: text (the editor) or bytes (a file). Sent byte for
     * byte; a CR is never rewritten, since inside a tag or string it is data (CRLF endings are the
     * user's quick fix, LP500).
     */
    body: string | Uint8Array;
    signal?: AbortSignal;
  },
): Promise<HttpExchange> {
  const raw = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const wire = input.params.gzip ? await gzipAsync(raw) : raw;
  return send(writeRequestSpecs(input)({ raw, wire, lines: countLines(raw), signal: input.signal }));
}

/** Sends `GET /ping` and reads the version and build headers. */
export async function executePing(
  send: SendHttp,
  input: { target: Target; auth: AuthChoice; token: string | null; signal?: AbortSignal },
): Promise<PingResult> {
  const built = buildPingRequest(input.target.baseUrl, input.auth, input.token);
  const exchange = await send(getRequestSpec(input.target, built, input.auth, input.token, input.signal));
  const headers = exchange.response?.headers ?? [];
  return {
    exchange,
    version: headerValue(headers, 'x-influxdb-version'),
    build: headerValue(headers, 'x-influxdb-build'),
  };
}

function countLines(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let n = 1;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return bytes[bytes.length - 1] === 10 ? n - 1 : n;
}
