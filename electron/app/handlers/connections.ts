import type { Connection, ConnectionSummary } from '../../../shared/domain/connection';
import { parseBaseUrl } from '../../../shared/domain/write-request';
import { AppError } from '../../../shared/ipc/result';
import type { AppDeps } from './context';
import type { DomainHandlers } from './index';

/** Connections and their tokens. */
export function connectionHandlers(
  deps: AppDeps,
): DomainHandlers<'connections:list' | 'connections:save' | 'connections:delete'> {
  const summarize = (c: Connection): ConnectionSummary => ({ ...c, token: deps.vault.state(c.id) });
  return {
    'connections:list': async () => ({ connections: deps.store.list().map(summarize), notices: [...deps.notices] }),
    'connections:save': async ({ id, connection: input, token }) => {
      validateUrl(input.url);
      const saved = await deps.store.save(id, input);
      if (token.action === 'set') await deps.vault.set(saved.id, token.value, token);
      if (token.action === 'clear') await deps.vault.delete(saved.id);
      deps.emit('connections:changed', { ids: [saved.id] });
      return summarize(saved);
    },
    'connections:delete': async ({ id }) => {
      const deleted = await deps.store.delete(id);
      await deps.vault.delete(id);
      await deps.drafts.removeAll(id);
      if (deleted) deps.emit('connections:changed', { ids: [id] });
      return { deleted };
    },
  };
}

/** The connection URL must be one the request builder accepts: the same check, the user's words. */
function validateUrl(url: string): void {
  try {
    parseBaseUrl(url);
  } catch (err) {
    throw new AppError('BAD_REQUEST', (err as Error).message);
  }
}
