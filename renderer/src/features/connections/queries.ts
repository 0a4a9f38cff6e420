import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import type { IpcRequest } from '../../../../shared/ipc/contract';
import { invoke } from '../../lib/ipc';

/** Query keys and options for connections and app info. */
export const appInfoQuery = queryOptions({ queryKey: ['app-info'] as const, queryFn: () => invoke('app:info', {}) });

/** All connections (summaries: never a token). */
export const connectionsQuery = queryOptions({
  queryKey: ['connections'] as const,
  queryFn: () => invoke('connections:list', {}),
});

/** Saves a connection (and its token action), then refreshes the list. */
export function useSaveConnection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: IpcRequest<'connections:save'>) => invoke('connections:save', req),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['connections'] }),
  });
}

/** Deletes a connection and its token. */
export function useDeleteConnection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => invoke('connections:delete', { id }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['connections'] }),
  });
}
