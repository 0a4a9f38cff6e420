import { placeAuth } from '../domain/auth';
import { type AuthChoice, type BuiltRequest, joinUrl } from '../domain/write-request';

/** Epoch values for `/query` (empty: RFC3339 strings, the server default). */
export const QUERY_EPOCHS = ['', 'h', 'm', 's', 'ms', 'u', 'ns'] as const;

/** One of {@link QUERY_EPOCHS}. */
export type QueryEpoch = (typeof QUERY_EPOCHS)[number];

/** Parameters of a v1 `/query` request. */
export interface QueryParams {
  readonly q: string;
  readonly db: string;
  readonly rp: string;
  readonly epoch: QueryEpoch;
  readonly chunked: boolean;
  /** Rows per chunk (the server default is 10000); 0 sends no chunk_size. */
  readonly chunkSize: number;
  /** Bind parameters for `$name` placeholders. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** POST (form-urlencoded) for writes and management; GET for reads. */
  readonly method: 'GET' | 'POST';
}

/** GET or POST, or `auto`: the workbench picks per statement (POST for writes and management). */
export const QUERY_METHOD_CHOICES = ['auto', 'GET', 'POST'] as const;
/** One of {@link QUERY_METHOD_CHOICES}. */
export type QueryMethodChoice = (typeof QUERY_METHOD_CHOICES)[number];

/** A query as the user asks for it, before `auto` is resolved to GET or POST. */
export type QueryInput = Omit<QueryParams, 'method'> & { readonly method: QueryMethodChoice };

/** A `/query` request: URL, headers and (for POST) a form body. */
export interface BuiltQueryRequest extends BuiltRequest {
  readonly body: string | null;
}

/**
 * Builds a `/query` request. GET puts every parameter in the URL; POST sends them as a form body
 * (so long queries and credentials-in-`q` stay out of URLs and logs), with `u`/`p` kept in the URL
 * because 1.x reads credentials only from the URL or headers.
 */
export function buildQueryRequest(
  baseUrl: string,
  p: QueryParams,
  auth: AuthChoice,
  token: string | null,
): BuiltQueryRequest {
  const placed = placeAuth(auth.scheme, auth.username, token);
  const fields: Array<[string, string]> = [['q', p.q]];
  if (p.db) fields.push(['db', p.db]);
  if (p.rp) fields.push(['rp', p.rp]);
  if (p.epoch) fields.push(['epoch', p.epoch]);
  if (p.chunked) {
    fields.push(['chunked', 'true']);
    if (p.chunkSize > 0) fields.push(['chunk_size', String(p.chunkSize)]);
  }
  if (Object.keys(p.params).length > 0) fields.push(['params', JSON.stringify(p.params)]);
  const headers: Record<string, string> = { Accept: 'application/json', ...placed.headers };
  if (p.method === 'GET') {
    return { method: 'GET', url: joinUrl(baseUrl, '/query', [...fields, ...placed.query]), headers, body: null };
  }
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const body = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { method: 'POST', url: joinUrl(baseUrl, '/query', placed.query), headers, body };
}
