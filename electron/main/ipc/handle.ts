import { type IpcMain, ipcMain as electronIpcMain, type IpcMainInvokeEvent } from 'electron';

import { IPC_CHANNELS } from '../../../shared/ipc/channels';
import type { IpcResult } from '../../../shared/ipc/result';
import type { AppContext } from '../../app/create-app';
import { dispatch } from '../../app/dispatch';
import { isAppOrigin } from '../app-origin';

/**
 * The one place that touches ipcMain. Every channel goes through `handle()`: sender check, then the
 * transport-agnostic `dispatch()` (schema validation, handler, Result envelope).
 */

/** Accepts only the main frame of a window we created, loaded from our own origin. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  trustedIds: ReadonlySet<number>,
): boolean {
  const frame = event.senderFrame;
  // Sub-frames and destroyed frames are refused: only our top-level page may call main.
  if (!frame || frame.parent !== null) return false;
  if (!trustedIds.has(event.sender.id)) return false;
  return isAppOrigin(frame.url);
}

/** Registers every channel. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, ctx: AppContext, trustedIds: ReadonlySet<number>): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, raw: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, trustedIds)) {
        ctx.log.error('ipc', `refused ${channel} from an untrusted sender`);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted IPC sender' } };
      }
      return dispatch(ctx.handlers, channel, raw, ctx.log);
    });
  }
}

/** Registers every channel on Electron's ipcMain (the boot sequence's entry point). */
export function registerIpcOnMain(ctx: AppContext, trustedIds: ReadonlySet<number>): void {
  registerIpc(electronIpcMain, ctx, trustedIds);
}

/** Forwards main → renderer events to our windows. */
export function forwardEvents(
  ctx: AppContext,
  windows: () => ReadonlyArray<{
    webContents: { send(channel: string, payload: unknown): void; isDestroyed(): boolean };
  }>,
): () => void {
  return ctx.onEvent((event, payload) => {
    for (const w of windows()) if (!w.webContents.isDestroyed()) w.webContents.send(event, payload);
  });
}
