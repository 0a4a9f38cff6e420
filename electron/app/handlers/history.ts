import { HISTORY_RETENTION_RULE } from '../../../shared/domain/history';
import { AppError } from '../../../shared/ipc/result';
import type { AppDeps } from './context';
import type { DomainHandlers } from './index';

/** Request history. */
export function historyHandlers(
  deps: AppDeps,
): DomainHandlers<'history:list' | 'history:get' | 'history:delete' | 'history:clear'> {
  const { history } = deps;
  return {
    'history:list': async ({ limit, offset, ...filter }) => ({
      ...history.list({ ...filter, limit, offset }),
      retention: HISTORY_RETENTION_RULE,
      saveError: history.saveError(),
    }),
    'history:get': async ({ id }) => {
      const entry = history.get(id);
      if (!entry) throw new AppError('NOT_FOUND', 'That history entry no longer exists.');
      return entry;
    },
    'history:delete': async ({ id }) => ({ deleted: history.delete(id) }),
    'history:clear': async ({ connectionId }) => {
      const cleared = history.clear(connectionId);
      // Saved now, backup included: a clear that only lived in memory would come back after a crash.
      await history.flush();
      return { cleared };
    },
  };
}
