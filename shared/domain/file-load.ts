/**
 * The file loader's progress, outcome and verify result, as the CLI prints them and the app shows
 * them (electron/services/file-load does the work).
 */

import type { AuthChoice, WriteParams } from './write-request';

/** A progress event. */
export interface LoadProgress {
  readonly bytesRead: number;
  /** Source bytes acknowledged (everything below this offset is written or recorded as rejected). */
  readonly bytesDone: number;
  readonly totalBytes: number | null;
  readonly pointsSent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly batches: number;
  readonly retries: number;
  readonly inFlight: number;
  readonly elapsedMs: number;
  /** Source bytes acknowledged per second. */
  readonly bytesPerSecond: number;
  readonly pointsPerSecond: number;
  readonly etaMs: number | null;
  readonly paused: boolean;
  /** The last retry's reason, for the progress line. */
  readonly lastRetry: string | null;
}

/** How a load ended. */
export const LOAD_STATUSES = ['completed', 'stopped-invalid', 'failed', 'cancelled', 'already-complete'] as const;
/** One of {@link LOAD_STATUSES}. */
export type LoadStatus = (typeof LOAD_STATUSES)[number];

/** One compared count of `--verify`. */
export interface VerifyRow {
  readonly measurement: string;
  readonly field: string;
  readonly expected: number;
  readonly found: number | null;
}

/** The verify comparison. */
export interface VerifyResult {
  readonly ok: boolean;
  readonly rows: VerifyRow[];
  /** Time range queried (ns, inclusive), as decimal strings. */
  readonly fromNs: string;
  readonly toNs: string;
  /** Why the comparison could not be made exactly, when it could not. */
  readonly notes: string[];
  readonly error: string | null;
}

/** A rejected entry as the app shows it. */
export interface RejectedEntry {
  readonly line: number;
  readonly endLine: number;
  readonly reason: string;
  readonly text: string;
}

/** What a finished load counts: the CLI's summary and the app's answer both carry these. */
export interface LoadTotals {
  readonly status: LoadStatus;
  readonly file: string;
  readonly bytes: number;
  readonly pointsSent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly batches: number;
  readonly retries: number;
  readonly elapsedMs: number;
  readonly pointsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** The app's `fileload:start` answer. */
export interface FileLoadOutcome extends LoadTotals {
  readonly error: string | null;
  /** The recorded load this run belongs to (a resume keeps the first run's id). */
  readonly loadId: string;
  /** A checkpoint is kept: `fileload:resumable` lists the load and it can be resumed. */
  readonly resumable: boolean;
  /** The line this run started at, when it resumed a load. */
  readonly resumedFromLine: number | null;
  /** The first rejected entries (see `rejectsTruncated`). */
  readonly rejects: RejectedEntry[];
  readonly rejectsTruncated: boolean;
  /** The rejects in the rejects-file format (`# line N: reason` before each entry), to open in the editor. */
  readonly rejectsText: string;
  readonly verify: VerifyResult | null;
}

/** A load's options as the app sets them (the CLI's flags; `stamp: 'none'` is no `--stamp`). */
export interface FileLoadOptions {
  readonly batchLines: number;
  readonly batchBytes: number;
  readonly concurrency: number;
  readonly retries: number;
  readonly onInvalid: 'stop' | 'skip';
  readonly stamp: 'none' | 'now' | 'file-start';
  readonly verify: boolean;
}

/** How the app recognises a file it is handed again: name, size, modification time, hash of its first bytes. */
export interface FileIdentity {
  readonly name: string;
  readonly size: number;
  /** Milliseconds since the epoch, as the picked file reports it. */
  readonly lastModified: number;
  /** sha256 (hex) of the first 64 KiB (the whole file when smaller). */
  readonly headSha256: string;
}

/** What an app load loads, where and how: a resume takes all of it from the recorded load. */
export interface FileLoadJob {
  readonly loadId: string;
  readonly connectionId: string;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly options: FileLoadOptions;
  readonly file: FileIdentity;
}

/** An app load that did not finish, and where it stands (everything before `offset` is acknowledged). */
export interface ResumableLoad extends FileLoadJob {
  /** `interrupted`: it was running when the app closed or crashed. */
  readonly status: 'running' | 'interrupted' | 'cancelled' | 'failed' | 'stopped-invalid';
  readonly error: string | null;
  readonly offset: number;
  /** 1-based line at `offset`: the resume starts there. */
  readonly line: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly updatedAt: string;
}
