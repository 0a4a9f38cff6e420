import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type Checkpoint,
  type CheckpointStore,
  fileCheckpointStore,
} from '../../../electron/services/file-load/checkpoint';
import {
  type LandedCounts,
  type LoadDeps,
  type LoadOptions,
  realClock,
  runFileLoad,
} from '../../../electron/services/file-load/loader';
import { formatRejects, parseRejects } from '../../../electron/services/file-load/rejects';
import { DEFAULT_RETRY_POLICY } from '../../../electron/services/file-load/retry';
import { verifyLoad } from '../../../electron/services/file-load/verify';
import { type HttpRequestSpec, sendHttp } from '../../../electron/services/http-client';
import type { Target } from '../../../electron/services/write-service';
import type { HttpExchange } from '../../../shared/domain/http';
import { DEFAULT_WRITE_PARAMS } from '../../../shared/domain/write-request';

/**
 * The loader against a scripted server and a fake clock: retries wait what the policy says (and at
 * least Retry-After) without real time passing; 413 halves; a 400 partial write records exactly the
 * named lines; the checkpoint only ever covers batches that are acknowledged with everything before.
 */

function exchange(status: number | null, body = '', headers: Array<[string, string]> = []): HttpExchange {
  return {
    request: { method: 'POST', url: '', headers: [], bodyBytes: 0, wireBytes: 0, gzip: false, bodyLines: 0 },
    response:
      status === null
        ? null
        : { status, statusText: '', headers, body, bodyBytes: body.length, contentType: 'application/json' },
    error: status === null ? { kind: 'refused', message: 'connection refused', code: 'ECONNREFUSED' } : null,
    timing: { startedAt: '', ttfbMs: 1, totalMs: 1 },
    redirects: [],
  } as HttpExchange;
}

function fakeClock() {
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

function memoryStore(): CheckpointStore & { writes: Checkpoint[] } {
  const writes: Checkpoint[] = [];
  return {
    writes,
    read: () => Promise.resolve(writes.at(-1) ?? null),
    write: (_f, v) => {
      writes.push(v);
      return Promise.resolve();
    },
  };
}

const lines = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `m,k=${i + from} v=${i + from} ${1_700_000_000 + i + from}\n`).join('');

function source(text: string) {
  const bytes = Buffer.from(text);
  return {
    name: 'input.lp',
    size: bytes.length,

    async *open(offset: number) {
      for (let i = offset; i < bytes.length; i += 50)
        yield Buffer.from(bytes.subarray(i, Math.min(i + 50, bytes.length)));
    },
    guardBytes: (offset: number) => Promise.resolve(bytes.subarray(Math.max(0, offset - 4096), offset)),
  };
}

function setup(text: string, respond: (spec: HttpRequestSpec, n: number) => Promise<HttpExchange> | HttpExchange) {
  const clock = fakeClock();
  const store = memoryStore();
  const sent: string[] = [];
  const rejects: Buffer[] = [];
  const deps: LoadDeps = {
    send: async (spec) => {
      sent.push(Buffer.from(spec.body!).toString());
      return respond(spec, sent.length);
    },
    clock,
    random: () => 0.5,
    gzip: (b) => Promise.resolve(b),
    checkpoints: store,
    rejects: {
      append: (records) => {
        rejects.push(formatRejects(records));
        return Promise.resolve();
      },
    },
  };
  const options: LoadOptions = {
    source: source(text),
    target: { baseUrl: 'http://127.0.0.1:1', tls: { caPem: '', skipVerify: false }, timeoutMs: 1000 },
    params: { ...DEFAULT_WRITE_PARAMS, db: 'db', precision: 's' },
    auth: { scheme: 'none', username: '' },
    token: null,
    flavor: '1.x',
    batchLines: 10,
    batchBytes: 1 << 20,
    concurrency: 1,
    retry: DEFAULT_RETRY_POLICY,
    onInvalid: 'stop',
    stamp: null,
    checkpointFile: 'ck.json',
    collect: false,
  };
  return { clock, store, sent, rejects, deps, options };
}

describe('runFileLoad', () => {
  it('retries 429 after Retry-After and 503 with backoff, on the fake clock', async () => {
    const t = setup(lines(20), (_s, n) =>
      n === 1 ? exchange(429, '', [['Retry-After', '7']]) : n === 2 ? exchange(503) : exchange(204),
    );
    const s = await runFileLoad(t.deps, t.options);
    expect(s.status).toBe('completed');
    expect(s.accepted).toBe(20);
    expect(s.retries).toBe(2);
    // Retry 1: max(Retry-After 7 s, 250..500 ms); retry 2 (random 0.5): 500..1000 ms -> 750.
    expect(t.clock.sleeps).toEqual([7000, 750]);
    expect(t.sent.length).toBe(4);
    expect(t.store.writes.at(-1)!.offset).toBe(Buffer.byteLength(lines(20)));
  });

  it('gives up after --retries and keeps the checkpoint at the last acknowledged batch', async () => {
    const t = setup(lines(30), (_s, n) => (n === 1 ? exchange(204) : exchange(null)));
    const s = await runFileLoad(t.deps, { ...t.options, retry: { ...DEFAULT_RETRY_POLICY, retries: 3 } });
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/connection refused after 4 attempts/);
    expect(t.clock.sleeps).toEqual([375, 750, 1500]);
    expect(s.checkpoint).toMatchObject({ offset: Buffer.byteLength(lines(10)), line: 11 });
    expect(t.store.writes.map((w) => w.offset)).toEqual([Buffer.byteLength(lines(10))]);
  });

  it('never retries 401, and stops the load on it', async () => {
    const t = setup(lines(30), () => exchange(401, '{"error":"authorization failed"}'));
    const s = await runFileLoad(t.deps, t.options);
    expect(s.status).toBe('failed');
    expect(t.sent.length).toBe(1);
    expect(s.error).toContain('HTTP 401: authorization failed');
  });

  it('halves a batch on 413 until it fits, keeping source order', async () => {
    const t = setup(lines(10), (spec) => (spec.bodyLines > 3 ? exchange(413) : exchange(204)));
    const s = await runFileLoad(t.deps, t.options);
    expect(s.status).toBe('completed');
    expect(s.accepted).toBe(10);
    const accepted = t.sent.filter((b) => b.split('\n').length - 1 <= 3);
    expect(accepted.join('')).toBe(lines(10));
    expect(s.retries).toBe(0);
  });

  it('records the lines a 400 partial write names, with their source line numbers', async () => {
    // The file alone is valid: only the server knows that n.v already holds floats.
    const text = lines(5) + 'n,k=x v="str" 1700000099\n' + lines(4, 5);
    const t = setup(text, (spec) => {
      const body = Buffer.from(spec.body!).toString();
      return body.includes('v="str"')
        ? exchange(
            400,
            JSON.stringify({
              error:
                'partial write: field type conflict: input field "v" on measurement "n" is type string, ' +
                'already exists as type float dropped=1',
            }),
          )
        : exchange(204);
    });
    const s = await runFileLoad(t.deps, t.options);
    expect(s.accepted).toBe(9);
    expect(s.rejected).toBe(1);
    const parsed = parseRejects(Buffer.concat(t.rejects).toString());
    expect(parsed).toEqual([expect.objectContaining({ line: 6, endLine: 6, entry: 'n,k=x v="str" 1700000099' })]);
    expect(parsed[0]!.reason).toContain('field type conflict');
  });

  it('with concurrency, checkpoints only offsets below which every batch is acknowledged', async () => {
    const release: Array<() => void> = [];
    const t = setup(
      lines(40),
      () => new Promise<HttpExchange>((resolve) => release.push(() => resolve(exchange(204)))),
    );
    const run = runFileLoad(t.deps, { ...t.options, concurrency: 2 });
    const waitFor = async (n: number) => {
      while (release.length < n) await new Promise((r) => setImmediate(r));
    };
    await waitFor(2);
    release[1]!(); // batch 2 finishes first
    await waitFor(3);
    expect(t.store.writes).toEqual([]); // batch 1 still in flight: no checkpoint may cover batch 2
    release[0]!();
    await waitFor(4);
    expect(t.store.writes.map((w) => w.offset)).toEqual([Buffer.byteLength(lines(20))]);
    release[2]!();
    release[3]!();
    const s = await run;
    expect(s.status).toBe('completed');
    expect(t.store.writes.map((w) => w.line)).toEqual([21, 31, 41]);
  });

  it('resumes from the checkpoint and refuses a file that changed before it', async () => {
    const t = setup(lines(30), () => exchange(204));
    await t.store.write('ck.json', {
      version: 1,
      file: 'input.lp',
      offset: Buffer.byteLength(lines(10)),
      line: 11,
      guard: (await import('../../../electron/services/file-load/checkpoint')).guardHash(Buffer.from(lines(10))),
      fileStartNs: '0',
      accepted: 10,
      rejected: 0,
      updatedAt: '',
    });
    const s = await runFileLoad(t.deps, t.options);
    expect(s.resumedFrom).toBe(Buffer.byteLength(lines(10)));
    expect(t.sent.join('')).toBe(lines(20, 10));
    expect(t.store.writes.at(-1)).toMatchObject({ accepted: 30, line: 31 });

    const changed = setup(lines(30).replace('m,k=3 ', 'm,k=9 '), () => exchange(204));
    await changed.store.write('ck.json', t.store.writes[0]!);
    await expect(runFileLoad(changed.deps, changed.options)).rejects.toThrow(
      /is not the file ck.json was recorded for/,
    );
  });

  it('input read only once (the app) gets checkpoint guards of its source bytes, then resumes with them', async () => {
    // No timestamps and stamp now: the bodies sent differ from the source; batches are under 4 KiB.
    const text = Array.from({ length: 300 }, (_, i) => `m,k=${i} v=${i}\n`).join('');
    const bytes = Buffer.from(text);
    const t = setup(text, () => exchange(204));
    const once = { ...t.options.source, guardBytes: undefined };
    const s = await runFileLoad(t.deps, { ...t.options, source: once, stamp: 'now' });
    expect(s.status).toBe('completed');
    expect(t.store.writes.length).toBe(30);
    const { guardHash } = await import('../../../electron/services/file-load/checkpoint');
    for (const w of t.store.writes)
      expect(w.guard).toBe(guardHash(bytes.subarray(Math.max(0, w.offset - 4096), w.offset)));

    // Resuming from the 10th checkpoint with the bytes before it: accepted; with other bytes: refused.
    const at = t.store.writes[9]!;
    const resumed = setup(text, () => exchange(204));
    await resumed.store.write('ck.json', at);
    const from = { ...once, before: bytes.subarray(Math.max(0, at.offset - 4096), at.offset) };
    const r = await runFileLoad(resumed.deps, { ...resumed.options, source: from, stamp: 'now' });
    expect(r.resumedFrom).toBe(at.offset);
    expect(resumed.sent.join('').split('\n').length - 1).toBe(200);
    const wrong = setup(text, () => exchange(204));
    await wrong.store.write('ck.json', at);
    await expect(
      runFileLoad(wrong.deps, { ...wrong.options, source: { ...from, before: Buffer.from('other') }, stamp: 'now' }),
    ).rejects.toThrow(/is not the file ck.json was recorded for/);
  });

  it('cancel stops sending and leaves the checkpoint at the acknowledged part', async () => {
    const ac = new AbortController();
    const t = setup(lines(40), (_s, n) => {
      if (n === 2) ac.abort();
      return exchange(204);
    });
    const s = await runFileLoad(t.deps, { ...t.options, signal: ac.signal });
    expect(s.status).toBe('cancelled');
    expect(s.checkpoint.offset).toBe(Buffer.byteLength(lines(10)));
  });
});

/**
 * The loader and its verify pass build requests the way the editor's Send does, so a server that
 * echoes the credential back (here: the Authorization header and the URL, in an error body) has every
 * form of it redacted: Basic's base64 of `user:token` and the URL-encoded token, not only the raw one.
 */
describe('file load credentials', () => {
  const TOKEN = 'p@ss/word+1';
  const BASIC = Buffer.from(`admin:${TOKEN}`).toString('base64');

  let server: http.Server;
  let target: Target;

  beforeAll(async () => {
    // Answers every request with an error that repeats what it was sent.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const echo = JSON.stringify({ error: `not found: ${req.url} ${req.headers.authorization ?? ''}` });
        res.writeHead(req.url?.startsWith('/query') ? 401 : 404, { 'Content-Type': 'application/json' });
        res.end(echo);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      tls: { caPem: '', skipVerify: false },
      timeoutMs: 5000,
    };
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a load that fails on a server echoing Basic credentials reports the error without them', async () => {
    const t = setup('m v=1 1700000000\n', () => exchange(204));
    const s = await runFileLoad(
      { ...t.deps, send: sendHttp, clock: realClock },
      { ...t.options, target, auth: { scheme: 'basic', username: 'admin' }, token: TOKEN, checkpointFile: null },
    );
    expect(s.status).toBe('failed');
    expect(s.error).toContain('HTTP 404');
    expect(s.error).toContain('[REDACTED]');
    expect(s.error).not.toContain(BASIC);
    expect(s.error).not.toContain(TOKEN);
  });

  it('a verify query answered with the credential echoed reports the failure without it', async () => {
    const landed: LandedCounts = {
      measurements: new Map([['m', { points: 1, fields: new Map([['v', 1]]) }]]),
      minNs: 1n,
      maxNs: 2n,
      serverStamped: 0,
      unidentified: 0,
    };
    for (const auth of [
      { scheme: 'basic', username: 'admin' },
      { scheme: 'query', username: 'admin' },
    ] as const) {
      const v = await verifyLoad(sendHttp, {
        target,
        params: { ...DEFAULT_WRITE_PARAMS, db: 'db' },
        auth,
        token: TOKEN,
        landed,
        loadStartedMs: 0,
        loadEndedMs: 0,
      });
      expect(v.ok).toBe(false);
      expect(v.error).toContain('HTTP 401');
      expect(v.error).toContain('[REDACTED]');
      for (const form of [BASIC, TOKEN, encodeURIComponent(TOKEN)]) expect(v.error).not.toContain(form);
    }
  });
});

describe('rejects file', () => {
  it('is line protocol with a # line: reason comment before each entry, one line per comment', () => {
    const text = formatRejects([
      { line: 3, endLine: 3, bytes: Buffer.from('m v= 1'), reason: 'LP107 missing field value' },
      { line: 9, endLine: 10, bytes: Buffer.from('m s="a\nb" 2'), reason: 'unable to parse \'m s="a\nb"\': x' },
    ]).toString();
    expect(text).toBe(
      '# line 3: LP107 missing field value\nm v= 1\n# lines 9-10: unable to parse \'m s="a\\nb"\': x\nm s="a\nb" 2\n',
    );
    expect(parseRejects(text).map((r) => [r.line, r.entry])).toEqual([
      [3, 'm v= 1'],
      [9, 'm s="a\nb" 2'],
    ]);
  });
});

describe('checkpoint file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-ck-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is replaced atomically: a reader never sees a torn file, and the last write wins', async () => {
    const file = path.join(dir, 'ck.json');
    const value = (offset: number): Checkpoint => ({
      version: 1,
      file: 'x'.repeat(20_000), // big enough that a non-atomic write would be seen half-done
      offset,
      line: offset,
      guard: 'g',
      fileStartNs: '0',
      accepted: offset,
      rejected: 0,
      updatedAt: '',
    });
    await fileCheckpointStore.write(file, value(0));
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(file, 'utf8');
        const parsed = JSON.parse(text) as Checkpoint; // throws on a torn file
        expect(parsed.version).toBe(1);
        reads++;
      }
    })();
    const writes = Array.from({ length: 50 }, (_, i) => fileCheckpointStore.write(file, value(i + 1)));
    await Promise.all(writes);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((await fileCheckpointStore.read(file))!.offset).toBe(50);
    // Only the checkpoint and its backup remain: no temp files left behind.
    expect((await fs.readdir(dir)).sort()).toEqual(['ck.json', 'ck.json.bak']);
  });
});
