import { isSuccess } from '../../shared/domain/http';
import { credentialForms, scrubSecrets, scrubValue } from '../../shared/domain/redact';
import type { AuthChoice } from '../../shared/domain/write-request';
import type { QueryOutcome } from '../../shared/ipc/contract';
import { JsonDocumentStream } from '../../shared/query/json-stream';
import { buildQueryRequest, type QueryParams } from '../../shared/query/query-request';
import { emptyQueryResult, mergeQueryDocument } from '../../shared/query/result-model';
import { decodeUtf8Native } from './utf8';
import type { SendHttp, Target } from './write-service';

/** Largest `/query` response read before stopping with a message (the table is virtualized; memory is not). */
export const DEFAULT_MAX_QUERY_BYTES = 512 * 1024 * 1024;

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
  },
): Promise<QueryOutcome> {
  const built = buildQueryRequest(input.target.baseUrl, input.params, input.auth, input.token);
  const stream = new JsonDocumentStream(decodeUtf8Native);
  const result = emptyQueryResult();
  const state = { continuing: false };
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
    maxResponseBytes: input.target.maxResponseBytes ?? DEFAULT_MAX_QUERY_BYTES,
    tls: input.target.tls,
    signal: input.signal,
    secrets,
    onData: (chunk) => {
      bytes += chunk.length;
      for (const doc of stream.push(chunk)) {
        documents++;
        if (doc.error !== undefined) {
          parseError ??= `A response document is not valid JSON: ${doc.error}`;
          continue;
        }
        try {
          mergeQueryDocument(result, scrubValue(doc.value, secrets), state);
        } catch (err) {
          // Valid JSON in a shape no InfluxDB sends (a hostile or broken server): say so, keep going.
          parseError ??= `A response document is not an InfluxDB query result: ${(err as Error).message}`;
        }
      }
      input.onProgress?.({ bytes, rows: result.rowCount, documents });
    },
  });
  const rest = stream.rest();
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
  if (result.error !== null) result.error = scrubSecrets(result.error, secrets);
  return { exchange, result };
}

function isJsonish(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}
