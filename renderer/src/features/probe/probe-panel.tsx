import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';

import { AUTH_SCHEME_LABELS } from '../../../../shared/domain/auth';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { PROBE_ROW_LABELS, type ProbeCell, type ProbeReport, summarizeProbe } from '../../../../shared/domain/probe';
import { invoke, newRequestId } from '../../lib/ipc';
import { DetectedFlavor } from './detected-flavor';

const OUTCOME_TEXT: Record<ProbeCell['outcome'], string> = {
  accepted: 'accepted',
  rejected: 'rejected',
  'not-found': 'not found',
  'network-error': 'network error',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** What each outcome means, for the legend under the matrix (cancelled only appears after a Cancel). */
export const OUTCOME_MEANING: Record<ProbeCell['outcome'], string> = {
  accepted: '2xx',
  rejected: 'the endpoint exists but refused (status and message)',
  'not-found': 'no such endpoint (404)',
  'network-error': 'no answer',
  skipped: 'not sent: the scheme needs a token and this connection has none stored (add one in its settings)',
  cancelled: 'not sent: the probe was cancelled first',
};

function cellTitle(cell: ProbeCell): string {
  return [
    `${OUTCOME_TEXT[cell.outcome]}${cell.status === null ? '' : ` (HTTP ${cell.status})`}`,
    cell.message ? `Server: ${cell.message}` : '',
    `${cell.method} ${cell.url}`,
    cell.totalMs === null ? '' : `${cell.totalMs.toFixed(1)} ms`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** The endpoint × auth-scheme matrix, colored by outcome; each cell's tooltip has the details. */
export function ProbeMatrix(props: { report: ProbeReport }) {
  const r = props.report;
  return (
    <table className="probe-matrix" data-testid="probe-matrix">
      <thead>
        <tr>
          <th>Endpoint</th>
          {r.columns.map((s) => (
            <th key={s} title={AUTH_SCHEME_LABELS[s]}>
              {s}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {r.rows.map((row, ri) => (
          <tr key={row}>
            <th scope="row" className="mono">
              {PROBE_ROW_LABELS[row]}
            </th>
            {(r.cells[ri] ?? []).map((cell) => (
              <td
                key={cell.scheme}
                className={`probe-cell ${cell.outcome}`}
                title={cellTitle(cell)}
                data-testid={`probe-${row}-${cell.scheme}`}
              >
                <span className="probe-outcome">{OUTCOME_TEXT[cell.outcome]}</span>
                {cell.status !== null && <span className="probe-status">{cell.status}</span>}
                {cell.outcome === 'rejected' && cell.message && <span className="probe-message">{cell.message}</span>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The connection workspace's Probe tab: run the probe, see the detected flavor and the matrix. */
export function ProbePanel(props: { connection: ConnectionSummary }) {
  const c = props.connection;
  const [db, setDb] = useState(c.db);
  const requestId = useRef<string | null>(null);
  const probe = useMutation({
    mutationFn: (database: string) => {
      const id = newRequestId();
      requestId.current = id;
      return invoke('server:probe', { requestId: id, connectionId: c.id, db: database });
    },
    onSettled: () => {
      requestId.current = null;
    },
  });
  const report = probe.data;
  return (
    <div className="workspace probe-panel">
      <div className="params panel" aria-label="Probe">
        <label>
          database
          <input
            value={db}
            onChange={(e) => setDb(e.target.value)}
            name="probeDb"
            placeholder="for /write and SHOW MEASUREMENTS"
          />
        </label>
        <p className="muted small probe-help">
          Tries each write endpoint with an <strong>empty body</strong> (nothing is written) and <code>/query</code>{' '}
          with a read, once per auth scheme. Schemes other than “none” use this connection’s stored token
          {c.username ? ` and username “${c.username}”` : ''}.
        </p>
        <span className="push-right" />
        {probe.isPending ? (
          <button
            type="button"
            className="btn danger"
            onClick={() => requestId.current && void invoke('request:cancel', { requestId: requestId.current })}
            data-testid="cancel-probe"
          >
            Cancel
          </button>
        ) : (
          <button type="button" className="btn primary" onClick={() => probe.mutate(db)} data-testid="run-probe">
            Probe
          </button>
        )}
      </div>
      <section className="panel" aria-label="Probe result">
        {probe.isPending && <p className="muted">Probing {c.url}…</p>}
        {probe.error && (
          <p className="error-box" role="alert">
            {probe.error.message}
          </p>
        )}
        {report && !probe.isPending && (
          <>
            <div className="row probe-summary">
              <DetectedFlavor connection={c} detection={report.detected} />
              <span className="metric" data-testid="probe-summary">
                /ping {report.pingStatus ?? 'no answer'} · {summarizeProbe(report)} · {report.totalMs} ms
              </span>
            </div>
            <ProbeMatrix report={report} />
            <ProbeLegend report={report} />
          </>
        )}
        {!report && !probe.isPending && !probe.error && (
          <p className="muted">
            Probe shows which endpoints and auth schemes this server accepts, and detects its flavor from /ping.
          </p>
        )}
      </section>
    </div>
  );
}

/** The legend: every outcome the matrix can show (cancelled only when it does), with its meaning. */
export function ProbeLegend(props: { report: ProbeReport }) {
  const shown = new Set(props.report.cells.flat().map((cell) => cell.outcome));
  const outcomes = (Object.keys(OUTCOME_MEANING) as ProbeCell['outcome'][]).filter(
    (o) => o !== 'cancelled' || shown.has(o),
  );
  return (
    <p className="muted small probe-legend" data-testid="probe-legend">
      {outcomes.map((o, i) => (
        <span key={o}>
          {i > 0 && ' · '}
          <span data-testid={`probe-legend-${o}`}>
            <span className={`probe-cell ${o} legend`}>{OUTCOME_TEXT[o]}</span> {OUTCOME_MEANING[o]}
          </span>
        </span>
      ))}
      . Hover a cell for the server’s message and the URL sent.
    </p>
  );
}
