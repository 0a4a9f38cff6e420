import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { dispatch } from '../../electron/app/dispatch';
import { createHandlers } from '../../electron/app/handlers';
import type { Logger } from '../../electron/app/logger';
import { createConnectionsStore } from '../../electron/services/connections-store';
import { createDraftsStore } from '../../electron/services/drafts-store';
import { copyExportWithToken, fileSecretSink, renderExport } from '../../electron/services/export-service';
import { createHistoryStore } from '../../electron/services/history-store';
import { createRequestRegistry } from '../../electron/services/request-registry';
import { createResultStore } from '../../electron/services/result-store';
import { createTokenVault } from '../../electron/services/token-vault';
import { type Connection, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { EXPORT_FORMATS } from '../../shared/export/formats';

/**
 * `export:render` never carries the token; `export:copy` renders it with the real token and hands it to
 * main's sink (the clipboard in the desktop app, a user-only file in browser mode), never to the caller.
 */

const SECRET = 'tok-Export-Secret-7f3a9c1e';
const log: Logger = { info: () => {}, error: () => {} };
const params = { ...DEFAULT_WRITE_PARAMS, db: 'mydb', precision: 's' };

async function setup() {
  const vault = createTokenVault({ backend: null, dir: null });
  const delivered: string[] = [];
  const handlers = createHandlers({
    mode: 'browser',
    version: 'test',
    store: createConnectionsStore({ dir: null }),
    vault,
    registry: createRequestRegistry(),
    history: createHistoryStore({ dir: null }),
    drafts: createDraftsStore({ dir: null }),
    results: createResultStore(),
    resultSink: { file: async () => ({ to: 'cancelled' }) },
    send: async () => {
      throw new Error('no network in this test');
    },
    emit: () => {},
    notices: [],
    logs: { dir: '/tmp/iwb-export-logs' },
    secretSink: async (text) => {
      delivered.push(text);
      return { to: 'clipboard' };
    },
  });
  const saved = await dispatch(
    handlers,
    'connections:save',
    {
      connection: {
        ...DEFAULT_CONNECTION_INPUT,
        name: 'c',
        url: 'http://127.0.0.1:8086',
        db: 'mydb',
        authScheme: 'bearer',
      },
      token: { action: 'set', value: SECRET, keep: 'session', allowWeak: false },
    },
    log,
  );
  if (!saved.ok) throw new Error(saved.error.message);
  const id = (saved.data as { id: string }).id;
  const render = (
    format: string,
    includeToken: boolean,
    scheme: 'bearer' | 'basic' | 'query' | 'token' | 'none' = 'bearer',
  ) =>
    dispatch(
      handlers,
      includeToken ? 'export:copy' : 'export:render',
      {
        connectionId: id,
        format,
        params,
        auth: { scheme, username: 'admin' },
        body: 'm,t=a f=1 1700000000\n',
      },
      log,
    );
  return { id, render, vault, handlers, delivered };
}

describe('export:render', () => {
  it.each(EXPORT_FORMATS.map((f) => f.id))(
    '%s: the token is absent by default and present only when asked',
    async (format) => {
      const { render, delivered } = await setup();
      const without = await render(format, false);
      expect(without.ok).toBe(true);
      if (!without.ok) return;
      const plain = without.data as { text: string };
      expect(plain.text).not.toContain(SECRET);
      expect(plain.text).toContain('INFLUX_TOKEN');
      expect(delivered).toEqual([]);

      const withToken = await render(format, true);
      // The response says where the text went; the token is only in what main delivered.
      expect(withToken).toEqual({ ok: true, data: { to: 'clipboard' } });
      expect(JSON.stringify(withToken)).not.toContain(SECRET);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toContain(SECRET);
    },
  );

  it('curl references $INFLUX_TOKEN for every auth scheme by default', async () => {
    const { render } = await setup();
    for (const scheme of ['bearer', 'token', 'basic', 'query'] as const) {
      const r = await render('curl', false, scheme);
      expect(r.ok && (r.data as { text: string }).text).toContain('$INFLUX_TOKEN');
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
  });

  it('does not read the vault unless the token is asked for', async () => {
    const connection: Connection = {
      ...DEFAULT_CONNECTION_INPUT,
      id: 'c1',
      createdAt: '',
      updatedAt: '',
      name: 'c',
      url: 'http://127.0.0.1:8086',
    };
    const readToken = vi.fn(async () => SECRET);
    const input = {
      format: 'curl',
      params,
      auth: { scheme: 'bearer' as const, username: '' },
      body: 'm f=1',
    };
    expect(renderExport(connection, input).text).toContain('$INFLUX_TOKEN');
    const sink = vi.fn(async (_text: string) => ({ to: 'clipboard' as const }));
    await copyExportWithToken(connection, input, readToken, sink);
    expect(readToken).toHaveBeenCalledTimes(1);
    expect(sink.mock.calls[0]![0]).toContain(`Authorization: Bearer ${SECRET}`);
    // With auth "none" there is no credential to include, so the vault stays closed.
    readToken.mockClear();
    await expect(
      copyExportWithToken(connection, { ...input, auth: { scheme: 'none', username: '' } }, readToken, sink),
    ).rejects.toThrow(/no token to include/);
    expect(readToken).not.toHaveBeenCalled();
  });

  it("browser mode's sink writes a file only the user can read, replacing an older one", async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sink-')), 'exports');
    try {
      const sink = fileSecretSink(dir);
      const first = await sink(`curl -H "Authorization: Token ${SECRET}"`, 'curl');
      expect(first).toEqual({ to: 'file', path: path.join(dir, 'copy-with-token-curl.txt') });
      await fs.chmod(path.join(dir, 'copy-with-token-curl.txt'), 0o644);
      const second = await sink(`second ${SECRET}`, 'curl');
      const file = (second as { path: string }).path;
      expect(await fs.readFile(file, 'utf8')).toBe(`second ${SECRET}`);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    } finally {
      await fs.rm(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('refuses an unknown format, and a real token when none is stored', async () => {
    const { render, id, vault } = await setup();
    expect(await render('wget', false)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await vault.delete(id);
    const r = await render('curl', true);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await render('curl', false)).toMatchObject({ ok: true });
  });

  it('an unknown connection is NOT_FOUND', async () => {
    const { handlers } = await setup();
    const r = await dispatch(
      handlers,
      'export:render',
      {
        connectionId: 'gone',
        format: 'curl',
        params,
        auth: { scheme: 'none', username: '' },
        body: '',
      },
      log,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
