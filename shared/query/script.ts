/**
 * Multi-statement scripts: which flavors take one statement per request, how the request method is
 * chosen per statement, and how per-statement results are merged into one {@link QueryResult}.
 */
import type { ServerFlavor } from '../domain/flavor';
import { queryRequiresPost } from '../influxql/flavors';
import { parseQuery } from '../influxql/parser';
import { statementsNeedPost } from './query-method';
import { emptyQueryResult, type QueryResult } from './result-model';

/**
 * Whether the flavor's InfluxQL endpoint should get one statement per request. The 3.x family's
 * InfluxQL front end plans each statement on its own (and its native endpoint refuses more than one),
 * so the workbench splits scripts there and merges the answers; 1.x and 2.x run a whole script.
 */
export function runsOneStatementPerRequest(flavor: ServerFlavor): boolean {
  return flavor === 'core' || flavor === 'cloud-dedicated' || flavor === 'clustered' || flavor === 'serverless';
}

/**
 * GET or POST for `method: 'auto'`: POST when any statement writes or manages (influxd 1.x wants
 * those POSTed). Uses the real parser; a script that does not parse falls back to the keyword scan,
 * so the server still gets the method it expects and answers with its own parse error.
 */
export function autoQueryMethod(q: string, params: Readonly<Record<string, unknown>> = {}): 'GET' | 'POST' {
  const parsed = parseQuery(q, Object.keys(params).length > 0 ? { params } : {});
  const post = parsed.ok ? queryRequiresPost(parsed.query) : statementsNeedPost(q);
  return post ? 'POST' : 'GET';
}

/**
 * Merges the results of statements run one per request into one result, as if the server had run
 * the script: statement ids are renumbered in script order, and a request-level error of one part
 * (e.g. an HTTP 400) becomes that statement's error so the other statements' results stay visible.
 */
export function mergeStatementResults(parts: readonly QueryResult[]): QueryResult {
  const out = emptyQueryResult();
  parts.forEach((part, i) => {
    const errors: string[] = [];
    if (part.error) errors.push(part.error);
    const series = part.statements.flatMap((s) => s.series);
    const messages = part.statements.flatMap((s) => s.messages);
    for (const s of part.statements) if (s.error) errors.push(s.error);
    out.statements.push({ statementId: i, series, error: errors.length ? errors.join('\n') : null, messages });
    out.rowCount += part.rowCount;
  });
  return out;
}
