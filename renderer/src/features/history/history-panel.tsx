import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { prettyIfJson } from '../../../../shared/domain/format';
import {
  HISTORY_KINDS,
  type HistoryEntry,
  type HistoryKind,
  type HistorySummary,
} from '../../../../shared/domain/history';
import { describeNetworkFailure } from '../../../../shared/domain/http';
import type { IpcRequest } from '../../../../shared/ipc/contract';
import { useReopenAction } from '../../app/reopen';
import { invoke, newRequestId } from '../../lib/ipc';
import { HeaderTable } from '../inspector/response-inspector';
import { detectionTitle } from '../probe/detected-flavor';
import { ProbeMatrix } from '../probe/probe-panel';
import { fetchHistory, historyKeys } from './queries';

const PAGE = 100;

/** The searchable request history: list on the left, the selected entry on the right. */
export function HistoryPanel(props: { connections: readonly ConnectionSummary[] }) {
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<HistoryKind | ''>('');
  const [outcome, setOutcome] = useState<'all' | 'ok' | 'failed'>('all');
  const [connectionId, setConnectionId] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [selected, setSelected] = useState<string | null>(null);
  // Typing stays responsive while the list catches up.
  const deferredSearch = useDeferredValue(search);
  const filter: IpcRequest<'history:list'> = {
    search: deferredSearch,
    ...(kind ? { kinds: [kind] } : {}),
    ...(connectionId ? { connectionId } : {}),
    outcome,
    limit,
    offset: 0,
  };
  const list = useQuery({
    queryKey: historyKeys.list(filter),
    queryFn: () => fetchHistory(filter),
    placeholderData: (prev) => prev,
  });
  const qc = useQueryClient();
  const clear = useMutation({
    mutationFn: () => invoke('history:clear', connectionId ? { connectionId } : {}),
    onSuccess: () => {
      setSelected(null);
      return qc.invalidateQueries({ queryKey: historyKeys.all });
    },
  });
  const entries = list.data?.entries ?? [];

  return (
    <div className="history" data-testid="history-panel">
      <section className="panel history-list-panel" aria-label="History">
        <div className="history-filters">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Search URL, body, query, status, message…"
            name="historySearch"
            aria-label="Search history"
            className="grow"
          />
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as HistoryKind | '')}
            name="historyKind"
            aria-label="Kind"
          >
            <option value="">all kinds</option>
            {HISTORY_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <select
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as 'all' | 'ok' | 'failed')}
            name="historyOutcome"
            aria-label="Outcome"
          >
            <option value="all">any status</option>
            <option value="ok">succeeded</option>
            <option value="failed">failed</option>
          </select>
          <select
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
            name="historyConnection"
            aria-label="Connection"
          >
            <option value="">all connections</option>
            {props.connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        {list.error && <p className="error-box">{list.error.message}</p>}
        <ul className="history-list" data-testid="history-list">
          {entries.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className={e.id === selected ? 'history-row selected' : 'history-row'}
                onClick={() => setSelected(e.id)}
                data-testid="history-row"
              >
                <span className={`kind-badge ${e.kind}`}>{e.kind}</span>
                <span className={`history-status ${e.ok ? 'ok' : 'failed'}`}>{statusText(e)}</span>
                <span className="history-main">
                  <span className={e.preview ? 'history-summary mono' : 'history-summary'}>
                    {e.preview || e.summary || '—'}
                  </span>
                  <span className="history-meta mono" title={[e.url, e.summary].filter(Boolean).join('\n')}>
                    {/* The path and query tell rows apart; the origin is the connection's, named beside. */}
                    {e.url !== null && <span className="history-path">{pathOf(e.url)}</span>}
                    {(!e.ok || e.url === null) && <span className="history-why">{e.summary}</span>}
                  </span>
                </span>
                <span className="history-when muted small">
                  <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>
                    {formatWhen(e.at)}
                  </time>
                  <span>{e.connectionName}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        {list.data && entries.length === 0 && (
          <p className="muted pad">
            {list.data.total === 0 && !deferredSearch ? 'No requests yet.' : 'Nothing matches.'}
          </p>
        )}
        <footer className="history-footer">
          <span className="muted small" data-testid="history-count">
            {list.data ? `${entries.length} of ${list.data.total}` : ''}
          </span>
          {list.data && list.data.total > entries.length && (
            <button type="button" className="btn small" onClick={() => setLimit((l) => Math.min(l + PAGE, 500))}>
              More
            </button>
          )}
          <button
            type="button"
            className="btn small danger push-right"
            disabled={!list.data || list.data.total === 0 || clear.isPending}
            onClick={() => {
              if (window.confirm(connectionId ? 'Clear the history of this connection?' : 'Clear all request history?'))
                clear.mutate();
            }}
            data-testid="history-clear"
          >
            {connectionId ? 'Clear connection' : 'Clear all'}
          </button>
        </footer>
        <p className="muted small history-retention" data-testid="history-retention">
          {list.data?.retention}
        </p>
        {list.data?.saveError && (
          <p className="error-box small" role="alert" data-testid="history-save-error">
            History is not being saved, so it will be lost when the app closes: {list.data.saveError}
          </p>
        )}
      </section>
      {selected ? (
        <HistoryDetail key={selected} id={selected} connections={props.connections} onSelect={setSelected} />
      ) : (
        <section className="panel history-detail" aria-label="History entry">
          <p className="muted">Select a request to see what was sent and what came back, and to reopen or resend it.</p>
        </section>
      )}
    </div>
  );
}

function statusText(e: HistorySummary): string {
  if (e.kind === 'probe') return '';
  return e.status === null ? 'error' : String(e.status);
}

/** A request URL without its origin (`/write?db=iot`); the whole URL when it cannot be parsed. */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function formatWhen(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** One entry: request and response (both already redacted), with Reopen, Resend and Delete. */
function HistoryDetail(props: {
  id: string;
  connections: readonly ConnectionSummary[];
  onSelect: (id: string | null) => void;
}) {
  const entry = useQuery({
    queryKey: historyKeys.entry(props.id),
    queryFn: () => invoke('history:get', { id: props.id }),
  });
  const reopen = useReopenAction();
  const qc = useQueryClient();
  const { onSelect } = props;
  const resend = useMutation({
    mutationFn: async (e: HistoryEntry) => {
      await resendEntry(e);
      // The resend is the newest entry of its connection and kind: show it.
      const page = await invoke('history:list', { connectionId: e.connectionId, kinds: [e.kind], limit: 1, offset: 0 });
      return page.entries[0]?.id ?? null;
    },
    onSuccess: (id) => {
      if (id) onSelect(id);
    },
  });
  const del = useMutation({
    mutationFn: (id: string) => invoke('history:delete', { id }),
    onSuccess: () => {
      onSelect(null);
      return qc.invalidateQueries({ queryKey: historyKeys.all });
    },
  });
  if (entry.error) {
    return (
      <section className="panel history-detail">
        <p className="error-box">{entry.error.message}</p>
      </section>
    );
  }
  const e = entry.data;
  if (!e) return <section className="panel history-detail" aria-busy="true" />;
  const connection = props.connections.find((c) => c.id === e.connectionId) ?? null;
  const cut = e.kind === 'write' && (e.request?.bodyTruncated ?? true);
  const canReopen = connection !== null && (e.kind === 'write' || e.kind === 'query') && !cut;
  const canResend = connection !== null && !cut;
  const whyNot =
    connection === null
      ? `The connection “${e.connectionName}” no longer exists.`
      : cut
        ? 'The stored body was cut, so it cannot be sent again as it was.'
        : null;

  return (
    <section className="panel history-detail" aria-label="History entry" data-testid="history-detail">
      <header className="history-detail-head">
        <span className={`kind-badge ${e.kind}`}>{e.kind}</span>
        <strong>{e.connectionName}</strong>
        <span className="muted small">{new Date(e.at).toLocaleString()}</span>
        {e.timing && <span className="metric">{e.timing.totalMs.toFixed(1)} ms</span>}
        {(e.server.version ?? e.server.build) && (
          <span className="metric">
            InfluxDB {e.server.version ?? '?'} {e.server.build ? `(${e.server.build})` : ''}
          </span>
        )}
        {e.detected && (
          <span className="badge" title={detectionTitle(e.detected)}>
            detected {e.detected.flavor ?? 'unknown'}
          </span>
        )}
        <span className="push-right" />
        {(e.kind === 'write' || e.kind === 'query') && (
          <button
            type="button"
            className="btn small"
            disabled={!canReopen}
            title={whyNot ?? `Load into the ${e.kind === 'write' ? 'Write' : 'Query'} tab of “${e.connectionName}”`}
            onClick={() => reopenEntry(e, reopen)}
            data-testid="history-reopen"
          >
            Reopen
          </button>
        )}
        <button
          type="button"
          className="btn small primary"
          disabled={!canResend || resend.isPending}
          title={whyNot ?? 'Send it again through the same channel'}
          onClick={() => resend.mutate(e)}
          data-testid="history-resend"
        >
          {resend.isPending ? 'Sending…' : 'Resend'}
        </button>
        <button
          type="button"
          className="btn small danger"
          onClick={() => del.mutate(e.id)}
          disabled={del.isPending}
          data-testid="history-delete"
        >
          Delete
        </button>
      </header>
      {resend.error && <p className="error-box">{resend.error.message}</p>}
      {e.notes.map((n) => (
        <p key={n} className="warn-box small">
          {n}
        </p>
      ))}
      <p className={`history-outcome ${e.ok ? 'ok' : 'failed'}`} data-testid="history-outcome">
        {e.summary}
      </p>
      {e.probe && <ProbeMatrix report={e.probe} />}
      {e.request && (
        <div className="history-section">
          <h3>Request</h3>
          <p className="mono wrap" data-testid="history-request-line">
            <span className="method">{e.request.method}</span> {e.request.url}
          </p>
          <HeaderTable headers={e.request.headers} className="kv history-headers" empty={null} />
          {e.request.body !== '' && (
            <>
              <h4>
                {e.kind === 'query' ? 'Query' : 'Body'}
                {e.request.gzip ? ' (sent gzipped)' : ''}
              </h4>
              <pre className="body-view history-body" data-testid="history-request-body">
                {e.request.body}
              </pre>
            </>
          )}
          {e.replay.kind === 'query' && Object.keys(e.replay.query.params).length > 0 && (
            <p className="mono small">params {JSON.stringify(e.replay.query.params)}</p>
          )}
          {e.rowCount !== null && (
            <p className="metric">{e.rowCount.toLocaleString()} rows returned (rows are not kept in history)</p>
          )}
        </div>
      )}
      {e.error && (
        <p className="error-box" data-kind={e.error.kind}>
          {describeNetworkFailure(e.error)}
        </p>
      )}
      {e.response && (
        <div className="history-section">
          <h3>
            Response{' '}
            <span className="mono">
              {e.response.status} {e.response.statusText}
            </span>
          </h3>
          <HeaderTable headers={e.response.headers} className="kv history-headers" empty={null} />
          {e.response.body !== '' && (
            <pre className="body-view history-body" data-testid="history-response-body">
              {prettyIfJson(e.response.body, e.response.contentType)}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}

function reopenEntry(e: HistoryEntry, reopen: ReturnType<typeof useReopenAction>): void {
  if (e.replay.kind === 'write' && e.request) {
    reopen({
      kind: 'write',
      connectionId: e.connectionId,
      params: e.replay.params,
      auth: e.replay.auth,
      body: e.request.body,
    });
  } else if (e.replay.kind === 'query') {
    reopen({ kind: 'query', connectionId: e.connectionId, query: e.replay.query, auth: e.replay.auth });
  }
}

/** Sends an entry again through its normal channel; the handler records the new attempt. */
async function resendEntry(e: HistoryEntry): Promise<void> {
  const requestId = newRequestId();
  const r = e.replay;
  switch (r.kind) {
    case 'write':
      await invoke('write:send', {
        requestId,
        connectionId: e.connectionId,
        params: r.params,
        auth: r.auth,
        body: e.request?.body ?? '',
      });
      return;
    case 'ping':
      await invoke('server:ping', { requestId, connectionId: e.connectionId, ...(r.auth ? { auth: r.auth } : {}) });
      return;
    case 'query':
      await invoke('query:run', {
        requestId,
        connectionId: e.connectionId,
        ...r.query,
        ...(r.auth ? { auth: r.auth } : {}),
      });
      return;
    case 'probe':
      await invoke('server:probe', { requestId, connectionId: e.connectionId, db: r.db });
      return;
  }
}
