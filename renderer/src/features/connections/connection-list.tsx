import type { ReactNode } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { FLAVOR_LABELS } from '../../../../shared/domain/flavor';
import { DetectedFlavor } from '../probe/detected-flavor';

/** The sidebar list of connections. */
export function ConnectionList(props: {
  connections: readonly ConnectionSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onEdit: (id: string) => void;
  onNew: () => void;
  /** Shown under the list (the sandbox's guided demo). */
  children?: ReactNode;
}) {
  return (
    <nav className="sidebar" aria-label="Connections">
      <div className="sidebar-head">
        <h2>Connections</h2>
        <button type="button" className="btn small" onClick={props.onNew} data-testid="new-connection">
          + New
        </button>
      </div>
      {props.connections.length === 0 && (
        <p className="muted sidebar-empty">No connections yet. Create one to start writing line protocol.</p>
      )}
      <ul className="connection-list">
        {props.connections.map((c) => (
          <li key={c.id} className={c.id === props.selectedId ? 'selected' : ''}>
            <button
              type="button"
              className="connection-item"
              onClick={() => props.onSelect(c.id)}
              data-testid="connection-item"
            >
              <span className="connection-name">{c.name}</span>
              <span className="connection-meta">{FLAVOR_LABELS[c.flavor]}</span>
              <span className="connection-meta mono">{c.url}</span>
              <span className="connection-badges">
                {c.token.hasToken ? (
                  <span className="badge" title={`Token stored (${c.token.storage ?? ''})`}>
                    token {c.token.hint} · {c.token.storage}
                  </span>
                ) : (
                  <span className="badge dim">no token</span>
                )}
                {c.skipTlsVerify && <span className="badge warn">TLS unverified</span>}
                <DetectedFlavor connection={c} compact />
              </span>
            </button>
            <button type="button" className="icon-btn" aria-label={`Edit ${c.name}`} onClick={() => props.onEdit(c.id)}>
              ✎
            </button>
          </li>
        ))}
      </ul>
      {props.children}
    </nav>
  );
}
