import type { ConnectionSummary, Connection } from '../../shared/domain/connection';
import type { IpcChannel } from '../../shared/ipc/channels';
import type { AppInfo, IpcEventPayload, IpcParsedRequest, IpcResponse, StoreNotice } from '../../shared/ipc/contract';
import type { IpcEvent } from '../../shared/ipc/channels';
import { AppError } from '../../shared/ipc/result';
import type { ConnectionsStore } from '../services/connections-store';
import type { RequestRegistry } from '../services/request-registry';
import type { TokenVault } from '../services/token-vault';
import { executePing, executeWrite, type SendHttp, type Target } from '../services/write-service';
import { executeQuery } from '../services/query-service';
import { statementsNeedPost } from '../../shared/query/query-method';

/**
 * The handlers behind every channel. Transport-agnostic: Electron IPC, the browser-mode bridge and the
 * tests all call these through `dispatch()`, so no transport re-implements a service.
 */

/** Dependencies of the handlers. */
export interface AppDeps {
  readonly mode: AppInfo['mode'];
  readonly version: string;
  readonly store: ConnectionsStore;
  readonly vault: TokenVault;
  readonly registry: RequestRegistry;
  readonly send: SendHttp;
  readonly emit: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;
  /** Problems found while loading stored data; shown by `connections:list` until acknowledged. */
  readonly notices: StoreNotice[];
}

/** A handler per channel. */
export type Handlers = { [C in IpcChannel]: (req: IpcParsedRequest<C>) => Promise<IpcResponse<C>> };

/** Builds the handler map. */
export function createHandlers(deps: AppDeps): Handlers {
  const summarize = (c: Connection): ConnectionSummary => ({ ...c, token: deps.vault.state(c.id) });
  const connection = (id: string): Connection => {
    const c = deps.store.get(id);
    if (!c) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
    return c;
  };
  const targetOf = (c: Connection): Target => ({
    baseUrl: c.url,
    tls: { caPem: c.caPem, skipVerify: c.skipTlsVerify },
    timeoutMs: c.timeoutMs,
  });

  return {
    'app:info': async () => ({ mode: deps.mode, version: deps.version, vault: deps.vault.status() }),
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
      if (deleted) deps.emit('connections:changed', { ids: [id] });
      return { deleted };
    },
    'write:send': async ({ requestId, connectionId, params, auth, body }) => {
      const c = connection(connectionId);
      const token = auth.scheme === 'none' ? null : await deps.vault.get(c.id);
      if (auth.scheme !== 'none' && token === null) {
        throw new AppError('BAD_REQUEST', `"${c.name}" has no token stored. Add one in the connection settings, or pick auth "None".`);
      }
      return deps.registry.run(requestId, (signal) =>
        executeWrite(deps.send, { target: targetOf(c), params, auth, token, body, signal }),
      );
    },
    'server:ping': async ({ requestId, connectionId, auth }) => {
      const c = connection(connectionId);
      const choice = auth ?? { scheme: c.authScheme, username: c.username };
      const token = choice.scheme === 'none' ? null : await deps.vault.get(c.id);
      const effective = token === null ? { scheme: 'none' as const, username: '' } : choice;
      return deps.registry.run(requestId, (signal) =>
        executePing(deps.send, { target: targetOf(c), auth: effective, token, signal }),
      );
    },
    'query:run': async ({ requestId, connectionId, auth, method, ...params }) => {
      const c = connection(connectionId);
      const choice = auth ?? { scheme: c.authScheme, username: c.username };
      const token = choice.scheme === 'none' ? null : await deps.vault.get(c.id);
      if (choice.scheme !== 'none' && token === null) {
        throw new AppError('BAD_REQUEST', `"${c.name}" has no token stored. Add one in the connection settings, or pick auth "None".`);
      }
      const resolved = method === 'auto' ? (statementsNeedPost(params.q) ? 'POST' : 'GET') : method;
      let lastEmit = 0;
      return deps.registry.run(requestId, (signal) =>
        executeQuery(deps.send, {
          target: targetOf(c),
          params: { ...params, method: resolved },
          auth: choice,
          token,
          signal,
          onProgress: (p) => {
            // Throttled: a progress event per document would flood the renderer on big results.
            const now = Date.now();
            if (now - lastEmit < 100) return;
            lastEmit = now;
            deps.emit('query:progress', { requestId, ...p });
          },
        }),
      );
    },
    'request:cancel': async ({ requestId }) => ({ cancelled: deps.registry.cancel(requestId) }),
  };
}

function validateUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('BAD_REQUEST', `"${url}" is not a URL. Use e.g. http://localhost:8086`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('BAD_REQUEST', `Only http:// and https:// URLs are supported, not ${parsed.protocol}//`);
  }
  if (parsed.username || parsed.password) {
    throw new AppError('BAD_REQUEST', 'Put credentials in the auth settings, not in the URL.');
  }
}
