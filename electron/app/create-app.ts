import path from 'node:path';

import type { IpcEvent } from '../../shared/ipc/channels';
import type { AppInfo, IpcEventPayload } from '../../shared/ipc/contract';
import { type AppSandbox, createAppSandbox } from '../sandbox/app-sandbox';
import { createConnectionsStore } from '../services/connections-store';
import { createDraftsStore } from '../services/drafts-store';
import { fileSecretSink, type SecretSink } from '../services/export-service';
import { createLoadRecords } from '../services/file-load/load-records';
import { createHistoryStore } from '../services/history-store';
import { sendHttp } from '../services/http-client';
import { createRequestRegistry } from '../services/request-registry';
import { folderResultSink, type ResultSink } from '../services/result-export';
import { createResultStore } from '../services/result-store';
import { type CipherBackend, createTokenVault } from '../services/token-vault';
import type { SendHttp } from '../services/write-service';
import { createHandlers, type Handlers } from './handlers';
import type { Logger } from './logger';

/** A wired application: handlers plus what transports need to close it down. */
export interface AppContext {
  readonly handlers: Handlers;
  readonly log: Logger;
  /** Subscribes to main → renderer events; returns an unsubscribe function. */
  onEvent(listener: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void): () => void;
  /**
   * Aborts in-flight requests and stops the history save timer, so nothing is written after close.
   * Transports then await {@link AppContext.flush} to save pending history (the desktop app before
   * quitting, browser mode in its server's close()).
   */
  close(): void;
  /** Saves pending request history now. */
  flush(): Promise<void>;
}

/** Options of {@link createAppContext}. */
export interface AppOptions {
  readonly mode: AppInfo['mode'];
  readonly version: string;
  /** The data folder: connections.json, tokens.json, history.json and drafts/ (each with its .bak). */
  readonly dataDir: string;
  /** safeStorage in the desktop app; null in browser mode (tokens in memory only). */
  readonly cipher: CipherBackend | null;
  readonly noCipherReason?: string;
  readonly log: Logger;
  readonly send?: SendHttp;
  /**
   * Where a "Copy as…" with the real token goes: the desktop app passes a clipboard writer. Default: a
   * user-only file in `<dataDir>/exports` (browser mode, where the page must never see the token).
   */
  readonly secretSink?: SecretSink;
  /**
   * Where whole-result exports go: the desktop app passes a save dialog and the clipboard. Default:
   * files in `<dataDir>/exports` (browser mode: main cannot reach the browser's clipboard or dialogs).
   */
  readonly resultSink?: ResultSink;
  /** Start the app's own sandbox server (desktop and browser mode; tests opt in). */
  readonly sandbox?: boolean;
  /** The folder the log file is written to; {@link defaultLogsDir} when absent. */
  readonly logsDir?: string;
  /** Shows a folder in the file manager ('' or why not): the desktop app's; browser mode has none. */
  readonly openFolder?: (dir: string) => Promise<string>;
}

/** Browser mode's log folder (the desktop app uses Electron's logs folder). */
export function defaultLogsDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

/** Loads stored data (never throwing on damaged files) and wires the handlers. */
export async function createAppContext(options: AppOptions): Promise<AppContext> {
  const store = createConnectionsStore({ dir: options.dataDir });
  const vault = createTokenVault({
    backend: options.cipher,
    dir: options.cipher === null ? null : options.dataDir,
    noBackendReason: options.noCipherReason,
  });
  const listeners = new Set<<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void>();
  const history = createHistoryStore({
    dir: options.dataDir,
    onChange: (ids) => {
      for (const l of listeners) l('history:changed', { ids });
    },
    onError: (err) => options.log.error('history', `saving history.json failed: ${(err as Error).message}`),
  });
  const drafts = createDraftsStore({ dir: options.dataDir, onNotice: (n) => options.log.error('drafts', n.message) });
  // A damaged history file is moved aside inside load(): it becomes a notice, never a failed start.
  const notices = [...(await store.load()), ...(await vault.load()), ...(await history.load())];
  for (const n of notices) options.log.error('store', n.message);
  // After the stores: the sandbox registers its connection and puts its token in the vault.
  const sandbox: AppSandbox | null = options.sandbox
    ? await createAppSandbox({ dataDir: options.dataDir, store, vault, log: options.log })
    : null;
  let sandboxClosed: Promise<void> | undefined;
  const registry = createRequestRegistry();
  const handlers = createHandlers({
    mode: options.mode,
    version: options.version,
    store,
    vault,
    registry,
    send: options.send ?? sendHttp,
    notices,
    history,
    drafts,
    secretSink: options.secretSink ?? fileSecretSink(path.join(options.dataDir, 'exports')),
    results: createResultStore(),
    resultSink: options.resultSink ?? folderResultSink(path.join(options.dataDir, 'exports')),
    sandbox,
    logs: { dir: options.logsDir ?? defaultLogsDir(options.dataDir), open: options.openFolder },
    fileLoads: createLoadRecords(path.join(options.dataDir, 'file-loads')),
    emit: (event, payload) => {
      for (const l of listeners) l(event, payload);
    },
  });
  return {
    handlers,
    log: options.log,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      registry.cancelAll();
      history.stopTimer();
      // Every acknowledged write is already in DuckDB's log; closing only checkpoints and frees the port.
      sandboxClosed ??= sandbox?.close().catch((err: Error) => options.log.error('sandbox', err.message));
    },
    flush: async () => {
      await history.flush();
      await sandboxClosed;
    },
  };
}
