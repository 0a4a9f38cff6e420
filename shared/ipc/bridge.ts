import type { IpcChannel, IpcEvent } from './channels';
import type { IpcEventPayload, IpcRequest, IpcResponse } from './contract';
import type { IpcResult } from './result';

/**
 * The surface the renderer sees as `window.api`: in the desktop app the preload exposes it over
 * Electron IPC; in browser mode the renderer builds it over the loopback bridge.
 */
export interface PreloadApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}
