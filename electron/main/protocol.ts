import type { Protocol } from 'electron';

import { RENDERER_SECURITY_HEADERS } from '../app/csp';
import { readStaticFile } from '../app/static-files';
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * The app:// protocol. Registered as privileged before `ready` (standard + secure, so the page gets a
 * real origin for sender validation and workers), then served from the renderer build with a
 * path-traversal check and the strict CSP on every response.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rendererDir` on app://workbench/. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url));
}

/** The response for one app:// URL (exported for tests). */
export async function appProtocolResponse(rendererDir: string, url: string): Promise<Response> {
  const parsed = new URL(url);
  if (parsed.host !== APP_HOST) return new Response('Not found', { status: 404 });
  const file = await readStaticFile(rendererDir, parsed.pathname);
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { ...RENDERER_SECURITY_HEADERS, 'Content-Type': file.contentType },
  });
}
