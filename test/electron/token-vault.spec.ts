// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import type { Logger } from '../../electron/app/logger';
import { type CipherBackend, createTokenVault } from '../../electron/services/token-vault';
import type { SendHttp } from '../../electron/services/write-service';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import type { VaultStatus } from '../../shared/ipc/contract';
import { call } from '../support/call';
import { acceptedWriteExchange } from '../support/exchange';

const TOKEN = 'my-Secret-Token-0123456789abcdef';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-vault-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const STRONG: VaultStatus = { backend: 'gnome_libsecret', level: 'strong', message: 'strong' };
const WEAK: VaultStatus = { backend: 'basic_text', level: 'weak', message: 'weak' };

/** A reversible fake cipher: a prefix plus the reversed UTF-8 bytes. Never contains the plaintext. */
function fakeBackend(
  status: VaultStatus = STRONG,
  opts: { reEncryptOnce?: boolean } = {},
): CipherBackend & {
  encrypt: ReturnType<typeof vi.fn>;
  decrypt: ReturnType<typeof vi.fn>;
} {
  let reEncrypt = opts.reEncryptOnce ?? false;
  const prefix = Buffer.from('FAKE1:');
  return {
    status,
    encrypt: vi.fn(
      async (plain: string) => new Uint8Array(Buffer.concat([prefix, Buffer.from(plain, 'utf8').reverse()])),
    ),
    decrypt: vi.fn(async (cipher: Uint8Array) => {
      const buf = Buffer.from(cipher);
      if (!buf.subarray(0, prefix.length).equals(prefix)) throw new Error('bad ciphertext');
      const value = Buffer.from(buf.subarray(prefix.length)).reverse().toString('utf8');
      const should = reEncrypt;
      reEncrypt = false;
      return { value, shouldReEncrypt: should };
    }),
  };
}

const tokensFile = (): string => path.join(dir, 'tokens.json');

async function readTokensFile(): Promise<{
  version: number;
  tokens: Record<string, { storage: string; cipher: string; hint: string }>;
}> {
  return JSON.parse(await fs.readFile(tokensFile(), 'utf8')) as never;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

describe('token vault with a strong backend', () => {
  it('round trip: set, then a new vault on the same dir reads it back', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    expect(await vault.load()).toEqual([]);
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false })).toBe('encrypted');
    expect(await vault.get('c1')).toBe(TOKEN);

    const again = createTokenVault({ backend: fakeBackend(), dir });
    expect(await again.load()).toEqual([]);
    expect(await again.get('c1')).toBe(TOKEN);
    expect(again.state('c1')).toEqual({ hasToken: true, hint: '••••cdef', storage: 'encrypted' });
  });

  it('a non-ASCII token round-trips', async () => {
    const token = 'tökén-日本-🎉-0123456789';
    await createTokenVault({ backend: fakeBackend(), dir }).set('c1', token, { keep: 'persist', allowWeak: false });
    const again = createTokenVault({ backend: fakeBackend(), dir });
    await again.load();
    expect(await again.get('c1')).toBe(token);
  });

  it('tokens.json holds no plaintext token and has mode 0600', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false });
    await vault.set('c2', `${TOKEN}-2`, { keep: 'persist', allowWeak: false });
    const text = await fs.readFile(tokensFile(), 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
    const stat = await fs.stat(tokensFile());
    expect(stat.mode & 0o777).toBe(0o600);
    // The backup of the previous version is private too.
    expect((await fs.stat(`${tokensFile()}.bak`)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(`${tokensFile()}.bak`, 'utf8')).not.toContain(TOKEN);
    const parsed = await readTokensFile();
    expect(parsed.version).toBe(1);
    expect(parsed.tokens.c1).toMatchObject({ storage: 'encrypted', hint: '••••cdef' });
    expect(parsed.tokens.c1!.cipher.startsWith('v1:')).toBe(true);
  });

  it('session keep is never written to disk, even with a strong backend', async () => {
    const backend = fakeBackend();
    const vault = createTokenVault({ backend, dir });
    expect(await vault.set('c1', TOKEN, { keep: 'session', allowWeak: false })).toBe('session');
    expect(await vault.get('c1')).toBe(TOKEN);
    expect(vault.state('c1').storage).toBe('session');
    expect(backend.encrypt).not.toHaveBeenCalled();
    expect(await exists(tokensFile())).toBe(false);
    const again = createTokenVault({ backend, dir });
    await again.load();
    expect(await again.get('c1')).toBeNull();
  });

  it('switching a persisted token to session removes it from disk', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false });
    await vault.set('c1', 'other-token', { keep: 'session', allowWeak: false });
    expect((await readTokensFile()).tokens).toEqual({});
    expect(await vault.get('c1')).toBe('other-token');
  });

  it('shouldReEncrypt stores the token again under the new key', async () => {
    const first = fakeBackend();
    await createTokenVault({ backend: first, dir }).set('c1', TOKEN, { keep: 'persist', allowWeak: false });
    const before = (await readTokensFile()).tokens.c1!.cipher;

    const rotating = fakeBackend(STRONG, { reEncryptOnce: true });
    const vault = createTokenVault({ backend: rotating, dir });
    await vault.load();
    expect(await vault.get('c1')).toBe(TOKEN);
    expect(rotating.encrypt).toHaveBeenCalledWith(TOKEN);
    // Written again (a new file version: the old one went to .bak).
    expect(JSON.parse(await fs.readFile(`${tokensFile()}.bak`, 'utf8')).tokens.c1.cipher).toBe(before);
    expect(await vault.get('c1')).toBe(TOKEN);
    expect(rotating.encrypt).toHaveBeenCalledTimes(1);
  });

  it('concurrent sets all reach the disk', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(ids.map((id) => vault.set(id, `${TOKEN}-${id}`, { keep: 'persist', allowWeak: false })));
    const again = createTokenVault({ backend: fakeBackend(), dir });
    await again.load();
    for (const id of ids) expect(await again.get(id)).toBe(`${TOKEN}-${id}`);
  });

  it('delete removes the token from memory and disk', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false });
    await vault.set('c2', 'session-token', { keep: 'session', allowWeak: false });
    await vault.delete('c1');
    await vault.delete('c2');
    expect(await vault.get('c1')).toBeNull();
    expect(await vault.get('c2')).toBeNull();
    expect(vault.state('c1')).toEqual({ hasToken: false, hint: null, storage: null });
    expect((await readTokensFile()).tokens).toEqual({});
  });

  it('a cipher with an unknown format prefix yields no token instead of garbage', async () => {
    await fs.writeFile(
      tokensFile(),
      JSON.stringify({ version: 1, tokens: { c1: { storage: 'encrypted', cipher: 'v9:AAAA', hint: '••••' } } }),
    );
    const backend = fakeBackend();
    const vault = createTokenVault({ backend, dir });
    expect(await vault.load()).toEqual([]);
    expect(await vault.get('c1')).toBeNull();
    expect(backend.decrypt).not.toHaveBeenCalled();
  });
});

describe('token vault with a weak or no backend', () => {
  it('weak backend without allowWeak → session only, nothing on disk', async () => {
    const backend = fakeBackend(WEAK);
    const vault = createTokenVault({ backend, dir });
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false })).toBe('session');
    expect(vault.state('c1')).toEqual({ hasToken: true, hint: '••••cdef', storage: 'session' });
    expect(backend.encrypt).not.toHaveBeenCalled();
    expect(await exists(tokensFile())).toBe(false);
  });

  it('weak backend with allowWeak → stored as weak, and says so after a reload', async () => {
    const vault = createTokenVault({ backend: fakeBackend(WEAK), dir });
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: true })).toBe('weak');
    expect((await readTokensFile()).tokens.c1!.storage).toBe('weak');
    const again = createTokenVault({ backend: fakeBackend(WEAK), dir });
    await again.load();
    expect(again.state('c1').storage).toBe('weak');
    expect(await again.get('c1')).toBe(TOKEN);
  });

  it('null backend → session, status "none", nothing on disk', async () => {
    const vault = createTokenVault({ backend: null, dir, noBackendReason: 'no key store' });
    expect(vault.status()).toEqual({ backend: 'memory', level: 'none', message: 'no key store' });
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: true })).toBe('session');
    expect(await vault.get('c1')).toBe(TOKEN);
    expect(await exists(tokensFile())).toBe(false);
  });

  it('a backend with level "none" persists nothing', async () => {
    const backend = fakeBackend({ backend: 'unknown', level: 'none', message: 'none' });
    const vault = createTokenVault({ backend, dir });
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: true })).toBe('session');
    expect(await exists(tokensFile())).toBe(false);
  });

  it('no dir (browser mode) → session even with a strong backend', async () => {
    const vault = createTokenVault({ backend: fakeBackend(), dir: null });
    expect(await vault.load()).toEqual([]);
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false })).toBe('session');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('status() reports the backend status', () => {
    expect(createTokenVault({ backend: fakeBackend(WEAK), dir }).status()).toEqual(WEAK);
  });
});

describe('state() never exposes the token', () => {
  it.each(['encrypted', 'weak', 'session'] as const)('storage %s', async (storage) => {
    const backend = fakeBackend(storage === 'weak' ? WEAK : STRONG);
    const vault = createTokenVault({ backend, dir });
    await vault.set('c1', TOKEN, { keep: storage === 'session' ? 'session' : 'persist', allowWeak: true });
    const state = vault.state('c1');
    expect(Object.keys(state).sort()).toEqual(['hasToken', 'hint', 'storage']);
    expect(state.storage).toBe(storage);
    expect(JSON.stringify(state)).not.toContain(TOKEN);
    expect(JSON.stringify(state)).not.toContain(TOKEN.slice(0, 8));
  });

  it('short tokens show no characters in the hint', async () => {
    const vault = createTokenVault({ backend: null, dir: null });
    await vault.set('c1', 'abcdefghijklmno', { keep: 'session', allowWeak: false });
    expect(vault.state('c1').hint).toBe('••••');
  });
});

describe('damaged tokens.json', () => {
  it('a file that is not JSON gives a notice and is moved aside, not deleted', async () => {
    await fs.writeFile(tokensFile(), '{"version":1,"tokens":{ garbage');
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    const notices = await vault.load();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.level).toBe('error');
    expect(notices[0]!.message).toMatch(/moved to .*tokens\.json\.corrupt-/);
    const files = await fs.readdir(dir);
    const aside = files.find((f) => f.startsWith('tokens.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await fs.readFile(path.join(dir, aside!), 'utf8')).toBe('{"version":1,"tokens":{ garbage');
    // The vault still works afterwards.
    expect(await vault.set('c1', TOKEN, { keep: 'persist', allowWeak: false })).toBe('encrypted');
    expect(await vault.get('c1')).toBe(TOKEN);
    expect(await fs.readFile(path.join(dir, aside!), 'utf8')).toBe('{"version":1,"tokens":{ garbage');
  });

  it('an empty file gives a notice naming the problem', async () => {
    await fs.writeFile(tokensFile(), '');
    const notices = await createTokenVault({ backend: fakeBackend(), dir }).load();
    expect(notices[0]?.message).toContain('empty');
  });

  it('JSON of an unknown format gives a notice and is kept: later saves never destroy it', async () => {
    const original = JSON.stringify({
      version: 2,
      tokens: { c1: { storage: 'encrypted', cipher: 'v2:xyz', hint: '••••', kdf: 'new' } },
    });
    await fs.writeFile(tokensFile(), original);
    const vault = createTokenVault({ backend: fakeBackend(), dir });
    const notices = await vault.load();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.level).toBe('error');
    expect(notices[0]!.message).toMatch(/kept at .*tokens\.json\.unreadable-/);
    // Two saves rotate both tokens.json and tokens.json.bak.
    await vault.set('a', TOKEN, { keep: 'persist', allowWeak: false });
    await vault.set('b', TOKEN, { keep: 'persist', allowWeak: false });
    const kept: string[] = [];
    for (const f of await fs.readdir(dir)) kept.push(await fs.readFile(path.join(dir, f), 'utf8'));
    expect(kept).toContain(original);
  });
});

// --- Through the app: the renderer never receives a token ---

function silentLog(): Logger {
  return { info: () => undefined, error: () => undefined };
}

describe('through createAppContext and the handlers', () => {
  let ctx: AppContext | null = null;
  afterEach(() => {
    ctx?.close();
    ctx = null;
  });

  const connection = {
    ...DEFAULT_CONNECTION_INPUT,
    name: 'prod',
    url: 'http://127.0.0.1:8086',
    db: 'db',
    authScheme: 'token' as const,
  };

  it.each([
    ['strong backend', fakeBackend(STRONG), 'persist', false, 'encrypted'],
    ['weak backend, allowed', fakeBackend(WEAK), 'persist', true, 'weak'],
    ['weak backend, not allowed', fakeBackend(WEAK), 'persist', false, 'session'],
    ['no backend', null, 'persist', false, 'session'],
    ['session keep', fakeBackend(STRONG), 'session', false, 'session'],
  ] as const)(
    '%s: save/list/info responses never contain the token',
    async (_name, cipher, keep, allowWeak, storage) => {
      const send = vi.fn<SendHttp>(async () => acceptedWriteExchange());
      ctx = await createAppContext({ mode: 'desktop', version: 't', dataDir: dir, cipher, log: silentLog(), send });
      const responses: unknown[] = [];
      const call = async (channel: string, req: unknown): Promise<unknown> => {
        const r = await dispatch(ctx!.handlers, channel, req, ctx!.log);
        responses.push(r);
        return r;
      };
      const saved = (await call('connections:save', {
        connection,
        token: { action: 'set', value: TOKEN, keep, allowWeak },
      })) as {
        ok: true;
        data: { id: string; token: { storage: string } };
      };
      expect(saved.ok).toBe(true);
      expect(saved.data.token.storage).toBe(storage);
      await call('connections:list', {});
      await call('connections:save', {
        id: saved.data.id,
        connection: { ...connection, name: 'prod 2' },
        token: { action: 'keep' },
      });
      await call('app:info', {});
      await call('write:send', {
        requestId: 'r1',
        connectionId: saved.data.id,
        params: { ...DEFAULT_WRITE_PARAMS, db: 'db' },
        auth: { scheme: 'token', username: '' },
        body: 'm f=1',
      });

      // The token did reach the HTTP layer...
      expect(send.mock.calls[0]![0].headers.Authorization).toBe(`Token ${TOKEN}`);
      // ...but no response the renderer gets carries it.
      const text = JSON.stringify(responses);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.slice(0, 12));
      expect(text).toContain('"hasToken":true');

      // And after a restart the token is still there only if it was persisted.
      ctx.close();
      ctx = await createAppContext({ mode: 'desktop', version: 't', dataDir: dir, cipher, log: silentLog(), send });
      const list = (await dispatch(ctx.handlers, 'connections:list', {}, ctx.log)) as {
        ok: true;
        data: { connections: Array<{ token: { hasToken: boolean } }> };
      };
      expect(list.data.connections[0]!.token.hasToken).toBe(storage !== 'session');
      expect(JSON.stringify(list)).not.toContain(TOKEN);
    },
  );

  it('a connection and its token are saved as one: when the token cannot be stored, the connection is not either', async () => {
    ctx = await createAppContext({
      mode: 'desktop',
      version: 't',
      dataDir: dir,
      cipher: fakeBackend(),
      log: silentLog(),
    });
    const a = await call(ctx, 'connections:save', {
      connection,
      token: { action: 'set', value: TOKEN, keep: 'persist', allowWeak: false },
    });
    // From now on tokens.json cannot be saved (a folder where its backup goes, as a full disk would).
    await fs.mkdir(`${tokensFile()}.bak`);
    const failedNew = await dispatch(
      ctx.handlers,
      'connections:save',
      {
        connection: { ...connection, name: 'second' },
        token: { action: 'set', value: `${TOKEN}-2`, keep: 'persist', allowWeak: false },
      },
      ctx.log,
    );
    expect(failedNew).toMatchObject({ ok: false, error: { code: 'STORAGE' } });
    const failedEdit = await dispatch(
      ctx.handlers,
      'connections:save',
      {
        id: a.id,
        connection: { ...connection, name: 'renamed' },
        token: { action: 'set', value: `${TOKEN}-3`, keep: 'persist', allowWeak: false },
      },
      ctx.log,
    );
    expect(failedEdit).toMatchObject({ ok: false, error: { code: 'STORAGE' } });
    const list = await call(ctx, 'connections:list', {});
    expect(list.connections.map((c) => [c.name, c.token.hint])).toEqual([[connection.name, a.token.hint]]);
    const onDisk = JSON.parse(await fs.readFile(path.join(dir, 'connections.json'), 'utf8')) as {
      connections: Array<{ name: string }>;
    };
    expect(onDisk.connections.map((c) => c.name)).toEqual([connection.name]);
  });

  it('clearing the token removes it', async () => {
    ctx = await createAppContext({
      mode: 'desktop',
      version: 't',
      dataDir: dir,
      cipher: fakeBackend(),
      log: silentLog(),
    });
    const saved = (await dispatch(
      ctx.handlers,
      'connections:save',
      { connection, token: { action: 'set', value: TOKEN, keep: 'persist', allowWeak: false } },
      ctx.log,
    )) as {
      ok: true;
      data: { id: string };
    };
    const cleared = await dispatch(
      ctx.handlers,
      'connections:save',
      { id: saved.data.id, connection, token: { action: 'clear' } },
      ctx.log,
    );
    expect(cleared).toMatchObject({ ok: true, data: { token: { hasToken: false, hint: null, storage: null } } });
    expect(await fs.readFile(tokensFile(), 'utf8')).not.toContain(saved.data.id);
  });

  it('deleting a connection deletes its token', async () => {
    ctx = await createAppContext({
      mode: 'desktop',
      version: 't',
      dataDir: dir,
      cipher: fakeBackend(),
      log: silentLog(),
    });
    const saved = (await dispatch(
      ctx.handlers,
      'connections:save',
      { connection, token: { action: 'set', value: TOKEN, keep: 'persist', allowWeak: false } },
      ctx.log,
    )) as {
      ok: true;
      data: { id: string };
    };
    expect((await readTokensFile()).tokens).toHaveProperty(saved.data.id);
    await dispatch(ctx.handlers, 'connections:delete', { id: saved.data.id }, ctx.log);
    expect((await readTokensFile()).tokens).toEqual({});
  });

  it('browser mode (cipher null) never writes tokens.json', async () => {
    ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log: silentLog() });
    await dispatch(
      ctx.handlers,
      'connections:save',
      { connection, token: { action: 'set', value: TOKEN, keep: 'persist', allowWeak: true } },
      ctx.log,
    );
    expect(await exists(tokensFile())).toBe(false);
    for (const f of await fs.readdir(dir)) expect(await fs.readFile(path.join(dir, f), 'utf8')).not.toContain(TOKEN);
  });

  it('a corrupt tokens.json at startup shows up as a notice in connections:list', async () => {
    await fs.writeFile(tokensFile(), 'not json');
    const errors: string[] = [];
    ctx = await createAppContext({
      mode: 'desktop',
      version: 't',
      dataDir: dir,
      cipher: fakeBackend(),
      log: { info: () => undefined, error: (_s, m) => errors.push(m) },
    });
    const list = (await dispatch(ctx.handlers, 'connections:list', {}, ctx.log)) as {
      ok: true;
      data: { notices: Array<{ level: string }> };
    };
    expect(list.data.notices).toHaveLength(1);
    expect(list.data.notices[0]!.level).toBe('error');
    expect(errors).toHaveLength(1);
  });
});
