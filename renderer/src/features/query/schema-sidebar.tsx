import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { missingDatabaseIn } from '../../../../shared/domain/databases';
import type { ServerFlavor } from '../../../../shared/domain/flavor';
import { quoteIdent } from '../../../../shared/influxql';
import { MissingDatabase } from '../databases/missing-database';
import { useSandboxOf } from '../sandbox/sandbox-panel';
import { refreshSchema, schemaQuery } from './schema-data';

/**
 * The schema of the connected server as a tree: databases → retention policies and measurements →
 * fields (with types) and tags. Clicking a name inserts it at the editor's cursor, quoted as InfluxQL
 * needs (`"disk io"`, `"time"`). Branches load when opened and share the completion cache.
 */
export function SchemaSidebar(props: {
  connection: ConnectionSummary;
  connectionId: string;
  flavor: ServerFlavor;
  db: string;
  onInsert: (text: string) => void;
}) {
  const qc = useQueryClient();
  const sandbox = useSandboxOf(props.connectionId);
  // Cloud Dedicated, Clustered and Serverless have no SHOW DATABASES: the db field is the root.
  const listsDatabases =
    props.flavor !== 'cloud-dedicated' && props.flavor !== 'clustered' && props.flavor !== 'serverless';
  const dbs = useQuery({ ...schemaQuery(props.connectionId, '', 'databases'), enabled: listsDatabases });
  const names = listsDatabases ? (dbs.data ?? []).map((d) => d.name) : props.db ? [props.db] : [];
  // The db field's database is shown even when the server does not list it, marked as missing (a
  // database that does not exist is not an empty one). The sandbox knows its own databases.
  const known = sandbox?.state === 'running' ? sandbox.databases.map((d) => d.name) : listsDatabases ? names : null;
  const missing = props.db !== '' && known !== null && (sandbox !== null || dbs.isSuccess) && !known.includes(props.db);
  if (props.db && !names.includes(props.db) && !dbs.isPending) names.unshift(props.db);
  return (
    <aside className="schema-sidebar panel" aria-label="Schema" data-testid="schema-sidebar">
      <div className="schema-head">
        <strong>Schema</strong>
        <span className="push-right" />
        <button
          type="button"
          className="btn small"
          onClick={() => void refreshSchema(qc, props.connectionId)}
          title="Fetch the schema again (a write from this app refreshes it; writes from other clients need this)"
          data-testid="schema-refresh"
        >
          Refresh
        </button>
      </div>
      {listsDatabases && dbs.isPending && <p className="muted small">Loading databases…</p>}
      {dbs.error && <p className="error-box small">{dbs.error.message}</p>}
      {names.length === 0 && !dbs.isPending && <p className="muted small">No databases. Type one in the db field.</p>}
      <ul className="schema-tree" role="tree">
        {names.map((db) => (
          <DatabaseNode key={db} {...props} db={db} open={db === props.db} missing={db === props.db && missing} />
        ))}
      </ul>
    </aside>
  );
}

function Node(props: {
  label: ReactNode;
  insert?: string;
  badge?: string;
  onInsert: (text: string) => void;
  children?: (open: boolean) => ReactNode;
  open?: boolean;
  testId?: string;
}) {
  const [open, setOpen] = useState(props.open ?? false);
  return (
    <li
      role="treeitem"
      aria-expanded={props.children ? open : undefined}
      className="schema-node"
      data-testid={props.testId}
    >
      <div className="schema-row">
        {props.children ? (
          <button
            type="button"
            className="schema-toggle"
            onClick={() => setOpen((o) => !o)}
            aria-label={open ? 'Collapse' : 'Expand'}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="schema-toggle" />
        )}
        {props.insert !== undefined ? (
          <button
            type="button"
            className="schema-name"
            onClick={() => props.onInsert(props.insert!)}
            title={`Insert ${props.insert}`}
          >
            {props.label}
          </button>
        ) : (
          <button type="button" className="schema-name group" onClick={() => setOpen((o) => !o)}>
            {props.label}
          </button>
        )}
        {props.badge && <span className="schema-badge">{props.badge}</span>}
      </div>
      {props.children && open && <ul role="group">{props.children(open)}</ul>}
    </li>
  );
}

function Loading(props: { pending: boolean; error: Error | null; empty: boolean; what: string }) {
  if (props.pending) return <li className="muted small schema-info">Loading…</li>;
  if (props.error) return <li className="error-box small schema-info">{props.error.message}</li>;
  if (props.empty) return <li className="muted small schema-info">No {props.what}.</li>;
  return null;
}

function DatabaseNode(props: {
  connection: ConnectionSummary;
  connectionId: string;
  db: string;
  open: boolean;
  missing: boolean;
  onInsert: (text: string) => void;
}) {
  return (
    <Node
      label={props.db}
      insert={quoteIdent(props.db)}
      onInsert={props.onInsert}
      open={props.open}
      testId="schema-db"
      badge={props.missing ? 'does not exist' : undefined}
    >
      {() =>
        props.missing ? (
          <li className="schema-info">
            <MissingDatabase connection={props.connection} db={props.db} />
          </li>
        ) : (
          <>
            <Node label="retention policies" onInsert={props.onInsert}>
              {() => <RetentionPolicies {...props} />}
            </Node>
            <Node label="measurements" onInsert={props.onInsert} open>
              {() => <Measurements {...props} />}
            </Node>
          </>
        )
      }
    </Node>
  );
}

function RetentionPolicies(props: { connectionId: string; db: string; onInsert: (text: string) => void }) {
  const q = useQuery(schemaQuery(props.connectionId, props.db, 'retention-policies'));
  return (
    <>
      <Loading pending={q.isPending} error={q.error} empty={q.data?.length === 0} what="retention policies" />
      {q.data?.map((rp) => (
        <Node
          key={rp.name}
          label={rp.name}
          insert={quoteIdent(rp.name)}
          badge={rp.isDefault ? 'default' : undefined}
          onInsert={props.onInsert}
        />
      ))}
    </>
  );
}

function Measurements(props: {
  connection: ConnectionSummary;
  connectionId: string;
  db: string;
  onInsert: (text: string) => void;
}) {
  const q = useQuery(schemaQuery(props.connectionId, props.db, 'measurements'));
  // A server that cannot list databases says so when asked for the measurements of a missing one.
  const missing = q.error ? missingDatabaseIn(q.error.message) : null;
  if (missing !== null)
    return (
      <li className="schema-info">
        <MissingDatabase connection={props.connection} db={missing} />
      </li>
    );
  return (
    <>
      <Loading pending={q.isPending} error={q.error} empty={q.data?.length === 0} what="measurements" />
      {q.data?.map((m) => (
        <Node
          key={m.name}
          label={m.name}
          insert={quoteIdent(m.name)}
          onInsert={props.onInsert}
          testId="schema-measurement"
        >
          {() => <Columns {...props} measurement={m.name} />}
        </Node>
      ))}
    </>
  );
}

function Columns(props: { connectionId: string; db: string; measurement: string; onInsert: (text: string) => void }) {
  const fields = useQuery(schemaQuery(props.connectionId, props.db, 'fields', '', props.measurement));
  const tags = useQuery(schemaQuery(props.connectionId, props.db, 'tags', '', props.measurement));
  return (
    <>
      <Loading pending={fields.isPending} error={fields.error} empty={false} what="fields" />
      {fields.data?.map((f) => (
        <Node
          key={`f:${f.name}`}
          label={f.name}
          insert={quoteIdent(f.name)}
          badge={f.type}
          onInsert={props.onInsert}
          testId="schema-field"
        />
      ))}
      <Loading pending={tags.isPending} error={tags.error} empty={false} what="tags" />
      {tags.data?.map((t) => (
        <Node
          key={`t:${t.name}`}
          label={t.name}
          insert={quoteIdent(t.name)}
          badge="tag"
          onInsert={props.onInsert}
          testId="schema-tag"
        />
      ))}
    </>
  );
}
