// @vitest-environment node
import fs from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import type { FileLoadOutcome, ResumableLoad } from '../../shared/domain/file-load';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { browserModeContext } from '../support/app-context';
import { call } from '../support/call';
import { type Influxd, startInfluxd } from '../support/influxd';

/**
 * The app's file loads resume (through the same handlers the app and browser mode use, against a real
 * influxd 1.6.7): main records each load and its checkpoint in the data folder; a cancelled load is
 * offered again with the line it stopped at, resumes there given the same file, and the server ends
 * up with exactly every point, no gap; another file (size, modification time, first bytes, or the
 * bytes before the checkpoint) is refused with the reason.
 */

const N = 120_000;
const BASE = 1_700_000_000;
const PIECE = 128 * 1024;
const OPTIONS = {
  batchLines: 2000,
  batchBytes: 8 << 20,
  concurrency: 2,
  retries: 2,
  onInvalid: 'stop',
  stamp: 'none',
  verify: false,
} as const;

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

describe('resuming a file load in the app (influxd 1.6.7)', () => {
  let influx: Influxd;
  let ctx: AppContext;
  let dir: string;
  let conn: string;
  let file: Buffer;
  const lastModified = 1_760_000_000_000;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE resume');
    ({ ctx, dir } = await browserModeContext('iwb-resume-'));
    conn = (
      await call(ctx, 'connections:save', {
        connection: { ...DEFAULT_CONNECTION_INPUT, name: 'local', url: influx.url, flavor: '1.x', db: 'resume' },
        token: { action: 'keep' },
      })
    ).id;
    const lines: string[] = [];
    for (let i = 0; i < N; i++) lines.push(`rs,host=h${i % 10} v=${i}i ${BASE + i}\n`);
    file = Buffer.from(lines.join(''));
  });

  afterAll(async () => {
    ctx?.close();
    await influx?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const start = (requestId: string, bytes: Buffer, over: { lastModified?: number; resume?: ResumableLoad } = {}) =>
    dispatch(
      ctx.handlers,
      'fileload:start',
      {
        requestId,
        connectionId: conn,
        params: { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'resume', precision: 's' },
        auth: { scheme: 'none', username: '' },
        fileName: 'day.lp',
        fileSize: bytes.length,
        lastModified: over.lastModified ?? lastModified,
        head: b64(bytes.subarray(0, 64 * 1024)),
        options: OPTIONS,
        ...(over.resume
          ? {
              resume: {
                loadId: over.resume.loadId,
                guard: b64(bytes.subarray(Math.max(0, over.resume.offset - 4096), over.resume.offset)),
              },
            }
          : {}),
      },
      ctx.log,
    );

  /** Pushes `bytes` from `from` on; before each piece `before(offset)` may act (cancel). */
  const push = async (
    requestId: string,
    bytes: Buffer,
    from: number,
    before: (offset: number) => Promise<void> = async () => {},
  ): Promise<FileLoadOutcome> => {
    for (let offset = from; ; offset += PIECE) {
      await before(offset);
      const end = Math.min(bytes.length, offset + PIECE);
      const r = await call(ctx, 'fileload:chunk', {
        requestId,
        offset,
        data: b64(bytes.subarray(offset, end)),
        last: end >= bytes.length,
      });
      if (!r.more) return r.outcome!;
    }
  };

  const unfinished = async (): Promise<ResumableLoad[]> => (await call(ctx, 'fileload:resumable', {})).loads;

  async function count(): Promise<number> {
    const r = await influx.query('SELECT COUNT(v) FROM rs', 'resume');
    return Number(r.results?.[0]?.series?.[0]?.values[0]?.[1] ?? 0);
  }

  it('a cancelled load resumes from its checkpoint: every point lands, no gap', { timeout: 120_000 }, async () => {
    expect((await start('first', file)).ok).toBe(true);
    // Cancel once some batches are acknowledged (the checkpoint moved) and well before the end.
    const cancelled = await push('first', file, 0, async (offset) => {
      if (offset < file.length / 2) return;
      for (;;) {
        const l = (await unfinished()).find((x) => x.loadId === 'first');
        expect(l?.status).toBe('running');
        if (l!.offset > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      await call(ctx, 'fileload:control', { requestId: 'first', action: 'cancel' });
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.resumable).toBe(true);
    const [load] = await unfinished();
    expect(load).toMatchObject({ loadId: 'first', status: 'cancelled', file: { name: 'day.lp', size: file.length } });
    expect(load!.offset).toBeGreaterThan(0);
    expect(load!.offset).toBeLessThan(file.length);
    // The checkpoint is at an entry boundary, and its line is the one that starts there.
    expect(file[load!.offset - 1]).toBe(10);
    expect(load!.line).toBe(file.subarray(0, load!.offset).toString().split('\n').length);
    expect(await count()).toBeLessThan(N);
    // The checkpoint is the CLI's file, in the data folder.
    const ck = JSON.parse(await fs.readFile(path.join(dir, 'file-loads', 'first.checkpoint.json'), 'utf8'));
    expect(ck).toMatchObject({ version: 1, offset: load!.offset, line: load!.line });

    // Another file is refused, with the reason; the load stays offered.
    const touched = await start('other1', file, { lastModified: lastModified + 1000, resume: load });
    expect(touched.ok).toBe(false);
    expect(!touched.ok && touched.error.message).toMatch(/^Cannot resume: day.lp was modified/);
    const edited = Buffer.from(file);
    edited[5] = 'X'.charCodeAt(0);
    const headDiffers = await start('other2', edited, { resume: load });
    expect(!headDiffers.ok && headDiffers.error.message).toMatch(/first 64 KiB of day.lp differ/);
    const shorter = await start('other3', file.subarray(0, file.length - 1), { resume: load });
    expect(!shorter.ok && shorter.error.message).toMatch(/is \d+ bytes; the load was recorded for day.lp of \d+ bytes/);
    // Same name, size, time and head, but other bytes just before the checkpoint: the loader refuses.
    const late = Buffer.from(file);
    late[load!.offset - 3] = late[load!.offset - 3] === 49 ? 50 : 49;
    expect((await start('other4', late, { resume: load })).ok).toBe(true);
    await expect(push('other4', late, load!.offset)).rejects.toThrow(
      /BAD_REQUEST Cannot resume: the bytes of day.lp before line \d+ are not those of the recorded load/,
    );
    expect((await unfinished())[0]).toMatchObject({ status: 'cancelled', offset: load!.offset });
    expect((await unfinished()).map((l) => l.loadId)).toEqual(['first']);

    // The same file: resumes at the checkpoint, and the server holds every point exactly once.
    const [again] = await unfinished();
    expect((await start('second', file, { resume: again })).ok).toBe(true);
    const done = await push('second', file, again!.offset);
    expect(done).toMatchObject({ status: 'completed', loadId: 'first', resumedFromLine: again!.line, rejected: 0 });
    expect(done.accepted).toBe(N - (again!.line - 1));
    expect(await count()).toBe(N);
    const r = await influx.query('SELECT MIN(v), MAX(v), COUNT(DISTINCT(v)) FROM rs', 'resume');
    expect(r.results?.[0]?.series?.[0]?.values[0]?.slice(1)).toEqual([0, N - 1, N]);
    // Finished: nothing left to resume, and its files are gone.
    expect(await unfinished()).toEqual([]);
    await expect(fs.readdir(path.join(dir, 'file-loads'))).resolves.toEqual([]);
  });
});
