/**
 * The result of one HTTP exchange as the inspector shows it. Everything in here is already redacted:
 * it crosses IPC, goes into history and exports.
 */

/** The request as it went on the wire (credentials redacted). */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Size of the body before compression, in bytes. */
  readonly bodyBytes: number;
  /** Size actually sent (after gzip when on). */
  readonly wireBytes: number;
  readonly gzip: boolean;
  /** Number of lines in the body as sent (LF-terminated; a CR is not a line end). */
  readonly bodyLines: number;
}

/** The server's answer. */
export interface ResponseInfo {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  /** Bytes received (decoded body). */
  readonly bodyBytes: number;
  readonly contentType: string;
}

/** Timings in milliseconds, measured in the main process. */
export interface Timing {
  readonly startedAt: string;
  /** Time to first byte of the response head; null when none arrived. */
  readonly ttfbMs: number | null;
  readonly totalMs: number;
}

/** Kinds of transport failure, each with its own message in the inspector. */
export const NETWORK_ERROR_KINDS = [
  'connection-refused',
  'dns',
  'tls',
  'timeout',
  'reset',
  'cancelled',
  'response-too-large',
  'too-many-redirects',
  'bad-request',
  'other',
] as const;

/** One of {@link NETWORK_ERROR_KINDS}. */
export type NetworkErrorKind = (typeof NETWORK_ERROR_KINDS)[number];

/**
 * Each kind as a person reads it, where a status code would be (the inspector's status line, a query's
 * status, history). The kind itself stays the machine's name, for tests, logs and CSS.
 */
export const NETWORK_ERROR_LABELS: Record<NetworkErrorKind, string> = {
  'connection-refused': 'Connection refused',
  dns: 'Host not found',
  tls: 'TLS error',
  timeout: 'Timed out',
  reset: 'Connection reset',
  cancelled: 'Cancelled',
  'response-too-large': 'Response too large',
  'too-many-redirects': 'Too many redirects',
  'bad-request': 'Request not sent',
  other: 'Network error',
};

/** The human label of a failure, or "No response" when there is none to name. */
export function networkErrorLabel(error: NetworkFailure | null): string {
  return error ? NETWORK_ERROR_LABELS[error.kind] : 'No response';
}

/** One line for a failure: its message, after its label unless the message already starts with it. */
export function describeNetworkFailure(error: NetworkFailure | null): string {
  const label = networkErrorLabel(error);
  const message = error?.message.trim() ?? '';
  if (message === '') return label;
  return message.toLowerCase().startsWith(label.toLowerCase()) ? message : `${label}: ${message}`;
}

/** A request that got no (complete) HTTP response. */
export interface NetworkFailure {
  readonly kind: NetworkErrorKind;
  /** What happened and what to do, for a person. */
  readonly message: string;
  /** The system error code when there is one, e.g. `ECONNREFUSED`. */
  readonly code: string | null;
}

/** A redirect the client followed. */
export interface RedirectHop {
  readonly status: number;
  readonly location: string;
  /** True when the hop left the connection's origin, so credentials were dropped. */
  readonly crossOrigin: boolean;
}

/** One request and whatever came back. Exactly one of `response` and `error` is set. */
export interface HttpExchange {
  readonly request: SentRequest;
  readonly response: ResponseInfo | null;
  readonly error: NetworkFailure | null;
  readonly timing: Timing;
  readonly redirects: readonly RedirectHop[];
}

/** True for a 2xx response. */
export function isSuccess(x: HttpExchange): boolean {
  return x.response !== null && x.response.status >= 200 && x.response.status < 300;
}

/** Reads a header (case-insensitive) from a header list. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  const n = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === n) return v;
  return null;
}

/** Result of `/ping`: the exchange plus the version and build headers. */
export interface PingResult {
  readonly exchange: HttpExchange;
  readonly version: string | null;
  readonly build: string | null;
}
