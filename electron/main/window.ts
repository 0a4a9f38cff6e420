import path from 'node:path';

import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';

import { APP_ENTRY_URL } from './app-origin';

/** Security-relevant webPreferences, pinned explicitly even where they equal the defaults. */
export function secureWebPreferences(
  preloadPath: string,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** Creates the main window, records its id as a trusted IPC sender, and loads the app. */
export function createMainWindow(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType,
  trustedIds: Set<number>,
  mainDir: string,
): BrowserWindowType {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Influx Workbench',
    backgroundColor: '#1b1d23',
    webPreferences: secureWebPreferences(path.join(mainDir, '..', 'preload', 'index.cjs')),
  });
  const id = win.webContents.id;
  trustedIds.add(id);
  win.on('closed', () => trustedIds.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
