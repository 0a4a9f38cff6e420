import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { connectionInputOf, type ConnectionSummary } from '../../../../shared/domain/connection';
import { flavorAgrees, type FlavorDetection } from '../../../../shared/domain/detect';
import { FLAVOR_LABELS } from '../../../../shared/domain/flavor';
import { sandboxDetection } from '../../../../shared/domain/sandbox';
import { invoke } from '../../lib/ipc';
import { fetchLatestDetection, historyKeys } from '../history/queries';
import { sandboxStatusQuery } from '../sandbox/sandbox-panel';

/** The latest detection of a connection's flavor (from its newest ping or probe in history). */
export function useDetectedFlavor(connectionId: string) {
  return useQuery({ queryKey: historyKeys.detected(connectionId), queryFn: () => fetchLatestDetection(connectionId) });
}

/** Tooltip text: what was detected and why. */
export function detectionTitle(d: FlavorDetection): string {
  return [`Detected from /ping (${d.confidence} confidence):`, ...d.evidence].join('\n');
}

/**
 * The detected flavor of a connection, with "Use detected flavor" when it differs from the configured
 * one. `compact` (the sidebar) shows only the badge.
 */
export function DetectedFlavor(props: {
  connection: ConnectionSummary;
  compact?: boolean;
  detection?: FlavorDetection | null;
}) {
  const c = props.connection;
  const latest = useDetectedFlavor(c.id);
  const sandbox = useQuery(sandboxStatusQuery);
  const qc = useQueryClient();
  const detected = props.detection ?? latest.data ?? null;
  // The app's own sandbox needs no ping to be known: until one is made, its profile says what it is.
  const fromSandbox =
    detected === null && sandbox.data && sandbox.data.connectionId === c.id
      ? sandboxDetection(sandbox.data.profile)
      : null;
  const d = detected ?? fromSandbox;
  const use = useMutation({
    mutationFn: (flavor: NonNullable<FlavorDetection['flavor']>) =>
      invoke('connections:save', {
        id: c.id,
        connection: { ...connectionInputOf(c), flavor },
        token: { action: 'keep' },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['connections'] }),
  });
  if (d === null || d.flavor === null) {
    if (props.compact) return null;
    return (
      <span
        className="badge dim"
        data-testid="detected-flavor"
        title={d ? detectionTitle(d) : 'Ping or probe the server to detect its flavor.'}
      >
        flavor not detected
      </span>
    );
  }
  const agrees = flavorAgrees(c.flavor, d);
  const label = fromSandbox
    ? `sandbox: ${FLAVOR_LABELS[d.flavor]}`
    : `detected ${d.flavor}${d.version ? ` ${d.version}` : ''}`;
  return (
    <span className="detected-flavor" data-testid="detected-flavor">
      <span className={agrees ? 'badge' : 'badge warn'} title={detectionTitle(d)}>
        {label}
        {!agrees && ` ≠ configured ${c.flavor}`}
      </span>
      {!agrees && !props.compact && (
        <button
          type="button"
          className="btn small"
          onClick={() => use.mutate(d.flavor!)}
          disabled={use.isPending}
          data-testid="use-detected-flavor"
          title={`Set this connection's flavor to ${FLAVOR_LABELS[d.flavor]} (you can change it back in the settings)`}
        >
          Use detected flavor
        </button>
      )}
      {use.error && <span className="warn-text small">{use.error.message}</span>}
    </span>
  );
}
