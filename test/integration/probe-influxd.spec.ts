import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import { createLogger } from '../../electron/app/logger';
import { sendHttp } from '../../electron/services/http-client';
import type { SendHttp } from '../../electron/services/write-service';
import { AUTH_SCHEMES, type AuthScheme } from '../../shared/domain/auth';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import type { HistoryEntry } from '../../shared/domain/history';
import type { ProbeCell, ProbeReport, ProbeRowId } from '../../shared/domain/probe';
import type { IpcResponse } from '../../shared/ipc/contract';
import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';

/**
 * The compatibility probe and flavor detection against a real InfluxDB 1.6 (Debian), auth on and off,
 * through the real handlers. Also checks that the probe wrote nothing.
 */

const log = createLogger(() => {});

/** Called as each request of the app leaves (the real client sends it): lets a test act while one is in flight. */
let onSend: (() => void) | null = null;
const send: SendHttp = (spec) => {
  onSend?.();
  return sendHttp(spec);
};

async function setup(influx: Influxd, token: string | null): Promise<{ ctx: AppContext; id: string; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-probe-'));
  const ctx = await createAppContext({ mode: 'browser', version: 'test', dataDir: dir, cipher: null, log, send });
  const saved = await dispatch(
    ctx.handlers,
    'connections:save',
    {
      connection: {
        ...DEFAULT_CONNECTION_INPUT,
        name: 'probe',
        url: influx.url,
        db: 'probedb',
        username: ADMIN.user,
        authScheme: token === null ? 'none' : 'basic',
        flavor: '2.x',
      },
      token: token === null ? { action: 'keep' } : { action: 'set', value: token, keep: 'session', allowWeak: false },
    },
    log,
  );
  if (!saved.ok) throw new Error(saved.error.message);
  return { ctx, id: (saved.data as { id: string }).id, dir };
}

function cell(report: ProbeReport, row: ProbeRowId, scheme: AuthScheme): ProbeCell {
  const r = report.rows.indexOf(row);
  const c = report.columns.indexOf(scheme);
  return report.cells[r]![c]!;
}

async function probe(ctx: AppContext, id: string): Promise<ProbeReport> {
  const res = await dispatch(
    ctx.handlers,
    'server:probe',
    { requestId: `probe-${Math.random().toString(36).slice(2)}`, connectionId: id },
    log,
  );
  if (!res.ok) throw new Error(res.error.message);
  return res.data as ProbeReport;
}

describe('probe and detection against influxd 1.6 with auth on', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let id: string;
  let dir: string;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true });
    await influx.query('CREATE DATABASE probedb');
    ({ ctx, id, dir } = await setup(influx, ADMIN.password));
  });
  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('ping detects 1.x from the real headers, and differs from the configured 2.x', async () => {
    const res = await dispatch(ctx.handlers, 'server:ping', { requestId: 'ping-1', connectionId: id }, log);
    expect(res.ok).toBe(true);
    const ping = (res as { ok: true; data: IpcResponse<'server:ping'> }).data;
    expect(ping.detected.flavor).toBe('1.x');
    expect(ping.detected.confidence).toBe('high');
    expect(ping.detected.build).toBe('OSS');
    expect(ping.detected.version).toMatch(/^1\.6\./);
  });

  it('the matrix: basic and query accepted on /write, bearer rejected (bearer auth disabld), none 401, v2/v3 not found', async () => {
    const report = await probe(ctx, id);
    expect(report.cancelled).toBe(false);
    expect(report.detected.flavor).toBe('1.x');
    expect(report.cells).toHaveLength(5);
    for (const row of report.cells) expect(row).toHaveLength(AUTH_SCHEMES.length);

    expect(cell(report, 'write-v1', 'basic')).toMatchObject({ outcome: 'accepted', status: 204 });
    expect(cell(report, 'write-v1', 'query')).toMatchObject({ outcome: 'accepted', status: 204 });
    expect(cell(report, 'write-v1', 'bearer')).toMatchObject({ outcome: 'rejected', status: 401 });
    expect(cell(report, 'write-v1', 'bearer').message).toMatch(/bearer auth disabl/);
    expect(cell(report, 'write-v1', 'none')).toMatchObject({ outcome: 'rejected', status: 401 });
    // 1.6 reads `Token user:password` only from 1.8 on: it cannot parse the credentials.
    expect(cell(report, 'write-v1', 'token')).toMatchObject({ outcome: 'rejected', status: 401 });
    for (const scheme of AUTH_SCHEMES) {
      expect(cell(report, 'write-v2', scheme).outcome).toBe('not-found');
      expect(cell(report, 'write-v3', scheme).outcome).toBe('not-found');
    }
    expect(cell(report, 'query-databases', 'basic')).toMatchObject({ outcome: 'accepted', status: 200 });
    expect(cell(report, 'query-measurements', 'query')).toMatchObject({ outcome: 'accepted', status: 200 });
    expect(cell(report, 'query-databases', 'none')).toMatchObject({ outcome: 'rejected', status: 401 });
    // The password never appears in a cell URL: `p=` is redacted.
    expect(cell(report, 'write-v1', 'query').url).toContain('p=[REDACTED]');
    expect(JSON.stringify(report)).not.toContain(ADMIN.password);
  });

  it('nothing was written by the probe', async () => {
    const q = await influx.query('SHOW MEASUREMENTS', 'probedb');
    expect(q.results?.[0]?.series).toBeUndefined();
    const series = await influx.query('SHOW SERIES', 'probedb');
    expect(series.results?.[0]?.series).toBeUndefined();
  });

  it('the probe and the ping are in history, with the detected flavor', async () => {
    const list = await dispatch(ctx.handlers, 'history:list', { kinds: ['probe'], limit: 10, offset: 0 }, log);
    expect(list.ok).toBe(true);
    const entries = (list as { ok: true; data: IpcResponse<'history:list'> }).data.entries;
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries[0]!.detected?.flavor).toBe('1.x');
    const full = await dispatch(ctx.handlers, 'history:get', { id: entries[0]!.id }, log);
    expect((full as { ok: true; data: HistoryEntry }).data.probe?.cells).toHaveLength(5);
  });

  it('cancelling a probe marks the unanswered cells cancelled and returns promptly', async () => {
    const requestId = 'probe-cancel';
    // Cancel once the probe's first request (its ping) is on the wire: the probe is then registered and running.
    const sending = new Promise<void>((resolve) => {
      onSend = resolve;
    });
    const running = dispatch(ctx.handlers, 'server:probe', { requestId, connectionId: id }, log);
    await sending;
    onSend = null;
    const cancel = await dispatch(ctx.handlers, 'request:cancel', { requestId }, log);
    expect(cancel).toEqual({ ok: true, data: { cancelled: true } });
    const res = await running;
    expect(res.ok).toBe(true);
    const report = (res as { ok: true; data: ProbeReport }).data;
    expect(report.cancelled).toBe(true);
    expect(report.cells.flat().some((c) => c.outcome === 'cancelled')).toBe(true);
  });
});

describe('probe against influxd 1.6 with auth off', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let id: string;
  let dir: string;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE probedb');
    ({ ctx, id, dir } = await setup(influx, 'any-token-value'));
  });
  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('every scheme is accepted on /write and /query (auth is not checked), v2/v3 not found, nothing written', async () => {
    const report = await probe(ctx, id);
    for (const scheme of AUTH_SCHEMES) {
      expect(cell(report, 'write-v1', scheme), scheme).toMatchObject({ outcome: 'accepted', status: 204 });
      expect(cell(report, 'query-databases', scheme).outcome).toBe('accepted');
      expect(cell(report, 'query-measurements', scheme).outcome).toBe('accepted');
      expect(cell(report, 'write-v2', scheme).outcome).toBe('not-found');
      expect(cell(report, 'write-v3', scheme).outcome).toBe('not-found');
    }
    const q = await influx.query('SHOW SERIES', 'probedb');
    expect(q.results?.[0]?.series).toBeUndefined();
  });

  it('a missing database is a rejection with the server’s message, not "not found"', async () => {
    const res = await dispatch(
      ctx.handlers,
      'server:probe',
      { requestId: 'probe-nodb', connectionId: id, db: 'nope' },
      log,
    );
    const report = (res as { ok: true; data: ProbeReport }).data;
    expect(cell(report, 'write-v1', 'none')).toMatchObject({ outcome: 'rejected', status: 404 });
    expect(cell(report, 'write-v1', 'none').message).toMatch(/database not found/);
    // 1.6 answers SHOW MEASUREMENTS on a missing database with an empty 200, not an error.
    expect(cell(report, 'query-measurements', 'none')).toMatchObject({ status: 200 });
  });

  it('without a stored token the credential columns are skipped', async () => {
    const other = await setup(influx, null);
    try {
      const report = await probe(other.ctx, other.id);
      expect(cell(report, 'write-v1', 'none').outcome).toBe('accepted');
      for (const scheme of AUTH_SCHEMES.filter((s) => s !== 'none'))
        expect(cell(report, 'write-v1', scheme).outcome).toBe('skipped');
    } finally {
      other.ctx.close();
      await fs.rm(other.dir, { recursive: true, force: true });
    }
  });
});
