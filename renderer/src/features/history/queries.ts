import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import type { IpcRequest } from '../../../../shared/ipc/contract';
import { invoke, onEvent } from '../../lib/ipc';

/** Query keys of the history feature; everything under `['history']` refreshes when history changes. */
export const historyKeys = {
  all: ['history'] as const,
  list: (filter: IpcRequest<'history:list'>) => ['history', 'list', filter] as const,
  entry: (id: string) => ['history', 'entry', id] as const,
  detected: (connectionId: string) => ['history', 'detected', connectionId] as const,
};

/** Lists history entries. */
export function fetchHistory(filter: IpcRequest<'history:list'>) {
  return invoke('history:list', filter);
}

/** The latest flavor detection of a connection (from its newest ping or probe), or null. */
export async function fetchLatestDetection(connectionId: string) {
  const page = await invoke('history:list', { connectionId, kinds: ['ping', 'probe'], limit: 1, offset: 0 });
  return page.entries[0]?.detected ?? null;
}

/** Refreshes every history query when main says history changed. Mount once, in the shell. */
export function useHistoryEvents(): void {
  const qc = useQueryClient();
  useEffect(() => onEvent('history:changed', () => void qc.invalidateQueries({ queryKey: historyKeys.all })), [qc]);
}
