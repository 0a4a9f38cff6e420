import fs from 'node:fs/promises';
import path from 'node:path';

import type { App, Session, Shell, WebContents } from 'electron';

import { isAppOrigin } from './app-origin';

/**
 * Guards installed once for every web contents (Electron security checklist 12–15, 17): no new
 * windows, no navigation away from our origin, no webviews, no permissions.
 */

/** Hosts the app may open in the user's browser (documentation links). */
const EXTERNAL_HOSTS = new Set(['docs.influxdata.com', 'github.com', 'www.electronjs.org']);

/** Opens a URL in the user's browser only if it is https on an allowed host. The one use of shell.openExternal. */
export function openExternalSafely(shell: Pick<Shell, 'openExternal'>, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || !EXTERNAL_HOSTS.has(parsed.hostname)) return false;
  void shell.openExternal(parsed.toString());
  return true;
}

/**
 * Shows a folder in the file manager: only an absolute path to an existing folder (never a file, which
 * openPath would open, or run). The one use of shell.openPath. Resolves to '' or why it did not open.
 */
export async function openFolderSafely(shell: Pick<Shell, 'openPath'>, dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) return `Not an absolute path: ${dir}`;
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) return `Not a folder: ${dir}`;
  return shell.openPath(dir);
}

/** True when a navigation stays on the app's own origin. */
export function isAppUrl(url: string): boolean {
  return isAppOrigin(url);
}

/** Installs the guards on the app and the session. */
export function installSecurityGuards(
  app: Pick<App, 'on'>,
  session: Session,
  shell: Pick<Shell, 'openExternal'>,
): void {
  // Deny every permission request and check (camera, notifications, geolocation…): a request
  // workbench needs none of them. Clipboard copy/paste in Monaco works without a permission.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(shell, url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    // Sub-frames (an iframe a renderer bug or injected markup could create) navigate through this
    // event only: 'will-navigate' covers the main frame.
    contents.on('will-frame-navigate', (details) => {
      if (!isAppUrl(details.url)) details.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
