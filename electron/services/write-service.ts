import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

import { headerValue, type HttpExchange, type PingResult } from '../../shared/domain/http';
import { credentialForms } from '../../shared/domain/redact';
import type { AuthChoice, WriteParams } from '../../shared/domain/write-request';
import { buildPingRequest, buildWriteRequest, normalizeLineEndings } from '../../shared/domain/write-request';
import { DEFAULT_MAX_RESPONSE_BYTES, type HttpRequestSpec, type TlsOptions } from './http-client';

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

/** The HTTP function services depend on. */
export type SendHttp = (spec: HttpRequestSpec) => Promise<HttpExchange>;

/** Sends a line-protocol write. */
export async function executeWrite(
  send: SendHttp,
  input: {
    target: Target;
    params: WriteParams;
    auth: AuthChoice;
    token: string | null;
    body: string;
    signal?: AbortSignal;
  },
): Promise<HttpExchange> {
  const built = buildWriteRequest(input.target.baseUrl, input.params, input.auth, input.token);
  const text = normalizeLineEndings(input.body);
  const raw = Buffer.from(text, 'utf8');
  const wire = input.params.gzip ? await gzipAsync(raw) : raw;
  return send({
    method: 'POST',
    url: built.url,
    headers: built.headers,
    body: wire,
    bodyBytes: raw.byteLength,
    bodyLines: countLines(text),
    gzip: input.params.gzip,
    timeoutMs: input.target.timeoutMs,
    maxResponseBytes: input.target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    tls: input.target.tls,
    signal: input.signal,
    secrets: credentialForms(input.token, [input.auth.username]),
  });
}

/** Sends `GET /ping` and reads the version and build headers. */
export async function executePing(
  send: SendHttp,
  input: { target: Target; auth: AuthChoice; token: string | null; signal?: AbortSignal },
): Promise<PingResult> {
  const built = buildPingRequest(input.target.baseUrl, input.auth, input.token);
  const exchange = await send({
    method: 'GET',
    url: built.url,
    headers: built.headers,
    body: null,
    bodyBytes: 0,
    bodyLines: 0,
    gzip: false,
    timeoutMs: input.target.timeoutMs,
    maxResponseBytes: input.target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    tls: input.target.tls,
    signal: input.signal,
    secrets: credentialForms(input.token, [input.auth.username]),
  });
  const headers = exchange.response?.headers ?? [];
  return {
    exchange,
    version: headerValue(headers, 'x-influxdb-version'),
    build: headerValue(headers, 'x-influxdb-build'),
  };
}

function countLines(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
