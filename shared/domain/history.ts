import type { QueryInput } from '../query/query-request';
import type { FlavorDetection } from './detect';
import type { NetworkFailure, Timing } from './http';
import type { ProbeReport } from './probe';
import type { AuthChoice, WriteParams } from './write-request';

/**
 * Request history: every write, ping, probe and query, persisted (redacted) so it can be searched,
 * inspected, reopened and resent.
 */

/** Kinds of recorded requests. */
export const HISTORY_KINDS = ['write', 'ping', 'probe', 'query'] as const;

/** One of {@link HISTORY_KINDS}. */
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Largest request or response body kept in an entry; longer bodies are cut and say so. */
export const HISTORY_BODY_CAP_BYTES = 256 * 1024;
/** Most entries kept (newest first). */
export const HISTORY_MAX_ENTRIES = 500;
/** Most bytes the whole history may take (serialised); the oldest entries go first. */
export const HISTORY_MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/** The retention rule in words, for the UI. */
export const HISTORY_RETENTION_RULE =
  `Keeps the newest ${HISTORY_MAX_ENTRIES} requests and at most ${HISTORY_MAX_TOTAL_BYTES / 1024 / 1024} MiB in total; ` +
  `the oldest go first. Request and response bodies over ${HISTORY_BODY_CAP_BYTES / 1024} KiB are cut. Credentials are never stored.`;

/** The request as sent, redacted; `body` is text (writes: the line protocol; queries: the form body). */
export interface HistoryRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  /** Size of the whole body in bytes (before any cut and before gzip). */
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
  readonly gzip: boolean;
}

/** The response, body capped. */
export interface HistoryResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
  readonly contentType: string;
}

/** `/query` parameters kept for reopen/resend (the rows are not stored, only their count). */
export type HistoryQueryInput = QueryInput;

/** What is needed to send the request again (never a token: it is read from the vault on resend). */
export type HistoryReplay =
  | { readonly kind: 'write'; readonly params: WriteParams; readonly auth: AuthChoice }
  | { readonly kind: 'ping'; readonly auth: AuthChoice | null }
  | { readonly kind: 'query'; readonly query: HistoryQueryInput; readonly auth: AuthChoice | null }
  | { readonly kind: 'probe'; readonly db: string };

/** One recorded request. */
export interface HistoryEntry {
  readonly id: string;
  readonly kind: HistoryKind;
  readonly connectionId: string;
  readonly connectionName: string;
  /** When the request started (ISO 8601). */
  readonly at: string;
  /** null for a probe (many requests: see `probe`). */
  readonly request: HistoryRequest | null;
  readonly response: HistoryResponse | null;
  readonly error: NetworkFailure | null;
  readonly timing: Timing | null;
  /** `X-Influxdb-Version` / `X-Influxdb-Build` of the answer. */
  readonly server: { readonly version: string | null; readonly build: string | null };
  /** Pings and probes: the detected flavor. */
  readonly detected: FlavorDetection | null;
  /** True for a 2xx answer (probes: the ping answered). */
  readonly ok: boolean;
  /** One line: status and the server's message, row count, probe counts. */
  readonly summary: string;
  readonly replay: HistoryReplay;
  /** Queries: rows received (rows themselves are not kept). */
  readonly rowCount: number | null;
  readonly probe: ProbeReport | null;
  /** E.g. "request body cut at 256 KiB of 3.1 MiB". */
  readonly notes: readonly string[];
}

/** A list row. */
export interface HistorySummary {
  readonly id: string;
  readonly kind: HistoryKind;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly at: string;
  readonly method: string | null;
  readonly url: string | null;
  readonly status: number | null;
  readonly ok: boolean;
  readonly summary: string;
  /** The first line of what was sent (line protocol, query), shortened; empty for pings and probes. */
  readonly preview: string;
  readonly totalMs: number | null;
  readonly detected: FlavorDetection | null;
  /** False when the stored body was cut, so resending would send something else. */
  readonly replayable: boolean;
}

/** Makes a list row from an entry. */
export function summarizeEntry(e: HistoryEntry): HistorySummary {
  return {
    id: e.id,
    kind: e.kind,
    connectionId: e.connectionId,
    connectionName: e.connectionName,
    at: e.at,
    method: e.request?.method ?? null,
    url: e.request?.url ?? null,
    status: e.response?.status ?? null,
    ok: e.ok,
    summary: e.summary,
    preview: previewOf(e),
    totalMs: e.timing?.totalMs ?? e.probe?.totalMs ?? null,
    detected: e.detected,
    replayable: isReplayable(e),
  };
}

function previewOf(e: HistoryEntry): string {
  if (e.kind === 'probe') return e.replay.kind === 'probe' && e.replay.db ? `probe db=${e.replay.db}` : 'probe';
  const text = e.request?.body ?? '';
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const lines = text.split('\n').filter((l) => l.trim() !== '').length;
  const short = first.length > 120 ? `${first.slice(0, 120)}…` : first;
  return lines > 1 ? `${short} (+${lines - 1} lines)` : short;
}

/** A write whose stored body was cut cannot be sent again as it was. */
export function isReplayable(e: HistoryEntry): boolean {
  return !(e.kind === 'write' && (e.request === null || e.request.bodyTruncated));
}
