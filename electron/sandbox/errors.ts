/**
 * Response bodies in each profile's own shape (spec §3): Cloud Dedicated answers
 * `{"code","message"}` with the code text derived from the status; Core answers `{"error"}` on its
 * own routes, `{"code","message"}` on `/api/v2/write`, and plain text for many transport errors.
 */

export type SandboxProfile = 'cloud-dedicated' | 'core';

export const SANDBOX_PROFILES: readonly SandboxProfile[] = ['cloud-dedicated', 'core'];

/** A complete response (the query route streams instead). */
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `HttpApiErrorCode` text per status (IOx `ioxd_common/src/http/error.rs`). */
const CODE_TEXT: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  413: 'request too large',
  415: 'unsupported media type',
  422: 'unprocessable entity',
  429: 'too many requests',
  500: 'internal error',
  501: 'not implemented',
  503: 'unavailable',
};

const JSON_HEADERS = { 'content-type': 'application/json' };

/** `{"code","message"[,"line"]}` as the CD router renders it. */
export function codeMessage(status: number, message: string, line?: number): SandboxResponse {
  const body: Record<string, unknown> = { code: CODE_TEXT[status] ?? 'internal error', message };
  if (line !== undefined) body.line = line;
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

/** Core's `{"error":…[,"data":…]}`. */
export function errorJson(status: number, error: string, data?: unknown): SandboxResponse {
  const body: Record<string, unknown> = { error };
  if (data !== undefined) body.data = data;
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

export function plainText(status: number, text: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

export function noContent(headers: Record<string, string> = {}): SandboxResponse {
  return { status: 204, headers, body: '' };
}

/**
 * A request-level `/query` error in the profile's shape (spec §9.1, §14 Q3): CD `{"code","message"}`
 * (or `{"error"}` with `queryErrorShape: "v1"`), Core `{"error"}`. For the InfluxQL engine too.
 */
export function queryErrorBody(
  profile: SandboxProfile,
  status: number,
  message: string,
  shape: 'cd' | 'v1' = 'cd',
): SandboxResponse {
  return profile === 'core' || shape === 'v1' ? errorJson(status, message) : codeMessage(status, message);
}
