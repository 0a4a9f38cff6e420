import { type AuthScheme, placeAuth, REDACTED } from './auth';
import { FLAVOR_WRITE_APIS, type ServerFlavor, WRITE_API_PATHS, type WriteApi } from './flavor';
import { defaultPrecision, translatePrecision } from './precision';

/** The parameters of one write, as the form holds them. Empty strings are not sent. */
export interface WriteParams {
  readonly api: WriteApi;
  /** v1 and v3: database. */
  readonly db: string;
  /** v1: retention policy. */
  readonly rp: string;
  /** v2: bucket (the database name on the 3.x family; `db/rp` on 1.8+). */
  readonly bucket: string;
  /** v2: organization (required by 2.x and Serverless, ignored by Cloud Dedicated). */
  readonly org: string;
  readonly precision: string;
  /** v1 only: any | one | quorum | all (ignored by everything but 1.x Enterprise); empty is not sent. */
  readonly consistency: Consistency;
  /** v3 only: send accept_partial=false to make the batch atomic. */
  readonly acceptPartial: boolean;
  /** v3 only: no_sync=true acknowledges before the WAL is persisted. */
  readonly noSync: boolean;
  readonly gzip: boolean;
}

/** v1 write consistency values; empty means the parameter is not sent. */
export const CONSISTENCY_VALUES = ['', 'any', 'one', 'quorum', 'all'] as const;

/** One of {@link CONSISTENCY_VALUES}. */
export type Consistency = (typeof CONSISTENCY_VALUES)[number];

/** Credentials as chosen for one request: scheme and username; the token is passed apart. */
export interface AuthChoice {
  readonly scheme: AuthScheme;
  readonly username: string;
}

/** A fully built HTTP request, before the body is attached. */
export interface BuiltRequest {
  readonly method: 'POST' | 'GET' | 'HEAD';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Default write parameters: the seeds' defaults (no precision sent means nanoseconds). */
export const DEFAULT_WRITE_PARAMS: WriteParams = {
  api: 'v1',
  db: '',
  rp: '',
  bucket: '',
  org: '',
  precision: '',
  consistency: '',
  acceptPartial: true,
  noSync: false,
  gzip: false,
};

/** Why a write cannot be built; shown next to the Send button. */
export function missingWriteTarget(params: WriteParams): string | null {
  if (params.api === 'v2') return params.bucket.trim() === '' ? 'The v2 API needs a bucket.' : null;
  return params.db.trim() === '' ? `The ${params.api} API needs a database (db).` : null;
}

/** Query parameters the endpoint understands, in the order the seeds write them. */
export function writeQueryParams(params: WriteParams): Array<[string, string]> {
  const q: Array<[string, string]> = [];
  const add = (k: string, v: string): void => {
    if (v !== '') q.push([k, v]);
  };
  switch (params.api) {
    case 'v1':
      add('db', params.db);
      add('rp', params.rp);
      add('precision', params.precision);
      add('consistency', params.consistency);
      break;
    case 'v2':
      add('bucket', params.bucket);
      add('org', params.org);
      add('precision', params.precision);
      break;
    case 'v3':
      add('db', params.db);
      add('precision', params.precision);
      // Only the non-default values are sent, so the URL shows what differs from the server's defaults.
      if (!params.acceptPartial) q.push(['accept_partial', 'false']);
      if (params.noSync) q.push(['no_sync', 'true']);
      break;
  }
  return q;
}

/**
 * Joins a base URL (which may carry a path prefix, e.g. behind a proxy) with an API path and
 * query parameters. Throws a readable error for a URL that is not http(s).
 */
export function joinUrl(baseUrl: string, path: string, query: ReadonlyArray<readonly [string, string]>): string {
  const base = parseBaseUrl(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${base.origin}${prefix}${path}${search ? `?${search}` : ''}`;
}

/** Parses and checks a connection's base URL. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new Error(`"${baseUrl}" is not a URL. Use e.g. http://localhost:8086 or https://cluster-id.a.influxdb.io`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Only http:// and https:// URLs are supported, not ${url.protocol}//`);
  }
  if (url.username || url.password) {
    throw new Error('Put credentials in the auth settings (CLI: --auth and --token-env), not in the URL.');
  }
  return url;
}

/**
 * Builds the write request. Pass `token: null` for "no token stored" and {@link REDACTED} for a preview.
 */
export function buildWriteRequest(
  baseUrl: string,
  params: WriteParams,
  auth: AuthChoice,
  token: string | null,
): BuiltRequest {
  const placed = placeAuth(auth.scheme, auth.username, token);
  const query = [...writeQueryParams(params), ...placed.query];
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    ...placed.headers,
  };
  if (params.gzip) headers['Content-Encoding'] = 'gzip';
  return { method: 'POST', url: joinUrl(baseUrl, WRITE_API_PATHS[params.api], query), headers };
}

/** Builds a `/ping` request. */
export function buildPingRequest(baseUrl: string, auth: AuthChoice, token: string | null): BuiltRequest {
  const placed = placeAuth(auth.scheme, auth.username, token);
  return { method: 'GET', url: joinUrl(baseUrl, '/ping', placed.query), headers: { ...placed.headers } };
}

export { REDACTED };

/**
 * The write parameters as the form shows them and the request sends them (one source for both): an
 * API the connection's flavor serves, with the precision carried over to that API's spelling. A stored
 * draft keeps the API of the flavor it was made for; after the flavor changes ("Use detected flavor"),
 * its API may no longer be offered, and the form must not show one API while sending another.
 */
export function effectiveWriteParams(flavor: ServerFlavor, params: WriteParams): WriteParams {
  const apis = FLAVOR_WRITE_APIS[flavor];
  if (apis.includes(params.api)) return params;
  const api = apis[0] ?? 'v1';
  return {
    ...params,
    api,
    precision: translatePrecision(flavor, api, params.precision) ?? defaultPrecision(flavor, api),
  };
}

/** `params` with another API: the precision follows in that API's spelling, or falls back to its default. */
export function withWriteApi(flavor: ServerFlavor, params: WriteParams, api: WriteApi): WriteParams {
  return {
    ...params,
    api,
    precision: translatePrecision(flavor, api, params.precision) ?? defaultPrecision(flavor, api),
  };
}
