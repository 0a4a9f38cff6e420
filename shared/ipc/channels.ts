/**
 * IPC channel and event names. No imports: the sandboxed preload bundles this file and nothing else
 * from shared/.
 */

/** Renderer → main request channels (`domain:verb`). */
export const IPC_CHANNELS = [
  'app:info',
  'connections:list',
  'connections:save',
  'connections:delete',
  'write:send',
  'server:ping',
  'query:run',
  'query:page',
  'query:chart',
  'query:export',
  'query:release',
  'schema:get',
  'request:cancel',
  'server:probe',
  'history:list',
  'history:get',
  'history:delete',
  'history:clear',
  'export:render',
  'export:copy',
  'drafts:get',
  'drafts:save',
  'sandbox:status',
  'sandbox:settings',
  'sandbox:manage',
  'fileload:start',
  'fileload:chunk',
  'fileload:control',
  'fileload:resumable',
  'fileload:forget',
  'logs:open',
] as const;

/** Main → renderer events (`domain:past-event`). */
export const IPC_EVENTS = ['connections:changed', 'query:progress', 'history:changed', 'fileload:progress'] as const;

/** One of {@link IPC_CHANNELS}. */
export type IpcChannel = (typeof IPC_CHANNELS)[number];

/** One of {@link IPC_EVENTS}. */
export type IpcEvent = (typeof IPC_EVENTS)[number];

/** Type guard for channel names coming from an untrusted caller. */
export function isIpcChannel(name: unknown): name is IpcChannel {
  return typeof name === 'string' && (IPC_CHANNELS as readonly string[]).includes(name);
}

/** Type guard for event names. */
export function isIpcEvent(name: unknown): name is IpcEvent {
  return typeof name === 'string' && (IPC_EVENTS as readonly string[]).includes(name);
}
