import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { describeNetworkFailure } from '../../../../shared/domain/http';
import type { PingOutcome } from '../../../../shared/ipc/contract';
import { schemaRequestProblem } from '../../../../shared/query/schema';
import { invoke, newRequestId } from '../../lib/ipc';
import { MissingDatabase } from '../databases/missing-database';

/**
 * Save tests the connection: after the connection is saved (never instead: an offline server can be
 * saved), it is pinged and, where the flavor lists databases, its default database is looked up with
 * the stored credentials. The workspace shows the result until dismissed.
 */

interface ConnectionTest {
  readonly ping: PingOutcome;
  /** SHOW DATABASES failed (e.g. a wrong password): the server's words. */
  readonly listError: string | null;
  /** The default database, when the server's list does not have it. */
  readonly missingDb: string | null;
}

const testKey = (connectionId: string) => ['connection-test', connectionId] as const;

async function testConnection(c: ConnectionSummary): Promise<ConnectionTest> {
  const ping = await invoke('server:ping', { requestId: newRequestId(), connectionId: c.id });
  const up = ping.exchange.response !== null && ping.exchange.response.status < 300;
  const listable =
    c.db !== '' &&
    schemaRequestProblem({ kind: 'databases', db: '', rp: '', measurement: '', tagKey: '' }, c.flavor) === null;
  if (!up || !listable) return { ping, listError: null, missingDb: null };
  const answer = await invoke('schema:get', {
    connectionId: c.id,
    kind: 'databases',
    db: '',
    rp: '',
    measurement: '',
    tagKey: '',
  });
  if (answer.error) return { ping, listError: answer.error, missingDb: null };
  return { ping, listError: null, missingDb: answer.items.some((i) => i.name === c.db) ? null : c.db };
}

/** Starts the test of a just-saved connection (its result waits in the cache for the workspace). */
export function startConnectionTest(qc: QueryClient, c: ConnectionSummary): void {
  void qc.fetchQuery({ queryKey: testKey(c.id), queryFn: () => testConnection(c), staleTime: Infinity, retry: false });
}

/** The result of the test Save started, above the workspace; nothing when no test ran. */
export function ConnectionTestResult(props: { connection: ConnectionSummary }) {
  const c = props.connection;
  // Dismissed: this result is hidden; the next Save's test shows again.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const test = useQuery({
    queryKey: testKey(c.id),
    queryFn: () => testConnection(c),
    enabled: false,
    staleTime: Infinity,
  });
  const dismiss = (
    <button
      type="button"
      className="icon-btn push-right"
      aria-label="Dismiss"
      onClick={() => setDismissed(test.dataUpdatedAt || test.errorUpdatedAt)}
    >
      ×
    </button>
  );
  if (test.isFetching)
    return (
      <p className="muted small connection-test" data-testid="connection-test">
        Saved. Testing the connection…
      </p>
    );
  if (dismissed !== null && dismissed === (test.dataUpdatedAt || test.errorUpdatedAt)) return null;
  if (test.error)
    return (
      <p className="warn-box small connection-test" data-testid="connection-test">
        Saved. The test could not run: {test.error.message} {dismiss}
      </p>
    );
  if (!test.data) return null;
  const { ping, listError, missingDb } = test.data;
  const r = ping.exchange.response;
  const server = [ping.version && `InfluxDB ${ping.version}`, ping.build && `(${ping.build})`]
    .filter(Boolean)
    .join(' ');
  const ok = r !== null && r.status < 300 && listError === null;
  return (
    <div className="connection-test" data-testid="connection-test">
      <p className={ok ? 'info-box small' : 'warn-box small'} data-testid="connection-test-result">
        {r === null
          ? `Saved, but the server did not answer: ${describeNetworkFailure(ping.exchange.error)}`
          : r.status >= 300
            ? `Saved. /ping answered ${r.status} ${r.statusText}${server ? ` from ${server}` : ''}.`
            : `Connected: /ping answered ${r.status}${server ? ` from ${server}` : ''}${
                listError !== null ? `, but listing databases failed: ${listError}` : '.'
              }`}
        {dismiss}
      </p>
      {ping.authFallback && <p className="warn-box small">{ping.authFallback}</p>}
      {missingDb !== null && <MissingDatabase connection={c} db={missingDb} />}
    </div>
  );
}
