// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { createAppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import { createLogger } from '../../electron/app/logger';
import { createConnectionsStore } from '../../electron/services/connections-store';
import { sendHttp } from '../../electron/services/http-client';
import { type CipherBackend, createTokenVault } from '../../electron/services/token-vault';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { redactText } from '../../shared/domain/redact';

/** Regressions for bad input and broken storage: clear messages, nothing lost, never a crash. */
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-robust-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const strong = (decrypt: CipherBackend['decrypt']): CipherBackend => ({
  status: { backend: 'test', level: 'strong', message: 'test' },
  encrypt: async (p) => new Uint8Array(Buffer.from(`enc:${p}`)),
  decrypt,
});

describe('storage robustness', () => {
  it('starts with a notice (not a crash) when connections.json is unreadable, and refuses to overwrite it', async () => {
    const dir = await tmp();
    await fs.mkdir(path.join(dir, 'connections.json')); // a directory where the file should be: EISDIR
    const ctx = await createAppContext({
      mode: 'browser',
      version: 't',
      dataDir: dir,
      cipher: null,
      log: createLogger(() => {}),
    });
    const list = await dispatch(ctx.handlers, 'connections:list', {}, ctx.log);
    expect(list.ok).toBe(true);
    expect(list.ok && (list.data as { notices: Array<{ message: string }> }).notices[0]?.message).toMatch(
      /could not be read/,
    );
    const save = await dispatch(
      ctx.handlers,
      'connections:save',
      { connection: { ...DEFAULT_CONNECTION_INPUT, name: 'x' }, token: { action: 'keep' } },
      ctx.log,
    );
    expect(save.ok).toBe(false);
    expect(!save.ok && save.error.code).toBe('STORAGE');
    expect((await fs.stat(path.join(dir, 'connections.json'))).isDirectory()).toBe(true);
  });

  it('the store alone reports the unreadable file as a notice', async () => {
    const dir = await tmp();
    await fs.mkdir(path.join(dir, 'connections.json'));
    const store = createConnectionsStore({ dir });
    const notices = await store.load();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.level).toBe('error');
  });

  it('explains a token that can no longer be decrypted instead of failing with INTERNAL', async () => {
    const dir = await tmp();
    const ok = createTokenVault({
      backend: strong(async (c) => ({ value: Buffer.from(c).toString().slice(4), shouldReEncrypt: false })),
      dir,
    });
    await ok.load();
    await ok.set('c1', 'secret-token-value', { keep: 'persist', allowWeak: false });
    const broken = createTokenVault({
      backend: strong(async () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
      }),
      dir,
    });
    await broken.load();
    await expect(broken.get('c1')).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringMatching(/could not be decrypted/),
    });
  });

  it('forgetting a token also removes its ciphertext from the backup file', async () => {
    const dir = await tmp();
    const vault = createTokenVault({
      backend: strong(async (c) => ({ value: Buffer.from(c).toString().slice(4), shouldReEncrypt: false })),
      dir,
    });
    await vault.load();
    await vault.set('a', 'first-token-aaaaaaaa', { keep: 'persist', allowWeak: false });
    await vault.set('b', 'second-token-bbbbbbb', { keep: 'persist', allowWeak: false });
    await vault.delete('a');
    const cipherA = Buffer.from('enc:first-token-aaaaaaaa').toString('base64');
    for (const f of ['tokens.json', 'tokens.json.bak']) {
      expect(await fs.readFile(path.join(dir, f), 'utf8')).not.toContain(cipherA);
    }
  });
});

describe('HTTP and redaction edge cases', () => {
  it('returns a bad-request failure for an invalid URL instead of throwing', async () => {
    const x = await sendHttp({
      method: 'GET',
      url: 'http://exa mple:99999/x?p=secret-value',
      headers: {},
      body: null,
      bodyBytes: 0,
      bodyLines: 0,
      gzip: false,
      timeoutMs: 1000,
      maxResponseBytes: 1024,
      tls: { caPem: '', skipVerify: false },
      secrets: ['secret-value'],
    });
    expect(x.response).toBeNull();
    expect(x.error?.kind).toBe('bad-request');
    expect(JSON.stringify(x)).not.toContain('secret-value');
  });

  it('redacts p= at the very start of a string (a form body or a pasted query string)', () => {
    expect(redactText('p=hunter2&u=admin')).toBe('p=[REDACTED]&u=admin');
    expect(redactText('u=admin&p=hunter2')).toBe('u=admin&p=[REDACTED]');
  });
});
