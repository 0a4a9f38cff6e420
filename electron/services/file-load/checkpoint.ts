import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

import { createJsonStore, type JsonStore } from '../json-store';

/**
 * The resume point of a load: everything before `offset` is acknowledged (or recorded as rejected).
 * Written atomically (temp file, fsync, rename) after each acknowledged batch, so a crash leaves the
 * previous checkpoint or the new one, never a torn file. `guard` is a hash of the bytes just before
 * the offset, so a rerun against an edited file is refused instead of skipping the wrong data.
 */

/** Checkpoint file content. */
export interface Checkpoint {
  readonly version: 1;
  /** Absolute path of the source, for the user's benefit (a renamed file is fine). */
  readonly file: string;
  readonly offset: number;
  /** 1-based source line at `offset`. */
  readonly line: number;
  /** sha256 (hex) of the up to 4 KiB before `offset`. */
  readonly guard: string;
  /** The `--stamp file-start` time in ns (decimal), kept so a resumed load stamps the same time. */
  readonly fileStartNs: string;
  /** Totals over every run of this load. */
  readonly accepted: number;
  readonly rejected: number;
  readonly updatedAt: string;
}

/** How checkpoints are stored; injected so tests can fail a write midway. */
export interface CheckpointStore {
  read(file: string): Promise<Checkpoint | null>;
  write(file: string, value: Checkpoint): Promise<void>;
}

/** Bytes hashed before the offset. */
export const GUARD_BYTES = 4096;

/** The store on disk, via the same atomic JSON writer as the app's settings. */
export const fileCheckpointStore: CheckpointStore = {
  async read(file) {
    const r = await checkpointFile(file).load();
    // A damaged or unreadable checkpoint stops the load: resuming from a guess could skip data.
    const problem = r.notices.find((n) => n.level === 'error');
    if (problem) throw new Error(problem.message);
    return r.data === null ? null : parseCheckpoint(r.data, file);
  },
  write: (file, value) => checkpointFile(file).save(value),
};

function checkpointFile(file: string): JsonStore<unknown> {
  return createJsonStore<unknown>({
    file,
    what: 'checkpoint',
    decode: (value) => ({ data: value, skipped: [] }),
    empty: () => null,
    restoreBackup: false,
    lostHint: 'Move it away to start the load from the beginning.',
    mode: 0o644,
  });
}

/** Checks a parsed checkpoint's shape. */
export function parseCheckpoint(value: unknown, file: string): Checkpoint {
  const v = value as Partial<Checkpoint> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.version !== 1 ||
    !Number.isSafeInteger(v.offset) ||
    !Number.isSafeInteger(v.line) ||
    typeof v.guard !== 'string' ||
    typeof v.fileStartNs !== 'string'
  ) {
    throw new Error(`${file} is not an influx-workbench checkpoint (version 1)`);
  }
  return v as Checkpoint;
}

/** Hash of `bytes` (the up to {@link GUARD_BYTES} before the offset). */
export function guardHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the guard bytes before `offset` from a file. */
export async function readGuardBytes(file: string, offset: number): Promise<Uint8Array> {
  const start = Math.max(0, offset - GUARD_BYTES);
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(offset - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Tracks acknowledged batches and yields the offset below which every batch is acknowledged: with
 * several requests in flight, batch 7 may finish before batch 6, and recording 7's end then would
 * skip 6 after a crash.
 */
export class AckFrontier<T> {
  private next = 0;
  private readonly done = new Map<number, T>();

  /** Records batch `seq` and returns the batches that became contiguous, in order. */
  ack(seq: number, value: T): T[] {
    this.done.set(seq, value);
    const out: T[] = [];
    for (let v = this.done.get(this.next); v !== undefined; v = this.done.get(this.next)) {
      out.push(v);
      this.done.delete(this.next);
      this.next++;
    }
    return out;
  }

  /** Acknowledged batches waiting for an earlier one. */
  get waiting(): number {
    return this.done.size;
  }
}
