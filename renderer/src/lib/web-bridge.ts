import type { PreloadApi } from '../../../shared/ipc/bridge';
import { type IpcChannel, type IpcEvent, isIpcEvent } from '../../../shared/ipc/channels';
import type { IpcEventPayload, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';

/** Browsers cap the bodies of all keepalive requests in flight at 64 KiB together; stay below. */
const KEEPALIVE_MAX_BYTES = 48 * 1024;

/** Must match PAGE_SECRET_HEADER and PAGE_SECRET_FRAGMENT in electron/web/server.ts. */
const PAGE_SECRET_HEADER = 'X-IWB-Page';
const PAGE_SECRET_FRAGMENT = 'iwb';
const STORAGE_KEY = 'iwb-page-secret';

/**
 * The page secret: handed over once in the launch redirect's fragment, then kept in this tab's
 * sessionStorage (per origin, port included: no other local server's page can read it) so a reload
 * keeps working. The fragment is removed from the address bar at once.
 */
function takePageSecret(): string {
  const fragment = new URLSearchParams(window.location.hash.slice(1)).get(PAGE_SECRET_FRAGMENT);
  if (fragment) {
    sessionStorage.setItem(STORAGE_KEY, fragment);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fragment;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

/**
 * Browser mode's stand-in for the preload: the same `invoke`/`on` surface over the loopback bridge
 * (`POST /api/invoke/<channel>`, server-sent events on `/api/events`). Every call carries the session
 * cookie (set by the one-time launch key) and the page secret in a header: the cookie alone, which
 * browsers also send to other servers on 127.0.0.1, is refused.
 */
export function createWebBridge(): PreloadApi {
  const secret = takePageSecret();
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  let connected = false;
  const dispatchEvent = (block: string): void => {
    let event = '';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    const set = listeners.get(event as IpcEvent);
    if (!set || data === '') return;
    const payload = JSON.parse(data) as unknown;
    for (const l of set) l(payload);
  };
  // EventSource cannot send headers, so the event stream is read with fetch.
  const connect = (): void => {
    if (connected) return;
    connected = true;
    void (async () => {
      const res = await fetch('/api/events', { headers: { [PAGE_SECRET_HEADER]: secret }, credentials: 'same-origin' });
      if (!res.ok || !res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          dispatchEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        connected = false;
      });
  };
  return {
    async invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
      let res: Response;
      const body = JSON.stringify(request);
      try {
        res = await fetch(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [PAGE_SECRET_HEADER]: secret },
          body,
          credentials: 'same-origin',
          // A draft saved as the tab closes must still arrive; browsers allow this for small bodies only.
          keepalive:
            channel === 'drafts:save' &&
            body.length < KEEPALIVE_MAX_BYTES &&
            new TextEncoder().encode(body).length < KEEPALIVE_MAX_BYTES,
        });
      } catch {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: 'The workbench server is not reachable. Is `npm run web` still running?',
          },
        };
      }
      if (!res.ok) {
        const text = await res.text();
        // The bridge refuses oversized requests with its own envelope (413).
        if (res.headers.get('Content-Type')?.startsWith('application/json')) {
          try {
            return JSON.parse(text) as IpcResult<IpcResponse<C>>;
          } catch {
            // Not an envelope after all: reported below as it is.
          }
        }
        return {
          ok: false,
          error: { code: res.status === 403 ? 'FORBIDDEN' : 'INTERNAL', message: text || res.statusText },
        };
      }
      return (await res.json()) as IpcResult<IpcResponse<C>>;
    },
    on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
      if (!isIpcEvent(event)) throw new Error(`Unknown event ${String(event)}`);
      connect();
      let set = listeners.get(event);
      if (!set) {
        set = new Set<(payload: unknown) => void>();
        listeners.set(event, set);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}
