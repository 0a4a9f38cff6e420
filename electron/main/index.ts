import path from 'node:path';

import { app, BrowserWindow, clipboard, dialog, protocol, safeStorage, session, shell } from 'electron';

import { createAppContext } from '../app/create-app';
import { createLogger, LOG_FILE_NAME, rotatingFileSink, teeSink } from '../app/logger';
import { APP_VERSION } from '../app/version';
import { clipboardText, writeParts } from '../services/result-export';
import { forwardEvents, registerIpcOnMain } from './ipc/handle';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { createSafeStorageBackend } from './safe-storage';
import { installSecurityGuards, openFolderSafely } from './security';
import { createMainWindow } from './window';

/**
 * Boot sequence: single-instance lock → privileged scheme → (ready) security guards → protocol →
 * services → IPC → window. IPC is wired before the window exists, so the first call never races.
 */
export async function boot(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme(protocol);
  const trustedIds = new Set<number>();
  // Also to a rotating file in the app's logs folder: "Details are in the log" must point somewhere.
  const logsDir = app.getPath('logs');
  const log = createLogger(
    teeSink((l) => process.stderr.write(`${l}\n`), rotatingFileSink(path.join(logsDir, LOG_FILE_NAME))),
  );
  await app.whenReady();
  installSecurityGuards(app, session.defaultSession, shell);
  serveAppProtocol(protocol, path.join(__dirname, '..', 'renderer'));
  const cipher = await createSafeStorageBackend(safeStorage, process.platform);
  const ctx = await createAppContext({
    mode: 'desktop',
    version: APP_VERSION,
    dataDir: app.getPath('userData'),
    cipher,
    noCipherReason: 'No OS key store is available: tokens are kept for this session only.',
    log,
    // "Copy as… with the real token": main writes the clipboard, so the token never crosses IPC.
    secretSink: async (text) => {
      clipboard.writeText(text);
      return { to: 'clipboard' };
    },
    // Whole-result exports: main writes the file the user picks, or the clipboard (the page holds pages only).
    resultSink: {
      async file(parts, name) {
        const [win] = BrowserWindow.getAllWindows();
        const options = { defaultPath: path.join(app.getPath('downloads'), name) };
        const picked = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        if (picked.canceled || !picked.filePath) return { to: 'cancelled' };
        const bytes = await writeParts(picked.filePath, parts, 'w');
        return { to: 'file', path: picked.filePath, bytes };
      },
      async clipboard(parts) {
        const text = clipboardText(parts);
        clipboard.writeText(text);
        return { to: 'clipboard', chars: text.length };
      },
    },
    sandbox: true,
    logsDir,
    openFolder: (dir) => openFolderSafely(shell, dir),
  });
  registerIpcOnMain(ctx, trustedIds);
  forwardEvents(ctx, () => BrowserWindow.getAllWindows());
  const open = (): void => {
    createMainWindow(BrowserWindow, trustedIds, __dirname);
  };
  open();
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    ctx.close();
    // Quit only once pending request history is saved (it is written on a short debounce).
    void ctx.flush().finally(() => {
      if (process.platform !== 'darwin') app.quit();
    });
  });
}
