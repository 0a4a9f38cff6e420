import type { ServerFlavor } from '../../shared/domain/flavor';
import type { AuthChoice } from '../../shared/domain/write-request';
import { splitStatements } from '../../shared/influxql/flavors';
import type { QueryOutcome } from '../../shared/ipc/contract';
import type { QueryInput } from '../../shared/query/query-request';
import type { QueryResult } from '../../shared/query/result-model';
import { autoQueryMethod, mergeStatementResults, runsOneStatementPerRequest } from '../../shared/query/script';
import { executeQuery, type QueryBudget, type QueryProgress, type QueryRowSink } from './query-service';
import type { SendHttp, Target } from './write-service';

/** A script run: the outcome of its last request, the merged result, and how many requests it took. */
export interface ScriptOutcome extends QueryOutcome {
  readonly requests: number;
}

/**
 * Runs an InfluxQL script the way the flavor wants it: one request on 1.x/2.x (the server runs the
 * statements in order and stops at the first failure), one request per statement on the 3.x family,
 * with the answers merged into one result. `method: 'auto'` is resolved per request, so a 3.x script
 * mixing SHOW and SELECT sends each statement with the method it needs.
 */
export async function executeQueryScript(
  send: SendHttp,
  input: {
    target: Target;
    flavor: ServerFlavor;
    params: QueryInput;
    auth: AuthChoice;
    token: string | null;
    signal?: AbortSignal;
    onProgress?: (p: QueryProgress) => void;
    budget?: QueryBudget;
    budgetHint?: string;
    onRows?: QueryRowSink;
  },
): Promise<ScriptOutcome> {
  const { method, ...rest } = input.params;
  const methodFor = (q: string): 'GET' | 'POST' => (method === 'auto' ? autoQueryMethod(q, rest.params) : method);
  const slices = runsOneStatementPerRequest(input.flavor) ? splitStatements(rest.q) : [];
  if (slices.length <= 1) {
    const one = await executeQuery(send, { ...input, params: { ...rest, method: methodFor(rest.q) } });
    return { ...one, requests: 1 };
  }
  const parts: QueryResult[] = [];
  const done = { bytes: 0, rows: 0, documents: 0 };
  let last: QueryOutcome | null = null;
  for (const slice of slices) {
    // A cancel stops the script between statements too, not only inside a request.
    if (input.signal?.aborted) break;
    last = await executeQuery(send, {
      ...input,
      params: { ...rest, q: slice.text, method: methodFor(slice.text) },
      onProgress: (p) =>
        input.onProgress?.({
          bytes: done.bytes + p.bytes,
          rows: done.rows + p.rows,
          documents: done.documents + p.documents,
        }),
    });
    parts.push(last.result);
    done.rows += last.result.rowCount;
    done.bytes += last.exchange.response?.bodyBytes ?? 0;
    // A failed connection (refused, timeout, cancel) fails every later statement the same way: stop.
    if (last.exchange.error) break;
  }
  const result = mergeStatementResults(parts);
  for (let i = parts.length; i < slices.length; i++) {
    result.statements.push({
      statementId: i,
      series: [],
      error: 'not executed (an earlier request failed)',
      messages: [],
    });
  }
  return { exchange: last!.exchange, result, requests: parts.length };
}
