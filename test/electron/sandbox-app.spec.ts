// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { APP_TOKEN_DESCRIPTION, createAppSandbox } from '../../electron/sandbox/app-sandbox';
import { createConnectionsStore } from '../../electron/services/connections-store';
import { createTokenVault } from '../../electron/services/token-vault';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { browserModeContext } from '../support/app-context';

/** The sandbox inside the app: first launch, relaunch, settings, management, and an engine that cannot load. */

describe('the app sandbox', () => {
  let dir: string;
  const open: AppContext[] = [];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-app-sandbox-'));
  });
  afterEach(async () => {
    for (const ctx of open.splice(0)) {
      ctx.close();
      await ctx.flush();
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<AppContext> => {
    const { ctx } = await browserModeContext('', { sandbox: true, dataDir: dir });
    open.push(ctx);
    return ctx;
  };

  it('first launch: a running sandbox, its connection listed first with a working token, demo data recent', async () => {
    const ctx = await start();
    // another connection that sorts before "Sandbox (Cloud Dedicated)" by name
    await ctx.handlers['connections:save']({
      connection: { ...DEFAULT_CONNECTION_INPUT, name: 'A local influxd' },
      token: { action: 'keep' },
    });
    const status = await ctx.handlers['sandbox:status']({});
    expect(status).toMatchObject({
      state: 'running',
      reason: null,
      autoStart: true,
      showGuide: true,
      profile: 'cloud-dedicated',
    });
    expect(status.databases).toEqual([{ name: 'demo', tables: 2, retentionPeriod: 0 }]);
    const list = await ctx.handlers['connections:list']({});
    expect(list.connections.map((c) => c.name)).toEqual(['Sandbox (Cloud Dedicated)', 'A local influxd']);
    const conn = list.connections[0]!;
    expect(conn).toMatchObject({
      id: status.connectionId,
      url: status.url,
      flavor: 'cloud-dedicated',
      db: 'demo',
      authScheme: 'bearer',
    });
    expect(conn.token.hasToken).toBe(true);
    // The query goes through the app's own request path with the vault's token.
    const q = await ctx.handlers['query:run']({
      requestId: 'r1',
      connectionId: conn.id,
      q: 'SELECT count(usage_user) FROM cpu WHERE time > now() - 3h',
      db: 'demo',
      rp: '',
      epoch: 'ms',
      chunked: false,
      chunkSize: 0,
      params: {},
      method: 'auto',
    });
    expect(q.exchange.response?.status).toBe(200);
    expect(q.exchange.response?.body).toContain('"columns":["time","count"]');
    expect(q.exchange.response?.body).toMatch(/\[\[\d+,360\]\]/);
  });

  it('relaunch: same connection, new port allowed, browser-mode token replaced (never piling up)', async () => {
    const first = await start();
    const s1 = await first.handlers['sandbox:status']({});
    first.close();
    await first.flush();
    open.length = 0;
    const second = await start();
    const s2 = await second.handlers['sandbox:status']({});
    expect(s2.state).toBe('running');
    expect(s2.connectionId).toBe(s1.connectionId);
    expect(s2.tokens.filter((t) => t.description === APP_TOKEN_DESCRIPTION)).toHaveLength(1);
    expect(s2.tokens).toHaveLength(1);
    expect(s2.tokens[0]!.id).not.toBe(s1.tokens[0]!.id);
    const ping = await second.handlers['server:ping']({ requestId: 'p', connectionId: s2.connectionId! });
    expect(ping.exchange.response?.status).toBe(204);
    expect(ping.detected.flavor).toBe('cloud-dedicated');
  });

  it('the setting turns it off and on; management creates and deletes databases and tokens', async () => {
    const ctx = await start();
    const off = await ctx.handlers['sandbox:settings']({ autoStart: false });
    expect(off).toMatchObject({ state: 'off', reason: 'The sandbox is turned off in its settings.', url: null });
    await expect(ctx.handlers['sandbox:manage']({ action: 'create-database', name: 'x' })).rejects.toThrow(
      'The sandbox is turned off in its settings.',
    );
    const on = await ctx.handlers['sandbox:settings']({ autoStart: true });
    expect(on.state).toBe('running');
    const created = await ctx.handlers['sandbox:manage']({ action: 'create-database', name: 'metrics' });
    expect(created.status.databases.map((d) => d.name)).toEqual(['demo', 'metrics']);
    await expect(ctx.handlers['sandbox:manage']({ action: 'create-database', name: 'bad name' })).rejects.toThrow(
      "namespace name 'bad name' contains invalid character, character number 3 is not allowed",
    );
    const token = await ctx.handlers['sandbox:manage']({
      action: 'create-token',
      description: 'grafana',
      read: ['metrics'],
      write: [],
    });
    expect(token.secret).toMatch(/^iwsb_/);
    const made = token.status.tokens.find((t) => t.description === 'grafana')!;
    expect(made.permissions).toEqual([{ action: 'read', resource: 'metrics' }]);
    // The secret is never in a status again.
    expect(JSON.stringify(await ctx.handlers['sandbox:status']({}))).not.toContain(token.secret!);
    const appToken = token.status.tokens.find((t) => t.app)!;
    await expect(ctx.handlers['sandbox:manage']({ action: 'delete-token', id: appToken.id })).rejects.toThrow(
      "That is the token of the app's own sandbox connection; it stays.",
    );
    const after = await ctx.handlers['sandbox:manage']({ action: 'delete-token', id: made.id });
    expect(after.status.tokens.map((t) => t.description)).toEqual([APP_TOKEN_DESCRIPTION]);
    const dropped = await ctx.handlers['sandbox:manage']({ action: 'delete-database', name: 'metrics' });
    expect(dropped.status.databases.map((d) => d.name)).toEqual(['demo']);
  });

  it('an engine that cannot load leaves the app working and says why the sandbox is off', async () => {
    const store = createConnectionsStore({ dir });
    await store.load();
    const vault = createTokenVault({ backend: null, dir: null });
    const errors: string[] = [];
    const sandbox = await createAppSandbox({
      dataDir: dir,
      store,
      vault,
      log: { error: (_s, m) => errors.push(m) },
      load: () => Promise.reject(new Error("Cannot find module '@duckdb/node-bindings-freebsd-riscv64/duckdb.node'")),
    });
    const status = sandbox.status();
    expect(status.state).toBe('unavailable');
    expect(status.reason).toBe(
      `The sandbox is off because its database engine (DuckDB) cannot load on this platform ` +
        `(${process.platform}-${process.arch}): Cannot find module ` +
        `'@duckdb/node-bindings-freebsd-riscv64/duckdb.node'`,
    );
    expect(errors).toEqual([status.reason]);
    await expect(sandbox.manage({ action: 'reload-demo' })).rejects.toThrow(status.reason!);
    await sandbox.close();
  });
});
