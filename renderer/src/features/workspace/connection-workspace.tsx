import { useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import { usePendingReopen } from '../../app/reopen';
import { ConnectionTestResult } from '../connections/connection-test';
import { DetectedFlavor } from '../probe/detected-flavor';
import { ProbePanel } from '../probe/probe-panel';
import { QueryWorkspace } from '../query/query-workspace';
import { SandboxPanel } from '../sandbox/sandbox-panel';
import { WriteWorkspace } from '../write/write-workspace';

type Tab = 'write' | 'query' | 'probe';

/** One connection's workspace: Write, Query and Probe tabs. All stay mounted so editors keep their state. */
export function ConnectionWorkspace(props: { connection: ConnectionSummary }) {
  const [tab, setTab] = useState<Tab>('write');
  // Reopen from history switches to the tab that receives the draft (adjusted during render, once per reopen).
  const pending = usePendingReopen(props.connection.id);
  const [seenReopen, setSeenReopen] = useState<number | null>(null);
  if (pending && pending.nonce !== seenReopen) {
    setSeenReopen(pending.nonce);
    setTab(pending.kind);
  }
  return (
    <div className="connection-workspace">
      <SandboxPanel connection={props.connection} />
      <ConnectionTestResult connection={props.connection} />
      <div className="tabs top-tabs" role="tablist" aria-label="Workspace">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'write'}
          className={tab === 'write' ? 'tab active' : 'tab'}
          onClick={() => setTab('write')}
          data-testid="tab-write"
        >
          Write
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'query'}
          className={tab === 'query' ? 'tab active' : 'tab'}
          onClick={() => setTab('query')}
          data-testid="tab-query"
        >
          Query (InfluxQL)
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'probe'}
          className={tab === 'probe' ? 'tab active' : 'tab'}
          onClick={() => setTab('probe')}
          data-testid="tab-probe"
        >
          Probe
        </button>
        <span className="push-right workspace-detected">
          <DetectedFlavor connection={props.connection} />
        </span>
      </div>
      <div hidden={tab !== 'write'} className="tab-panel">
        <WriteWorkspace connection={props.connection} />
      </div>
      <div hidden={tab !== 'query'} className="tab-panel">
        <QueryWorkspace connection={props.connection} />
      </div>
      <div hidden={tab !== 'probe'} className="tab-panel">
        <ProbePanel connection={props.connection} />
      </div>
    </div>
  );
}
