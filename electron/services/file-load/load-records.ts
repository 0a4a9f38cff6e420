import fs from 'node:fs/promises';
import path from 'node:path';

import type { FileIdentity, FileLoadJob, ResumableLoad } from '../../../shared/domain/file-load';
import { createJsonStore } from '../json-store';
import { type Checkpoint, type CheckpointStore, fileCheckpointStore, guardHash } from './checkpoint';

/**
 * The app's loads, so one that was cancelled, failed or interrupted (the app closed or crashed) can
 * be resumed. Each load has two files in `<dataDir>/file-loads/`: `<id>.json`, what was loaded where
 * and how (written when it starts and when it ends), and `<id>.checkpoint.json`, the CLI's
 * `--checkpoint` file written by the same loader code after each acknowledged batch. The app hands
 * main a file's bytes, not its path, so the file is recognised by name, size, modification time and
 * a hash of its first bytes; the loader then checks the bytes before the checkpoint, as for the CLI.
 */

/** Bytes at the start of a file hashed to recognise it. */
export const HEAD_BYTES = 64 * 1024;

/** `<id>.json`. */
export interface LoadRecord extends FileLoadJob {
  readonly version: 1;
  /** `running` while it runs; a record still `running` when no load is running was interrupted. */
  readonly status: 'running' | 'cancelled' | 'failed' | 'stopped-invalid';
  readonly error: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** The store of load records. */
export interface LoadRecords {
  readonly checkpoints: CheckpointStore;
  checkpointFile(loadId: string): string;
  save(record: LoadRecord): Promise<void>;
  get(loadId: string): Promise<{ record: LoadRecord; checkpoint: Checkpoint | null } | null>;
  /** Every recorded load, newest first, with where it stands; `running` names loads running now. */
  list(running: ReadonlySet<string>): Promise<ResumableLoad[]>;
  /** Forgets a load (finished, or given up by the user): both files go. */
  remove(loadId: string): Promise<void>;
}

/** The identity of a file from its size, modification time and first bytes. */
export function fileIdentity(name: string, size: number, lastModified: number, head: Uint8Array): FileIdentity {
  return { name, size, lastModified, headSha256: guardHash(head) };
}

/** Why `given` is not the file a load was recorded for, or null when it is. */
export function notSameFile(recorded: FileIdentity, given: FileIdentity): string | null {
  if (given.size !== recorded.size)
    return `${given.name} is ${given.size} bytes; the load was recorded for ${recorded.name} of ${recorded.size} bytes`;
  const time = (ms: number): string => new Date(ms).toISOString();
  if (given.lastModified !== recorded.lastModified)
    return `${given.name} was modified (${time(given.lastModified)}) since the load was recorded (${time(recorded.lastModified)})`;
  if (given.headSha256 !== recorded.headSha256)
    return `the first ${HEAD_BYTES / 1024} KiB of ${given.name} differ from those of the recorded file`;
  return null;
}

/** The records in `dir` (the app's `<dataDir>/file-loads`). */
export function createLoadRecords(dir: string, checkpoints: CheckpointStore = fileCheckpointStore): LoadRecords {
  const recordFile = (id: string): string => path.join(dir, `${safeId(id)}.json`);
  const checkpointFile = (id: string): string => path.join(dir, `${safeId(id)}.checkpoint.json`);
  const store = (id: string) =>
    createJsonStore<LoadRecord | null>({
      file: recordFile(id),
      what: 'file load record',
      decode: (value) => (isRecord(value) ? { data: value, skipped: [] } : null),
      empty: () => null,
      restoreBackup: true,
      lostHint: 'The load cannot be resumed; load the file again.',
    });
  const get = async (id: string): Promise<{ record: LoadRecord; checkpoint: Checkpoint | null } | null> => {
    const r = await store(id).load();
    if (r.data === null) return null;
    return { record: r.data, checkpoint: await checkpoints.read(checkpointFile(id)) };
  };
  return {
    checkpoints,
    checkpointFile,
    save: (record) => store(record.loadId).save(record),
    get,
    async list(running) {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        return [];
      }
      const out: ResumableLoad[] = [];
      for (const n of names) {
        if (!n.endsWith('.json') || n.endsWith('.checkpoint.json')) continue;
        const id = n.slice(0, -'.json'.length);
        let got: Awaited<ReturnType<typeof get>>;
        try {
          got = await get(id);
        } catch {
          continue; // a damaged checkpoint: the load cannot be resumed from a guess
        }
        if (got === null) continue;
        const { record, checkpoint } = got;
        out.push({
          loadId: record.loadId,
          connectionId: record.connectionId,
          params: record.params,
          auth: record.auth,
          options: record.options,
          file: record.file,
          status: running.has(record.loadId) ? 'running' : record.status === 'running' ? 'interrupted' : record.status,
          error: record.error,
          offset: checkpoint?.offset ?? 0,
          line: checkpoint?.line ?? 1,
          accepted: checkpoint?.accepted ?? 0,
          rejected: checkpoint?.rejected ?? 0,
          updatedAt: checkpoint?.updatedAt ?? record.updatedAt,
        });
      }
      return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },
    async remove(id) {
      await store(id).remove();
      await createJsonStore<unknown>({
        file: checkpointFile(id),
        what: 'checkpoint',
        decode: () => null,
        empty: () => null,
        restoreBackup: false,
        lostHint: '',
      }).remove();
    },
  };
}

/** Request ids are the renderer's: only a plain file name may come of one. */
function safeId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new Error(`not a load id: ${JSON.stringify(id)}`);
  return id;
}

function isRecord(v: unknown): v is LoadRecord {
  const r = v as Partial<LoadRecord> | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    r.version === 1 &&
    typeof r.loadId === 'string' &&
    typeof r.connectionId === 'string' &&
    typeof r.file === 'object' &&
    r.file !== null &&
    typeof r.file.headSha256 === 'string'
  );
}
