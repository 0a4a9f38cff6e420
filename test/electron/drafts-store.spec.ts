// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import { createDraftsStore } from '../../electron/services/drafts-store';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { MAX_DRAFT_CHARS } from '../../shared/ipc/contract';

describe('drafts store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-drafts-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps a draft on disk for the next start, one file per connection and kind', async () => {
    const a = createDraftsStore({ dir });
    expect(await a.get('write', 'c1')).toBeNull();
    expect(await a.save('write', 'c1', { savedAt: 5, draft: { body: 'm f=1' } })).toBe(true);
    expect(await a.save('query', 'c1', { savedAt: 6, draft: { q: 'SHOW DATABASES' } })).toBe(true);
    const b = createDraftsStore({ dir });
    expect(await b.get('write', 'c1')).toEqual({ savedAt: 5, draft: { body: 'm f=1' } });
    expect(await b.get('query', 'c1')).toEqual({ savedAt: 6, draft: { q: 'SHOW DATABASES' } });
    expect((await fs.readdir(path.join(dir, 'drafts'))).sort()).toEqual(['query-c1.json', 'write-c1.json']);
  });

  it('never lets an older draft overwrite a newer one, even when the newer one is only on disk', async () => {
    await createDraftsStore({ dir }).save('write', 'c1', { savedAt: 10, draft: { body: 'new' } });
    const s = createDraftsStore({ dir });
    expect(await s.save('write', 'c1', { savedAt: 9, draft: { body: 'old' } })).toBe(false);
    expect(await createDraftsStore({ dir }).get('write', 'c1')).toEqual({ savedAt: 10, draft: { body: 'new' } });
    expect(await s.save('write', 'c1', { savedAt: 11, draft: { body: 'newer' } })).toBe(true);
    expect(await createDraftsStore({ dir }).get('write', 'c1')).toMatchObject({ draft: { body: 'newer' } });
  });

  it('moves a damaged file aside, says so, and falls back to the backup', async () => {
    const s = createDraftsStore({ dir });
    await s.save('write', 'c1', { savedAt: 1, draft: { body: 'first' } });
    await s.save('write', 'c1', { savedAt: 2, draft: { body: 'second' } });
    await fs.writeFile(path.join(dir, 'drafts', 'write-c1.json'), '{"savedAt": 3, "draft": {"bo');
    const notices: string[] = [];
    const t = createDraftsStore({ dir, onNotice: (n) => notices.push(n.message) });
    expect(await t.get('write', 'c1')).toEqual({ savedAt: 1, draft: { body: 'first' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/write-c1\.json\.corrupt-/);
    expect((await fs.readdir(path.join(dir, 'drafts'))).some((f) => f.startsWith('write-c1.json.corrupt-'))).toBe(true);
  });

  it('a save that failed is not reported as saved: get() answers with what a restart would find', async () => {
    const s = createDraftsStore({ dir });
    await s.save('write', 'c1', { savedAt: 1, draft: { body: 'on disk' } });
    // The backup step fails (a folder where the backup goes), as a full disk or a read-only folder would.
    await fs.mkdir(path.join(dir, 'drafts', 'write-c1.json.bak'));
    await expect(s.save('write', 'c1', { savedAt: 2, draft: { body: 'lost' } })).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringContaining('write-c1.json'),
    });
    expect(await s.get('write', 'c1')).toEqual({ savedAt: 1, draft: { body: 'on disk' } });
    expect(await createDraftsStore({ dir }).get('write', 'c1')).toEqual({ savedAt: 1, draft: { body: 'on disk' } });
    // The same draft saves once the folder is fixed (it is not refused as older than itself).
    await fs.rmdir(path.join(dir, 'drafts', 'write-c1.json.bak'));
    expect(await s.save('write', 'c1', { savedAt: 2, draft: { body: 'lost' } })).toBe(true);
  });

  it('refuses a draft over the limit with a message, and keeps the stored one', async () => {
    const s = createDraftsStore({ dir });
    await s.save('write', 'c1', { savedAt: 1, draft: { body: 'small' } });
    const huge = { savedAt: 2, draft: { body: 'x'.repeat(MAX_DRAFT_CHARS) } };
    await expect(s.save('write', 'c1', huge)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(s.save('write', 'c1', huge)).rejects.toThrow(/drafts are kept up to 64\.0 MiB/);
    expect(await createDraftsStore({ dir }).get('write', 'c1')).toMatchObject({ draft: { body: 'small' } });
  });

  it('names the file and what to check when a draft cannot be written', async () => {
    const s = createDraftsStore({ dir });
    expect(await s.get('write', 'c1')).toBeNull(); // read: nothing stored yet
    await fs.writeFile(path.join(dir, 'drafts'), 'a file where the folder should be');
    await expect(s.save('write', 'c1', { savedAt: 1, draft: { body: 'x' } })).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringMatching(
        /^Could not (save|read) the draft .*drafts.write-c1\.json: .*Check the .*permissions/,
      ),
    });
  });

  it('forgets every draft of a connection', async () => {
    const s = createDraftsStore({ dir });
    await s.save('write', 'c1', { savedAt: 1, draft: { body: 'a' } });
    await s.save('write', 'c1', { savedAt: 2, draft: { body: 'b' } }); // leaves a .bak
    await s.save('query', 'c1', { savedAt: 1, draft: { q: 'x' } });
    await s.save('write', 'c2', { savedAt: 1, draft: { body: 'keep' } });
    await s.removeAll('c1');
    expect(await s.get('write', 'c1')).toBeNull();
    expect(await fs.readdir(path.join(dir, 'drafts'))).toEqual(['write-c2.json']);
  });
});

describe('drafts over the IPC contract', () => {
  let dir: string;
  let ctx: AppContext;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-drafts-ipc-'));
    ctx = await createAppContext({
      mode: 'browser',
      version: 'v',
      dataDir: dir,
      cipher: null,
      log: { info: () => undefined, error: () => undefined },
    });
  });
  afterEach(async () => {
    ctx.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const newConnection = async (): Promise<string> => {
    const r = await dispatch(
      ctx.handlers,
      'connections:save',
      { connection: { ...DEFAULT_CONNECTION_INPUT, name: 'a' }, token: { action: 'keep' } },
      ctx.log,
    );
    if (!r.ok) throw new Error(r.error.message);
    return (r.data as { id: string }).id;
  };

  it('saves and reads a draft, and drops it with its connection', async () => {
    const id = await newConnection();
    expect(await dispatch(ctx.handlers, 'drafts:get', { connectionId: id, kind: 'write' }, ctx.log)).toEqual({
      ok: true,
      data: { draft: null, savedAt: 0 },
    });
    expect(
      await dispatch(
        ctx.handlers,
        'drafts:save',
        { connectionId: id, kind: 'write', savedAt: 7, draft: { body: 'm f=1' } },
        ctx.log,
      ),
    ).toEqual({ ok: true, data: { saved: true } });
    expect(await dispatch(ctx.handlers, 'drafts:get', { connectionId: id, kind: 'write' }, ctx.log)).toEqual({
      ok: true,
      data: { draft: { body: 'm f=1' }, savedAt: 7 },
    });
    await dispatch(ctx.handlers, 'connections:delete', { id }, ctx.log);
    await expect(fs.readdir(path.join(dir, 'drafts'))).resolves.toEqual([]);
  });

  it('answers NOT_FOUND for a connection that does not exist, and BAD_REQUEST for an oversized draft', async () => {
    const r = await dispatch(
      ctx.handlers,
      'drafts:save',
      { connectionId: 'gone', kind: 'write', savedAt: 1, draft: {} },
      ctx.log,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const id = await newConnection();
    const big = await dispatch(
      ctx.handlers,
      'drafts:save',
      { connectionId: id, kind: 'write', savedAt: 1, draft: { body: 'x'.repeat(MAX_DRAFT_CHARS) } },
      ctx.log,
    );
    expect(big).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/stays in the window/) },
    });
  });
});
