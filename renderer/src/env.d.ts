import type { PreloadApi } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    /** Exposed by the preload (desktop) or installed by the browser-mode bridge. */
    api?: PreloadApi;
  }
}
