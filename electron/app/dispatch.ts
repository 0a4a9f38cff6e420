import { type IpcChannel, isIpcChannel } from '../../shared/ipc/channels';
import { type IpcResponse, requestSchemas } from '../../shared/ipc/contract';
import { AppError, type IpcResult, LOG_HINT } from '../../shared/ipc/result';
import type { Handlers } from './handlers';
import type { Logger } from './logger';

/**
 * Validates a request against the contract and runs its handler, returning a Result envelope.
 * Every transport calls this; the Electron transport checks the sender first.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  raw: unknown,
  log: Logger,
): Promise<IpcResult<IpcResponse<IpcChannel>>> {
  if (!isIpcChannel(channel)) return { ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel' } };
  const schema = requestSchemas[channel];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: { code: 'BAD_REQUEST', message: `Invalid request for ${channel}${where}: ${issue?.message ?? 'invalid'}` },
    };
  }
  try {
    // One narrowing cast: TypeScript cannot correlate the channel with its handler for a generic C.
    const handler = handlers[channel] as (req: unknown) => Promise<IpcResponse<IpcChannel>>;
    return { ok: true, data: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
    log.error('ipc', `${channel} failed`, err);
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `Something went wrong in ${channel}. ${LOG_HINT}` },
    };
  }
}
