import { describe, expect, it, vi } from 'vitest';

import { dispatch } from '../../electron/app/dispatch';
import { createHandlers } from '../../electron/app/handlers';
import type { Logger } from '../../electron/app/logger';
import { createConnectionsStore } from '../../electron/services/connections-store';
import { createDraftsStore } from '../../electron/services/drafts-store';
import { renderExport } from '../../electron/services/export-service';
import { createHistoryStore } from '../../electron/services/history-store';
import { createRequestRegistry } from '../../electron/services/request-registry';
import { createTokenVault } from '../../electron/services/token-vault';
import { type Connection, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { EXPORT_FORMATS } from '../../shared/export/formats';

/** `export:render`: the real token appears in a snippet only when the user asked for it. */

const SECRET = 'tok-Export-Secret-7f3a9c1e';
const log: Logger = { info: () => {}, error: () => {} };
const params = { ...DEFAULT_WRITE_PARAMS, db: 'mydb', precision: 's' };

async function setup() {
  const vault = createTokenVault({ backend: null, dir: null });
  const handlers = createHandlers({
    mode: 'browser',
    version: 'test',
    store: createConnectionsStore({ dir: null }),
    vault,
    registry: createRequestRegistry(),
    history: createHistoryStore({ dir: null }),
    drafts: createDraftsStore({ dir: null }),
    send: async () => {
      throw new Error('no network in this test');
    },
    emit: () => {},
    notices: [],
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
      'export:render',
      {
        connectionId: id,
        format,
        params,
        auth: { scheme, username: 'admin' },
        body: 'm,t=a f=1 1700000000\n',
        includeToken,
      },
      log,
    );
  return { id, render, vault, handlers };
}

describe('export:render', () => {
  it.each(EXPORT_FORMATS.map((f) => f.id))(
    '%s: the token is absent by default and present only when asked',
    async (format) => {
      const { render } = await setup();
      const without = await render(format, false);
      expect(without.ok).toBe(true);
      if (!without.ok) return;
      const plain = without.data as { text: string; includesToken: boolean };
      expect(plain.text).not.toContain(SECRET);
      expect(plain.includesToken).toBe(false);
      expect(plain.text).toContain('INFLUX_TOKEN');

      const withToken = await render(format, true);
      expect(withToken.ok).toBe(true);
      if (!withToken.ok) return;
      const real = withToken.data as { text: string; includesToken: boolean };
      expect(real.text).toContain(SECRET);
      expect(real.includesToken).toBe(true);
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
      includeToken: false,
    };
    await renderExport(connection, input, readToken);
    expect(readToken).not.toHaveBeenCalled();
    const r = await renderExport(connection, { ...input, includeToken: true }, readToken);
    expect(readToken).toHaveBeenCalledTimes(1);
    expect(r.text).toContain(`Authorization: Bearer ${SECRET}`);
    // With auth "none" there is no credential to include, so the vault stays closed.
    readToken.mockClear();
    const none = await renderExport(
      connection,
      { ...input, auth: { scheme: 'none', username: '' }, includeToken: true },
      readToken,
    );
    expect(readToken).not.toHaveBeenCalled();
    expect(none.includesToken).toBe(false);
    expect(none.text).not.toContain('Authorization');
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
        includeToken: true,
      },
      log,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
