import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createJsonStore, type JsonStore } from '../../electron/services/json-store';
import { AppError } from '../../shared/ipc/result';

/**
 * The one JSON-store loader and guarded writer: ordering, temp files, the backup, and what a full
 * disk or an unreadable file does. Faults are injected into node:fs/promises, the module the store
 * writes with (running as root, permissions cannot make a write fail).
 */

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-json-store-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

function store(file = path.join(dir, 'f.json')): JsonStore<unknown> {
  return createJsonStore<unknown>({
    file,
    what: 'test data',
    decode: (value) => ({ data: value, skipped: [] }),
    empty: () => null,
    restoreBackup: true,
    lostHint: 'Starts empty.',
  });
}

const enospc = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * Every write to a path matching `match` writes its first 10 bytes and then fails with ENOSPC, as a
 * full disk does, whichever way the store writes it (a file handle or a copy).
 */
function fillDiskFor(match: RegExp): void {
  const realOpen = fs.open.bind(fs);
  vi.spyOn(fs, 'open').mockImplementation(async (p, flags, mode) => {
    const handle = await realOpen(p, flags, mode);
    if (!match.test(String(p))) return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'writeFile') {
          return async (data: string | Uint8Array) => {
            await target.write(Buffer.from(data).subarray(0, 10));
            throw enospc();
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  });
  const realCopy = fs.copyFile.bind(fs);
  vi.spyOn(fs, 'copyFile').mockImplementation(async (src, dest, mode) => {
    if (!match.test(String(dest))) return realCopy(src, dest, mode);
    const head = (await fs.readFile(src)).subarray(0, 10);
    await fs.writeFile(dest, head);
    throw enospc();
  });
}

const tempFiles = async (): Promise<string[]> => (await fs.readdir(dir)).filter((f) => f.includes('.tmp-'));

describe('JSON store: writes', () => {
  it('overlapping saves land in call order: the last call wins, the one before is the backup', async () => {
    const s = store();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.save({ i, pad: 'x'.repeat((20 - i) * 5000) })));
    expect(JSON.parse(await fs.readFile(s.file, 'utf8'))).toMatchObject({ i: 19 });
    expect(JSON.parse(await fs.readFile(`${s.file}.bak`, 'utf8'))).toMatchObject({ i: 18 });
    expect(await tempFiles()).toEqual([]);
  });

  it('creates missing parent folders', async () => {
    const s = store(path.join(dir, 'x', 'y', 'f.json'));
    await s.save({ a: 1 });
    expect((await s.load()).data).toEqual({ a: 1 });
  });

  it('a failed save raises STORAGE naming the file, and does not block the next one', async () => {
    const s = store();
    await fs.mkdir(`${s.file}.bak`);
    await s.save({ n: 1 });
    const err = await s.save({ n: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'STORAGE', message: expect.stringContaining(s.file) });
    expect(await tempFiles()).toEqual([]);
    await fs.rmdir(`${s.file}.bak`);
    await s.save({ n: 3 });
    expect((await s.load()).data).toEqual({ n: 3 });
  });

  it('a full disk while writing leaves no temp file, and the file and its backup as they were', async () => {
    const s = store();
    await s.save({ n: 1 });
    await s.save({ n: 2 });
    fillDiskFor(/f\.json\.tmp-/);
    await expect(s.save({ n: 3 })).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringMatching(/ENOSPC/) });
    expect(await tempFiles()).toEqual([]);
    expect(JSON.parse(await fs.readFile(s.file, 'utf8'))).toEqual({ n: 2 });
    expect(JSON.parse(await fs.readFile(`${s.file}.bak`, 'utf8'))).toEqual({ n: 1 });
  });

  it('a full disk while replacing the backup keeps the old backup whole, and the file unchanged', async () => {
    const s = store();
    await s.save({ n: 1, pad: 'a'.repeat(100) });
    await s.save({ n: 2, pad: 'b'.repeat(100) });
    const goodBackup = await fs.readFile(`${s.file}.bak`, 'utf8');
    fillDiskFor(/f\.json\.bak/);
    await expect(s.save({ n: 3 })).rejects.toMatchObject({ code: 'STORAGE' });
    expect(await fs.readFile(`${s.file}.bak`, 'utf8')).toBe(goodBackup);
    expect(JSON.parse(await fs.readFile(s.file, 'utf8'))).toMatchObject({ n: 2 });
    expect(await tempFiles()).toEqual([]);
    // replaceBackup() (used after a clear or a forgotten token) keeps it whole the same way.
    await expect(s.replaceBackup()).rejects.toMatchObject({ code: 'STORAGE' });
    expect(await fs.readFile(`${s.file}.bak`, 'utf8')).toBe(goodBackup);
  });
});

describe('JSON store: loading', () => {
  it("removes temp files a dead process left, keeps a live process's", async () => {
    const s = store();
    await s.save({ n: 1 });
    // A pid that is not running: the highest pid Linux allows is 2^22; this one is above it.
    const dead = [`f.json.tmp-4194999-0a1b2c3d`, `f.json.bak.tmp-4194999-deadbeef`];
    const live = `f.json.tmp-${process.ppid}-01234567`;
    const other = `g.json.tmp-4194999-0a1b2c3d`;
    for (const name of [...dead, live, other]) await fs.writeFile(path.join(dir, name), '{"partial":');
    expect((await s.load()).data).toEqual({ n: 1 });
    expect((await tempFiles()).sort()).toEqual([other, live].sort());
  });

  it('an unreadable file is never overwritten: an error notice, and every save refused', async () => {
    const s = store();
    await fs.mkdir(s.file); // exists, cannot be read as a file
    const loaded = await s.load();
    expect(loaded.writable).toBe(false);
    expect(loaded.notices).toEqual([
      { level: 'error', message: expect.stringMatching(/could not be read .*nothing is saved to it/) },
    ]);
    await expect(s.save({ n: 1 })).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringMatching(/Not saving/),
    });
    expect((await fs.stat(s.file)).isDirectory()).toBe(true);
  });

  it('a file with skipped entries is kept aside before anything overwrites it', async () => {
    const file = path.join(dir, 'list.json');
    const original = JSON.stringify({ items: [1, 'x', 2] });
    await fs.writeFile(file, original);
    const s = createJsonStore<number[]>({
      file,
      what: 'numbers',
      decode: (v) => {
        const items = (v as { items: unknown[] }).items;
        const bad = items.filter((i) => typeof i !== 'number');
        return { data: items.filter((i) => typeof i === 'number'), skipped: bad.map((b) => `skipped ${String(b)}`) };
      },
      empty: () => [],
      restoreBackup: true,
      lostHint: '',
      now: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    const loaded = await s.load();
    expect(loaded).toMatchObject({ data: [1, 2], needsSave: true });
    const copy = `${file}.partial-2026-01-02T03-04-05-678Z`;
    expect(loaded.notices.map((n) => n.message)).toEqual([
      'skipped x',
      `The original numbers file was kept at ${copy}.`,
    ]);
    expect(await fs.readFile(copy, 'utf8')).toBe(original);
  });
});
