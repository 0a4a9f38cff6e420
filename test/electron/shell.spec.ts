// @vitest-environment node
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type {
  App,
  BrowserWindow as ElectronBrowserWindow,
  BrowserWindowConstructorOptions,
  IpcMain,
  SafeStorage,
  Session,
  Shell,
} from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { RENDERER_CSP } from '../../electron/app/csp';
import type { Handlers } from '../../electron/app/handlers';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../electron/main/app-origin';
import { forwardEvents, isTrustedSender, registerIpc } from '../../electron/main/ipc/handle';
import { appProtocolResponse, registerAppScheme, serveAppProtocol } from '../../electron/main/protocol';
import { createSafeStorageBackend, statusFor } from '../../electron/main/safe-storage';
import { installSecurityGuards, isAppUrl, openExternalSafely, openFolderSafely } from '../../electron/main/security';
import { createMainWindow, secureWebPreferences } from '../../electron/main/window';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { IPC_CHANNELS, IPC_EVENTS } from '../../shared/ipc/channels';
import * as electron from '../mocks/electron';

vi.mock('electron', () => import('../mocks/electron'));

beforeEach(() => {
  electron.resetElectronMock();
});

type WindowCtor = new (options: BrowserWindowConstructorOptions) => ElectronBrowserWindow;
const FakeWindowCtor = electron.BrowserWindow as unknown as WindowCtor;

function lastWindow(): electron.BrowserWindow {
  const w = electron.BrowserWindow.instances.at(-1);
  if (!w) throw new Error('no window was created');
  return w;
}

// --- Window ---

describe('the main window', () => {
  const pinned = {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
  };

  it('secureWebPreferences pins every security setting, and nothing else (no enableBlinkFeatures)', () => {
    const prefs = secureWebPreferences('/p/preload.cjs');
    // toEqual, not toMatchObject: an extra key such as enableBlinkFeatures must fail this.
    expect(prefs).toEqual({ preload: '/p/preload.cjs', ...pinned, spellcheck: false });
    expect('enableBlinkFeatures' in prefs).toBe(false);
    expect('additionalArguments' in prefs).toBe(false);
  });

  it('createMainWindow uses those preferences, the preload next to main, and loads app://workbench/index.html', () => {
    const trusted = new Set<number>();
    createMainWindow(FakeWindowCtor, trusted, '/opt/app/out/main');
    const win = lastWindow();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toEqual({ ...pinned, spellcheck: false, preload: path.join('/opt/app/out', 'preload', 'index.cjs') });
    expect('enableBlinkFeatures' in prefs).toBe(false);
    expect(win.options.show).toBe(false);
    expect(win.loadURL).toHaveBeenCalledWith('app://workbench/index.html');
    expect(APP_ENTRY_URL).toBe('app://workbench/index.html');
  });

  it('the window is trusted while open and untrusted once closed', () => {
    const trusted = new Set<number>([999]);
    createMainWindow(FakeWindowCtor, trusted, '/x/main');
    const win = lastWindow();
    expect(trusted.has(win.webContents.id)).toBe(true);
    expect(trusted.size).toBe(2);
    win.close();
    expect(trusted.has(win.webContents.id)).toBe(false);
    expect(trusted).toEqual(new Set([999]));
  });

  it('is shown only when ready to show', () => {
    createMainWindow(FakeWindowCtor, new Set(), '/x/main');
    const win = lastWindow();
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledTimes(1);
  });
});

// --- Security guards ---

describe('installSecurityGuards', () => {
  function install(): { contents: electron.FakeWebContents; session: (typeof electron.session)['defaultSession'] } {
    const session = electron.session.defaultSession;
    installSecurityGuards(
      electron.app as unknown as App,
      session as unknown as Session,
      electron.shell as unknown as Shell,
    );
    const contents = new electron.FakeWebContents();
    electron.app.events.emit('web-contents-created', {}, contents);
    return { contents, session };
  }

  it('denies every permission request and check', () => {
    const { session } = install();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission, APP_ORIGIN)).toBe(false);
    }
  });

  it('window.open is always denied; only https links to allowlisted hosts reach the browser', () => {
    const { contents } = install();
    const handler = contents.windowOpenHandler!;
    expect(handler).not.toBeNull();
    const cases: Array<[string, boolean]> = [
      ['https://docs.influxdata.com/influxdb/v1/', true],
      ['https://github.com/influxdata/influxdb', true],
      ['https://www.electronjs.org/docs', true],
      ['http://docs.influxdata.com/', false],
      ['https://evil.example/', false],
      ['https://docs.influxdata.com.evil.example/', false],
      ['https://evil.example/?https://github.com/', false],
      ['file:///etc/passwd', false],
      ['javascript:alert(1)', false],
      ['app://workbench/index.html', false],
      ['not a url', false],
    ];
    for (const [url, opened] of cases) {
      electron.shell.openExternal.mockClear();
      expect(handler({ url })).toEqual({ action: 'deny' });
      expect(electron.shell.openExternal.mock.calls.length, url).toBe(opened ? 1 : 0);
    }
  });

  it('openFolderSafely opens only an absolute path to an existing folder (never a file, which openPath would run)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-open-folder-'));
    try {
      const file = path.join(dir, 'run-me.sh');
      await fs.writeFile(file, '#!/bin/sh\n');
      expect(await openFolderSafely(electron.shell, dir)).toBe('');
      expect(electron.shell.openPath).toHaveBeenCalledWith(dir);
      electron.shell.openPath.mockClear();
      expect(await openFolderSafely(electron.shell, file)).toMatch(/^Not a folder/);
      expect(await openFolderSafely(electron.shell, path.join(dir, 'missing'))).toMatch(/^Not a folder/);
      expect(await openFolderSafely(electron.shell, 'logs')).toMatch(/^Not an absolute path/);
      expect(electron.shell.openPath).not.toHaveBeenCalled();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('openExternalSafely reports whether it opened the URL', () => {
    const shell = electron.shell as unknown as Shell;
    expect(openExternalSafely(shell, 'https://github.com/x')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://github.com/x');
    expect(openExternalSafely(shell, 'ftp://github.com/x')).toBe(false);
  });

  it.each(['will-navigate', 'will-redirect'])(
    '%s to another origin is prevented, within the app origin it is not',
    (eventName) => {
      const { contents } = install();
      for (const [url, allowed] of [
        ['app://workbench/index.html', true],
        ['app://workbench/other#x', true],
        ['app://evil/index.html', false],
        ['https://evil.example/', false],
        ['http://127.0.0.1:8086/', false],
        ['file:///etc/passwd', false],
        ['garbage', false],
      ] as const) {
        const event = electron.fakeEvent();
        contents.emit(eventName, event, url);
        expect(event.defaultPrevented(), url).toBe(!allowed);
      }
    },
  );

  it('will-frame-navigate (a sub-frame) to another origin is prevented, within the app origin it is not', () => {
    const { contents } = install();
    for (const [url, allowed] of [
      ['app://workbench/index.html', true],
      ['app://evil/index.html', false],
      ['https://evil.example/', false],
      ['javascript:alert(1)', false],
      ['data:text/html,<b>x</b>', false],
    ] as const) {
      const details = { ...electron.fakeEvent(), url, isMainFrame: false };
      contents.emit('will-frame-navigate', details);
      expect(details.defaultPrevented(), url).toBe(!allowed);
    }
  });

  it('attaching a webview is prevented', () => {
    const { contents } = install();
    const event = electron.fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented()).toBe(true);
  });

  it('isAppUrl compares whole origins', () => {
    expect(isAppUrl('app://workbench/')).toBe(true);
    expect(isAppUrl('app://workbench.evil/')).toBe(false);
    expect(isAppUrl('app://workbench:8080/')).toBe(false);
    expect(isAppUrl('app://user@workbench/')).toBe(false);
    expect(isAppUrl('apps://workbench/')).toBe(false);
    // Node gives custom schemes an opaque origin ("null"), so this must not compare URL.origin.
    expect(new URL('app://workbench/').origin).toBe('null');
    expect(isAppUrl('null')).toBe(false);
  });
});

// --- IPC ---

function fakeCtx(): AppContext & {
  handlers: Record<string, ReturnType<typeof vi.fn>>;
  log: { info: ReturnType<typeof vi.fn>; error: ReturnType<typeof vi.fn> };
} {
  const handlers: Record<string, ReturnType<typeof vi.fn>> = {};
  for (const c of IPC_CHANNELS) handlers[c] = vi.fn(async () => ({ from: c }));
  const listeners = new Set<(event: string, payload: unknown) => void>();
  return {
    handlers: handlers as unknown as Handlers & Record<string, ReturnType<typeof vi.fn>>,
    log: { info: vi.fn(), error: vi.fn() },
    onEvent(listener: unknown) {
      const l = listener as unknown as (event: string, payload: unknown) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: vi.fn(),
    emitForTest: (event: string, payload: unknown) => {
      for (const l of listeners) l(event, payload);
    },
  } as never;
}

interface FakeInvokeEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

describe('registerIpc', () => {
  const trustedId = 7;
  const trusted = (): FakeInvokeEvent => ({
    sender: { id: trustedId },
    senderFrame: { url: 'app://workbench/index.html', parent: null },
  });

  function setup(): ReturnType<typeof fakeCtx> {
    const ctx = fakeCtx();
    registerIpc(electron.ipcMain as unknown as IpcMain, ctx, new Set([trustedId]));
    return ctx;
  }

  const invoke = async (channel: string, event: FakeInvokeEvent, req: unknown): Promise<unknown> => {
    const handler = electron.ipcMainHandlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, req);
  };

  it('registers exactly every channel, once', () => {
    setup();
    expect([...electron.ipcMainHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    expect(electron.ipcMain.handle).toHaveBeenCalledTimes(IPC_CHANNELS.length);
  });

  const untrusted: Array<[string, FakeInvokeEvent]> = [
    ['unknown webContents id', { sender: { id: 8 }, senderFrame: { url: 'app://workbench/index.html', parent: null } }],
    ['a sub-frame', { sender: { id: trustedId }, senderFrame: { url: 'app://workbench/index.html', parent: {} } }],
    ['origin http://evil', { sender: { id: trustedId }, senderFrame: { url: 'http://evil/index.html', parent: null } }],
    ['origin file://', { sender: { id: trustedId }, senderFrame: { url: 'file:///opt/app/index.html', parent: null } }],
    ['another app:// host', { sender: { id: trustedId }, senderFrame: { url: 'app://evil/index.html', parent: null } }],
    [
      'userinfo in the app URL',
      { sender: { id: trustedId }, senderFrame: { url: 'app://x@workbench/index.html', parent: null } },
    ],
    ['about:blank', { sender: { id: trustedId }, senderFrame: { url: 'about:blank', parent: null } }],
    ['an unparsable frame URL', { sender: { id: trustedId }, senderFrame: { url: '', parent: null } }],
    ['no senderFrame (destroyed)', { sender: { id: trustedId }, senderFrame: null }],
  ];

  it.each(untrusted)('%s → FORBIDDEN on every channel, handler not called', async (_why, event) => {
    const ctx = setup();
    for (const channel of IPC_CHANNELS) {
      const result = await invoke(channel, event, {});
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    for (const c of IPC_CHANNELS) expect(ctx.handlers[c]).not.toHaveBeenCalled();
    expect(ctx.log.error).toHaveBeenCalled();
    expect(isTrustedSender(event as never, new Set([trustedId]))).toBe(false);
  });

  it('a trusted sender gets the dispatch result', async () => {
    const ctx = setup();
    expect(await invoke('app:info', trusted(), {})).toEqual({ ok: true, data: { from: 'app:info' } });
    expect(ctx.handlers['app:info']).toHaveBeenCalledWith({});
    expect(await invoke('request:cancel', trusted(), { requestId: 'r-1' })).toEqual({
      ok: true,
      data: { from: 'request:cancel' },
    });
    expect(isTrustedSender(trusted() as never, new Set([trustedId]))).toBe(true);
  });

  it('a trusted sender with an invalid request gets BAD_REQUEST, handler not called', async () => {
    const ctx = setup();
    expect(await invoke('connections:delete', trusted(), { id: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(ctx.handlers['connections:delete']).not.toHaveBeenCalled();
  });

  it('a window closed after the fact is no longer trusted', async () => {
    const ctx = fakeCtx();
    const ids = new Set<number>();
    registerIpc(electron.ipcMain as unknown as IpcMain, ctx, ids);
    createMainWindow(FakeWindowCtor, ids, '/x/main');
    const win = lastWindow();
    const event: FakeInvokeEvent = {
      sender: { id: win.webContents.id },
      senderFrame: { url: APP_ENTRY_URL, parent: null },
    };
    expect(await invoke('app:info', event, {})).toMatchObject({ ok: true });
    win.close();
    expect(await invoke('app:info', event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('forwardEvents sends events to live windows only, and unsubscribes', () => {
    const ctx = fakeCtx();
    const live = new electron.FakeWebContents();
    const dead = new electron.FakeWebContents();
    dead.destroyed = true;
    const stop = forwardEvents(ctx, () => [{ webContents: live }, { webContents: dead }]);
    const emit = (ctx as unknown as { emitForTest: (e: string, p: unknown) => void }).emitForTest;
    emit(IPC_EVENTS[0], { ids: ['a'] });
    expect(live.send).toHaveBeenCalledWith('connections:changed', { ids: ['a'] });
    expect(dead.send).not.toHaveBeenCalled();
    stop();
    emit(IPC_EVENTS[0], { ids: ['b'] });
    expect(live.send).toHaveBeenCalledTimes(1);
  });
});

// --- Protocol ---

describe('the app:// protocol', () => {
  let root: string;
  let rendererDir: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-proto-'));
    rendererDir = path.join(root, 'renderer');
    await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Influx Workbench</title>');
    await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(root, 'secret.txt'), 'outside the root');
    await fs.symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'link.txt'));
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('serves index.html with the CSP and security headers', async () => {
    const res = await appProtocolResponse(rendererDir, 'app://workbench/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Influx Workbench');
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
  });

  it('serves / as index.html and assets with their MIME type', async () => {
    expect((await appProtocolResponse(rendererDir, 'app://workbench/')).status).toBe(200);
    const js = await appProtocolResponse(rendererDir, 'app://workbench/assets/app.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(RENDERER_CSP);
  });

  it.each([
    'app://workbench/../secret.txt',
    'app://workbench/%2e%2e/secret.txt',
    'app://workbench/..%2fsecret.txt',
    'app://workbench/assets/..%2f..%2fsecret.txt',
    'app://workbench/%2e%2e%2fsecret.txt',
    'app://workbench/..%5csecret.txt',
    'app://workbench/link.txt',
    'app://workbench/%00index.html',
    'app://workbench/%E0%A4%A',
    'app://workbench/assets',
    'app://workbench/missing.js',
    'app://evil/index.html',
    'app://workbench.evil/index.html',
  ])('%s → 404', async (url) => {
    const res = await appProtocolResponse(rendererDir, url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside the root');
  });

  it('registerAppScheme registers app:// as standard and secure; serveAppProtocol routes to the renderer dir', async () => {
    registerAppScheme(electron.protocol as never);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    serveAppProtocol(electron.protocol as never, rendererDir);
    const [scheme, handler] = electron.protocol.handle.mock.calls[0]!;
    expect(scheme).toBe('app');
    const res = (await handler({ url: 'app://workbench/index.html' })) as Response;
    expect(res.status).toBe(200);
  });
});

// --- safeStorage ---

describe('safe storage', () => {
  it.each([
    ['darwin', null, 'keychain', 'strong'],
    ['win32', null, 'dpapi', 'strong'],
    ['linux', 'gnome_libsecret', 'gnome_libsecret', 'strong'],
    ['linux', 'kwallet5', 'kwallet5', 'strong'],
    ['linux', 'basic_text', 'basic_text', 'weak'],
    ['linux', 'unknown', 'unknown', 'none'],
    ['linux', null, 'unknown', 'none'],
  ] as const)('statusFor(%s, %s) → %s / %s', (platform, backend, name, level) => {
    const s = statusFor(platform, backend);
    expect(s.backend).toBe(name);
    expect(s.level).toBe(level);
    expect(s.message.length).toBeGreaterThan(10);
  });

  const storage = (): Parameters<typeof createSafeStorageBackend>[0] => electron.safeStorage as unknown as SafeStorage;

  it('no async encryption → null', async () => {
    electron.safeStorageState.asyncAvailable = false;
    expect(await createSafeStorageBackend(storage(), 'linux')).toBeNull();
    expect(electron.safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('linux with an unknown backend → null', async () => {
    electron.safeStorageState.backend = 'unknown';
    expect(await createSafeStorageBackend(storage(), 'linux')).toBeNull();
  });

  it('macOS does not ask for the Linux backend', async () => {
    const backend = await createSafeStorageBackend(storage(), 'darwin');
    expect(backend?.status.backend).toBe('keychain');
    expect(electron.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it.each([
    ['gnome_libsecret', 'strong'],
    ['basic_text', 'weak'],
  ] as const)('linux %s round-trips through safeStorage (level %s)', async (name, level) => {
    electron.safeStorageState.backend = name;
    const backend = await createSafeStorageBackend(storage(), 'linux');
    expect(backend?.status.level).toBe(level);
    const cipher = await backend!.encrypt('tök€n-123');
    expect(cipher).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(cipher).toString('utf8')).not.toContain('tök€n-123');
    expect(await backend!.decrypt(cipher)).toEqual({ value: 'tök€n-123', shouldReEncrypt: false });
    electron.safeStorageState.shouldReEncrypt = true;
    expect(await backend!.decrypt(cipher)).toEqual({ value: 'tök€n-123', shouldReEncrypt: true });
  });
});

// --- Preload ---

describe('the preload', () => {
  interface ExposedApi {
    invoke(channel: string, request: unknown): Promise<unknown>;
    on(event: string, listener: (payload: unknown) => void): () => void;
  }

  async function loadPreload(): Promise<ExposedApi> {
    vi.resetModules();
    electron.exposedInMainWorld.clear();
    await import('../../electron/preload/index');
    return electron.exposedInMainWorld.get('api') as ExposedApi;
  }

  it('exposes exactly `api` with invoke and on', async () => {
    const api = await loadPreload();
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...electron.exposedInMainWorld.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('invoke forwards known channels to ipcRenderer.invoke', async () => {
    const api = await loadPreload();
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, data: 42 });
    expect(await api.invoke('app:info', {})).toEqual({ ok: true, data: 42 });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('app:info', {});
  });

  it.each(['evil:channel', 'connections:changed', '', 'constructor'])(
    'invoke(%j) rejects without calling ipcRenderer',
    async (channel) => {
      const api = await loadPreload();
      await expect(api.invoke(channel, {})).rejects.toThrow(/Unknown channel/);
      expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
    },
  );

  it('on passes only the payload to the listener and returns an unsubscribe', async () => {
    const api = await loadPreload();
    const listener = vi.fn();
    const off = api.on('connections:changed', listener);
    const senderEvent = { sender: { send: () => undefined }, ports: [] };
    electron.ipcRenderer.events.emit('connections:changed', senderEvent, { ids: ['x'] });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ ids: ['x'] }]);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
    electron.ipcRenderer.events.emit('connections:changed', senderEvent, { ids: ['y'] });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('on an unknown event throws and registers nothing', async () => {
    const api = await loadPreload();
    expect(() => api.on('app:info', () => undefined)).toThrow(/Unknown event/);
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
  });
});

// --- boot() ---

describe('boot()', () => {
  let userData: string;

  beforeEach(async () => {
    userData = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-boot-'));
    electron.appState.userData = userData;
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await fs.rm(userData, { recursive: true, force: true });
  });

  async function loadBoot(): Promise<() => Promise<void>> {
    vi.resetModules();
    return (await import('../../electron/main/index')).boot;
  }

  it('without the single-instance lock it quits and creates nothing', async () => {
    electron.appState.singleInstanceLock = false;
    const boot = await loadBoot();
    await boot();
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    expect(electron.BrowserWindow.instances).toHaveLength(0);
    expect(electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
  });

  it('registers the scheme before ready, IPC before the window, then loads the app', async () => {
    const release = electron.holdReady();
    const boot = await loadBoot();
    const booting = boot();
    // Boot is waiting for ready once it asked for it.
    await vi.waitFor(() => expect(electron.app.whenReady).toHaveBeenCalled());
    // Before ready: the privileged scheme is registered, nothing else happened.
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(electron.protocol.handle).not.toHaveBeenCalled();
    expect(electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(0);

    release();
    await booting;
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect([...electron.ipcMainHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    expect(electron.BrowserWindow.instances).toHaveLength(1);
    const lastIpc = Math.max(...electron.ipcMain.handle.mock.invocationCallOrder);
    const windowOrder = electron.browserWindowConstructed.mock.invocationCallOrder[0]!;
    expect(lastIpc).toBeLessThan(windowOrder);
    expect(electron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]!).toBeLessThan(
      electron.app.whenReady.mock.invocationCallOrder[0]!,
    );
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(lastWindow().loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
  });

  it('the booted window can call IPC; a stranger cannot', async () => {
    const boot = await loadBoot();
    await boot();
    const win = lastWindow();
    const handler = electron.ipcMainHandlers.get('app:info')!;
    const ok = await handler(
      { sender: { id: win.webContents.id }, senderFrame: { url: APP_ENTRY_URL, parent: null } },
      {},
    );
    expect(ok).toMatchObject({
      ok: true,
      data: { mode: 'desktop', vault: { backend: 'gnome_libsecret', level: 'strong' } },
    });
    const refused = await handler(
      { sender: { id: win.webContents.id + 1000 }, senderFrame: { url: APP_ENTRY_URL, parent: null } },
      {},
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("logs:open shows the log folder (Electron's logs folder) in the file manager through openFolderSafely", async () => {
    const boot = await loadBoot();
    await boot();
    const win = lastWindow();
    const event = { sender: { id: win.webContents.id }, senderFrame: { url: APP_ENTRY_URL, parent: null } };
    const logsDir = path.join(userData, 'logs');
    const answer = await electron.ipcMainHandlers.get('logs:open')!(event, {});
    expect(answer).toEqual({ ok: true, data: { path: logsDir, opened: true, error: null } });
    expect(electron.shell.openPath).toHaveBeenCalledTimes(1);
    expect(electron.shell.openPath).toHaveBeenCalledWith(logsDir);
    // The file manager's complaint comes back as the reason, with the path to copy instead.
    electron.shell.openPath.mockResolvedValueOnce('No application is registered for folders');
    expect(await electron.ipcMainHandlers.get('logs:open')!(event, {})).toEqual({
      ok: true,
      data: { path: logsDir, opened: false, error: 'No application is registered for folders' },
    });
    // The page cannot name another path.
    expect(await electron.ipcMainHandlers.get('logs:open')!(event, { path: '/etc' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(electron.shell.openPath).toHaveBeenCalledTimes(2);
  });

  it('tokens go through safeStorage into userData', async () => {
    const boot = await loadBoot();
    await boot();
    const win = lastWindow();
    const event = { sender: { id: win.webContents.id }, senderFrame: { url: APP_ENTRY_URL, parent: null } };
    const save = electron.ipcMainHandlers.get('connections:save')!;
    const result = (await save(event, {
      connection: {
        name: 'n',
        url: 'http://127.0.0.1:8086',
        flavor: '1.x',
        db: '',
        rp: '',
        bucket: '',
        org: '',
        authScheme: 'token',
        username: '',
        caPem: '',
        skipTlsVerify: false,
        timeoutMs: 1000,
      },
      token: { action: 'set', value: 'desktop-token-123456', keep: 'persist', allowWeak: false },
    })) as { ok: boolean; data: { token: unknown } };
    expect(result).toMatchObject({ ok: true, data: { token: { hasToken: true, storage: 'encrypted' } } });
    expect(electron.safeStorage.encryptStringAsync).toHaveBeenCalledWith('desktop-token-123456');
    expect(JSON.stringify(result)).not.toContain('desktop-token-123456');
    expect(await fs.readFile(path.join(userData, 'tokens.json'), 'utf8')).not.toContain('desktop-token-123456');
  });

  it('"Copy as… with the real token": main writes the clipboard; the IPC response has no token', async () => {
    const boot = await loadBoot();
    await boot();
    const win = lastWindow();
    const event = { sender: { id: win.webContents.id }, senderFrame: { url: APP_ENTRY_URL, parent: null } };
    const token = 'desktop-clip-token-987654';
    const saved = (await electron.ipcMainHandlers.get('connections:save')!(event, {
      connection: {
        name: 'n',
        url: 'http://127.0.0.1:8086',
        flavor: '1.x',
        db: 'd',
        rp: '',
        bucket: '',
        org: '',
        authScheme: 'bearer',
        username: '',
        caPem: '',
        skipTlsVerify: false,
        timeoutMs: 1000,
      },
      token: { action: 'set', value: token, keep: 'session', allowWeak: false },
    })) as { data: { id: string } };
    electron.clipboard.writeText.mockClear();
    const copied = await electron.ipcMainHandlers.get('export:copy')!(event, {
      connectionId: saved.data.id,
      format: 'curl',
      params: { ...DEFAULT_WRITE_PARAMS, db: 'd' },
      auth: { scheme: 'bearer', username: '' },
      body: 'm f=1',
    });
    expect(copied).toEqual({ ok: true, data: { to: 'clipboard' } });
    expect(electron.clipboard.writeText).toHaveBeenCalledTimes(1);
    expect(electron.clipboard.writeText.mock.calls[0]![0]).toContain(`Authorization: Bearer ${token}`);
  });

  it('query results: main keeps the rows; Copy CSV goes to the clipboard and Export to the file picked, every row', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `[${i},${i === 1 ? '-0' : '9007199254740993'},"a\\u0000b"]`);
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v","s"],"values":[${rows.join(',')}]}]}]}`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const boot = await loadBoot();
      await boot();
      const win = lastWindow();
      const event = { sender: { id: win.webContents.id }, senderFrame: { url: APP_ENTRY_URL, parent: null } };
      const invoke = (channel: string, req: unknown) => electron.ipcMainHandlers.get(channel)!(event, req);
      const saved = (await invoke('connections:save', {
        connection: {
          ...DEFAULT_CONNECTION_INPUT,
          name: 'q',
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          db: 'd',
        },
        token: { action: 'keep' },
      })) as { data: { id: string } };
      const ran = (await invoke('query:run', {
        requestId: 'q1',
        connectionId: saved.data.id,
        q: 'SELECT * FROM m',
        db: 'd',
        rp: '',
        epoch: 'ns',
        chunked: false,
        chunkSize: 0,
        params: {},
        method: 'GET',
      })) as {
        ok: true;
        data: { result: { resultId: string; statements: Array<{ series: Array<{ firstRows: unknown[] }> }> } };
      };
      expect(ran.ok).toBe(true);
      const resultId = ran.data.result.resultId;
      expect(ran.data.result.statements[0]!.series[0]!.firstRows.length).toBeLessThan(rows.length);
      electron.clipboard.writeText.mockClear();
      const copied = await invoke('query:export', { resultId, statement: 0, format: 'csv', to: 'clipboard' });
      expect(copied).toEqual({ ok: true, data: { to: 'clipboard', chars: expect.any(Number), rows: 5_000 } });
      const text = electron.clipboard.writeText.mock.calls[0]![0];
      expect(text.split('\r\n')).toHaveLength(5_002);
      expect(text.split('\r\n')[2]).toBe('m,1,-0,a\u0000b');
      expect(text.split('\r\n')[3]).toBe('m,2,9007199254740993,a\u0000b');
      // Export: the save dialog's answer is where main writes; cancelling writes nothing.
      const file = path.join(userData, 'picked.json');
      electron.dialogState.savePath = file;
      const exported = (await invoke('query:export', { resultId, statement: 0, format: 'json', to: 'file' })) as {
        data: { to: string; path: string; rows: number };
      };
      expect(exported.data).toMatchObject({ to: 'file', path: file, rows: 5_000 });
      expect(electron.dialog.showSaveDialog).toHaveBeenCalledTimes(1);
      const json = JSON.parse(await fs.readFile(file, 'utf8')) as {
        statements: Array<{ series: Array<{ values: unknown[] }> }>;
      };
      expect(json.statements[0]!.series[0]!.values).toHaveLength(5_000);
      electron.dialogState.savePath = null;
      expect(await invoke('query:export', { resultId, statement: 0, format: 'csv', to: 'file' })).toEqual({
        ok: true,
        data: { to: 'cancelled', rows: 5_000 },
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('second-instance focuses the existing window; activate with no windows opens one', async () => {
    const boot = await loadBoot();
    await boot();
    const win = lastWindow();
    win.minimized = true;
    electron.app.events.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    win.close();
    electron.app.events.emit('activate');
    expect(electron.BrowserWindow.instances).toHaveLength(2);
  });

  it('window-all-closed quits (not on macOS)', async () => {
    const boot = await loadBoot();
    await boot();
    electron.app.events.emit('window-all-closed');
    // Quitting waits for pending request history to be saved.
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1));
  });
});
