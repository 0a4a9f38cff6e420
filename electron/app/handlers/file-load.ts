import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

import type { FileLoadOutcome, RejectedEntry } from '../../../shared/domain/file-load';
import type { HttpExchange } from '../../../shared/domain/http';
import { AppError } from '../../../shared/ipc/result';
import type { RejectRecord } from '../../services/file-load/batcher';
import type { CheckpointStore } from '../../services/file-load/checkpoint';
import { fileIdentity, HEAD_BYTES, type LoadRecord, notSameFile } from '../../services/file-load/load-records';
import { realClock, runFileLoad } from '../../services/file-load/loader';
import { PushedSource } from '../../services/file-load/pushed-source';
import { formatRejects } from '../../services/file-load/rejects';
import { DEFAULT_RETRY_POLICY } from '../../services/file-load/retry';
import { verifyLoad } from '../../services/file-load/verify';
import { createConnectionPool } from '../../services/http-client';
import type { AppDeps, HandlerContext } from './context';
import type { DomainHandlers } from './index';

const gzipAsync = promisify(gzipCb);

/** Rejected entries returned to the renderer (the count is always exact). */
const MAX_REJECTS_SHOWN = 1000;
const MAX_REJECTS_TEXT = 1024 * 1024;
/** Progress events per second at most. */
const PROGRESS_INTERVAL_MS = 250;

/** Without a place to keep them (tests), loads keep no checkpoint. */
const NO_CHECKPOINTS: CheckpointStore = {
  read: () => Promise.resolve(null),
  write: () => Promise.resolve(),
};

interface ActiveLoad {
  /** The recorded load this run belongs to (a resume's differs from its request id). */
  readonly loadId: string;
  running: boolean;
  readonly source: PushedSource;
  readonly abort: AbortController;
  paused: boolean;
  pauseChanged: Array<() => void>;
  /** The load's outcome (it runs in the background from `fileload:start` on). */
  outcome?: Promise<FileLoadOutcome>;
}

/** Loads of whole files: the work runs here in main; the renderer feeds bytes and watches progress. */
export function fileLoadHandlers(
  deps: AppDeps,
  ctx: HandlerContext,
): DomainHandlers<'fileload:start' | 'fileload:chunk' | 'fileload:control' | 'fileload:resumable' | 'fileload:forget'> {
  const active = new Map<string, ActiveLoad>();
  const notifyPause = (l: ActiveLoad): void => {
    for (const f of l.pauseChanged.splice(0)) f();
  };

  return {
    'fileload:start': async (req) => {
      const { requestId, fileName, fileSize } = req;
      if (active.has(requestId)) throw new AppError('BAD_REQUEST', 'That load is already running.');
      const head = Buffer.from(req.head, 'base64');
      if (head.length !== Math.min(fileSize, HEAD_BYTES))
        throw new AppError(
          'BAD_REQUEST',
          `head must be the file's first ${HEAD_BYTES} bytes (or all of a smaller file)`,
        );
      const identity = fileIdentity(fileName, fileSize, req.lastModified, head);
      const records = deps.fileLoads ?? null;
      // A resume takes the recorded load's connection, parameters and options, and starts at its checkpoint.
      let job = {
        loadId: requestId,
        connectionId: req.connectionId,
        params: req.params,
        auth: req.auth,
        options: req.options,
        startedAt: new Date().toISOString(),
      };
      let startOffset = 0;
      let resumeLine: number | null = null;
      let before: Uint8Array | undefined;
      let previousStatus: LoadRecord['status'] | null = null;
      let previousError: string | null = null;
      if (req.resume !== undefined) {
        const { loadId } = req.resume;
        if (records === null) throw new AppError('NOT_FOUND', 'This app keeps no file loads to resume.');
        if ([...active.values()].some((l) => l.loadId === loadId && l.running))
          throw new AppError('BAD_REQUEST', 'That load is running.');
        let got: Awaited<ReturnType<typeof records.get>>;
        try {
          got = await records.get(loadId);
        } catch (err) {
          throw new AppError('STORAGE', `The load's checkpoint cannot be read: ${(err as Error).message}`);
        }
        if (got === null) throw new AppError('NOT_FOUND', 'That load is no longer recorded; load the file again.');
        const why = notSameFile(got.record.file, identity);
        if (why !== null)
          throw new AppError(
            'BAD_REQUEST',
            `Cannot resume: ${why}. Pick the same file, or load this one from the start.`,
          );
        const r = got.record;
        previousStatus = r.status === 'running' ? 'failed' : r.status;
        previousError = r.error;
        job = {
          loadId,
          connectionId: r.connectionId,
          params: r.params,
          auth: r.auth,
          options: r.options,
          startedAt: r.startedAt,
        };
        startOffset = got.checkpoint?.offset ?? 0;
        resumeLine = got.checkpoint?.line ?? 1;
        before = Buffer.from(req.resume.guard, 'base64');
      }
      const { params, auth, options } = job;
      const c = ctx.connection(job.connectionId);
      const resolved = await ctx.resolveAuth(c, auth, { required: true });
      const record = (status: LoadRecord['status'], error: string | null): LoadRecord => ({
        version: 1,
        ...job,
        file: identity,
        status,
        error,
        updatedAt: new Date().toISOString(),
      });
      if (records !== null) {
        try {
          await records.save(record('running', null));
        } catch (err) {
          throw new AppError('STORAGE', `The load cannot be recorded for resuming: ${(err as Error).message}`);
        }
      }
      const load: ActiveLoad = {
        loadId: job.loadId,
        running: true,
        source: new PushedSource(startOffset),
        abort: new AbortController(),
        paused: false,
        pauseChanged: [],
      };
      active.set(requestId, load);
      let last: HttpExchange | null = null;
      const rejects: RejectRecord[] = [];
      let rejectsTruncated = false;
      // Kept-alive connections for the load's batches (and its verify queries), closed when it ends.
      const pool = createConnectionPool();
      const send: typeof deps.send = async (spec) => {
        const x = await deps.send(spec, pool);
        if (spec.method === 'POST') last = x;
        return x;
      };
      const run = async (): Promise<FileLoadOutcome> => {
        const summary = await runFileLoad(
          {
            send,
            clock: realClock,
            random: Math.random,
            gzip: (b) => gzipAsync(b),
            checkpoints: records?.checkpoints ?? NO_CHECKPOINTS,
            rejects: {
              append: (records) => {
                for (const r of records) {
                  if (rejects.length < MAX_REJECTS_SHOWN) rejects.push(r);
                  else rejectsTruncated = true;
                }
                return Promise.resolve();
              },
            },
          },
          {
            source: { name: fileName, size: fileSize, open: () => load.source.read(), before },
            target: ctx.target(c),
            params,
            auth: resolved.auth,
            token: resolved.token,
            flavor: c.flavor,
            batchLines: options.batchLines,
            batchBytes: options.batchBytes,
            concurrency: options.concurrency,
            retry: { ...DEFAULT_RETRY_POLICY, retries: options.retries },
            onInvalid: options.onInvalid,
            stamp: options.stamp === 'none' ? null : options.stamp,
            checkpointFile: records?.checkpointFile(job.loadId) ?? null,
            collect: options.verify,
            progressIntervalMs: PROGRESS_INTERVAL_MS,
            onProgress: (progress) => deps.emit('fileload:progress', { requestId, progress }),
            signal: load.abort.signal,
            paused: () => load.paused,
            pauseChanged: () => new Promise<void>((resolve) => load.pauseChanged.push(resolve)),
          },
        ).catch(async (err: unknown) => {
          // Refused before sending anything: the bytes before the checkpoint are not the recorded ones
          // (then the recorded load stays as it was), or a bad setting.
          const message =
            resumeLine !== null
              ? `Cannot resume: the bytes of ${fileName} before line ${resumeLine} are not those of the recorded load. ` +
                'Pick the same file, or load this one from the start.'
              : (err as Error).message;
          await records?.save(record(previousStatus ?? 'failed', previousError ?? message)).catch(() => undefined);
          throw new AppError('BAD_REQUEST', message);
        });
        // A finished load leaves nothing to resume; any other keeps its checkpoint and says why it stopped.
        const finished = summary.status === 'completed' || summary.status === 'already-complete';
        let resumable = false;
        let storageError: string | null = null;
        if (records !== null) {
          try {
            if (finished) await records.remove(job.loadId);
            else {
              await records.save(record(summary.status as LoadRecord['status'], summary.error));
              resumable = true;
            }
          } catch (err) {
            storageError = `The load's record could not be updated: ${(err as Error).message}`;
          }
        }
        const verify =
          options.verify && summary.landed !== null && summary.accepted > 0
            ? await verifyLoad(send, {
                target: ctx.target(c),
                params,
                auth: resolved.auth,
                token: resolved.token,
                landed: summary.landed,
                loadStartedMs: summary.startedAt,
                loadEndedMs: summary.endedAt,
              })
            : null;
        let rejectsText = formatRejects(rejects).toString('utf8');
        if (rejectsText.length > MAX_REJECTS_TEXT) {
          rejectsText = rejectsText.slice(0, rejectsText.lastIndexOf('\n# ', MAX_REJECTS_TEXT) + 1);
          rejectsTruncated = true;
        }
        const outcome: FileLoadOutcome = {
          status: summary.status,
          file: fileName,
          bytes: summary.bytes,
          pointsSent: summary.pointsSent,
          accepted: summary.accepted,
          rejected: summary.rejected,
          batches: summary.batches,
          retries: summary.retries,
          elapsedMs: summary.elapsedMs,
          pointsPerSecond: summary.pointsPerSecond,
          bytesPerSecond: summary.bytesPerSecond,
          error: [summary.error, storageError].filter((e) => e !== null).join(' ') || null,
          loadId: job.loadId,
          resumable,
          resumedFromLine: resumeLine,
          rejects: rejects.map((r): RejectedEntry => ({
            line: r.line,
            endLine: r.endLine,
            reason: r.reason,
            text: Buffer.from(r.bytes).toString('utf8'),
          })),
          rejectsTruncated,
          rejectsText,
          verify,
        };
        // One history entry per load, not per batch: the last request's exchange, with the load's summary.
        if (last !== null) {
          ctx.record(
            {
              kind: 'write',
              connection: c,
              exchange: last,
              requestBody: `# file ${fileName} (${fileSize} bytes), loaded in ${summary.batches} batches\n`,
              replay: { kind: 'write', params, auth },
              summary:
                `file ${fileName}: ${summary.status}, ${summary.accepted} accepted, ${summary.rejected} ` +
                `rejected, ${summary.batches} ` +
                `batches${verify ? `, verify ${verify.ok ? 'OK' : 'MISMATCH'}` : ''}`,
            },
            resolved.stored,
            [auth.username, c.username],
          );
        }
        return outcome;
      };
      load.outcome = run().finally(() => {
        load.running = false;
        pool.destroy();
        load.source.close();
        // Kept a little while for the chunk that asks for the outcome, then forgotten.
        setTimeout(() => active.delete(requestId), 60_000).unref?.();
      });
      // Handled by whoever asks for the outcome; never an unhandled rejection in main.
      load.outcome.catch(() => undefined);
      return { started: true };
    },
    'fileload:chunk': async ({ requestId, offset, data, last }) => {
      const load = active.get(requestId);
      if (load?.outcome === undefined) throw new AppError('NOT_FOUND', 'No such file load (start it first).');
      let more: boolean;
      try {
        more = await load.source.push(offset, Buffer.from(data, 'base64'), last);
      } catch (err) {
        throw new AppError('BAD_REQUEST', (err as Error).message);
      }
      // The last piece, or the load stopped reading: answer with how it ended.
      return more ? { more, outcome: null } : { more, outcome: await load.outcome };
    },
    'fileload:resumable': async () => {
      if (deps.fileLoads === undefined) return { loads: [] };
      const running = new Set([...active.values()].filter((l) => l.running).map((l) => l.loadId));
      return { loads: await deps.fileLoads.list(running) };
    },
    'fileload:forget': async ({ loadId }) => {
      if (deps.fileLoads === undefined) return { removed: false };
      if ([...active.values()].some((l) => l.loadId === loadId && l.running))
        throw new AppError('BAD_REQUEST', 'That load is running: cancel it first.');
      await deps.fileLoads.remove(loadId);
      return { removed: true };
    },
    'fileload:control': async ({ requestId, action }) => {
      const load = active.get(requestId);
      if (load === undefined) return { done: false };
      if (action === 'cancel') {
        load.abort.abort();
        load.source.close();
      } else load.paused = action === 'pause';
      notifyPause(load);
      return { done: true };
    },
  };
}
