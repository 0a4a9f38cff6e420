/**
 * The one hand-written mock of the `electron` module for unit tests of main-process and preload code.
 *
 *   vi.mock('electron', () => import('../mocks/electron'));
 *
 * Every object records what the code under test did with it (constructor options, registered handlers,
 * listeners) so tests can assert on it and then drive the recorded callbacks. Call
 * {@link resetElectronMock} in `beforeEach`.
 */
import { vi } from 'vitest';

type Listener = (...args: never[]) => unknown;

/** A tiny event emitter that records listeners by name and can fire them. */
export class Emitter {
  readonly listeners = new Map<string, Array<(...args: unknown[]) => unknown>>();

  on(event: string, listener: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (...args: unknown[]) => unknown);
    this.listeners.set(event, list);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped = (...args: unknown[]): unknown => {
      this.removeListener(event, wrapped);
      return (listener as (...a: unknown[]) => unknown)(...args);
    };
    return this.on(event, wrapped);
  }

  removeListener(event: string, listener: Listener): this {
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(
      event,
      list.filter((l) => l !== listener),
    );
    return this;
  }

  /** Fires every listener of `event` with `args`; returns their results. */
  emit(event: string, ...args: unknown[]): unknown[] {
    return [...(this.listeners.get(event) ?? [])].map((l) => l(...args));
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

// --- web contents ---

/** What `setWindowOpenHandler` receives. */
export type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

let nextWebContentsId = 1;

/** A fake WebContents: an id, send(), and recorded listeners and window-open handler. */
export class FakeWebContents extends Emitter {
  readonly id = nextWebContentsId++;
  destroyed = false;
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly send = vi.fn<(channel: string, payload: unknown) => void>();
  readonly setWindowOpenHandler = vi.fn((handler: WindowOpenHandler) => {
    this.windowOpenHandler = handler;
  });
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** A navigation-like event whose preventDefault is recorded. */
export function fakeEvent(): { preventDefault: ReturnType<typeof vi.fn>; defaultPrevented: () => boolean } {
  const preventDefault = vi.fn();
  return { preventDefault, defaultPrevented: () => preventDefault.mock.calls.length > 0 };
}

// --- BrowserWindow ---

/** Called with the options of every `new BrowserWindow(...)`, so call order can be compared. */
export const browserWindowConstructed = vi.fn<(options: unknown) => void>();

/** A fake BrowserWindow recording its constructor options and listeners. */
export class BrowserWindow extends Emitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.closed);
  }

  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  closed = false;
  minimized = false;
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    BrowserWindow.instances.push(this);
    browserWindowConstructed(options);
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  /** Simulates the user closing the window. */
  close(): void {
    this.closed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

// --- app ---

let readyResolve: () => void = () => undefined;
let readyPromise: Promise<void> = Promise.resolve();

/** Mutable knobs of the fake `app`. */
export const appState = {
  singleInstanceLock: true,
  userData: '/tmp/influx-workbench-test-userdata',
};

class FakeApp {
  /** Listeners registered with app.on, to fire with `app.events.emit(...)`. */
  readonly events = new Emitter();
  readonly requestSingleInstanceLock = vi.fn(() => appState.singleInstanceLock);
  readonly quit = vi.fn();
  readonly whenReady = vi.fn(() => readyPromise);
  // Electron's logs folder is its own; here a folder inside userData.
  readonly getPath = vi.fn((name: string) => (name === 'logs' ? `${appState.userData}/logs` : appState.userData));
  readonly on = vi.fn((event: string, listener: Listener) => {
    this.events.on(event, listener);
    return this;
  });
}

export const app = new FakeApp();

/**
 * Makes `app.whenReady()` pend until the returned function is called (by default it resolves at once).
 */
export function holdReady(): () => void {
  readyPromise = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });
  return () => readyResolve();
}

// --- ipcMain ---

type IpcMainHandler = (event: unknown, ...args: unknown[]) => unknown;

/** Handlers registered with ipcMain.handle, by channel. */
export const ipcMainHandlers = new Map<string, IpcMainHandler>();

export const ipcMain = {
  handle: vi.fn((channel: string, handler: IpcMainHandler) => {
    if (ipcMainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMainHandlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMainHandlers.delete(channel);
  }),
};

// --- protocol ---

export const protocol = {
  registerSchemesAsPrivileged: vi.fn<(schemes: unknown[]) => void>(),
  handle: vi.fn<(scheme: string, handler: (request: { url: string }) => unknown) => void>(),
};

// --- session ---

type PermissionRequestHandler = (
  wc: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: unknown,
) => void;
type PermissionCheckHandler = (wc: unknown, permission: string, origin?: string, details?: unknown) => boolean;

class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  readonly setPermissionRequestHandler = vi.fn((h: PermissionRequestHandler | null) => {
    this.permissionRequestHandler = h;
  });
  readonly setPermissionCheckHandler = vi.fn((h: PermissionCheckHandler | null) => {
    this.permissionCheckHandler = h;
  });
}

export const session = { defaultSession: new FakeSession() };

// --- shell ---

/** The clipboard: what main wrote, last first. */
export const clipboard = { writeText: vi.fn((_text: string) => undefined) };

/** The save dialog: answers with {@link dialogState}'s path (or cancelled when it is null). */
export const dialogState: { savePath: string | null } = { savePath: null };
export const dialog = {
  showSaveDialog: vi.fn(async (..._args: unknown[]) =>
    dialogState.savePath === null
      ? { canceled: true, filePath: '' }
      : { canceled: false, filePath: dialogState.savePath },
  ),
};

export const shell = {
  openExternal: vi.fn(async (_url: string) => undefined),
  /** Resolves to '' (opened), as Electron's does on success. */
  openPath: vi.fn(async (_path: string) => ''),
};

// --- safeStorage ---

/** Mutable knobs of the fake `safeStorage`. */
export const safeStorageState = {
  asyncAvailable: true,
  backend: 'gnome_libsecret',
  /** Returned by decryptStringAsync as `shouldReEncrypt`. */
  shouldReEncrypt: false,
};

const SAFE_PREFIX = 'mock-safe:';

/** The mock's "encryption": a prefix plus the reversed UTF-8 bytes. Reversible, never the plaintext. */
function mockEncrypt(plain: string): Buffer {
  return Buffer.concat([Buffer.from(SAFE_PREFIX), Buffer.from(plain, 'utf8').reverse()]);
}

function mockDecrypt(cipher: Buffer): string {
  const text = Buffer.from(cipher);
  if (!text.subarray(0, SAFE_PREFIX.length).equals(Buffer.from(SAFE_PREFIX)))
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  return Buffer.from(text.subarray(SAFE_PREFIX.length)).reverse().toString('utf8');
}

export const safeStorage = {
  isAsyncEncryptionAvailable: vi.fn(async () => safeStorageState.asyncAvailable),
  getSelectedStorageBackend: vi.fn(() => safeStorageState.backend),
  encryptStringAsync: vi.fn(async (plain: string) => mockEncrypt(plain)),
  decryptStringAsync: vi.fn(async (cipher: Buffer) => ({
    result: mockDecrypt(cipher),
    shouldReEncrypt: safeStorageState.shouldReEncrypt,
  })),
};

// --- renderer side: contextBridge and ipcRenderer ---

/** What the preload exposed, by key. */
export const exposedInMainWorld = new Map<string, unknown>();

export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposedInMainWorld.set(key, api);
  }),
};

class FakeIpcRenderer {
  /** Listeners registered with ipcRenderer.on, to fire with `ipcRenderer.events.emit(...)`. */
  readonly events = new Emitter();
  readonly invoke = vi.fn(async (_channel: string, _request: unknown): Promise<unknown> => ({ ok: true, data: null }));
  readonly on = vi.fn((event: string, listener: Listener) => {
    this.events.on(event, listener);
    return this;
  });
  readonly removeListener = vi.fn((event: string, listener: Listener) => {
    this.events.removeListener(event, listener);
    return this;
  });
}

export const ipcRenderer = new FakeIpcRenderer();

// --- reset ---

/** Restores every knob and forgets every recorded call. Does not reset {@link exposedInMainWorld}. */
export function resetElectronMock(): void {
  appState.singleInstanceLock = true;
  appState.userData = '/tmp/influx-workbench-test-userdata';
  readyPromise = Promise.resolve();
  safeStorageState.asyncAvailable = true;
  safeStorageState.backend = 'gnome_libsecret';
  safeStorageState.shouldReEncrypt = false;
  BrowserWindow.instances = [];
  browserWindowConstructed.mockClear();
  app.events.listeners.clear();
  app.requestSingleInstanceLock.mockClear();
  app.quit.mockClear();
  app.whenReady.mockClear();
  app.getPath.mockClear();
  app.on.mockClear();
  ipcMainHandlers.clear();
  ipcMain.handle.mockClear();
  ipcMain.removeHandler.mockClear();
  protocol.registerSchemesAsPrivileged.mockClear();
  protocol.handle.mockClear();
  session.defaultSession = new FakeSession();
  dialogState.savePath = null;
  dialog.showSaveDialog.mockClear();
  shell.openExternal.mockClear();
  shell.openPath.mockClear();
  safeStorage.isAsyncEncryptionAvailable.mockClear();
  safeStorage.getSelectedStorageBackend.mockClear();
  safeStorage.encryptStringAsync.mockClear();
  safeStorage.decryptStringAsync.mockClear();
  contextBridge.exposeInMainWorld.mockClear();
  ipcRenderer.events.listeners.clear();
  ipcRenderer.invoke.mockClear();
  ipcRenderer.on.mockClear();
  ipcRenderer.removeListener.mockClear();
}
