import type { IpcChannel, IpcEvent } from '../../../shared/ipc/channels';
import type { IpcEventPayload, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';
import type { IpcErrorCode } from '../../../shared/ipc/result';
import { createWebBridge } from './web-bridge';

/** A failed IPC call, with the stable code main sent. */
export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

// The desktop preload defines window.api; in browser mode there is none, so the bridge stands in.
const api = window.api ?? createWebBridge();

/** True when running in browser mode rather than inside the desktop app. */
export const isBrowserMode = window.api === undefined;

/** Calls a channel and unwraps the Result envelope. */
export async function invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
  const res = await api.invoke(channel, request);
  if (!res.ok) throw new IpcError(res.error.code, res.error.message);
  return res.data;
}

/** Subscribes to a main → renderer event. */
export function onEvent<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
  return api.on(event, listener);
}

/** A new request id for a user action (Send, Ping), used to cancel it. */
export function newRequestId(): string {
  return crypto.randomUUID();
}
