import { AUTH_SCHEMES, type AuthScheme, placeAuth, previewUrl, REDACTED } from '../../shared/domain/auth';
import { detectFlavorFromExchange } from '../../shared/domain/detect';
import type { HttpExchange } from '../../shared/domain/http';
import {
  classifyProbeAnswer,
  PROBE_ROWS,
  type ProbeCell,
  type ProbeReport,
  type ProbeRowId,
} from '../../shared/domain/probe';
import { credentialForms } from '../../shared/domain/redact';
import { type AuthChoice, joinUrl } from '../../shared/domain/write-request';
import { executePing, type SendHttp, type Target } from './write-service';

/**
 * The compatibility probe: every write endpoint (empty body, so nothing is written) and two `/query`
 * reads, each with every auth scheme, a few at a time. Cancelling (the request registry aborts
 * `signal`) marks the cells not yet answered as cancelled.
 */

/** Input of {@link executeProbe}. */
export interface ProbeInput {
  readonly target: Target;
  /** The stored token, or null: schemes that need one are then skipped. */
  readonly token: string | null;
  /** Username for Basic and query-string auth (1.x needs the real user; 3.x ignores it). */
  readonly username: string;
  /** Scheme for the initial `/ping` (Core needs auth on /ping). */
  readonly pingScheme: AuthScheme;
  readonly db: string;
  readonly bucket: string;
  readonly org: string;
  readonly signal?: AbortSignal;
  /** Cells in flight at once. */
  readonly concurrency?: number;
  /** Override of the probe cell timeout; defaults to the connection's (capped at 15 s, a probe is a quick check). */
  readonly cellTimeoutMs?: number;
}

interface CellPlan {
  readonly row: ProbeRowId;
  readonly scheme: AuthScheme;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query: Array<[string, string]>;
}

/** Runs the probe. Never throws for HTTP or network problems: they are cell outcomes. */
export async function executeProbe(send: SendHttp, input: ProbeInput): Promise<ProbeReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const pingAuth: AuthChoice =
    input.token === null ? { scheme: 'none', username: '' } : { scheme: input.pingScheme, username: input.username };
  const ping = await executePing(send, {
    target: input.target,
    auth: pingAuth,
    token: pingAuth.scheme === 'none' ? null : input.token,
    signal: input.signal,
  });
  const detected = detectFlavorFromExchange(ping.exchange);

  const plans: CellPlan[] = [];
  for (const row of PROBE_ROWS) for (const scheme of AUTH_SCHEMES) plans.push(planCell(row, scheme, input));
  const cells = new Array<ProbeCell>(plans.length);
  const timeoutMs = input.cellTimeoutMs ?? Math.min(input.target.timeoutMs, 15_000);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const i = next++;
      cells[i] = await runCell(send, plans[i]!, input, timeoutMs);
    }
  };
  const concurrency = Math.max(1, Math.min(input.concurrency ?? 4, plans.length));
  await Promise.all(Array.from({ length: concurrency }, worker));

  return {
    startedAt,
    totalMs: Date.now() - started,
    db: input.db,
    bucket: bucketOf(input),
    columns: AUTH_SCHEMES,
    rows: PROBE_ROWS,
    cells: PROBE_ROWS.map((_, r) => cells.slice(r * AUTH_SCHEMES.length, (r + 1) * AUTH_SCHEMES.length)),
    detected,
    pingStatus: ping.exchange.response?.status ?? null,
    cancelled: input.signal?.aborted ?? false,
  };
}

/** `/api/v2/write` needs a bucket: the connection's, else `db` or `db/rp` as 1.8+ and 3.x map it. */
function bucketOf(input: ProbeInput): string {
  return input.bucket || input.db;
}

function planCell(row: ProbeRowId, scheme: AuthScheme, input: ProbeInput): CellPlan {
  const db = input.db;
  switch (row) {
    case 'write-v1':
      return { row, scheme, method: 'POST', path: '/write', query: db ? [['db', db]] : [] };
    case 'write-v2': {
      const q: Array<[string, string]> = [];
      if (bucketOf(input)) q.push(['bucket', bucketOf(input)]);
      if (input.org) q.push(['org', input.org]);
      return { row, scheme, method: 'POST', path: '/api/v2/write', query: q };
    }
    case 'write-v3':
      return { row, scheme, method: 'POST', path: '/api/v3/write_lp', query: db ? [['db', db]] : [] };
    case 'query-databases':
      return { row, scheme, method: 'GET', path: '/query', query: [['q', 'SHOW DATABASES']] };
    case 'query-measurements':
      return {
        row,
        scheme,
        method: 'GET',
        path: '/query',
        query: db
          ? [
              ['q', 'SHOW MEASUREMENTS'],
              ['db', db],
            ]
          : [['q', 'SHOW MEASUREMENTS']],
      };
  }
}

async function runCell(send: SendHttp, plan: CellPlan, input: ProbeInput, timeoutMs: number): Promise<ProbeCell> {
  const base = { row: plan.row, scheme: plan.scheme, method: plan.method };
  const needsToken = plan.scheme !== 'none';
  const preview = previewUrl(
    joinUrl(input.target.baseUrl, plan.path, [
      ...plan.query,
      ...placeAuth(plan.scheme, input.username, REDACTED).query,
    ]),
  );
  if (needsToken && input.token === null) {
    return {
      ...base,
      outcome: 'skipped',
      status: null,
      message: 'No token stored for this connection.',
      url: preview,
      totalMs: null,
      networkError: null,
    };
  }
  if (input.signal?.aborted) {
    return {
      ...base,
      outcome: 'cancelled',
      status: null,
      message: 'The probe was cancelled.',
      url: preview,
      totalMs: null,
      networkError: null,
    };
  }
  const token = needsToken ? input.token : null;
  const placed = placeAuth(plan.scheme, input.username, token);
  const headers: Record<string, string> = { ...placed.headers };
  if (plan.method === 'POST') headers['Content-Type'] = 'text/plain; charset=utf-8';
  const exchange: HttpExchange = await send({
    method: plan.method,
    url: joinUrl(input.target.baseUrl, plan.path, [...plan.query, ...placed.query]),
    headers,
    // Empty: a write endpoint that accepts it writes nothing.
    body: plan.method === 'POST' ? new Uint8Array(0) : null,
    bodyBytes: 0,
    bodyLines: 0,
    gzip: false,
    timeoutMs,
    maxResponseBytes: 1024 * 1024,
    tls: input.target.tls,
    signal: input.signal,
    // Every form of the stored token, whatever this cell's scheme: an echoing server may quote it.
    secrets: credentialForms(input.token, [input.username]),
  });
  const totalMs = exchange.timing.totalMs;
  if (exchange.response === null) {
    const kind = exchange.error?.kind ?? 'other';
    return {
      ...base,
      outcome: kind === 'cancelled' ? 'cancelled' : 'network-error',
      status: null,
      message: exchange.error?.message ?? 'No response.',
      url: exchange.request.url,
      totalMs,
      networkError: kind,
    };
  }
  const { outcome, message } = classifyProbeAnswer(exchange.response.status, exchange.response.body);
  return {
    ...base,
    outcome,
    status: exchange.response.status,
    message,
    url: exchange.request.url,
    totalMs,
    networkError: null,
  };
}
