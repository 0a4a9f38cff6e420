/**
 * The file loader's progress, outcome and verify result, as the CLI prints them and the app shows
 * them (electron/services/file-load does the work).
 */

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
  /** The first rejected entries (see `rejectsTruncated`). */
  readonly rejects: RejectedEntry[];
  readonly rejectsTruncated: boolean;
  /** The rejects in the rejects-file format (`# line N: reason` before each entry), to open in the editor. */
  readonly rejectsText: string;
  readonly verify: VerifyResult | null;
}
