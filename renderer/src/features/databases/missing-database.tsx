import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { createDatabaseStatement, DATABASE_CREATION } from '../../../../shared/domain/databases';
import { describeNetworkFailure } from '../../../../shared/domain/http';
import { invoke, newRequestId } from '../../lib/ipc';
import { refreshSchema } from '../query/schema-data';
import { sandboxStatusQuery, useSandboxOf } from '../sandbox/sandbox-panel';

/**
 * How this connection's databases are created: through the app's own sandbox management, with
 * `CREATE DATABASE` over `/query` (1.x), or elsewhere (the sentence says how).
 */
function useDatabaseCreator(c: ConnectionSummary) {
  const sandbox = useSandboxOf(c.id);
  const qc = useQueryClient();
  const viaSandbox = sandbox !== null && sandbox.state === 'running';
  const creation = DATABASE_CREATION[c.flavor];
  const create = useMutation({
    mutationFn: async (db: string) => {
      if (viaSandbox) {
        const r = await invoke('sandbox:manage', { action: 'create-database', name: db });
        qc.setQueryData(sandboxStatusQuery.queryKey, r.status);
        return;
      }
      const out = await invoke('query:run', {
        requestId: newRequestId(),
        connectionId: c.id,
        q: createDatabaseStatement(db),
        db: '',
        rp: '',
        epoch: '',
        chunked: false,
        chunkSize: 0,
        params: {},
        method: 'POST',
      });
      const x = out.exchange;
      const failure =
        x.response === null
          ? describeNetworkFailure(x.error)
          : (out.result.error ??
            out.result.statements.find((s) => s.error !== null)?.error ??
            (x.response.status >= 300 ? `HTTP ${x.response.status} ${x.response.statusText}` : null));
      if (failure !== null) throw new Error(failure);
    },
    onSuccess: () => refreshSchema(qc, c.id),
  });
  const how = viaSandbox || creation.via === 'influxql' ? null : creation.how;
  return { create, how };
}

/**
 * "Database “x” does not exist", with "Create database" where this app can create it (1.x, its
 * sandbox) and the way to do it elsewhere otherwise. `after` is offered once it was created (e.g.
 * "Send again" after a write that failed for it).
 */
export function MissingDatabase(props: { connection: ConnectionSummary; db: string; after?: ReactNode }) {
  const { create, how } = useDatabaseCreator(props.connection);
  const created = create.isSuccess && create.variables === props.db;
  return (
    <div className={created ? 'info-box missing-db' : 'warn-box missing-db'} data-testid="missing-database">
      {created ? (
        <span data-testid="database-created">Created database “{props.db}”.</span>
      ) : (
        <span>
          Database <code>{props.db}</code> does not exist on this server.
        </span>
      )}
      {!created &&
        (how === null ? (
          <button
            type="button"
            className="btn small"
            onClick={() => create.mutate(props.db)}
            disabled={create.isPending}
            data-testid="create-database"
          >
            {create.isPending ? 'Creating…' : `Create database “${props.db}”`}
          </button>
        ) : (
          <span className="small" data-testid="create-database-how">
            {how(props.db)}
          </span>
        ))}
      {created && props.after}
      {create.error && (
        <span className="error-text small" role="alert">
          {create.error.message}
        </span>
      )}
    </div>
  );
}
