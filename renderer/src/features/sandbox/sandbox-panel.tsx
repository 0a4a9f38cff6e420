import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type { SandboxStatus } from '../../../../shared/domain/sandbox';
import { DEFAULT_WRITE_PARAMS } from '../../../../shared/domain/write-request';
import type { IpcRequest } from '../../../../shared/ipc/contract';
import { useReopenAction } from '../../app/reopen';
import { invoke } from '../../lib/ipc';

/** The app's sandbox status (running, or why it is off), its databases and tokens (never a secret). */
export const sandboxStatusQuery = queryOptions({
  queryKey: ['sandbox'] as const,
  queryFn: () => invoke('sandbox:status', {}),
  retry: false,
});

/** The app's sandbox status when `connectionId` is its connection, else null. */
export function useSandboxOf(connectionId: string): SandboxStatus | null {
  const status = useQuery(sandboxStatusQuery);
  return status.data && status.data.connectionId === connectionId ? status.data : null;
}

function useSandboxAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: IpcRequest<'sandbox:manage'>) => invoke('sandbox:manage', req),
    onSuccess: (r) => qc.setQueryData(sandboxStatusQuery.queryKey, r.status),
  });
}

function useSandboxSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: IpcRequest<'sandbox:settings'>) => invoke('sandbox:settings', req),
    onSuccess: (status) => {
      qc.setQueryData(sandboxStatusQuery.queryKey, status);
      void qc.invalidateQueries({ queryKey: ['connections'] });
    },
  });
}

/**
 * Shown above the workspace of the sandbox connection: what it is, in a line, and a small management
 * panel (databases, tokens, the start-with-the-app setting). The guided demo is in the sidebar
 * ({@link SandboxGuide}), so it never pushes the workspace (the query's chart) down.
 */
export function SandboxPanel(props: { connection: ConnectionSummary }) {
  const status = useQuery(sandboxStatusQuery);
  if (!status.data || status.data.connectionId !== props.connection.id) return null;
  return <SandboxPanelBody status={status.data} connectionId={props.connection.id} />;
}

const SANDBOX_SUMMARY =
  'Its routes, token auth and error bodies are those of the real product; data is kept in an embedded DuckDB. ' +
  'Not a production database; no Flight SQL.';

function SandboxPanelBody(props: { status: SandboxStatus; connectionId: string }) {
  const s = props.status;
  const settings = useSandboxSettings();
  return (
    <section className="sandbox-panel" aria-label="Sandbox" data-testid="sandbox-panel">
      {s.state === 'running' ? (
        <p className="small sandbox-summary" data-testid="sandbox-state">
          <strong>Built-in sandbox</strong> running at <code>{s.url}</code>
          <span className="muted" title={SANDBOX_SUMMARY}>
            {' '}
            · answers like InfluxDB 3 {s.profile === 'core' ? 'Core' : 'Cloud Dedicated'} · not for production
          </span>
        </p>
      ) : (
        <p className="warn-box small" role="status" data-testid="sandbox-state">
          {s.reason}{' '}
          {s.state === 'off' && (
            <button type="button" className="btn small" onClick={() => settings.mutate({ autoStart: true })}>
              Start it
            </button>
          )}
        </p>
      )}
      <details className="sandbox-manage">
        <summary data-testid="sandbox-manage">Manage the sandbox</summary>
        <label className="small">
          <input
            type="checkbox"
            checked={s.autoStart}
            onChange={(e) => settings.mutate({ autoStart: e.target.checked })}
            data-testid="sandbox-autostart"
          />{' '}
          Start the sandbox with the app
        </label>
        {!s.showGuide && s.state === 'running' && (
          <button type="button" className="btn small" onClick={() => settings.mutate({ showGuide: true })}>
            Show the guided demo
          </button>
        )}
        {settings.error && <p className="error-box small">{settings.error.message}</p>}
        {s.state === 'running' && <Management status={s} />}
      </details>
    </section>
  );
}

/**
 * The first-run guided demo, under the connection list while the sandbox connection is selected and
 * running (hidden with "Hide this guide"; "Manage the sandbox" shows it again).
 */
export function SandboxGuide(props: { connectionId: string | null }) {
  const status = useQuery(sandboxStatusQuery);
  const settings = useSandboxSettings();
  const s = status.data;
  if (!s || props.connectionId === null || s.connectionId !== props.connectionId) return null;
  if (s.state !== 'running' || !s.showGuide) return null;
  return (
    <section className="sandbox-guide-card" aria-label="Guided demo">
      <h3>Guided demo</h3>
      <GuidedDemo connectionId={props.connectionId} onHide={() => settings.mutate({ showGuide: false })} />
      {settings.error && <p className="error-box small">{settings.error.message}</p>}
    </section>
  );
}

function GuidedDemo(props: { connectionId: string; onHide: () => void }) {
  const reopen = useReopenAction();
  const now = () => Math.floor(Date.now() / 1000);
  const write = (body: string) =>
    reopen({
      kind: 'write',
      connectionId: props.connectionId,
      params: { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'demo', precision: 's' },
      auth: { scheme: 'bearer', username: '' },
      body,
    });
  return (
    <ol className="sandbox-guide small" data-testid="sandbox-guide">
      <li>
        <button
          type="button"
          className="btn small"
          data-testid="guide-write"
          onClick={() => write(`home,room=kitchen temp=21.5,hum=35.9 ${now()}\n`)}
        >
          1 · Write a line
        </button>{' '}
        puts a point in the Write editor. Press <em>Send</em>: the sandbox answers <code>204 No Content</code>, as Cloud
        Dedicated does.
      </li>
      <li>
        <button
          type="button"
          className="btn small"
          data-testid="guide-break"
          onClick={() => write(`home,room=kitchen temp=22.1 ${now()}\nhome,room=living_room temp= ${now()}\n`)}
        >
          2 · Break a line
        </button>{' '}
        The editor flags line 2 before sending; tick <em>Send anyway</em> and <em>Send</em>: the sandbox answers{' '}
        <code>400</code> naming line 2, mapped onto the editor, and stores line 1 (a partial write).
      </li>
      <li>
        <button
          type="button"
          className="btn small"
          data-testid="guide-query"
          onClick={() =>
            reopen({
              kind: 'query',
              connectionId: props.connectionId,
              query: {
                q: 'SELECT mean(usage_user) FROM cpu WHERE time > now() - 2h GROUP BY time(5m), host',
                db: 'demo',
                rp: '',
                epoch: '',
                chunked: false,
                chunkSize: 0,
                params: {},
                method: 'auto',
              },
              auth: null,
            })
          }
        >
          3 · Run a query
        </button>{' '}
        over the demo data (the last two hours of <code>cpu</code> and <code>home</code>): press <em>Run</em> to see the
        table and the chart.
      </li>
      <li className="muted">
        <button type="button" className="btn small link" onClick={props.onHide} data-testid="guide-hide">
          Hide this guide
        </button>
      </li>
    </ol>
  );
}

function Management(props: { status: SandboxStatus }) {
  const action = useSandboxAction();
  const [dbName, setDbName] = useState('');
  const [tokenDb, setTokenDb] = useState('*');
  const [tokenAccess, setTokenAccess] = useState<'read' | 'write' | 'both'>('both');
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const s = props.status;
  return (
    <div className="sandbox-management" data-testid="sandbox-management">
      <h4>Databases</h4>
      <ul className="plain">
        {s.databases.map((d) => (
          <li key={d.name}>
            <code>{d.name}</code> <span className="muted small">{d.tables} tables</span>{' '}
            <button
              type="button"
              className="btn small danger"
              onClick={() => {
                if (window.confirm(`Delete database ${d.name} and all its data?`)) {
                  action.mutate({ action: 'delete-database', name: d.name });
                }
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          action.mutate({ action: 'create-database', name: dbName.trim() }, { onSuccess: () => setDbName('') });
        }}
      >
        <input
          aria-label="New database name"
          placeholder="new database"
          value={dbName}
          onChange={(e) => setDbName(e.target.value)}
        />
        <button type="submit" className="btn small" disabled={dbName.trim() === ''}>
          Create database
        </button>
        <button type="button" className="btn small" onClick={() => action.mutate({ action: 'reload-demo' })}>
          Refresh demo data
        </button>
      </form>
      <h4>Tokens</h4>
      <ul className="plain">
        {s.tokens.map((t) => (
          <li key={t.id}>
            {t.description}{' '}
            <span className="muted small">{t.permissions.map((p) => `${p.action}:${p.resource}`).join(', ')}</span>{' '}
            {!t.app && (
              <button
                type="button"
                className="btn small danger"
                onClick={() => action.mutate({ action: 'delete-token', id: t.id })}
              >
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const dbs = [tokenDb];
          action.mutate(
            {
              action: 'create-token',
              description: description.trim(),
              read: tokenAccess === 'write' ? [] : dbs,
              write: tokenAccess === 'read' ? [] : dbs,
            },
            { onSuccess: (r) => setSecret(r.secret) },
          );
        }}
      >
        <input
          aria-label="Token description"
          placeholder="description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <select
          aria-label="Token access"
          value={tokenAccess}
          onChange={(e) => setTokenAccess(e.target.value as 'both')}
        >
          <option value="both">read and write</option>
          <option value="read">read</option>
          <option value="write">write</option>
        </select>
        <select aria-label="Token database" value={tokenDb} onChange={(e) => setTokenDb(e.target.value)}>
          <option value="*">every database</option>
          {s.databases.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name}
            </option>
          ))}
        </select>
        <button type="submit" className="btn small">
          Create token
        </button>
      </form>
      {secret && (
        <p className="warn-box small" data-testid="sandbox-new-token">
          New token, shown once (only its hash is kept): <code>{secret}</code>{' '}
          <button type="button" className="btn small" onClick={() => setSecret(null)}>
            Done
          </button>
        </p>
      )}
      {action.error && <p className="error-box small">{action.error.message}</p>}
    </div>
  );
}
