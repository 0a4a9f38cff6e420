import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

import type { LoadProgress, VerifyResult } from '../../shared/domain/file-load';
import type { ServerFlavor } from '../../shared/domain/flavor';
import { formatBytes } from '../../shared/domain/format';
import type { AuthChoice, WriteParams } from '../../shared/domain/write-request';
import type { RejectRecord } from '../services/file-load/batcher';
import { readGuardBytes } from '../services/file-load/checkpoint';
import { fileCheckpointStore } from '../services/file-load/checkpoint';
import { type LoadSource, type LoadSummary, realClock, runFileLoad } from '../services/file-load/loader';
import { formatRejects, rejectsHeader } from '../services/file-load/rejects';
import { DEFAULT_RETRY_POLICY } from '../services/file-load/retry';
import { formatVerify, verifyLoad } from '../services/file-load/verify';
import { createConnectionPool, sendHttp } from '../services/http-client';
import type { SendHttp, Target } from '../services/write-service';
import { type CliIo, UsageError } from './io';

const gzipAsync = promisify(gzipCb);

/**
 * `write` for whole files: the streaming loader (electron/services/file-load) with its flags,
 * progress on standard error, a `--json` summary and `--verify`.
 */

/** parseArgs definitions of the loader's options. */
export const LOAD_OPTIONS = {
  'batch-lines': { type: 'string' },
  'batch-bytes': { type: 'string' },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  'on-invalid': { type: 'string' },
  rejects: { type: 'string' },
  checkpoint: { type: 'string' },
  stamp: { type: 'string' },
  verify: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
} as const;

/** Help text of the loader's options. */
export const LOAD_HELP = `Loading files (streaming; used for inputs larger than --batch-bytes, or with any option below):
  --batch-lines N      entries per request (default 5000)
  --batch-bytes N      bytes per request (default 8 MiB; the smaller limit wins; suffixes k, M allowed)
  --concurrency N      requests in flight (default 2)
  --retries N          retries of a request on 429, 5xx and network errors (default 5), with
                       exponential backoff and jitter, honouring Retry-After
  --on-invalid MODE    stop (default): stop before the first entry the flavor's rules refuse, naming
                       file:line; skip: record it in the rejects and go on
  --rejects FILE       append refused entries to FILE, each after a "# line N: reason" comment
  --checkpoint FILE    record the acknowledged offset after each batch; run again to resume
  --stamp now|file-start  give entries without a timestamp one (now: per batch; file-start: one
                       time for the whole load, kept in the checkpoint so a resume is idempotent)
  --verify             afterwards, count each field per measurement with /query and compare
  --no-progress        no progress display (by default: a bar on a terminal, else a line every 5 s,
                       on standard error)
`;

/** Parsed loader option values. */
export interface LoadValues {
  'batch-lines'?: string;
  'batch-bytes'?: string;
  concurrency?: string;
  retries?: string;
  'on-invalid'?: string;
  rejects?: string;
  checkpoint?: string;
  stamp?: string;
  verify?: boolean;
  'no-progress'?: boolean;
  json?: boolean;
}

/** Defaults of the loader. */
export const LOAD_DEFAULTS = { batchLines: 5000, batchBytes: 8 * 1024 * 1024, concurrency: 2 } as const;

/** Whether any loader option was given (then `write` uses the loader whatever the input size). */
export function wantsLoader(values: LoadValues): boolean {
  return Object.keys(LOAD_OPTIONS).some((k) => values[k as keyof LoadValues] !== undefined);
}

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const m = /^(\d+)([kKmM]i?)?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--${name} must be a whole number, not "${raw}"`);
  const unit = m[2]?.[0]?.toLowerCase();
  const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be at least ${min}`);
  return n;
}

/** The batch byte limit the options ask for (to decide whether an input needs the loader). */
export function batchBytesOf(values: LoadValues): number {
  return positiveInt('batch-bytes', values['batch-bytes'], LOAD_DEFAULTS.batchBytes, 64);
}

/** Standard input with the part already read put back in front. */
async function* prefixed(head: Uint8Array[], rest: AsyncIterator<Uint8Array> | null): AsyncIterable<Uint8Array> {
  for (const h of head) yield h;
  if (rest === null) return;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Where `write` reads from: a file path (stat'ed) or standard input already partly read. */
export type LoadInput =
  | { kind: 'file'; path: string; size: number }
  | { kind: 'stdin'; head: Uint8Array[]; rest: AsyncIterator<Uint8Array> | null };

function sourceOf(input: LoadInput): LoadSource {
  if (input.kind === 'file') {
    const file = input.path;
    return {
      name: file,
      size: input.size,
      // 1 MiB reads: the validator's byte lane is faster with large chunks.
      open: (offset) => createReadStream(file, { start: offset, highWaterMark: 1 << 20 }),
      guardBytes: (offset) => readGuardBytes(file, offset),
    };
  }
  return { name: '<stdin>', size: null, open: () => prefixed(input.head, input.rest) };
}

/** Runs the loader for `write` and prints the outcome; returns the exit code. */
export async function runLoadCommand(
  io: CliIo,
  values: LoadValues,
  input: LoadInput,
  conn: { target: Target; params: WriteParams; auth: AuthChoice; token: string | null; flavor: ServerFlavor },
): Promise<number> {
  const batchLines = positiveInt('batch-lines', values['batch-lines'], LOAD_DEFAULTS.batchLines);
  const batchBytes = batchBytesOf(values);
  const concurrency = positiveInt('concurrency', values.concurrency, LOAD_DEFAULTS.concurrency);
  if (concurrency > 64) throw new UsageError('--concurrency must be at most 64');
  const retries = positiveInt('retries', values.retries, DEFAULT_RETRY_POLICY.retries, 0);
  const onInvalid = values['on-invalid'] ?? 'stop';
  if (onInvalid !== 'stop' && onInvalid !== 'skip') throw new UsageError('--on-invalid must be stop or skip');
  const stamp = values.stamp ?? null;
  if (stamp !== null && stamp !== 'now' && stamp !== 'file-start')
    throw new UsageError('--stamp must be now or file-start');
  if (values.checkpoint !== undefined && input.kind === 'stdin')
    throw new UsageError('--checkpoint needs a FILE: standard input cannot be resumed');

  const json = values.json === true;
  const showProgress = values['no-progress'] !== true;
  const tty = io.stderrIsTTY === true;

  // Rejects file: appended to (a resumed load adds to it), with a header when new.
  let rejects: { append(records: RejectRecord[]): Promise<void> } | null = null;
  const kept: Buffer[] = [];
  let keptBytes = 0;
  if (values.rejects !== undefined) {
    const file = values.rejects;
    let started = false;
    rejects = {
      async append(records) {
        const bytes = formatRejects(records);
        if (!started) {
          started = true;
          const size = await fs.stat(file).then(
            (s) => s.size,
            () => 0,
          );
          if (size === 0)
            await fs.appendFile(file, rejectsHeader(path.resolve(sourceOf(input).name), new Date().toISOString()));
        }
        await fs.appendFile(file, bytes);
      },
    };
  } else {
    // Without --rejects, the first few go to standard error at the end.
    rejects = {
      append(records) {
        const bytes = formatRejects(records);
        if (keptBytes < 64 * 1024) {
          kept.push(bytes);
          keptBytes += bytes.length;
        }
        return Promise.resolve();
      },
    };
  }

  let lastLine = 0;
  let drawn = false;
  // One kept-alive connection per request in flight for the whole load, instead of one per batch.
  const pool = createConnectionPool();
  const send: SendHttp = (spec) => (io.send ?? sendHttp)(spec, pool);
  const summary = await runFileLoad(
    {
      send,
      clock: realClock,
      random: Math.random,
      gzip: (b) => gzipAsync(b),
      checkpoints: fileCheckpointStore,
      rejects,
    },
    {
      source: sourceOf(input),
      target: conn.target,
      params: conn.params,
      auth: conn.auth,
      token: conn.token,
      flavor: conn.flavor,
      batchLines,
      batchBytes,
      concurrency,
      retry: { ...DEFAULT_RETRY_POLICY, retries },
      onInvalid,
      stamp,
      checkpointFile: values.checkpoint ?? null,
      collect: values.verify === true,
      progressIntervalMs: tty ? 200 : 1000,
      onWarning: (m) => io.stderr(`influx-workbench: warning: ${m}\n`),
      onProgress: (p) => {
        if (!showProgress) return;
        if (tty) {
          io.stderr(`\r${progressBar(p)}\x1b[K`);
          drawn = true;
        } else if (p.elapsedMs - lastLine >= 5000) {
          lastLine = p.elapsedMs;
          io.stderr(`${progressLine(p)}\n`);
        }
      },
    },
  ).catch((err: unknown) => {
    pool.destroy();
    throw err;
  });
  if (drawn) io.stderr('\n');

  let verify: VerifyResult | null = null;
  if (values.verify === true && summary.landed !== null && (summary.status === 'completed' || summary.accepted > 0)) {
    verify = await verifyLoad(send, {
      target: conn.target,
      params: conn.params,
      auth: conn.auth,
      token: conn.token,
      landed: summary.landed,
      loadStartedMs: summary.startedAt,
      loadEndedMs: summary.endedAt,
    });
  }
  pool.destroy();

  const ok =
    (summary.status === 'completed' || summary.status === 'already-complete') &&
    summary.rejected === 0 &&
    (verify?.ok ?? true);
  if (json) {
    io.stdout(`${JSON.stringify(summaryJson(summary, verify, values.rejects ?? null))}\n`);
  } else {
    io.stdout(summaryText(summary));
    if (verify !== null) io.stdout(formatVerify(verify));
  }
  if (summary.error !== null) io.stderr(`influx-workbench: ${summary.error}\n`);
  if (kept.length > 0 && values.rejects === undefined) {
    const text = Buffer.concat(kept).toString('utf8');
    io.stderr(
      `Rejected entries (use --rejects FILE to keep them all):\n${text.length > 8000 ? `${text.slice(0, 8000)}…\n` : text}`,
    );
  }
  return ok ? 0 : 1;
}

function summaryJson(s: LoadSummary, verify: VerifyResult | null, rejectsFile: string | null): unknown {
  return {
    status: s.status,
    files: [s.file],
    bytes: s.bytes,
    pointsSent: s.pointsSent,
    accepted: s.accepted,
    rejected: s.rejected,
    batches: s.batches,
    retries: s.retries,
    elapsedMs: Math.round(s.elapsedMs),
    rate: { pointsPerSecond: Math.round(s.pointsPerSecond), bytesPerSecond: Math.round(s.bytesPerSecond) },
    checkpoint: s.checkpoint,
    resumedFrom: s.resumedFrom,
    rejects: rejectsFile,
    unstamped: s.unstamped,
    error: s.error,
    ...(verify !== null ? { verify } : {}),
  };
}

function summaryText(s: LoadSummary): string {
  const secs = s.elapsedMs / 1000;
  let out =
    `${s.status === 'completed' ? 'loaded' : s.status}: ${s.file}  ${formatBytes(s.bytes)} ` +
    `in ${secs.toFixed(1)} s (${formatBytes(s.bytesPerSecond)}/s)\n`;
  out += `  points: ${s.accepted} accepted, ${s.rejected} rejected, ${s.pointsSent} sent in ${s.batches} batches, ${s.retries} retries\n`;
  if (s.resumedFrom !== null) out += `  resumed at byte ${s.resumedFrom}\n`;
  if (s.checkpoint.file !== null)
    out += `  checkpoint: ${s.checkpoint.file} at byte ${s.checkpoint.offset} (line ${s.checkpoint.line})\n`;
  return out;
}

function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '--:--';
  const t = Math.round(ms / 1000);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The TTY progress bar. */
export function progressBar(p: LoadProgress): string {
  const frac = p.totalBytes ? Math.min(1, p.bytesDone / p.totalBytes) : null;
  const width = 24;
  const bar =
    frac === null
      ? ''
      : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(1).padStart(5)}% `;
  const size = p.totalBytes ? `${formatBytes(p.bytesDone)}/${formatBytes(p.totalBytes)}` : formatBytes(p.bytesDone);
  return (
    `${bar}${size}  ${p.accepted} pts  ${formatBytes(p.bytesPerSecond)}/s  ` +
    `ETA ${duration(p.etaMs)}  rejected ${p.rejected}  ` +
    `retries ${p.retries}${p.paused ? '  (paused)' : ''}`
  );
}

/** The periodic progress line without a TTY. */
export function progressLine(p: LoadProgress): string {
  const pct = p.totalBytes ? ` (${((100 * p.bytesDone) / p.totalBytes).toFixed(1)}%)` : '';
  return (
    `progress: ${formatBytes(p.bytesDone)}${pct}, ${p.accepted} points ` +
    `accepted, ${p.rejected} rejected, ${p.retries} ` +
    `retries, ${formatBytes(p.bytesPerSecond)}/s, ` +
    `ETA ${duration(p.etaMs)}${p.lastRetry ? `; last retry: ${p.lastRetry}` : ''}`
  );
}
