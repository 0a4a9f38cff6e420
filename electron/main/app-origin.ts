/** The custom scheme the renderer is served from, and the origin IPC senders must have. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is on the app's own origin. Compares scheme and host rather than `URL.origin`:
 * Node's URL gives custom (non-special) schemes an opaque origin, `"null"`, so `origin === APP_ORIGIN`
 * never matches and every IPC call would be refused.
 */
export function isAppOrigin(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
