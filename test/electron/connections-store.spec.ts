// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createConnectionsStore } from '../../electron/services/connections-store';
import { type ConnectionInput, DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { AppError } from '../../shared/ipc/result';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-store-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const file = (): string => path.join(dir, 'connections.json');
const input = (name: string, extra: Partial<ConnectionInput> = {}): ConnectionInput => ({
  ...DEFAULT_CONNECTION_INPUT,
  name,
  db: 'db',
  ...extra,
});
const fixedNow = (): Date => new Date('2026-01-02T03:04:05.678Z');

async function readStored(f = file()): Promise<{ version: number; connections: Array<Record<string, unknown>> }> {
  return JSON.parse(await fs.readFile(f, 'utf8')) as never;
}

async function newStore(): Promise<ReturnType<typeof createConnectionsStore>> {
  const store = createConnectionsStore({ dir, now: fixedNow });
  return store;
}

describe('save / update / delete', () => {
  it('creates with an id and timestamps, persists, and a new store loads it', async () => {
    const store = await newStore();
    expect(await store.load()).toEqual([]);
    const saved = await store.save(undefined, input('alpha'));
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.createdAt).toBe('2026-01-02T03:04:05.678Z');
    expect(saved.updatedAt).toBe(saved.createdAt);
    expect(store.get(saved.id)).toEqual(saved);

    const again = createConnectionsStore({ dir });
    expect(await again.load()).toEqual([]);
    expect(again.list()).toEqual([saved]);
  });

  it('update keeps id and createdAt and changes updatedAt', async () => {
    let t = 0;
    const store = createConnectionsStore({ dir, now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * t++) });
    const saved = await store.save(undefined, input('alpha'));
    const updated = await store.save(saved.id, input('beta', { url: 'https://h.example', flavor: 'core' }));
    expect(updated.id).toBe(saved.id);
    expect(updated.createdAt).toBe(saved.createdAt);
    expect(updated.updatedAt > saved.updatedAt).toBe(true);
    expect(updated).toMatchObject({ name: 'beta', url: 'https://h.example', flavor: 'core' });
    expect(store.list()).toHaveLength(1);
    expect((await readStored()).connections).toEqual([updated]);
  });

  it('update of an unknown id → NOT_FOUND and nothing written', async () => {
    const store = await newStore();
    await expect(store.save('no-such-id', input('x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('list is sorted by name; ids are unique', async () => {
    const store = await newStore();
    for (const n of ['charlie', 'alpha', 'bravo']) await store.save(undefined, input(n));
    expect(store.list().map((c) => c.name)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(new Set(store.list().map((c) => c.id)).size).toBe(3);
  });

  it('list() returns a copy', async () => {
    const store = await newStore();
    await store.save(undefined, input('a'));
    const list = store.list();
    list.pop();
    expect(store.list()).toHaveLength(1);
  });

  it('delete removes and persists; deleting twice returns false', async () => {
    const store = await newStore();
    const a = await store.save(undefined, input('a'));
    const b = await store.save(undefined, input('b'));
    expect(await store.delete(a.id)).toBe(true);
    expect(await store.delete(a.id)).toBe(false);
    expect(store.list()).toEqual([b]);
    expect((await readStored()).connections).toEqual([b]);
  });

  it('a store without a dir (CLI) keeps everything in memory', async () => {
    const store = createConnectionsStore({ dir: null });
    expect(await store.load()).toEqual([]);
    const saved = await store.save(undefined, input('mem'));
    expect(store.get(saved.id)?.name).toBe('mem');
    expect(await store.delete(saved.id)).toBe(true);
  });

  it('the file holds exactly the connection fields (no token)', async () => {
    const store = await newStore();
    await store.save(undefined, input('a', { authScheme: 'token' }));
    const [stored] = (await readStored()).connections;
    expect(Object.keys(stored!).sort()).toEqual(
      [...Object.keys(DEFAULT_CONNECTION_INPUT), 'id', 'createdAt', 'updatedAt'].sort(),
    );
  });
});

describe('atomic writes', () => {
  it('leave no temp files, and keep the previous version as .bak', async () => {
    const store = await newStore();
    const a = await store.save(undefined, input('a'));
    expect(await fs.readdir(dir)).toEqual(['connections.json']);
    const b = await store.save(undefined, input('b'));
    expect((await fs.readdir(dir)).sort()).toEqual(['connections.json', 'connections.json.bak']);
    expect((await readStored(`${file()}.bak`)).connections).toEqual([a]);
    expect((await readStored()).connections).toEqual([a, b]);
    await store.delete(a.id);
    expect((await fs.readdir(dir)).sort()).toEqual(['connections.json', 'connections.json.bak']);
    expect((await readStored(`${file()}.bak`)).connections).toEqual([a, b]);
  });

  it('the file is pretty JSON with version 1, mode 0600', async () => {
    const store = await newStore();
    await store.save(undefined, input('a'));
    const text = await fs.readFile(file(), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\n  "version": 1');
    expect((await fs.stat(file())).mode & 0o777).toBe(0o600);
  });

  it('concurrent saves all land', async () => {
    const store = await newStore();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => store.save(undefined, input(n))));
    const again = createConnectionsStore({ dir });
    await again.load();
    expect(again.list().map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await fs.readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('damaged files', () => {
  it('a corrupt connections.json is moved to .corrupt-* and the backup restored, with an error notice', async () => {
    const store = await newStore();
    const a = await store.save(undefined, input('a'));
    await store.save(undefined, input('b'));
    // The .bak now holds [a]. Damage the main file.
    await fs.writeFile(file(), '{"version":1,"connections":[{"name":');

    const again = createConnectionsStore({ dir, now: fixedNow });
    const notices = await again.load();
    expect(notices[0]!.level).toBe('error');
    expect(notices[0]!.message).toContain('damaged');
    expect(notices[0]!.message).toContain('restored');
    expect(again.list()).toEqual([a]);

    const aside = path.join(dir, 'connections.json.corrupt-2026-01-02T03-04-05-678Z');
    expect(notices[0]!.message).toContain(aside);
    expect(await fs.readFile(aside, 'utf8')).toBe('{"version":1,"connections":[{"name":');
    // The restored data was written back as the main file.
    expect((await readStored()).connections).toEqual([a]);
  });

  it('a corrupt file with no backup → empty list, an error notice, and the file kept aside', async () => {
    await fs.writeFile(file(), '\u0000\u0001 binary junk');
    const store = createConnectionsStore({ dir, now: fixedNow });
    const notices = await store.load();
    expect(store.list()).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.level).toBe('error');
    expect(notices[0]!.message).toMatch(/nothing was deleted/);
    const files = await fs.readdir(dir);
    expect(files).toEqual(['connections.json.corrupt-2026-01-02T03-04-05-678Z']);
    expect(await fs.readFile(path.join(dir, files[0]!), 'utf8')).toBe('\u0000\u0001 binary junk');
    // Saving afterwards does not touch the moved-aside file.
    await store.save(undefined, input('fresh'));
    expect(await fs.readFile(path.join(dir, files[0]!), 'utf8')).toBe('\u0000\u0001 binary junk');
  });

  it('an empty file counts as corrupt and is moved aside', async () => {
    await fs.writeFile(file(), '');
    const store = createConnectionsStore({ dir, now: fixedNow });
    const notices = await store.load();
    expect(notices[0]!.message).toContain('empty');
    expect(await fs.readdir(dir)).toEqual(['connections.json.corrupt-2026-01-02T03-04-05-678Z']);
  });

  it('a connection saved before the query result limits existed loads with the default limits', async () => {
    const {
      queryMaxRows: _rows,
      queryMaxBytes: _bytes,
      ...older
    } = { ...input('old'), id: 'o1', createdAt: 'x', updatedAt: 'y' };
    await fs.writeFile(file(), JSON.stringify({ version: 1, connections: [older] }));
    const store = createConnectionsStore({ dir, now: fixedNow });
    expect(await store.load()).toEqual([]);
    expect(store.list()).toEqual([{ ...older, queryMaxRows: 2_000_000, queryMaxBytes: 512 * 1024 * 1024 }]);
  });

  it('an invalid entry is skipped with a warning, the rest loaded, and the original kept', async () => {
    const good = { ...input('good'), id: 'g1', createdAt: 'x', updatedAt: 'y' };
    const original = JSON.stringify({
      version: 1,
      connections: [good, { name: 'broken', url: 42 }, { ...good, id: 'g2', flavor: 'nope' }],
    });
    await fs.writeFile(file(), original);
    const store = createConnectionsStore({ dir, now: fixedNow });
    const notices = await store.load();
    expect(store.list()).toEqual([good]);
    const warnings = notices.filter((n) => n.level === 'warning');
    expect(warnings.some((n) => n.message.includes('#2'))).toBe(true);
    expect(warnings.some((n) => n.message.includes('#3'))).toBe(true);
    const copy = path.join(dir, 'connections.json.partial-2026-01-02T03-04-05-678Z');
    expect(notices.some((n) => n.message.includes(copy))).toBe(true);
    expect(await fs.readFile(copy, 'utf8')).toBe(original);
    // Saving afterwards keeps the copy intact.
    await store.save(undefined, input('new'));
    expect(await fs.readFile(copy, 'utf8')).toBe(original);
  });

  it('valid JSON of an unknown format → error notice, empty list, a copy kept', async () => {
    const original = JSON.stringify({ version: 2, items: [] });
    await fs.writeFile(file(), original);
    const store = createConnectionsStore({ dir, now: fixedNow });
    const notices = await store.load();
    expect(store.list()).toEqual([]);
    expect(notices[0]).toMatchObject({ level: 'error' });
    expect(notices[0]!.message).toMatch(/unknown format/);
    expect(await fs.readFile(path.join(dir, 'connections.json.unreadable-2026-01-02T03-04-05-678Z'), 'utf8')).toBe(
      original,
    );
  });

  it('a missing file with a good backup is restored from it, with a warning', async () => {
    const store = await newStore();
    const a = await store.save(undefined, input('a'));
    await store.save(undefined, input('b'));
    await fs.rm(file());
    const again = createConnectionsStore({ dir });
    const notices = await again.load();
    expect(again.list()).toEqual([a]);
    expect(notices).toEqual([{ level: 'warning', message: expect.stringContaining('restored from its backup') }]);
  });

  it('a missing file and a corrupt backup → empty, no notice', async () => {
    await fs.writeFile(`${file()}.bak`, 'junk');
    const store = createConnectionsStore({ dir });
    expect(await store.load()).toEqual([]);
    expect(store.list()).toEqual([]);
  });
});

describe('write failures', () => {
  it('a save that cannot be written throws AppError STORAGE and leaves memory unchanged', async () => {
    // Root ignores permissions, so force the failure with a parent that is a file.
    const blocker = path.join(dir, 'blocker');
    await fs.writeFile(blocker, 'I am a file');
    const store = createConnectionsStore({ dir: path.join(blocker, 'data') });
    const err = await store.save(undefined, input('a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('STORAGE');
    expect((err as AppError).message).toContain(path.join(blocker, 'data', 'connections.json'));
    expect(store.list()).toEqual([]);
  });

  it('a failed update or delete leaves memory and disk unchanged, and leaves no temp file', async () => {
    const store = await newStore();
    const a = await store.save(undefined, input('a'));
    const b = await store.save(undefined, input('b'));
    const onDisk = await fs.readFile(file(), 'utf8');
    // Make the backup step fail: a directory where connections.json.bak should go.
    await fs.rm(`${file()}.bak`);
    await fs.mkdir(`${file()}.bak`);

    await expect(store.save(a.id, input('renamed'))).rejects.toMatchObject({ code: 'STORAGE' });
    expect(store.get(a.id)?.name).toBe('a');
    await expect(store.save(undefined, input('c'))).rejects.toMatchObject({ code: 'STORAGE' });
    expect(store.list()).toEqual([a, b]);
    await expect(store.delete(b.id)).rejects.toMatchObject({ code: 'STORAGE' });
    expect(store.list()).toEqual([a, b]);

    expect(await fs.readFile(file(), 'utf8')).toBe(onDisk);
    expect((await fs.readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
