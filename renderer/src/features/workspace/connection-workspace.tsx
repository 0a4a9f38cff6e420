import { useState } from 'react';
import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { QueryWorkspace } from '../query/query-workspace';
import { WriteWorkspace } from '../write/write-workspace';

type Tab = 'write' | 'query';

/** One connection's workspace: Write and Query tabs. Both stay mounted so editors keep their state. */
export function ConnectionWorkspace(props: { connection: ConnectionSummary }) {
  const [tab, setTab] = useState<Tab>('write');
  return (
    <div className="connection-workspace">
      <div className="tabs top-tabs" role="tablist" aria-label="Workspace">
        <button type="button" role="tab" aria-selected={tab === 'write'} className={tab === 'write' ? 'tab active' : 'tab'} onClick={() => setTab('write')} data-testid="tab-write">
          Write
        </button>
        <button type="button" role="tab" aria-selected={tab === 'query'} className={tab === 'query' ? 'tab active' : 'tab'} onClick={() => setTab('query')} data-testid="tab-query">
          Query (InfluxQL)
        </button>
      </div>
      <div hidden={tab !== 'write'} className="tab-panel">
        <WriteWorkspace connection={props.connection} />
      </div>
      <div hidden={tab !== 'query'} className="tab-panel">
        <QueryWorkspace connection={props.connection} />
      </div>
    </div>
  );
}
