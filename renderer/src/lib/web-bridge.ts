import type { PreloadApi } from '../../../shared/ipc/bridge';
import { type IpcChannel, type IpcEvent, isIpcEvent } from '../../../shared/ipc/channels';
import type { IpcEventPayload, IpcRequest, IpcResponse } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';

/** Browsers cap the bodies of all keepalive requests in flight at 64 KiB together; stay below. */
const KEEPALIVE_MAX_BYTES = 48 * 1024;

/**
 * Browser mode's stand-in for the preload: the same `invoke`/`on` surface over the loopback bridge
 * (`POST /api/invoke/<channel>`, server-sent events on `/api/events`). The session cookie set by the
 * one-time key authenticates every call.
 */
export function createWebBridge(): PreloadApi {
  let source: EventSource | null = null;
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  const connect = (): EventSource => {
    if (source) return source;
    source = new EventSource('/api/events');
    return source;
  };
  return {
    async invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
      let res: Response;
      const body = JSON.stringify(request);
      try {
        res = await fetch(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
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
        return {
          ok: false,
          error: { code: res.status === 403 ? 'FORBIDDEN' : 'INTERNAL', message: text || res.statusText },
        };
      }
      return (await res.json()) as IpcResult<IpcResponse<C>>;
    },
    on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
      if (!isIpcEvent(event)) throw new Error(`Unknown event ${String(event)}`);
      const es = connect();
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        es.addEventListener(event, (e) => {
          const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
          for (const l of fresh) l(payload);
        });
        set = fresh;
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}
