import { AppError } from '../../../shared/ipc/result';
import type { AppDeps } from './context';
import type { DomainHandlers } from './index';

/** The app's own sandbox server: status, its settings, and managing its databases and tokens. */
export function sandboxHandlers(
  deps: AppDeps,
): DomainHandlers<'sandbox:status' | 'sandbox:settings' | 'sandbox:manage'> {
  const sandbox = () => {
    if (!deps.sandbox) throw new AppError('NOT_FOUND', 'This app was started without its sandbox (--no-sandbox).');
    return deps.sandbox;
  };
  return {
    'sandbox:status': async () => sandbox().status(),
    'sandbox:settings': async (patch) => {
      const status = await sandbox().settings(patch);
      deps.emit('connections:changed', { ids: status.connectionId ? [status.connectionId] : [] });
      return status;
    },
    'sandbox:manage': async (req) => sandbox().manage(req),
  };
}
