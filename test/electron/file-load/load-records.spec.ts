// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  createLoadRecords,
  fileIdentity,
  type LoadRecord,
  notSameFile,
} from '../../../electron/services/file-load/load-records';
import { DEFAULT_WRITE_PARAMS } from '../../../shared/domain/write-request';

/**
 * The app's load records: a file is recognised by size, modification time and the hash of its first
 * bytes; a load still marked running when none runs was interrupted; finished loads leave no file.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const head = Buffer.from('m v=1 1\n');
const record = (loadId: string, status: LoadRecord['status']): LoadRecord => ({
  version: 1,
  loadId,
  connectionId: 'c1',
  params: { ...DEFAULT_WRITE_PARAMS, db: 'db' },
  auth: { scheme: 'none', username: '' },
  options: {
    batchLines: 10,
    batchBytes: 1 << 20,
    concurrency: 2,
    retries: 1,
    onInvalid: 'stop',
    stamp: 'none',
    verify: false,
  },
  file: fileIdentity('a.lp', 100, 1_700_000_000_000, head),
  status,
  error: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: `2026-01-01T00:00:0${loadId.length}.000Z`,
});

describe('load records', () => {
  it('recognise the same file, and say how another differs', () => {
    const a = fileIdentity('a.lp', 100, 1_700_000_000_000, head);
    expect(notSameFile(a, fileIdentity('renamed.lp', 100, 1_700_000_000_000, head))).toBeNull();
    expect(notSameFile(a, fileIdentity('a.lp', 101, 1_700_000_000_000, head))).toBe(
      'a.lp is 101 bytes; the load was recorded for a.lp of 100 bytes',
    );
    expect(notSameFile(a, fileIdentity('a.lp', 100, 1_700_000_001_000, head))).toMatch(/^a.lp was modified \(2023/);
    expect(notSameFile(a, fileIdentity('a.lp', 100, 1_700_000_000_000, Buffer.from('m v=2 1\n')))).toBe(
      'the first 64 KiB of a.lp differ from those of the recorded file',
    );
  });

  it('list unfinished loads with their checkpoint; running vs interrupted; remove forgets both files', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-records-'));
    dirs.push(dir);
    const records = createLoadRecords(path.join(dir, 'file-loads'));
    await expect(records.list(new Set())).resolves.toEqual([]); // no folder yet
    await records.save(record('a', 'running'));
    await records.save(record('bb', 'running'));
    await records.save(record('ccc', 'cancelled'));
    await records.checkpoints.write(records.checkpointFile('ccc'), {
      version: 1,
      file: 'a.lp',
      offset: 40,
      line: 5,
      guard: 'g',
      fileStartNs: '0',
      accepted: 4,
      rejected: 0,
      updatedAt: '2026-01-01T00:00:09.000Z',
    });
    const listed = await records.list(new Set(['bb']));
    expect(listed.map((l) => [l.loadId, l.status, l.offset, l.line, l.accepted])).toEqual([
      ['ccc', 'cancelled', 40, 5, 4],
      ['bb', 'running', 0, 1, 0],
      ['a', 'interrupted', 0, 1, 0],
    ]);
    await records.remove('ccc');
    expect((await records.list(new Set())).map((l) => l.loadId)).toEqual(['bb', 'a']);
    expect((await fs.readdir(path.join(dir, 'file-loads'))).filter((f) => f.startsWith('ccc'))).toEqual([]);
    // A damaged checkpoint is not offered: resuming from a guess could skip data.
    await fs.writeFile(records.checkpointFile('a'), '{"version": 1, "offs');
    expect((await records.list(new Set())).map((l) => l.loadId)).toEqual(['bb']);
    expect(() => records.checkpointFile('../x')).toThrow(/not a load id/);
  });
});
