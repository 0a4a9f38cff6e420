import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import type { Logger } from '../../electron/app/logger';
import { createHistoryStore, type RecordInput } from '../../electron/services/history-store';
import { AUTH_SCHEMES } from '../../shared/domain/auth';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import type { HistoryEntry } from '../../shared/domain/history';
import type { HttpExchange } from '../../shared/domain/http';
import { credentialForms } from '../../shared/domain/redact';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { call } from '../support/call';

const silentLog: Logger = { info: () => undefined, error: () => undefined };

function exchange(status: number, body = '', url = 'http://127.0.0.1:8086/write?db=db'): HttpExchange {
  return {
    request: {
      method: 'POST',
      url,
      headers: [['Content-Type', 'text/plain']],
      bodyBytes: 10,
      wireBytes: 10,
      gzip: false,
      bodyLines: 1,
    },
    response: {
      status,
      statusText: status === 204 ? 'No Content' : 'Bad Request',
      headers: [
        ['X-Influxdb-Version', '1.6.7~rc0'],
        ['X-Influxdb-Build', 'OSS'],
      ],
      body,
      bodyBytes: body.length,
      contentType: 'application/json',
    },
    error: null,
    timing: { startedAt: new Date().toISOString(), ttfbMs: 1, totalMs: 2 },
    redirects: [],
  };
}

const writeInput = (body: string, x: HttpExchange = exchange(204), name = 'local'): RecordInput => ({
  kind: 'write',
  connection: { id: 'c1', name },
  exchange: x,
  requestBody: body,
  replay: { kind: 'write', params: { ...DEFAULT_WRITE_PARAMS, db: 'db' }, auth: { scheme: 'none', username: '' } },
});

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-history-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('history store', () => {
  it('records, lists newest first, gets, deletes, clears', async () => {
    const h = createHistoryStore({ dir: null });
    const a = h.record(writeInput('cpu v=1'), []);
    const b = h.record(writeInput('mem v=2', exchange(400, '{"error":"unable to parse"}')), []);
    const list = h.list({ limit: 10, offset: 0 });
    expect(list.total).toBe(2);
    expect(list.entries.map((e) => e.id)).toEqual([b.id, a.id]);
    expect(list.entries[1]).toMatchObject({
      kind: 'write',
      status: 204,
      ok: true,
      summary: '204 No Content',
      method: 'POST',
    });
    expect(list.entries[0]).toMatchObject({ status: 400, ok: false, summary: '400 Bad Request: unable to parse' });
    expect(h.get(a.id)?.request?.body).toBe('cpu v=1');
    expect(h.get(a.id)?.server).toEqual({ version: '1.6.7~rc0', build: 'OSS' });
    expect(h.delete(a.id)).toBe(true);
    expect(h.delete(a.id)).toBe(false);
    expect(h.clear()).toBe(1);
    expect(h.list({ limit: 10, offset: 0 }).total).toBe(0);
  });

  it('searches all terms over body, URL, summary and connection; filters kind, connection, outcome; pages', () => {
    const h = createHistoryStore({ dir: null });
    h.record(writeInput('cpu,host=alpha v=1'), []);
    h.record(writeInput('mem,host=beta v=1', exchange(400, '{"error":"partial write"}')), []);
    h.record({ ...writeInput('disk v=1'), connection: { id: 'c2', name: 'staging' } }, []);
    h.record(
      {
        kind: 'query',
        connection: { id: 'c1', name: 'local' },
        exchange: exchange(200, '{"results":[]}', 'http://h/query'),
        requestBody: 'SHOW MEASUREMENTS',
        rowCount: 3,
        replay: {
          kind: 'query',
          auth: null,
          query: {
            q: 'SHOW MEASUREMENTS',
            db: 'db',
            rp: '',
            epoch: '',
            chunked: false,
            chunkSize: 0,
            params: {},
            method: 'auto',
          },
        },
      },
      [],
    );
    // A statement error comes with HTTP 200: the entry is still a failure, summarised by the error.
    h.record(
      {
        kind: 'query',
        connection: { id: 'c3', name: 'errors' },
        exchange: exchange(
          200,
          '{"results":[{"statement_id":0,"error":"database not found: nope"}]}',
          'http://h/query',
        ),
        requestBody: 'SELECT * FROM nope..cpu',
        rowCount: 0,
        failure: 'database not found: nope',
        replay: {
          kind: 'query',
          auth: null,
          query: { q: 'x', db: 'db', rp: '', epoch: '', chunked: false, chunkSize: 0, params: {}, method: 'auto' },
        },
      },
      [],
    );
    expect(h.list({ connectionId: 'c3', outcome: 'failed', limit: 10, offset: 0 }).entries[0]).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/^200 .*: database not found: nope · 0 rows$/),
    });
    expect(h.list({ connectionId: 'c3', outcome: 'ok', limit: 10, offset: 0 }).total).toBe(0);
    expect(h.clear('c3')).toBe(1);
    const ids = (f: Parameters<typeof h.list>[0]): string[] => h.list(f).entries.map((e) => e.summary);
    expect(h.list({ search: 'HOST=ALPHA', limit: 10, offset: 0 }).total).toBe(1);
    expect(h.list({ search: 'host partial', limit: 10, offset: 0 }).total).toBe(1);
    expect(h.list({ search: 'staging', limit: 10, offset: 0 }).total).toBe(1);
    expect(h.list({ search: 'show measurements', limit: 10, offset: 0 }).entries[0]).toMatchObject({
      kind: 'query',
      summary: expect.stringContaining('3 rows'),
    });
    expect(h.get(h.list({ kinds: ['query'], limit: 1, offset: 0 }).entries[0]!.id)?.rowCount).toBe(3);
    expect(h.list({ kinds: ['query'], limit: 10, offset: 0 }).total).toBe(1);
    expect(h.list({ connectionId: 'c2', limit: 10, offset: 0 }).total).toBe(1);
    expect(ids({ outcome: 'failed', limit: 10, offset: 0 })).toEqual(['400 Bad Request: partial write']);
    expect(h.list({ limit: 2, offset: 2 }).entries).toHaveLength(2);
    expect(h.list({ limit: 2, offset: 3 }).entries).toHaveLength(1);
    expect(h.clear('c2')).toBe(1);
    expect(h.list({ limit: 10, offset: 0 }).total).toBe(3);
  });

  it('keeps the newest N entries', () => {
    const h = createHistoryStore({ dir: null, maxEntries: 3 });
    for (let i = 0; i < 5; i++) h.record(writeInput(`m v=${i}`), []);
    const kept = h.list({ limit: 10, offset: 0 }).entries.map((e) => h.get(e.id)!.request!.body);
    expect(kept).toEqual(['m v=4', 'm v=3', 'm v=2']);
  });

  it('keeps the total size under the cap, oldest out first', () => {
    const h = createHistoryStore({ dir: null, maxTotalBytes: 10_000 });
    for (let i = 0; i < 10; i++) h.record(writeInput(`${i}`.repeat(3_000)), []);
    expect(h.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(h.stats().count).toBeGreaterThan(0);
    expect(h.stats().count).toBeLessThan(10);
    expect(h.get(h.list({ limit: 1, offset: 0 }).entries[0]!.id)!.request!.body.startsWith('9')).toBe(true);
  });

  it('cuts bodies over the cap (UTF-8 safe) and says so', () => {
    const h = createHistoryStore({ dir: null, bodyCapBytes: 1024 });
    const big = 'é'.repeat(2000);
    const e = h.record(writeInput(big, exchange(400, 'x'.repeat(5000))), []);
    expect(e.request!.bodyTruncated).toBe(true);
    expect(e.request!.bodyBytes).toBe(4000);
    expect(Buffer.byteLength(e.request!.body)).toBeLessThanOrEqual(1024);
    expect(e.request!.body).not.toContain('\uFFFD');
    expect(e.response!.bodyTruncated).toBe(true);
    expect(e.notes.join(' ')).toMatch(/Request body cut at 1 KiB of 4 KiB/);
    expect(h.list({ limit: 1, offset: 0 }).entries[0]!.replayable).toBe(false);
  });

  it('scrubs every credential form (raw, JSON-escaped, URL-encoded, Basic) a server echoed back', () => {
    const h = createHistoryStore({ dir: null });
    // `"`, `\`, `+`, `/` and `=` make each form differ from the raw token.
    const secret = 'p@ss/w0rd+tok"q\\=';
    const b64 = Buffer.from(`admin:${secret}`).toString('base64');
    const echoed = JSON.stringify({
      error: `bad ${secret} / ${b64} / ${encodeURIComponent(secret)} / ${new URLSearchParams({ p: secret })}`,
    });
    expect(echoed).toContain(JSON.stringify(secret).slice(1, -1)); // the body holds the JSON-escaped form
    const e = h.record(writeInput(`m v=1 ${secret}`, exchange(401, echoed)), credentialForms(secret, ['admin']));
    const text = JSON.stringify(e);
    for (const form of [
      secret,
      JSON.stringify(secret).slice(1, -1),
      b64,
      encodeURIComponent(secret),
      new URLSearchParams({ p: secret }).toString().slice(2),
    ]) {
      expect(text).not.toContain(form);
      expect(e.response!.body).not.toContain(form);
    }
    expect(e.response!.body).toContain('[REDACTED]');
    expect(e.request!.body).toBe('m v=1 [REDACTED]');
  });

  it('coalesces a burst into one write, and flush() writes the rest', async () => {
    const h = createHistoryStore({ dir, debounceMs: 60_000 });
    await h.load();
    for (let i = 0; i < 20; i++) h.record(writeInput(`m v=${i}`), []);
    await expect(fs.access(path.join(dir, 'history.json'))).rejects.toThrow();
    await h.flush();
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'history.json'), 'utf8')) as {
      version: number;
      entries: HistoryEntry[];
    };
    expect(saved.version).toBe(1);
    expect(saved.entries).toHaveLength(20);
    const again = createHistoryStore({ dir });
    expect(await again.load()).toEqual([]);
    expect(again.list({ limit: 100, offset: 0 }).total).toBe(20);
  });

  it('saves on its own after the debounce, once for a burst', async () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      const h = createHistoryStore({ dir, debounceMs: 500 });
      const spy = vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
        writes.push(String(to));
        await fs.copyFile(from, to);
      });
      for (let i = 0; i < 50; i++) h.record(writeInput(`m v=${i}`), []);
      await vi.advanceTimersByTimeAsync(600);
      vi.useRealTimers();
      await h.flush();
      spy.mockRestore();
      expect(writes.filter((w) => w.endsWith('history.json'))).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the app context: close() stops the timer without writing; flush() then saves', async () => {
    // Only the timers are fake: the save debounce can then be run past without waiting for it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log: silentLog });
    try {
      const { id } = await call(ctx, 'connections:save', {
        connection: { ...DEFAULT_CONNECTION_INPUT, name: 'x', url: 'http://127.0.0.1:9' },
        token: { action: 'keep' },
      });
      await call(ctx, 'server:ping', { requestId: 'p', connectionId: id });
      expect(vi.getTimerCount()).toBe(1); // the save debounce
      ctx.close();
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      vi.useRealTimers();
    }
    await expect(fs.access(path.join(dir, 'history.json'))).rejects.toThrow();
    await ctx.flush();
    const entries = (
      JSON.parse(await fs.readFile(path.join(dir, 'history.json'), 'utf8')) as { entries: HistoryEntry[] }
    ).entries;
    expect(entries.map((e) => [e.kind, e.ok, e.error?.kind])).toEqual([['ping', false, 'connection-refused']]);
    // The list row reads as words, not as the machine code (which stays in `error.kind`).
    expect(entries[0]!.summary).toMatch(/^Connection refused by 127\.0\.0\.1:9\b/);
    expect(entries[0]!.summary).not.toContain('connection-refused');
  });

  it('clearing clears the backup too: a later restore from it brings nothing back', async () => {
    const h = createHistoryStore({ dir });
    h.record(writeInput('a v=1'), []);
    await h.flush();
    h.record(writeInput('b v=2'), []);
    await h.flush();
    expect(h.clear()).toBe(2);
    await h.flush();
    await fs.rm(path.join(dir, 'history.json')); // lost: the next start restores the backup
    const again = createHistoryStore({ dir });
    await again.load();
    expect(again.list({ limit: 10, offset: 0 }).total).toBe(0);
  });

  it('a failed save is shown by history:list until a save works', async () => {
    const ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log: silentLog });
    try {
      const c = await call(ctx, 'connections:save', {
        connection: { ...DEFAULT_CONNECTION_INPUT, name: 'x', url: 'http://127.0.0.1:9' },
        token: { action: 'keep' },
      });
      await call(ctx, 'server:ping', { requestId: 'p1', connectionId: c.id });
      await ctx.flush();
      expect((await call(ctx, 'history:list', { limit: 10, offset: 0 })).saveError).toBeNull();
      // The next save cannot keep a backup (a folder is in its way), so it fails, as on a full disk.
      await fs.mkdir(path.join(dir, 'history.json.bak'));
      await call(ctx, 'server:ping', { requestId: 'p2', connectionId: c.id });
      await expect(ctx.flush()).rejects.toMatchObject({ code: 'STORAGE' });
      const failed = await call(ctx, 'history:list', { limit: 10, offset: 0 });
      expect(failed.total).toBe(2);
      expect(failed.saveError).toMatch(/Could not save request history to .*history\.json/);
      await fs.rmdir(path.join(dir, 'history.json.bak'));
      await ctx.flush();
      expect((await call(ctx, 'history:list', { limit: 10, offset: 0 })).saveError).toBeNull();
    } finally {
      ctx.close();
    }
  });

  it('an entry that cannot be read is left out, and the file it was in is kept aside', async () => {
    const good = createHistoryStore({ dir: null }).record(writeInput('m v=1'), []);
    const original = JSON.stringify({ version: 1, entries: [good, { id: 1 }] });
    await fs.writeFile(path.join(dir, 'history.json'), original);
    const h = createHistoryStore({ dir });
    const notices = await h.load();
    expect(h.list({ limit: 10, offset: 0 }).total).toBe(1);
    const copy = (await fs.readdir(dir)).find((f) => f.startsWith('history.json.partial-'));
    expect(copy).toBeDefined();
    expect(await fs.readFile(path.join(dir, copy!), 'utf8')).toBe(original);
    expect(notices.map((n) => n.message).join(' ')).toContain(copy!);
    await h.flush(); // rewriting history.json leaves the copy alone
    expect(await fs.readFile(path.join(dir, copy!), 'utf8')).toBe(original);
  });

  it('a corrupt history.json is moved aside, the backup restored, a notice given', async () => {
    const h = createHistoryStore({ dir });
    h.record(writeInput('good v=1'), []);
    await h.flush();
    h.record(writeInput('good v=2'), []);
    await h.flush(); // history.json.bak now holds the first save
    await fs.writeFile(path.join(dir, 'history.json'), '{"version":1,"entries":[{"id":');
    const again = createHistoryStore({ dir });
    const notices = await again.load();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/damaged .* moved to .*history\.json\.corrupt-.*last good copy was restored/);
    expect(again.list({ limit: 10, offset: 0 }).total).toBe(1);
    const files = await fs.readdir(dir);
    expect(files.some((f) => f.startsWith('history.json.corrupt-'))).toBe(true);
  });

  it('a corrupt file with no backup starts empty; unreadable entries are dropped with a notice', async () => {
    await fs.writeFile(path.join(dir, 'history.json'), 'not json at all');
    const h = createHistoryStore({ dir });
    expect((await h.load())[0]!.message).toMatch(/history starts empty/);
    await fs.rm(path.join(dir, 'history.json.bak'), { force: true });
    const good = createHistoryStore({ dir: null }).record(writeInput('m v=1'), []);
    await fs.writeFile(
      path.join(dir, 'history.json'),
      JSON.stringify({ version: 1, entries: [good, { id: 1 }, 'x', { ...good }] }),
    );
    const h2 = createHistoryStore({ dir });
    expect((await h2.load())[0]!.message).toMatch(/3 request history entries could not be read/);
    expect(h2.list({ limit: 10, offset: 0 }).total).toBe(1);
  });

  it('a damaged history file never blocks start-up: the app starts and shows the notice', async () => {
    await fs.writeFile(path.join(dir, 'history.json'), '\u0000\u0001garbage');
    const ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log: silentLog });
    const list = await dispatch(ctx.handlers, 'connections:list', {}, silentLog);
    expect(list.ok).toBe(true);
    if (list.ok)
      expect((list.data as { notices: Array<{ message: string }> }).notices.map((n) => n.message).join(' ')).toMatch(
        /Request history/,
      );
    ctx.close();
  });
});

describe('no token ever reaches history.json', () => {
  let server: http.Server;
  let url: string;
  let ctx: AppContext;
  const SECRET = 'hist-Secret-Token-9a8b7c6d5e';

  beforeEach(async () => {
    // Echoes the Authorization header and query string back, as a careless proxy might.
    server = http.createServer((req, res) => {
      const echo = JSON.stringify({ error: `auth=${req.headers.authorization ?? ''} url=${req.url ?? ''}` });
      res.writeHead(req.url?.startsWith('/ping') ? 204 : 401, {
        'Content-Type': 'application/json',
        'X-Echo': String(req.headers.authorization ?? ''),
      });
      res.end(req.url?.startsWith('/ping') ? undefined : echo);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log: silentLog });
  });
  afterEach(async () => {
    ctx.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('writes, pings, queries and a probe with every auth scheme; history.json holds neither the token nor its Basic base64', async () => {
    const saved = await dispatch(
      ctx.handlers,
      'connections:save',
      {
        connection: {
          ...DEFAULT_CONNECTION_INPUT,
          name: 'echo',
          url,
          db: 'db',
          username: 'admin',
          authScheme: 'basic',
        },
        token: { action: 'set', value: SECRET, keep: 'session', allowWeak: false },
      },
      silentLog,
    );
    if (!saved.ok) throw new Error(`connections:save failed: ${saved.error.message}`);
    const { id } = saved.data as { id: string };
    for (const scheme of AUTH_SCHEMES) {
      const auth = { scheme, username: 'admin' };
      const w = await dispatch(
        ctx.handlers,
        'write:send',
        {
          requestId: `w-${scheme}`,
          connectionId: id,
          params: { ...DEFAULT_WRITE_PARAMS, db: 'db' },
          auth,
          body: `m,token=${SECRET} v=1`,
        },
        silentLog,
      );
      expect(w.ok).toBe(true);
      expect(
        (await dispatch(ctx.handlers, 'server:ping', { requestId: `p-${scheme}`, connectionId: id, auth }, silentLog))
          .ok,
      ).toBe(true);
      const q = await dispatch(
        ctx.handlers,
        'query:run',
        {
          requestId: `q-${scheme}`,
          connectionId: id,
          q: 'SHOW DATABASES',
          db: 'db',
          rp: '',
          epoch: '',
          chunked: false,
          chunkSize: 0,
          params: {},
          method: 'auto',
          auth,
        },
        silentLog,
      );
      expect(q.ok).toBe(true);
    }
    expect((await dispatch(ctx.handlers, 'server:probe', { requestId: 'probe', connectionId: id }, silentLog)).ok).toBe(
      true,
    );
    await ctx.flush();
    const text = await fs.readFile(path.join(dir, 'history.json'), 'utf8');
    const entries = (JSON.parse(text) as { entries: HistoryEntry[] }).entries;
    expect(entries.length).toBe(AUTH_SCHEMES.length * 3 + 1);
    // The echo server did return the credential: the history must not have it.
    expect(entries.some((e) => e.response?.body.includes('[REDACTED]'))).toBe(true);
    for (const needle of [SECRET, Buffer.from(`admin:${SECRET}`).toString('base64'), encodeURIComponent(SECRET)]) {
      expect(text).not.toContain(needle);
    }
    // Nor its backup.
    const bak = await fs.readFile(path.join(dir, 'history.json.bak'), 'utf8').catch(() => '');
    expect(bak).not.toContain(SECRET);
  });
});
