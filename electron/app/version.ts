/** The app version, injected at build time from package.json (esbuild `define`); `dev` when run from source. */
declare const __APP_VERSION__: string | undefined;

/** The app version. */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
