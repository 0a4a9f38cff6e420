import type { LoadProgress, LoadTotals } from '../../../shared/domain/file-load';
import { headerValue, type HttpExchange } from '../../../shared/domain/http';
import type { AuthChoice, WriteParams } from '../../../shared/domain/write-request';
import { decodeWriteError } from '../../../shared/errors/decode';
import { explain } from '../../../shared/errors/explain';
import { type Flavor, resolvePrecision } from '../../../shared/lp';
import { type SendHttp, type Target, writeRequestSpecs } from '../write-service';
import { type Batch, Batcher, type EntryInfo, type InvalidStop, type RejectRecord } from './batcher';
import { AckFrontier, type Checkpoint, type CheckpointStore, guardHash } from './checkpoint';
import { classifyStatus, parseRetryAfter, retryDelay, type RetryPolicy } from './retry';

/**
 * The file loader: reads line protocol as a stream, cuts it into batches at entry boundaries,
 * validates each with the flavor's rules, sends up to `concurrency` requests at a time, retries
 * what is transient, halves what is too large, records what is rejected, and keeps a checkpoint of
 * the offset below which everything is acknowledged. Everything it touches (HTTP, clock, random,
 * files) is a parameter: the CLI and the app pass the real ones, tests fake the clock.
 */

/** The clock the loader waits on. */
export interface LoadClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The wall clock, with a sleep that an abort ends early (the CLI and the app use it; tests fake it). */
export const realClock: LoadClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          reject(new Error('aborted'));
        },
        { once: true },
      );
    }),
};

/** Where the bytes come from. */
export interface LoadSource {
  /** Shown in messages and the summary (`<stdin>` for standard input). */
  readonly name: string;
  /** Total size when known (files), for the ETA. */
  readonly size: number | null;
  /** The input from `offset` on (only files can start past 0). */
  open(offset: number): AsyncIterable<Uint8Array>;
  /** The up to {@link GUARD_BYTES} before `offset` (files only), to check a checkpoint still fits the file. */
  guardBytes?(offset: number): Promise<Uint8Array>;
  /**
   * For input that cannot be read again at an offset (the app's pushed bytes): the up to
   * {@link GUARD_BYTES} before the offset it is opened at, to check a checkpoint still fits.
   */
  readonly before?: Uint8Array;
}

/** Everything injected. */
export interface LoadDeps {
  readonly send: SendHttp;
  readonly clock: LoadClock;
  readonly random: () => number;
  readonly gzip: (body: Buffer) => Promise<Buffer>;
  readonly checkpoints: CheckpointStore;
  /** Receives rejected entries in source order (the CLI appends them to the rejects file). */
  readonly rejects: { append(records: RejectRecord[]): Promise<void> } | null;
}

/** What to load and how. */
export interface LoadOptions {
  readonly source: LoadSource;
  readonly target: Target;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  readonly token: string | null;
  readonly flavor: Flavor;
  readonly batchLines: number;
  readonly batchBytes: number;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly onInvalid: 'skip' | 'stop';
  readonly stamp: 'now' | 'file-start' | null;
  readonly checkpointFile: string | null;
  /** Count what lands per measurement and field, for a verify pass afterwards. */
  readonly collect: boolean;
  readonly onProgress?: (p: LoadProgress) => void;
  /** Minimum time between progress events (the last one always comes). */
  readonly progressIntervalMs?: number;
  readonly onWarning?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Pause: no new request starts while it returns true. */
  readonly paused?: () => boolean;
  /** Resolves when `paused` may have changed. */
  readonly pauseChanged?: () => Promise<void>;
}

/** Accepted points per measurement and field, and the time range, for `--verify`. */
export interface LandedCounts {
  readonly measurements: Map<string, { points: number; fields: Map<string, number> }>;
  readonly minNs: bigint | null;
  readonly maxNs: bigint | null;
  /** Points the server timestamped (no timestamp and no `--stamp`): they land at the server's now. */
  readonly serverStamped: number;
  /** Points a 400 dropped without saying which: the counts may be too high by this much. */
  readonly unidentified: number;
}

/** The final result. */
export interface LoadSummary extends LoadTotals {
  /** Where the checkpoint stands (or would: acknowledged offset) at the end. */
  readonly checkpoint: { file: string | null; offset: number; line: number };
  readonly resumedFrom: number | null;
  /** Set when the load stopped early, saying why and what to do. */
  readonly error: string | null;
  readonly invalidStop: InvalidStop | null;
  readonly unstamped: number;
  readonly landed: LandedCounts | null;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A failure that ends the load (auth, missing database, retries exhausted). */
class FatalLoadError extends Error {}

interface BatchResult {
  accepted: number;
  rejected: RejectRecord[];
  /** Points dropped by the server that it did not name. */
  unidentified: number;
  acceptedEntries: EntryInfo[] | null;
}

/** A batch or a part of one: a body and its entries. */
interface Part {
  body: Buffer;
  /** Indices into the batch's entry arrays. */
  entries: number[];
  /** Body offset of each entry in `entries`. */
  starts: number[];
}

/** Runs a load to its end. Never throws for server or network trouble: the summary says what happened. */
export async function runFileLoad(deps: LoadDeps, o: LoadOptions): Promise<LoadSummary> {
  const startedAt = deps.clock.now();
  const precision = resolvePrecision(o.flavor, o.params.api, o.params.precision);
  if (!precision.ok) throw new Error(precision.message);

  // Resume.
  let checkpoint: Checkpoint | null = null;
  if (o.checkpointFile !== null) {
    checkpoint = await deps.checkpoints.read(o.checkpointFile);
    if (checkpoint !== null) {
      const { guardBytes, before } = o.source;
      if (guardBytes === undefined && before === undefined)
        throw new Error('a checkpoint can only resume a file, not standard input');
      const guard = guardHash(guardBytes !== undefined ? await guardBytes(checkpoint.offset) : before!);
      if (guard !== checkpoint.guard)
        throw new Error(
          `${o.source.name} is not the file ${o.checkpointFile} was recorded for (its content ` +
            `before offset ${checkpoint.offset} differs); use another --checkpoint file to start over`,
        );
    }
  }
  const startOffset = checkpoint?.offset ?? 0;
  const startLine = checkpoint?.line ?? 1;
  const fileStartNs = checkpoint !== null ? BigInt(checkpoint.fileStartNs) : BigInt(startedAt) * 1_000_000n;
  const batcher = new Batcher(
    {
      flavor: o.flavor,
      api: o.params.api,
      precision: o.params.precision,
      batchLines: o.batchLines,
      batchBytes: o.batchBytes,
      onInvalid: o.onInvalid,
      stamp: o.stamp,
      fileStartNs,
      now: () => deps.clock.now(),
      collect: o.collect,
      detectUnstamped: o.checkpointFile !== null && o.stamp === null,
      startOffset,
      startLine,
      // Input read only once keeps the bytes each checkpoint's guard is made of.
      keepGuard:
        o.checkpointFile !== null && o.source.guardBytes === undefined
          ? { before: o.source.before ?? new Uint8Array(0) }
          : undefined,
    },
    precision.unit,
  );

  const writeSpec = writeRequestSpecs(o);
  const internal = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, internal.signal]) : internal.signal;

  let pointsSent = 0;
  let accepted = 0;
  let rejectedCount = 0;
  let batches = 0;
  let retries = 0;
  let lastRetry: string | null = null;
  let fatal: string | null = null;
  let frontierOffset = startOffset;
  let frontierLine = startLine;
  let totalAccepted = checkpoint?.accepted ?? 0;
  let totalRejected = checkpoint?.rejected ?? 0;
  const landed = o.collect
    ? {
        measurements: new Map<string, { points: number; fields: Map<string, number> }>(),
        minNs: null as bigint | null,
        maxNs: null as bigint | null,
        serverStamped: 0,
        unidentified: 0,
      }
    : null;
  const inFlight = new Set<Promise<void>>();
  const frontier = new AckFrontier<{ batch: Batch; result: BatchResult }>();
  let checkpointWrite: Promise<void> = Promise.resolve();
  let rejectsWrite: Promise<void> = Promise.resolve();
  let warnedUnstamped = false;

  // --- progress ---
  let lastProgress = -Infinity;
  const interval = o.progressIntervalMs ?? 250;
  const progress = (force: boolean): void => {
    if (o.onProgress === undefined) return;
    const now = deps.clock.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    const elapsedMs = Math.max(1, now - startedAt);
    const doneBytes = frontierOffset - startOffset;
    const bytesPerSecond = (doneBytes * 1000) / elapsedMs;
    const remaining = o.source.size === null ? null : o.source.size - frontierOffset;
    o.onProgress({
      bytesRead: batcher.received,
      bytesDone: frontierOffset,
      totalBytes: o.source.size,
      pointsSent,
      accepted,
      rejected: rejectedCount,
      batches,
      retries,
      inFlight: inFlight.size,
      elapsedMs,
      bytesPerSecond,
      pointsPerSecond: (accepted * 1000) / elapsedMs,
      etaMs: remaining !== null && bytesPerSecond > 0 ? (remaining * 1000) / bytesPerSecond : null,
      paused: o.paused?.() ?? false,
      lastRetry,
    });
  };

  // --- sending ---
  const sendBody = async (body: Buffer, lines: number): Promise<HttpExchange> => {
    const wire = o.params.gzip ? await deps.gzip(body) : body;
    return deps.send(writeSpec({ raw: body, wire, lines, signal }));
  };

  /** Sends one part, retrying what is transient; returns the final exchange, or null when cancelled. */
  const sendWithRetries = async (part: Part): Promise<HttpExchange | null> => {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return null;
      const x = await sendBody(part.body, part.entries.length);
      if (signal.aborted) return null;
      const status = x.response?.status ?? null;
      if (classifyStatus(status) !== 'retry') return x;
      const why = status === null ? (x.error?.message ?? 'no response') : `HTTP ${status}`;
      if (attempt >= o.retry.retries) {
        throw new FatalLoadError(`${why} after ${attempt + 1} attempts; ${describe(x)}`);
      }
      const retryAfter = parseRetryAfter(headerValue(x.response?.headers ?? [], 'retry-after'), deps.clock.now());
      const delay = retryDelay(o.retry, attempt + 1, retryAfter, deps.random);
      if (delay === null)
        throw new FatalLoadError(`${why}: the server asks to retry after ${Math.round(retryAfter! / 1000)} s`);
      retries++;
      lastRetry = `${why}, retry ${attempt + 1}/${o.retry.retries} in ${(delay / 1000).toFixed(1)} s`;
      progress(false);
      try {
        await deps.clock.sleep(delay, signal);
      } catch {
        return null;
      }
    }
  };

  const entryRecord = (batch: Batch, i: number, reason: string): RejectRecord => {
    const start = batch.entryStarts[i]!;
    const end = i + 1 < batch.entryStarts.length ? batch.entryStarts[i + 1]! : batch.body.length;
    let bytes = batch.body.subarray(start, end);
    // Without the terminator and any blank or comment lines that followed the entry.
    const lines = batch.entryEndLines[i]! - batch.entryLines[i]! + 1;
    let nl = -1;
    for (let k = 0; k < lines; k++) {
      nl = bytes.indexOf(10, nl + 1);
      if (nl < 0) break;
    }
    if (nl >= 0) bytes = bytes.subarray(0, nl);
    return { line: batch.entryLines[i]!, endLine: batch.entryEndLines[i]!, bytes: Buffer.from(bytes), reason };
  };

  const makePart = (batch: Batch, entries: number[]): Part => {
    const pieces: Buffer[] = [];
    const starts: number[] = [];
    let len = 0;
    let lastEnd = -1;
    for (const i of entries) {
      const a = batch.entryStarts[i]!;
      const b = i + 1 < batch.entryStarts.length ? batch.entryStarts[i + 1]! : batch.body.length;
      // Consecutive entries are one slice: no copy per entry.
      if (pieces.length > 0 && lastEnd === a) {
        const prev = pieces[pieces.length - 1]!;
        pieces[pieces.length - 1] = batch.body.subarray(a - prev.length, b);
      } else pieces.push(batch.body.subarray(a, b));
      starts.push(len);
      len += b - a;
      lastEnd = b;
    }
    return { body: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), entries, starts };
  };

  /** Sends a batch: all its parts, splitting on 413 and resending the good entries of a refused 400. */
  const processBatch = async (batch: Batch): Promise<BatchResult | null> => {
    const rejected: RejectRecord[] = [...batch.skipped];
    let ok = 0;
    let unidentified = 0;
    const acceptedIdx: number[] = [];
    const all = batch.entryStarts.map((_, i) => i);
    const queue: Part[] = all.length === 0 ? [] : [{ body: batch.body, entries: all, starts: batch.entryStarts }];
    while (queue.length > 0) {
      const part = queue.shift()!;
      pointsSent += part.entries.length;
      const x = await sendWithRetries(part);
      if (x === null) return null;
      const status = x.response!.status;
      const outcome = classifyStatus(status);
      if (outcome === 'ok') {
        ok += part.entries.length;
        acceptedIdx.push(...part.entries);
        continue;
      }
      if (outcome === 'split') {
        if (part.entries.length > 1) {
          const mid = part.entries.length >> 1;
          // The halves go first, in order, so the batch still lands front to back.
          queue.unshift(makePart(batch, part.entries.slice(0, mid)), makePart(batch, part.entries.slice(mid)));
          pointsSent -= part.entries.length;
          continue;
        }
        rejected.push(
          entryRecord(batch, part.entries[0]!, `HTTP 413: this entry alone is larger than the server accepts`),
        );
        continue;
      }
      if (outcome === 'fatal') throw new FatalLoadError(`HTTP ${status}: ${describe(x)}`);
      // 400: which entries were refused, and was the rest written?
      const text = part.body.toString('utf8');
      const decoded = decodeWriteError({
        status,
        body: x.response!.body,
        contentType: x.response!.contentType,
        flavor: o.flavor,
        requestBody: text,
      });
      const lineToEntry = bodyLineIndex(part);
      const refused = new Map<number, string>();
      for (const l of decoded.lines) {
        if (l.line === null) continue;
        const k = lineToEntry(l.line);
        if (k !== null && !refused.has(k)) refused.set(k, l.message);
      }
      const named = refused.size;
      for (const [k, reason] of refused) rejected.push(entryRecord(batch, part.entries[k]!, `HTTP 400: ${reason}`));
      const rest = part.entries.filter((_, k) => !refused.has(k));
      if (decoded.written === 'none' || (named === 0 && decoded.written !== 'some')) {
        if (named > 0 && rest.length > 0) {
          // The server refused the whole body for some of its entries: send the others again.
          queue.unshift(makePart(batch, rest));
          pointsSent -= part.entries.length - named;
          continue;
        }
        if (named === 0) {
          for (const i of part.entries) rejected.push(entryRecord(batch, i, `HTTP 400: ${decoded.message}`));
        }
        continue;
      }
      // Partial write: the rest landed. A server that dropped more than it named leaves a count only.
      const dropped = decoded.dropped !== undefined && decoded.dropped > named ? decoded.dropped - named : 0;
      unidentified += dropped;
      ok += rest.length - dropped;
      acceptedIdx.push(...rest);
      if (dropped > 0) {
        rejected.push({
          line: batch.entryLines[part.entries[0]!]!,
          endLine: batch.entryEndLines[part.entries[part.entries.length - 1]!]!,
          bytes: new Uint8Array(0),
          reason: `HTTP 400: the server dropped ${dropped} more point(s) of these lines without naming them: ${decoded.message}`,
        });
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    const info = batch.entryInfo;
    return {
      accepted: ok,
      rejected,
      unidentified,
      acceptedEntries: info === null ? null : acceptedIdx.map((i) => info[i]!),
    };
  };

  const recordLanded = (entries: EntryInfo[] | null, unidentified: number): void => {
    if (landed === null || entries === null) return;
    landed.unidentified += unidentified;
    for (const e of entries) {
      let m = landed.measurements.get(e.measurement);
      if (m === undefined) {
        m = { points: 0, fields: new Map() };
        landed.measurements.set(e.measurement, m);
      }
      m.points++;
      for (const f of new Set(e.fields)) m.fields.set(f, (m.fields.get(f) ?? 0) + 1);
      if (e.timeNs === null) landed.serverStamped++;
      else {
        if (landed.minNs === null || e.timeNs < landed.minNs) landed.minNs = e.timeNs;
        if (landed.maxNs === null || e.timeNs > landed.maxNs) landed.maxNs = e.timeNs;
      }
    }
  };

  const acknowledge = (batch: Batch, result: BatchResult): void => {
    accepted += result.accepted;
    rejectedCount += result.rejected.filter((r) => r.bytes.length > 0).length + result.unidentified;
    recordLanded(result.acceptedEntries, result.unidentified);
    const ready = frontier.ack(batch.seq, { batch, result });
    if (ready.length === 0) return;
    const rejects = ready.flatMap((r) => r.result.rejected);
    for (const r of ready) {
      totalAccepted += r.result.accepted;
      totalRejected += r.result.rejected.filter((x) => x.bytes.length > 0).length + r.result.unidentified;
    }
    const last = ready[ready.length - 1]!.batch;
    frontierOffset = last.sourceEnd;
    frontierLine = last.endLine;
    // Rejects first, then the checkpoint that moves past them: a crash in between repeats a few
    // rejects in the file, never loses one.
    const sink = deps.rejects;
    if (rejects.length > 0 && sink !== null) {
      rejectsWrite = rejectsWrite.then(() => sink.append(rejects));
    }
    if (o.checkpointFile !== null) {
      const file = o.checkpointFile;
      const offset = frontierOffset;
      const snapshot = {
        line: frontierLine,
        accepted: totalAccepted,
        rejected: totalRejected,
      };
      const guardFrom = batcherGuard(last, offset);
      checkpointWrite = Promise.all([checkpointWrite, rejectsWrite]).then(async () => {
        const guard = guardHash(await guardFrom());
        await deps.checkpoints.write(file, {
          version: 1,
          file: o.source.name,
          offset,
          line: snapshot.line,
          guard,
          fileStartNs: fileStartNs.toString(),
          accepted: snapshot.accepted,
          rejected: snapshot.rejected,
          updatedAt: new Date(deps.clock.now()).toISOString(),
        });
      });
    }
  };

  /** The guard bytes before a checkpoint offset: read from the file, or kept by the batcher. */
  const batcherGuard =
    (batch: Batch, offset: number): (() => Promise<Uint8Array>) =>
    () =>
      o.source.guardBytes !== undefined ? o.source.guardBytes(offset) : Promise.resolve(batch.guard!);

  const launch = (batch: Batch): void => {
    batches++;
    const p = processBatch(batch)
      .then((result) => {
        if (result !== null) acknowledge(batch, result);
      })
      .catch((err: unknown) => {
        if (fatal === null) fatal = err instanceof FatalLoadError ? err.message : String(err);
        internal.abort();
      })
      .finally(() => {
        inFlight.delete(p);
        progress(false);
      });
    inFlight.add(p);
  };

  const waitForSlot = async (): Promise<void> => {
    for (;;) {
      if (signal.aborted) return;
      const paused = o.paused?.() ?? false;
      if (!paused && inFlight.size < o.concurrency) return;
      const waits: Array<Promise<unknown>> = [...inFlight];
      if (o.pauseChanged) waits.push(o.pauseChanged());
      if (waits.length === 0) return;
      await Promise.race(waits);
      progress(false);
    }
  };

  const sendReady = async (): Promise<void> => {
    for (const batch of batcher.take()) {
      await waitForSlot();
      if (signal.aborted) return;
      launch(batch);
    }
  };

  // --- main loop ---
  if (o.source.size !== null && startOffset >= o.source.size && startOffset > 0) {
    return summary('already-complete');
  }
  const warnUnstamped = (): void => {
    if (warnedUnstamped || batcher.unstamped === 0 || o.checkpointFile === null || o.stamp !== null) return;
    warnedUnstamped = true;
    o.onWarning?.(
      `${o.source.name}:${batcher.firstUnstampedLine}: entries without a timestamp: a resumed ` +
        `load may write them twice (the server stamps each request anew). Use --stamp file-start ` +
        `to make resuming safe.`,
    );
  };
  try {
    for await (const chunk of o.source.open(startOffset)) {
      if (signal.aborted) break;
      batcher.write(chunk);
      warnUnstamped();
      await sendReady();
      if (batcher.stopped !== null || signal.aborted) break;
    }
    if (!signal.aborted && batcher.stopped === null) {
      batcher.end();
      warnUnstamped();
      await sendReady();
    } else if (batcher.stopped !== null) {
      // Entries before the invalid one still go.
      await sendReady();
    }
  } catch (err) {
    fatal ??= `cannot read ${o.source.name}: ${(err as Error).message}`;
    internal.abort();
  }
  while (inFlight.size > 0) await Promise.race(inFlight);
  await rejectsWrite;
  await checkpointWrite;
  progress(true);

  let status: LoadSummary['status'] = 'completed';
  if (fatal !== null) status = 'failed';
  else if (o.signal?.aborted) status = 'cancelled';
  else if (batcher.stopped !== null) status = 'stopped-invalid';
  return summary(status);

  function summary(status: LoadSummary['status']): LoadSummary {
    const endedAt = deps.clock.now();
    const elapsedMs = Math.max(1, endedAt - startedAt);
    let error = fatal;
    if (status === 'stopped-invalid' && batcher.stopped !== null)
      error =
        `${o.source.name}:${batcher.stopped.line}: invalid entry, nothing from it on was ` +
        `sent: ${batcher.stopped.reason}. Fix it (or use --on-invalid ` +
        `skip)${o.checkpointFile !== null ? ' and run again with the same --checkpoint to continue from there' : ''}.`;
    if (status === 'failed' && o.checkpointFile !== null)
      error += `. Everything before line ${frontierLine} is acknowledged; run again with the same --checkpoint to continue.`;
    if (status === 'already-complete')
      error = `${o.checkpointFile} says the whole of ${o.source.name} was already loaded; nothing to do.`;
    return {
      status,
      file: o.source.name,
      bytes: frontierOffset - startOffset,
      pointsSent,
      accepted,
      rejected: rejectedCount,
      batches,
      retries,
      elapsedMs,
      pointsPerSecond: (accepted * 1000) / elapsedMs,
      bytesPerSecond: ((frontierOffset - startOffset) * 1000) / elapsedMs,
      checkpoint: { file: o.checkpointFile, offset: frontierOffset, line: frontierLine },
      resumedFrom: checkpoint === null ? null : checkpoint.offset,
      error,
      invalidStop: batcher.stopped,
      unstamped: batcher.unstamped,
      landed,
      startedAt,
      endedAt,
    };
  }
}

/** Maps a 1-based physical line of a part's body to the index (in the part) of the entry on it. */
function bodyLineIndex(part: Part): (line: number) => number | null {
  // Physical line of each entry start, counted once, on demand (only 400s need it).
  const startLines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const s of part.starts) {
    for (let k = part.body.indexOf(10, pos); k >= 0 && k < s; k = part.body.indexOf(10, k + 1)) line++;
    pos = s;
    startLines.push(line);
  }
  return (l) => {
    let lo = 0;
    let hi = startLines.length - 1;
    let found: number | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (startLines[mid]! <= l) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function describe(x: HttpExchange): string {
  if (x.response === null) return x.error?.message ?? 'no response';
  const r = x.response;
  const decoded = decodeWriteError({ status: r.status, body: r.body, contentType: r.contentType });
  const hint = explain({ status: r.status, body: r.body, contentType: r.contentType, headers: r.headers, decoded })[0];
  const message = decoded.message !== '' ? decoded.message : r.statusText;
  return hint ? `${message} (${hint.title}: ${hint.fix})` : message;
}
