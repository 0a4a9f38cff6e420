import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';

import { ConnectionForm } from '../features/connections/connection-form';
import { ConnectionList } from '../features/connections/connection-list';
import { appInfoQuery, connectionsQuery } from '../features/connections/queries';
import { HistoryPanel } from '../features/history/history-panel';
import { useHistoryEvents } from '../features/history/queries';
import { ErrorText, LogFolderButton } from '../features/logs/log-folder';
import { SandboxGuide } from '../features/sandbox/sandbox-panel';
import { ConnectionWorkspace } from '../features/workspace/connection-workspace';
import { onEvent } from '../lib/ipc';
import { type ReopenPayload, ReopenProvider } from './reopen';

type View =
  /** A connection's workspace (its Write, Query and Probe tabs). */
  | { kind: 'workspace'; id: string }
  /** `back`: where Cancel returns (the view the form was opened from). */
  | { kind: 'edit'; id: string | null; back?: View }
  | { kind: 'history' }
  | { kind: 'empty' };

/** The workbench shell: connections on the left, the selected workspace on the right. */
export function App() {
  const qc = useQueryClient();
  const info = useQuery(appInfoQuery);
  const list = useQuery(connectionsQuery);
  const [chosen, setView] = useState<View>({ kind: 'empty' });
  const connections = list.data?.connections ?? [];
  // Until the user picks something: the first connection, or the form when there are none.
  const first = connections[0];
  const view: View =
    chosen.kind !== 'empty' || !list.data
      ? chosen
      : first
        ? { kind: 'workspace', id: first.id }
        : { kind: 'edit', id: null };

  useEffect(() => onEvent('connections:changed', () => void qc.invalidateQueries({ queryKey: ['connections'] })), [qc]);
  useHistoryEvents();
  // Reopen from history: show the target connection's workspace; the workspace loads the draft.
  const onReopen = useCallback((r: ReopenPayload) => setView({ kind: 'workspace', id: r.connectionId }), []);

  const selected =
    view.kind === 'empty' || view.kind === 'history' || view.id === null
      ? null
      : (connections.find((c) => c.id === view.id) ?? null);

  return (
    <ReopenProvider onReopen={onReopen}>
      <div className="app">
        <header className="topbar">
          <h1>Influx Workbench</h1>
          {info.data && (
            <span className={`mode-badge ${info.data.mode}`} data-testid="mode-badge" title={info.data.vault.message}>
              {info.data.mode === 'browser'
                ? 'Browser mode · tokens in memory only'
                : `Desktop · tokens: ${info.data.vault.backend}`}
            </span>
          )}
          <button
            type="button"
            className={view.kind === 'history' ? 'btn small push-right active' : 'btn small push-right'}
            onClick={() =>
              setView(
                view.kind === 'history'
                  ? selected
                    ? { kind: 'workspace', id: selected.id }
                    : { kind: 'empty' }
                  : { kind: 'history' },
              )
            }
            data-testid="open-history"
            aria-pressed={view.kind === 'history'}
          >
            History
          </button>
          <LogFolderButton />
          <span className="muted small">v{info.data?.version ?? ''}</span>
        </header>
        {list.data?.notices.map((n, i) => (
          <p key={i} className={n.level === 'error' ? 'error-box banner' : 'warn-box banner'} role="alert">
            {n.message}
          </p>
        ))}
        {(list.error ?? info.error) && (
          <p className="error-box banner" role="alert">
            <ErrorText message={(list.error ?? info.error)!.message} />
          </p>
        )}
        <div className="body">
          <ConnectionList
            connections={connections}
            selectedId={selected?.id ?? null}
            onSelect={(id) => setView({ kind: 'workspace', id })}
            onEdit={(id) => setView({ kind: 'edit', id, back: view })}
            onNew={() => setView({ kind: 'edit', id: null, back: view })}
          >
            {view.kind === 'workspace' && <SandboxGuide connectionId={selected?.id ?? null} />}
          </ConnectionList>
          <main className="main">
            {view.kind === 'edit' && view.id === null && list.data && connections.length === 0 && (
              <div className="empty-state" data-testid="empty-state">
                <h2>Add your own server</h2>
                <p>
                  Give the connection a name, the server&apos;s base URL (e.g.{' '}
                  <code>https://cluster-id.a.influxdb.io</code> for Cloud Dedicated, <code>http://127.0.0.1:8181</code>{' '}
                  for InfluxDB 3 Core, <code>http://127.0.0.1:8086</code> for 1.x), its flavor, the database and a
                  token. The token stays in main (the OS key store on desktop) and never comes back to this window.
                </p>
                <p className="muted small">
                  No server at hand? The built-in sandbox (a local InfluxDB 3 Cloud Dedicated stand-in) starts with the
                  app unless it was turned off: start the app without <code>--no-sandbox</code>.
                </p>
              </div>
            )}
            {view.kind === 'edit' && info.data && (
              <ConnectionForm
                key={view.id ?? 'new'}
                existing={selected}
                vault={info.data.vault}
                onSaved={(c) => setView({ kind: 'workspace', id: c.id })}
                onDeleted={() => setView({ kind: 'empty' })}
                // Back to where the form was opened from: never to another connection (a user once sent a
                // 50k-line body to the wrong server after Cancel on "+ New" switched connections).
                onCancel={() =>
                  setView(view.back ?? (selected ? { kind: 'workspace', id: selected.id } : { kind: 'empty' }))
                }
              />
            )}
            {view.kind === 'workspace' && selected && <ConnectionWorkspace key={selected.id} connection={selected} />}
            {view.kind === 'workspace' && !selected && list.data && (
              <p className="muted pad">That connection no longer exists.</p>
            )}
            {view.kind === 'history' && <HistoryPanel connections={connections} />}
          </main>
        </div>
      </div>
    </ReopenProvider>
  );
}
