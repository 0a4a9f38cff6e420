import { formatBytes } from '../../shared/domain/format';
import { isSuccess } from '../../shared/domain/http';
import { credentialForms, scrubSecrets, scrubValue } from '../../shared/domain/redact';
import type { AuthChoice } from '../../shared/domain/write-request';
import type { QueryOutcome } from '../../shared/ipc/contract';
import { DEFAULT_QUERY_BUDGET, type QueryBudget } from '../../shared/query/budget';
import { JsonDocumentStream } from '../../shared/query/json-stream';
import { buildQueryRequest, type QueryParams } from '../../shared/query/query-request';
import { DEFAULT_CUT_BYTES, QueryRechunker, QueryStreamError } from '../../shared/query/rechunk';
import { emptyQueryResult, mergeQueryDocument, type QueryResult } from '../../shared/query/result-model';
import { decodeUtf8Native } from './utf8';
import type { SendHttp, Target } from './write-service';

export { DEFAULT_QUERY_BUDGET, type QueryBudget } from '../../shared/query/budget';

/** Document size for a row sink: small enough that each part's rows never leave V8's young generation. */
const SINK_CUT_BYTES = 256 * 1024;

/** No budget: for consumers that keep no rows (the CLI's streaming formats). */
export const UNLIMITED_QUERY_BUDGET: QueryBudget = { maxRows: Infinity, maxBytes: Infinity };

/**
 * Receives rows as they arrive instead of keeping them: `part` holds one document's statements and
 * series (with their rows); `continues` is true when its first series goes on from the last one handed
 * over (a chunked series). A returned promise holds the response until it settles (backpressure).
 */
export type QueryRowSink = (part: QueryResult, continues: boolean) => void | Promise<void>;

/** The message for a result ended by its budget; `raise` says where the limit can be changed. */
export function budgetMessage(rows: number, bytes: number, budget: QueryBudget, raise = ''): string {
  const limit =
    rows >= budget.maxRows ? `${budget.maxRows.toLocaleString('en-US')} rows` : `${formatBytes(budget.maxBytes)}`;
  return (
    `The result was stopped at ${rows.toLocaleString('en-US')} rows (${formatBytes(bytes)} read): the limit per query is ${limit}. ` +
    'Narrow the query: a time range (WHERE time > now() - 1h), a LIMIT, fewer columns, or an aggregate with GROUP BY time(…).' +
    (raise ? ` ${raise}` : '')
  );
}

/** Progress of a running query. */
export interface QueryProgress {
  readonly bytes: number;
  readonly rows: number;
  readonly documents: number;
}

/**
 * Runs a v1 `/query` request, parsing the response bytes as they stream: 1.x chunks are
 * newline-delimited, 3.x chunks back to back; both are split into documents and merged into one result
 * model, with int64 values and `epoch=ns` times kept exact (see shared/query/json-stream.ts).
 */
export async function executeQuery(
  send: SendHttp,
  input: {
    target: Target;
    params: QueryParams;
    auth: AuthChoice;
    token: string | null;
    signal?: AbortSignal;
    onProgress?: (p: QueryProgress) => void;
    /** Rows and bytes read before the result is ended cleanly; {@link DEFAULT_QUERY_BUDGET} when absent. */
    budget?: QueryBudget;
    /** A sentence added to the budget's message saying where the limit can be raised. */
    budgetHint?: string;
    /** When given, rows go here as they arrive and the returned result keeps none (only statements, errors). */
    onRows?: QueryRowSink;
  },
): Promise<QueryOutcome> {
  const built = buildQueryRequest(input.target.baseUrl, input.params, input.auth, input.token);
  const budget = input.budget ?? DEFAULT_QUERY_BUDGET;
  // Long documents are cut between rows, so no document (and no string) grows with the answer.
  // A cut well below the byte budget, so a result ended by it still has the rows read before; small
  // parts for a row sink, whose rows then die young (cheap for the garbage collector).
  const cut = input.onRows ? SINK_CUT_BYTES : DEFAULT_CUT_BYTES;
  const rechunker = new QueryRechunker(Math.min(cut, Math.max(64 * 1024, budget.maxBytes / 8)));
  const stream = new JsonDocumentStream(decodeUtf8Native);
  const result = emptyQueryResult();
  const state = { continuing: false };
  let stopped: string | null = null;
  let bytes = 0;
  let documents = 0;
  let parseError: string | null = null;
  const body = built.body === null ? null : Buffer.from(built.body, 'utf8');
  // An echoing server can put the token into rows, column names and error text, not only the body
  // preview the HTTP client scrubs: every parsed document is scrubbed too.
  const secrets = credentialForms(input.token, [input.auth.username]);
  const exchange = await send({
    method: built.method,
    url: built.url,
    headers: built.headers,
    body,
    bodyBytes: body?.byteLength ?? 0,
    bodyLines: 0,
    gzip: false,
    timeoutMs: input.target.timeoutMs,
    // The budget ends the result cleanly; a hard cap stays only when the caller set one (schema lookups).
    maxResponseBytes: input.target.maxResponseBytes ?? Number.MAX_SAFE_INTEGER,
    tls: input.target.tls,
    signal: input.signal,
    secrets,
    onData: (chunk) => {
      if (stopped !== null) return 'stop';
      bytes += chunk.length;
      let pending: Promise<void> | undefined;
      try {
        for (const piece of rechunker.push(chunk)) {
          for (const doc of stream.push(piece)) {
            documents++;
            if (doc.error !== undefined) {
              parseError ??= `A response document is not valid JSON: ${doc.error}`;
              continue;
            }
            try {
              const value = scrubValue(doc.value, secrets);
              if (input.onRows) {
                const part = emptyQueryResult();
                const continues = state.continuing;
                mergeQueryDocument(part, value, state);
                keepAllButRows(result, part);
                const p = input.onRows(part, continues);
                if (p) pending = pending ? pending.then(() => p) : p;
              } else mergeQueryDocument(result, value, state);
            } catch (err) {
              // Valid JSON in a shape no InfluxDB sends (a hostile or broken server): say so, keep going.
              parseError ??= `A response document is not an InfluxDB query result: ${(err as Error).message}`;
            }
          }
        }
      } catch (err) {
        if (!(err instanceof QueryStreamError)) throw err;
        stopped = err.message;
        return 'stop';
      }
      input.onProgress?.({ bytes, rows: result.rowCount, documents });
      if (result.rowCount >= budget.maxRows || bytes >= budget.maxBytes) {
        if (!input.onRows) trimRows(result, budget.maxRows);
        stopped = budgetMessage(result.rowCount, bytes, budget, input.budgetHint);
        return 'stop';
      }
      return pending;
    },
  });
  const rest = stopped === null ? stream.rest() : '';
  if (
    exchange.response &&
    documents === 0 &&
    rest === '' &&
    exchange.response.body.trim() !== '' &&
    !isJsonish(exchange.response.body)
  ) {
    // Plain-text answers (a proxy's 502 page, 1.6's "404 page not found"): show them as the error.
    result.error = exchange.response.body.trim();
  } else if (rest !== '' && !rest.startsWith('{') && documents === 0 && exchange.response) {
    result.error = rest;
  } else if (rest !== '') {
    parseError ??= 'The response ended in the middle of a JSON document.';
  }
  if (parseError) result.error = result.error ? `${result.error}\n${parseError}` : parseError;
  if (exchange.response && !isSuccess(exchange) && result.error === null) {
    result.error = `HTTP ${exchange.response.status} ${exchange.response.statusText}`;
  }
  if (exchange.error) result.error = exchange.error.message;
  if (stopped !== null) result.error = result.error ? `${result.error}\n${stopped}` : stopped;
  if (result.error !== null) result.error = scrubSecrets(result.error, secrets);
  return { exchange, result };
}

/** Adds a part's statements, errors, messages and row count to `into`, without its rows. */
function keepAllButRows(into: QueryResult, part: QueryResult): void {
  if (part.error !== null) into.error = into.error ? `${into.error}\n${part.error}` : part.error;
  into.rowCount += part.rowCount;
  for (const st of part.statements) {
    let kept = into.statements.find((s) => s.statementId === st.statementId);
    if (!kept) {
      kept = { statementId: st.statementId, series: [], error: null, messages: [] };
      into.statements.push(kept);
    }
    if (st.error !== null && !(kept.error !== null && st.error === 'not executed')) kept.error = st.error;
    kept.messages.push(...st.messages);
  }
}

/** Drops the rows past `max` (the last ones merged) so the kept result is exactly the first `max` rows. */
function trimRows(result: QueryResult, max: number): void {
  let excess = result.rowCount - max;
  for (let s = result.statements.length - 1; s >= 0 && excess > 0; s--) {
    const series = result.statements[s]!.series;
    for (let k = series.length - 1; k >= 0 && excess > 0; k--) {
      const rows = series[k]!.rows;
      const cut = Math.min(excess, rows.length);
      rows.length -= cut;
      excess -= cut;
    }
  }
  result.rowCount = Math.min(result.rowCount, max);
}

function isJsonish(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}
