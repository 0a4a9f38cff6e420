import type { IpcChannel } from '../../../shared/ipc/channels';
import type { IpcParsedRequest, IpcResponse } from '../../../shared/ipc/contract';
import { connectionHandlers } from './connections';
import { type AppDeps, createHandlerContext } from './context';
import { draftHandlers } from './drafts';
import { fileLoadHandlers } from './file-load';
import { historyHandlers } from './history';
import { logHandlers } from './logs';
import { requestHandlers } from './requests';
import { resultHandlers } from './results';
import { sandboxHandlers } from './sandbox';

/**
 * The handlers behind every channel, one module per domain (connections, requests, history, drafts).
 * Transport-agnostic: Electron IPC, the browser-mode bridge and the tests all call these through
 * `dispatch()`, so no transport re-implements a service. The CLI calls the services directly (see
 * electron/cli/index.ts).
 */

export type { AppDeps, ResolvedAuth } from './context';

/** A handler per channel. */
export type Handlers = { [C in IpcChannel]: (req: IpcParsedRequest<C>) => Promise<IpcResponse<C>> };

/** A domain's share of the handler map. */
export type DomainHandlers<C extends IpcChannel> = Pick<Handlers, C>;

/** Builds the handler map. */
export function createHandlers(deps: AppDeps): Handlers {
  const ctx = createHandlerContext(deps);
  return {
    'app:info': async () => ({ mode: deps.mode, version: deps.version, vault: deps.vault.status() }),
    ...connectionHandlers(deps),
    ...requestHandlers(deps, ctx),
    ...resultHandlers(deps),
    ...historyHandlers(deps),
    ...draftHandlers(deps, ctx),
    ...sandboxHandlers(deps),
    ...fileLoadHandlers(deps, ctx),
    ...logHandlers(deps),
  };
}
