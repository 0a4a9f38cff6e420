import type { ServerFlavor } from '../../shared/domain/flavor';
import type { AuthChoice } from '../../shared/domain/write-request';
import {
  firstError,
  type SchemaAnswer,
  schemaItems,
  type SchemaRequest,
  schemaRequestProblem,
  schemaStatement,
} from '../../shared/query/schema';
import { executeQuery } from './query-service';
import type { SendHttp, Target } from './write-service';

/** Schema answers are small; a tighter cap than result queries keeps a runaway SHOW cheap. */
const SCHEMA_MAX_BYTES = 8 * 1024 * 1024;

/**
 * At most this many items per answer: completion and the sidebar are for picking names, and a
 * server that answers a SHOW with a million rows must not freeze the renderer.
 */
export const SCHEMA_ITEM_LIMIT = 5000;

/**
 * Fetches one kind of schema item (databases, retention policies, measurements, field keys with
 * types, tag keys, tag values) with the SHOW statement the flavor understands. Caching is the
 * caller's (the renderer keys it per connection and database), so Refresh is just a refetch.
 */
export async function fetchSchema(
  send: SendHttp,
  input: {
    target: Target;
    flavor: ServerFlavor;
    request: SchemaRequest;
    auth: AuthChoice;
    token: string | null;
    signal?: AbortSignal;
  },
): Promise<SchemaAnswer> {
  const { request, flavor } = input;
  const statement = schemaStatement(request, flavor);
  const problem = schemaRequestProblem(request, flavor);
  if (problem) return { kind: request.kind, items: [], statement, error: problem };
  const { result } = await executeQuery(send, {
    target: { ...input.target, maxResponseBytes: SCHEMA_MAX_BYTES },
    params: {
      q: statement,
      db: request.db,
      rp: '',
      epoch: '',
      chunked: false,
      chunkSize: 0,
      params: {},
      method: 'GET',
    },
    auth: input.auth,
    token: input.token,
    signal: input.signal,
  });
  const items = schemaItems(request.kind, result);
  const error = firstError(result);
  if (items.length > SCHEMA_ITEM_LIMIT) {
    const note = `Showing the first ${SCHEMA_ITEM_LIMIT} of ${items.length} items.`;
    return {
      kind: request.kind,
      items: items.slice(0, SCHEMA_ITEM_LIMIT),
      statement,
      error: error ? `${error}\n${note}` : note,
    };
  }
  return { kind: request.kind, items, statement, error };
}
