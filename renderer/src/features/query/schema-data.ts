import type { QueryClient } from '@tanstack/react-query';

import type { WriteParams } from '../../../../shared/domain/write-request';
import type { SchemaItem, SchemaKind } from '../../../../shared/query/schema';
import { invoke } from '../../lib/ipc';
import type { SchemaSource } from '../../lib/monaco/influxql-language';

/**
 * Schema fetches through `schema:get`, cached by React Query per connection and database under
 * `['connections', id, 'schema', db, …]`: the sidebar and the editor's completion share one cache,
 * and Refresh invalidates one database's entries.
 */

/** Cached schema stays fresh this long; Refresh forces a refetch sooner. */
export const SCHEMA_STALE_MS = 5 * 60_000;

/** The React Query key of one schema fetch. */
export function schemaKey(
  connectionId: string,
  db: string,
  kind: SchemaKind,
  rp = '',
  measurement = '',
  tagKey = '',
): readonly unknown[] {
  return ['connections', connectionId, 'schema', db, kind, rp, measurement, tagKey];
}

/** Fetches schema items; a server error becomes a rejected promise with the server's message. */
export async function loadSchema(
  connectionId: string,
  db: string,
  kind: SchemaKind,
  rp = '',
  measurement = '',
  tagKey = '',
): Promise<SchemaItem[]> {
  const answer = await invoke('schema:get', { connectionId, kind, db, rp, measurement, tagKey });
  // Without a stored token the SHOW went unauthenticated: on a server that wants auth, that is the cause.
  if (answer.error)
    throw new Error(`${answer.error} (${answer.statement})${answer.authFallback ? ` ${answer.authFallback}` : ''}`);
  return answer.items;
}

/** Options for `useQuery`/`fetchQuery` of one schema fetch. */
export function schemaQuery(
  connectionId: string,
  db: string,
  kind: SchemaKind,
  rp = '',
  measurement = '',
  tagKey = '',
) {
  return {
    queryKey: schemaKey(connectionId, db, kind, rp, measurement, tagKey),
    queryFn: () => loadSchema(connectionId, db, kind, rp, measurement, tagKey),
    staleTime: SCHEMA_STALE_MS,
  };
}

/** Drops the cached schema of one database (or of the whole connection when db is absent). */
export function refreshSchema(qc: QueryClient, connectionId: string, db?: string): Promise<void> {
  return qc.invalidateQueries({
    queryKey: db === undefined ? ['connections', connectionId, 'schema'] : ['connections', connectionId, 'schema', db],
  });
}

/**
 * Refreshes what a write can change: the written database's schema, and the database list (3.x creates
 * a database on its first write). The server maps a v2 bucket to a database (`db/rp` on 1.8+, the
 * database itself on 3.x, a bucket on 2.x), so a v2 write refreshes the connection's whole schema.
 */
export async function refreshWrittenSchema(qc: QueryClient, connectionId: string, params: WriteParams): Promise<void> {
  if (params.api === 'v2') return refreshSchema(qc, connectionId);
  await Promise.all([refreshSchema(qc, connectionId, params.db), refreshSchema(qc, connectionId, '')]);
}

/** The editor's schema source for a connection; `db()` is read at completion time (the db field can change). */
export function schemaSource(qc: QueryClient, connectionId: string, db: () => string): SchemaSource {
  const get = (kind: SchemaKind, measurement = '', tagKey = ''): Promise<SchemaItem[]> => {
    const d = db();
    if (d === '') return Promise.resolve([]);
    return qc.fetchQuery(schemaQuery(connectionId, d, kind, '', measurement, tagKey));
  };
  return {
    measurements: () => get('measurements'),
    fields: (m) => get('fields', m),
    tags: (m) => get('tags', m),
    tagValues: (m, k) => get('tag-values', m, k),
  };
}
