import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { PreloadApi } from '../../shared/ipc/bridge';
import { IPC_CHANNELS, IPC_EVENTS } from '../../shared/ipc/channels';

// The preload is bundled to one CommonJS file (a sandboxed preload has no ESM loader). It exposes
// only an allowlisted invoke/on: never ipcRenderer itself, never the event object (it carries the sender).
// Type-only imports are erased, so the bundle still holds nothing from shared/ but the channel lists;
// `satisfies PreloadApi` checks this object against the interface the renderer programs against.
const channels = new Set<string>(IPC_CHANNELS);
const events = new Set<string>(IPC_EVENTS);

const api = {
  invoke: (channel, request) =>
    channels.has(channel)
      ? ipcRenderer.invoke(channel, request)
      : Promise.reject(new Error(`Unknown channel ${channel}`)),
  on: (event, listener) => {
    if (!events.has(event)) throw new Error(`Unknown event ${event}`);
    const wrapped = (_e: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
} satisfies PreloadApi;

contextBridge.exposeInMainWorld('api', api);
