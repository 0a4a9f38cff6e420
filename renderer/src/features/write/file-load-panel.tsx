import { useEffect, useRef, useState } from 'react';

import type { ConnectionSummary } from '../../../../shared/domain/connection';
import type {
  FileLoadOptions,
  FileLoadOutcome,
  LoadProgress,
  ResumableLoad,
} from '../../../../shared/domain/file-load';
import { formatBytes } from '../../../../shared/domain/format';
import type { AuthChoice, WriteParams } from '../../../../shared/domain/write-request';
import { invoke, newRequestId, onEvent } from '../../lib/ipc';

/**
 * "Write file…": loads a whole file through main's streaming loader (batches, retries, rejects,
 * verify). The renderer only reads the file the user picked and hands its bytes over, one piece at a
 * time (main answers each piece once its loader took it), and shows main's progress events.
 */

type LoadOptions = FileLoadOptions;

/** Defaults: the CLI's; 8 MiB batches are below every flavor's request cap. */
function defaultOptions(): LoadOptions {
  return {
    batchLines: 5000,
    batchBytes: 8 * 1024 * 1024,
    concurrency: 2,
    retries: 5,
    onInvalid: 'stop',
    stamp: 'none',
    verify: true,
  };
}

const PIECE_BYTES = 1024 * 1024;
/** What main hashes to recognise the file on a resume, and the bytes before a checkpoint it checks. */
const HEAD_BYTES = 64 * 1024;
const GUARD_BYTES = 4096;

async function bytesOf(file: File, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(from, to).arrayBuffer());
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(s);
}

function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const t = Math.round(ms / 1000);
  const m = Math.floor(t / 60);
  return m > 0 ? `${m} min ${t % 60} s` : `${t} s`;
}

/** The panel for one picked (or dropped) file. */
export function FileLoadPanel(props: {
  connection: ConnectionSummary;
  params: WriteParams;
  auth: AuthChoice;
  file: File;
  disabledReason: string | null;
  onClose: () => void;
  onOpenRejects: (text: string) => void;
}) {
  const { file } = props;
  const [options, setOptions] = useState<LoadOptions>(defaultOptions);
  const [phase, setPhase] = useState<'ready' | 'running' | 'done'>('ready');
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [outcome, setOutcome] = useState<FileLoadOutcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const requestId = useRef<string | null>(null);

  useEffect(
    () =>
      onEvent('fileload:progress', (e) => {
        if (e.requestId === requestId.current) setProgress(e.progress);
      }),
    [],
  );

  // Loads of this file that did not finish (cancelled, failed, or the app closed mid-way).
  const [unfinished, setUnfinished] = useState<ResumableLoad | null>(null);
  const [resumeError, setResumeError] = useState<string | null>(null);
  const [listed, setListed] = useState(0);
  const refreshUnfinished = (): void => setListed((n) => n + 1);
  useEffect(() => {
    let live = true;
    invoke('fileload:resumable', {}).then(
      ({ loads }) => {
        if (live) setUnfinished(loads.find((l) => l.file.name === file.name && l.status !== 'running') ?? null);
      },
      () => {
        if (live) setUnfinished(null);
      },
    );
    return () => {
      live = false;
    };
  }, [file, listed]);

  const start = async (resume?: ResumableLoad): Promise<void> => {
    const id = newRequestId();
    requestId.current = id;
    setPhase('running');
    setProgress(null);
    setOutcome(null);
    setFailure(null);
    setResumeError(null);
    setPaused(false);
    if (resume !== undefined) setOptions(resume.options);
    const from = resume?.offset ?? 0;
    try {
      await invoke('fileload:start', {
        requestId: id,
        connectionId: resume?.connectionId ?? props.connection.id,
        params: resume?.params ?? props.params,
        auth: resume?.auth ?? props.auth,
        fileName: file.name,
        fileSize: file.size,
        lastModified: file.lastModified,
        head: base64(await bytesOf(file, 0, Math.min(file.size, HEAD_BYTES))),
        options: resume?.options ?? options,
        ...(resume !== undefined
          ? {
              resume: {
                loadId: resume.loadId,
                guard: base64(await bytesOf(file, Math.max(0, from - GUARD_BYTES), from)),
              },
            }
          : {}),
      });
      for (let offset = from; ; offset += PIECE_BYTES) {
        const end = Math.min(file.size, offset + PIECE_BYTES);
        const bytes = await bytesOf(file, offset, end);
        const r = await invoke('fileload:chunk', {
          requestId: id,
          offset,
          data: base64(bytes),
          last: end >= file.size,
        });
        if (!r.more) {
          setOutcome(r.outcome);
          break;
        }
      }
    } catch (err) {
      if (resume !== undefined) setResumeError((err as Error).message);
      else setFailure((err as Error).message);
    } finally {
      setPhase('done');
      refreshUnfinished();
    }
  };
  const forget = async (loadId: string): Promise<void> => {
    await invoke('fileload:forget', { loadId });
    refreshUnfinished();
  };
  const control = (action: 'pause' | 'resume' | 'cancel'): void => {
    if (requestId.current === null) return;
    if (action !== 'cancel') setPaused(action === 'pause');
    void invoke('fileload:control', { requestId: requestId.current, action });
  };
  const set = <K extends keyof LoadOptions>(k: K, v: LoadOptions[K]): void => setOptions((o) => ({ ...o, [k]: v }));
  const frac = progress?.totalBytes ? Math.min(1, progress.bytesDone / progress.totalBytes) : 0;
  const done = phase === 'done';

  return (
    <section className="panel file-load" data-testid="file-load" aria-label="Write file">
      <div className="file-load-head">
        <strong>Write file</strong> <code data-testid="file-load-name">{file.name}</code>{' '}
        <span className="muted">{formatBytes(file.size)}</span>
        <button
          type="button"
          className="btn small"
          onClick={props.onClose}
          disabled={phase === 'running'}
          data-testid="file-load-close"
        >
          Close
        </button>
      </div>
      <div className="params file-load-options">
        <label>
          lines per batch
          <input
            type="number"
            min={1}
            value={options.batchLines}
            onChange={(e) => set('batchLines', Math.max(1, Number(e.target.value) || 1))}
            disabled={phase === 'running'}
            name="batchLines"
          />
        </label>
        <label>
          MiB per batch
          <input
            type="number"
            min={1}
            max={256}
            value={Math.round(options.batchBytes / 1024 / 1024)}
            onChange={(e) => set('batchBytes', Math.max(1, Number(e.target.value) || 1) * 1024 * 1024)}
            disabled={phase === 'running'}
            name="batchBytes"
          />
        </label>
        <label>
          in flight
          <input
            type="number"
            min={1}
            max={16}
            value={options.concurrency}
            onChange={(e) => set('concurrency', Math.min(16, Math.max(1, Number(e.target.value) || 1)))}
            disabled={phase === 'running'}
            name="concurrency"
          />
        </label>
        <label>
          retries
          <input
            type="number"
            min={0}
            max={20}
            value={options.retries}
            onChange={(e) => set('retries', Math.min(20, Math.max(0, Number(e.target.value) || 0)))}
            disabled={phase === 'running'}
            name="retries"
          />
        </label>
        <label>
          invalid entries
          <select
            value={options.onInvalid}
            onChange={(e) => set('onInvalid', e.target.value as LoadOptions['onInvalid'])}
            disabled={phase === 'running'}
            name="onInvalid"
          >
            <option value="stop">stop at the first</option>
            <option value="skip">skip and list them</option>
          </select>
        </label>
        <label>
          no timestamp
          <select
            value={options.stamp}
            onChange={(e) => set('stamp', e.target.value as LoadOptions['stamp'])}
            disabled={phase === 'running'}
            name="stamp"
          >
            <option value="none">server stamps</option>
            <option value="now">now, per batch</option>
            <option value="file-start">load start time</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.verify}
            onChange={(e) => set('verify', e.target.checked)}
            disabled={phase === 'running'}
            name="verify"
          />{' '}
          verify counts afterwards
        </label>
        {phase !== 'running' && (
          <button
            type="button"
            className="btn primary"
            onClick={() => void start()}
            disabled={props.disabledReason !== null}
            title={props.disabledReason ?? 'Load the whole file'}
            data-testid="file-load-start"
          >
            {done ? 'Load again' : 'Start'}
          </button>
        )}
      </div>
      {props.disabledReason !== null && phase !== 'running' && <p className="warn-box">{props.disabledReason}</p>}
      {unfinished !== null && phase !== 'running' && (
        <div className="file-load-unfinished" data-testid="file-load-unfinished">
          <span>
            An earlier load of <code>{unfinished.file.name}</code> {UNFINISHED[unfinished.status]} after{' '}
            {unfinished.accepted} accepted points ({formatBytes(unfinished.offset)} of{' '}
            {formatBytes(unfinished.file.size)}).
          </span>
          <button
            type="button"
            className="btn primary"
            onClick={() => void start(unfinished)}
            title="Continue where it stopped, with its connection and options; the file must be the same"
            data-testid="file-load-resume-unfinished"
          >
            Resume {unfinished.file.name} from line {unfinished.line}
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => void forget(unfinished.loadId)}
            title="Do not offer to resume this load again"
            data-testid="file-load-forget"
          >
            Forget it
          </button>
          {resumeError !== null && (
            <p className="warn-box" role="alert" data-testid="file-load-resume-error">
              {resumeError}
            </p>
          )}
        </div>
      )}
      {(phase === 'running' || progress !== null) && (
        <div className="file-load-progress" data-testid="file-load-progress">
          <div
            className="file-load-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(frac * 100)}
          >
            <div className="file-load-fill" style={{ width: `${(frac * 100).toFixed(1)}%` }} />
          </div>
          <span data-testid="file-load-stats">
            {(frac * 100).toFixed(1)}% · {formatBytes(progress?.bytesDone ?? 0)} of {formatBytes(file.size)} ·{' '}
            {progress?.accepted ?? 0} points · {formatBytes(progress?.bytesPerSecond ?? 0)}/s · ETA{' '}
            {duration(progress?.etaMs ?? null)} · {progress?.rejected ?? 0} rejected · {progress?.retries ?? 0} retries
            {paused ? ' · paused' : ''}
          </span>
          {progress?.lastRetry && <span className="muted small">last retry: {progress.lastRetry}</span>}
          {phase === 'running' && (
            <span className="file-load-controls">
              {paused ? (
                <button type="button" className="btn" onClick={() => control('resume')} data-testid="file-load-resume">
                  Resume
                </button>
              ) : (
                <button type="button" className="btn" onClick={() => control('pause')} data-testid="file-load-pause">
                  Pause
                </button>
              )}
              <button
                type="button"
                className="btn danger"
                onClick={() => control('cancel')}
                data-testid="file-load-cancel"
              >
                Cancel
              </button>
            </span>
          )}
        </div>
      )}
      {failure !== null && (
        <p className="warn-box" role="alert">
          {failure}
        </p>
      )}
      {outcome !== null && <LoadResult outcome={outcome} onOpenRejects={props.onOpenRejects} />}
    </section>
  );
}

const UNFINISHED: Record<ResumableLoad['status'], string> = {
  running: 'is running',
  interrupted: 'was interrupted (the app closed)',
  cancelled: 'was cancelled',
  failed: 'failed',
  'stopped-invalid': 'stopped at an invalid entry',
};

function LoadResult(props: { outcome: FileLoadOutcome; onOpenRejects: (text: string) => void }) {
  const o = props.outcome;
  const v = o.verify;
  return (
    <div className="file-load-result" data-testid="file-load-result">
      <p
        className={o.status === 'completed' && o.rejected === 0 ? 'ok-box' : 'warn-box'}
        data-testid="file-load-summary"
      >
        {o.status === 'completed' ? 'Loaded' : o.status === 'cancelled' ? 'Cancelled' : 'Stopped'}: {o.accepted} points
        accepted, {o.rejected} rejected, {formatBytes(o.bytes)} in {o.batches} batches
        {o.retries > 0 ? `, ${o.retries} retries` : ''}, {(o.elapsedMs / 1000).toFixed(1)} s (
        {Math.round(o.pointsPerSecond)} points/s).
        {o.resumedFromLine !== null ? ` Resumed from line ${o.resumedFromLine}.` : ''}
        {o.error !== null ? ` ${o.error}` : ''}
      </p>
      {v !== null && (
        <div data-testid="file-load-verify">
          <p className={v.ok ? 'ok-box' : 'warn-box'}>
            Verify: {v.ok ? 'the server holds what it acknowledged' : 'MISMATCH: the server holds other counts'}
            {v.error !== null ? ` (${v.error})` : ''}
          </p>
          {v.rows.length > 0 && (
            <table className="file-load-verify-table">
              <thead>
                <tr>
                  <th>measurement</th>
                  <th>field</th>
                  <th>accepted</th>
                  <th>found</th>
                </tr>
              </thead>
              <tbody>
                {v.rows.map((r) => (
                  <tr key={`${r.measurement}\u0000${r.field}`} className={r.found === r.expected ? '' : 'mismatch'}>
                    <td>{r.measurement}</td>
                    <td>{r.field}</td>
                    <td>{r.expected}</td>
                    <td>{r.found ?? '?'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {v.notes.map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </div>
      )}
      {o.rejects.length > 0 && (
        <div className="file-load-rejects" data-testid="file-load-rejects">
          <p>
            Rejected entries{o.rejectsTruncated ? ` (the first ${o.rejects.length})` : ''}:{' '}
            <button
              type="button"
              className="btn small"
              onClick={() => props.onOpenRejects(o.rejectsText)}
              data-testid="file-load-open-rejects"
            >
              Open in the editor
            </button>
          </p>
          <ul>
            {o.rejects.slice(0, 20).map((r) => (
              <li key={`${r.line}`}>
                <strong>line {r.line}</strong>: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
