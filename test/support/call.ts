import { dispatch } from '../../electron/app/dispatch';
import type { Handlers } from '../../electron/app/handlers';
import type { Logger } from '../../electron/app/logger';
import type { IpcChannel } from '../../shared/ipc/channels';
import type { IpcRequest, IpcResponse } from '../../shared/ipc/contract';

/**
 * Calls a channel through dispatch() (schema check included) and returns its typed response, or
 * throws with the error code and message. A test that expects success must fail loudly when the call
 * fails, never carry on with a placeholder (an empty id would be rejected as BAD_REQUEST: exactly what
 * some later assertion may expect).
 */
export async function call<C extends IpcChannel>(
  ctx: { readonly handlers: Handlers; readonly log: Logger },
  channel: C,
  req: IpcRequest<C>,
): Promise<IpcResponse<C>> {
  const res = await dispatch(ctx.handlers, channel, req, ctx.log);
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.data as IpcResponse<C>;
}
