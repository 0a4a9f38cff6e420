import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { IPC_CHANNELS, IPC_EVENTS } from '../../shared/ipc/channels';

// The preload is bundled to one CommonJS file (a sandboxed preload has no ESM loader). It exposes
// only an allowlisted invoke/on: never ipcRenderer itself, never the event object (it carries the sender).
const channels = new Set<string>(IPC_CHANNELS);
const events = new Set<string>(IPC_EVENTS);

const api = {
  invoke: (channel: string, request: unknown): Promise<unknown> =>
    channels.has(channel)
      ? ipcRenderer.invoke(channel, request)
      : Promise.reject(new Error(`Unknown channel ${channel}`)),
  on: (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (!events.has(event)) throw new Error(`Unknown event ${event}`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
