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
    'connections:list': async () => {
      // The sandbox connection comes first (the rest by name, as the store lists them).
      const sandboxId = deps.sandbox?.connectionId() ?? null;
      const all = deps.store.list();
      const ordered = sandboxId
        ? [...all.filter((c) => c.id === sandboxId), ...all.filter((c) => c.id !== sandboxId)]
        : all;
      return { connections: ordered.map(summarize), notices: [...deps.notices] };
    },
    'connections:save': async ({ id, connection: input, token }) => {
      validateUrl(input.url);
      const previous = id === undefined ? undefined : deps.store.get(id);
      const saved = await deps.store.save(id, input);
      // A connection and its token are saved as one: when the token cannot be stored, the connection
      // goes back to what it was (a new one is removed), and the user sees the vault's error.
      try {
        if (token.action === 'set') await deps.vault.set(saved.id, token.value, token);
        if (token.action === 'clear') await deps.vault.delete(saved.id);
      } catch (err) {
        // If even that cannot be written, the vault's error is still the one to show.
        await deps.store.restore(saved.id, previous).catch(() => undefined);
        throw err;
      }
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
