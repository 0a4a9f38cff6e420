import { type ReactNode, useState } from 'react';

import { formatBytes, prettyIfJson } from '../../../../shared/domain/format';
import { headerValue, type HttpExchange, networkErrorLabel } from '../../../../shared/domain/http';
import { ErrorText } from '../logs/log-folder';

type Tab = 'body' | 'headers' | 'request' | 'timing';

/** Status, headers, body (pretty JSON when JSON), timing, sizes, and the request as sent (redacted). */
export function ResponseInspector(props: {
  exchange: HttpExchange | null;
  pending: boolean;
  failure: string | null;
  /** What the answer means (the write's Explanation section): shown beside the raw body, never instead of it. */
  explanation?: ReactNode;
}) {
  const [tab, setTab] = useState<Tab>('body');
  const { exchange } = props;
  if (props.pending)
    return (
      <section className="inspector panel" aria-label="Response">
        <p className="muted">Sending…</p>
      </section>
    );
  if (props.failure) {
    return (
      <section className="inspector panel" aria-label="Response">
        <p className="error-box" role="alert" data-testid="request-failure">
          <ErrorText message={props.failure} />
        </p>
      </section>
    );
  }
  if (!exchange) {
    return (
      <section className="inspector panel" aria-label="Response">
        <p className="muted">
          The server’s answer appears here: status, headers, body, timing and the exact request sent.
        </p>
      </section>
    );
  }
  const r = exchange.response;
  const statusClass = r ? (r.status < 300 ? 'ok' : r.status < 500 ? 'client-error' : 'server-error') : 'server-error';
  return (
    <section className="inspector panel" aria-label="Response" data-testid="inspector">
      <header className="status-line">
        {r ? (
          <span className={`status ${statusClass}`} data-testid="status">
            {r.status} {r.statusText}
          </span>
        ) : (
          <span className="status server-error" data-testid="status" data-kind={exchange.error?.kind}>
            {networkErrorLabel(exchange.error)}
          </span>
        )}
        <span className="metric" data-testid="timing-total">
          {exchange.timing.totalMs.toFixed(1)} ms
        </span>
        {exchange.timing.ttfbMs !== null && <span className="metric">TTFB {exchange.timing.ttfbMs.toFixed(1)} ms</span>}
        <span className="metric">
          sent {formatBytes(exchange.request.wireBytes)}
          {exchange.request.gzip && ` (gzip of ${formatBytes(exchange.request.bodyBytes)})`}
        </span>
        {r && <span className="metric">received {formatBytes(r.bodyBytes)}</span>}
        {r && headerValue(r.headers, 'x-influxdb-version') && (
          <span className="metric">InfluxDB {headerValue(r.headers, 'x-influxdb-version')}</span>
        )}
      </header>
      {exchange.error && (
        <p className="error-box" role="alert" data-testid="network-error">
          {exchange.error.message}
          {exchange.error.code && <span className="muted"> ({exchange.error.code})</span>}
        </p>
      )}
      {exchange.redirects.length > 0 && (
        <ul className="redirects">
          {exchange.redirects.map((h, i) => (
            <li key={i}>
              {h.status} → <span className="mono">{h.location}</span>
              {h.crossOrigin && <strong> (another origin: credentials were not sent)</strong>}
            </li>
          ))}
        </ul>
      )}
      <div className="tabs" role="tablist">
        {(['body', 'headers', 'request', 'timing'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            className={tab === t ? 'tab active' : 'tab'}
            onClick={() => setTab(t)}
          >
            {t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'body' && <BodyView exchange={exchange} />}
        {tab === 'headers' && <HeaderTable headers={r?.headers ?? []} />}
        {tab === 'request' && (
          <div>
            <p className="mono wrap" data-testid="sent-url">
              {exchange.request.method} {exchange.request.url}
            </p>
            <HeaderTable headers={exchange.request.headers} />
            <p className="muted">
              Body: {exchange.request.bodyLines} line(s), {formatBytes(exchange.request.bodyBytes)}
              {exchange.request.gzip ? `, ${formatBytes(exchange.request.wireBytes)} gzipped` : ''}, sent byte for byte
              as written.
            </p>
          </div>
        )}
        {tab === 'timing' && (
          <table className="kv">
            <tbody>
              <tr>
                <th>Started</th>
                <td>{exchange.timing.startedAt}</td>
              </tr>
              <tr>
                <th>Time to first byte</th>
                <td>{exchange.timing.ttfbMs === null ? '—' : `${exchange.timing.ttfbMs.toFixed(2)} ms`}</td>
              </tr>
              <tr>
                <th>Total</th>
                <td>{exchange.timing.totalMs.toFixed(2)} ms</td>
              </tr>
            </tbody>
          </table>
        )}
      </div>
      {props.explanation}
    </section>
  );
}

function BodyView(props: { exchange: HttpExchange }) {
  const r = props.exchange.response;
  if (!r) return <p className="muted">No response body.</p>;
  if (r.body === '')
    return (
      <p className="muted" data-testid="empty-body">
        Empty body{r.status === 204 ? ` (204 No Content: ${noContentMeaning(props.exchange.request.url)})` : ''}.
      </p>
    );
  return (
    <pre className="body-view" data-testid="response-body">
      {prettyIfJson(r.body, r.contentType)}
    </pre>
  );
}

/** What a 204 means for the endpoint that answered: a ping says the server is up, not that a write landed. */
function noContentMeaning(url: string): string {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    // A URL that does not parse: say only what the status says.
  }
  if (/\/ping$/.test(path)) return 'the server is up';
  if (/\/write(?:_lp)?$/.test(path)) return 'the write was accepted';
  return 'the request succeeded';
}

/** Headers as a two-column table (the inspector, history entries). `empty` is shown when there are none. */
export function HeaderTable(props: {
  headers: ReadonlyArray<readonly [string, string]>;
  className?: string;
  empty?: ReactNode;
}) {
  if (props.headers.length === 0)
    return props.empty === undefined ? <p className="muted">No headers.</p> : <>{props.empty}</>;
  return (
    <table className={props.className ?? 'kv'}>
      <tbody>
        {props.headers.map(([k, v], i) => (
          <tr key={i}>
            <th>{k}</th>
            <td className="mono wrap">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
