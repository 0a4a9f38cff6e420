import type { AuthScheme } from './auth';
import type { FlavorDetection } from './detect';
import type { NetworkErrorKind } from './http';

/**
 * The compatibility probe's result: which endpoint accepts which auth scheme. Rows are the three
 * write endpoints (sent with an empty body, so nothing is written) and two `/query` reads; columns
 * are the auth schemes.
 */

/** Probe rows, in display order. */
export const PROBE_ROWS = ['write-v1', 'write-v2', 'write-v3', 'query-databases', 'query-measurements'] as const;

/** One of {@link PROBE_ROWS}. */
export type ProbeRowId = (typeof PROBE_ROWS)[number];

/** What each row sends (the path; the target parameters are added from the connection). */
export const PROBE_ROW_LABELS: Record<ProbeRowId, string> = {
  'write-v1': 'POST /write (empty body)',
  'write-v2': 'POST /api/v2/write (empty body)',
  'write-v3': 'POST /api/v3/write_lp (empty body)',
  'query-databases': 'GET /query SHOW DATABASES',
  'query-measurements': 'GET /query SHOW MEASUREMENTS',
};

/**
 * A cell's outcome. `accepted`: 2xx. `rejected`: any other status from an endpoint that exists (auth
 * refused, missing database, statement error). `not-found`: the endpoint does not exist (404 that is
 * not about a database or bucket). `network-error`: no HTTP answer. `skipped`: not sent (no token
 * stored for a scheme that needs one). `cancelled`: the probe was cancelled first.
 */
export type ProbeOutcome = 'accepted' | 'rejected' | 'not-found' | 'network-error' | 'skipped' | 'cancelled';

/** One endpoint × scheme result. */
export interface ProbeCell {
  readonly row: ProbeRowId;
  readonly scheme: AuthScheme;
  readonly outcome: ProbeOutcome;
  readonly status: number | null;
  /** The server's message (error body, statement error) or why nothing was sent. */
  readonly message: string;
  readonly method: string;
  /** The URL sent, credentials redacted. */
  readonly url: string;
  readonly totalMs: number | null;
  readonly networkError: NetworkErrorKind | null;
}

/** A finished (or cancelled) probe. */
export interface ProbeReport {
  readonly startedAt: string;
  readonly totalMs: number;
  /** Database used by `/write`, `/api/v3/write_lp` and SHOW MEASUREMENTS; bucket used by `/api/v2/write`. */
  readonly db: string;
  readonly bucket: string;
  readonly columns: readonly AuthScheme[];
  readonly rows: readonly ProbeRowId[];
  /** Row-major: `cells[r][c]` is `rows[r]` × `columns[c]`. */
  readonly cells: ReadonlyArray<readonly ProbeCell[]>;
  /** Flavor detected from the `/ping` the probe starts with. */
  readonly detected: FlavorDetection;
  readonly pingStatus: number | null;
  readonly cancelled: boolean;
}

/** Counts of each outcome, for a one-line summary. */
export function summarizeProbe(report: ProbeReport): string {
  const counts = new Map<ProbeOutcome, number>();
  for (const row of report.cells) for (const cell of row) counts.set(cell.outcome, (counts.get(cell.outcome) ?? 0) + 1);
  const parts = (['accepted', 'rejected', 'not-found', 'network-error', 'skipped', 'cancelled'] as const)
    .filter((o) => (counts.get(o) ?? 0) > 0)
    .map((o) => `${counts.get(o)} ${o}`);
  return `${report.cancelled ? 'cancelled · ' : ''}${parts.join(', ')}`;
}

/**
 * Classifies a status and body. A 404 whose body names a database or bucket comes from an endpoint
 * that exists (1.x `database not found`, 2.x `bucket not found`), so it is a rejection, not a
 * missing endpoint.
 */
export function classifyProbeAnswer(status: number, body: string): { outcome: ProbeOutcome; message: string } {
  const message = serverMessage(body);
  if (status >= 200 && status < 300) {
    const statementError = queryStatementError(body);
    return statementError === null
      ? { outcome: 'accepted', message }
      : { outcome: 'rejected', message: statementError };
  }
  if (status === 404 && !/database|bucket|namespace|dbrp|retention/i.test(body))
    return { outcome: 'not-found', message };
  return { outcome: 'rejected', message };
}

/** The message of an error body: `error`, `message`, or the text itself (shortened). */
export function serverMessage(body: string): string {
  const t = body.trim();
  try {
    const v = JSON.parse(t) as unknown;
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.error === 'string') return o.error;
      if (typeof o.message === 'string') return o.message;
    }
  } catch {
    // not JSON: the text itself
  }
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

/** The first statement error of a `/query` 200 answer (`results[i].error`), if any. */
function queryStatementError(body: string): string | null {
  if (!body.trim().startsWith('{')) return null;
  try {
    const v = JSON.parse(body) as { results?: Array<{ error?: unknown }>; error?: unknown };
    if (typeof v.error === 'string') return v.error;
    for (const r of v.results ?? []) if (typeof r.error === 'string') return r.error;
  } catch {
    // chunked or cut: nothing to report
  }
  return null;
}
