import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { FlavorDetection } from '../../shared/domain/detect';
import {
  HISTORY_BODY_CAP_BYTES,
  HISTORY_KINDS,
  HISTORY_MAX_ENTRIES,
  HISTORY_MAX_TOTAL_BYTES,
  type HistoryEntry,
  type HistoryKind,
  type HistoryReplay,
  type HistoryRequest,
  type HistoryResponse,
  type HistorySummary,
  summarizeEntry,
} from '../../shared/domain/history';
import { describeNetworkFailure, headerValue, type HttpExchange, isSuccess } from '../../shared/domain/http';
import { type ProbeReport, serverMessage, summarizeProbe } from '../../shared/domain/probe';
import { scrubValue } from '../../shared/domain/redact';
import type { StoreNotice } from '../../shared/ipc/contract';
import { createJsonStore } from './json-store';

/**
 * Persisted request history (`history.json` in the data folder).
 *
 * Entries are built from already-redacted exchanges and then scrubbed once more for every form of the
 * stored token (shared/domain/redact.ts `credentialForms`), so a server echoing a credential in a body
 * cannot put it on disk. Writes are
 * coalesced: a burst of sends marks the store dirty and one atomic write follows `debounceMs` later
 * (and on {@link HistoryStore.flush}, which the app calls when closing), so a `kill -9` loses at most
 * the last `debounceMs` (750 ms) of history. Loading and writing go through the JSON store
 * (json-store.ts): a damaged file is moved aside and never stops start-up.
 */

/** What a handler hands over to record one request. */
export interface RecordInput {
  readonly kind: HistoryKind;
  readonly connection: { readonly id: string; readonly name: string };
  /** The exchange (already redacted); null for a probe. */
  readonly exchange: HttpExchange | null;
  /** Text the user authored: line protocol for writes, InfluxQL for queries, empty for pings. */
  readonly requestBody: string;
  readonly replay: HistoryReplay;
  readonly detected?: FlavorDetection | null;
  readonly rowCount?: number | null;
  readonly probe?: ProbeReport | null;
  /** Replaces the generated one-line summary. */
  readonly summary?: string;
  /**
   * An error the server reported inside a successful HTTP answer: InfluxQL statement errors come
   * with HTTP 200. The entry is then a failure (red, found by the "failed" filter), summarised by it.
   */
  readonly failure?: string | null;
}

/** Filter of {@link HistoryStore.list}. */
export interface HistoryFilter {
  /** Whitespace-separated terms, all of which must occur (case-insensitive). */
  readonly search?: string;
  readonly kinds?: readonly HistoryKind[];
  readonly connectionId?: string;
  readonly outcome?: 'all' | 'ok' | 'failed';
  readonly limit: number;
  readonly offset: number;
}

/** The history store. */
export interface HistoryStore {
  /** Reads history.json; returns notices (damaged file, unreadable entries) instead of throwing. */
  load(): Promise<StoreNotice[]>;
  /** Adds an entry (scrubbing `secrets`, from `credentialForms()`, out of every string in it) and schedules a save. */
  record(input: RecordInput, secrets: readonly string[]): HistoryEntry;
  list(filter: HistoryFilter): { entries: HistorySummary[]; total: number };
  get(id: string): HistoryEntry | null;
  delete(id: string): boolean;
  /** Removes every entry, or those of one connection; returns how many went. */
  clear(connectionId?: string): number;
  /** Writes pending changes now (after a clear, the backup too). Rejects with a STORAGE error. */
  flush(): Promise<void>;
  /** Why the last save failed, or null: history that exists only in memory must not look saved. */
  saveError(): string | null;
  /** Stops the save timer without saving (pending changes stay pending for a later flush()). */
  stopTimer(): void;
  /** Entry count and serialised size, for tests and the UI. */
  stats(): { count: number; bytes: number };
}

/** Options of {@link createHistoryStore}. */
export interface HistoryStoreOptions {
  /** Data folder; null keeps history in memory only (tests). */
  readonly dir: string | null;
  readonly debounceMs?: number;
  readonly maxEntries?: number;
  readonly maxTotalBytes?: number;
  readonly bodyCapBytes?: number;
  /** Called after every change with the ids added or removed (empty for a clear). */
  readonly onChange?: (ids: string[]) => void;
  /** Called when a save fails; the store stays dirty and tries again on the next change or flush. */
  readonly onError?: (err: unknown) => void;
}

const FILE = 'history.json';

/** Creates a history store. */
export function createHistoryStore(options: HistoryStoreOptions): HistoryStore {
  const file =
    options.dir === null
      ? null
      : createJsonStore<HistoryEntry[]>({
          file: path.join(options.dir, FILE),
          what: 'request history',
          decode: readEntries,
          empty: () => [],
          restoreBackup: true,
          lostHint: 'Request history starts empty.',
        });
  const debounceMs = options.debounceMs ?? 750;
  const maxEntries = options.maxEntries ?? HISTORY_MAX_ENTRIES;
  const maxTotalBytes = options.maxTotalBytes ?? HISTORY_MAX_TOTAL_BYTES;
  const bodyCap = options.bodyCapBytes ?? HISTORY_BODY_CAP_BYTES;
  /** Newest first. */
  let entries: HistoryEntry[] = [];
  const sizes = new Map<string, number>();
  let total = 0;
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  /** The last save started; a flush with nothing new still waits for it. */
  let saving: Promise<void> = Promise.resolve();
  // When the file could not be read (permissions, I/O), saving would overwrite history we never saw.
  let persist = file !== null;
  /** Set by a clear: the next save also replaces the backup, which still holds the cleared entries. */
  let clearedSinceSave = false;
  /** Why the last save failed (null once one succeeds): shown in the history panel. */
  let saveError: string | null = null;

  const sizeOf = (e: HistoryEntry): number => Buffer.byteLength(JSON.stringify(e), 'utf8');
  const add = (e: HistoryEntry, atEnd: boolean): void => {
    const n = sizeOf(e);
    sizes.set(e.id, n);
    total += n;
    if (atEnd) entries.push(e);
    else entries.unshift(e);
  };
  const remove = (predicate: (e: HistoryEntry) => boolean): string[] => {
    const gone: string[] = [];
    entries = entries.filter((e) => {
      if (!predicate(e)) return true;
      total -= sizes.get(e.id) ?? 0;
      sizes.delete(e.id);
      gone.push(e.id);
      return false;
    });
    return gone;
  };
  /** Drops the oldest entries until both limits hold; the newest entry always stays. */
  const enforce = (): string[] => {
    const gone: string[] = [];
    while (entries.length > 1 && (entries.length > maxEntries || total > maxTotalBytes)) {
      const oldest = entries.pop()!;
      total -= sizes.get(oldest.id) ?? 0;
      sizes.delete(oldest.id);
      gone.push(oldest.id);
    }
    return gone;
  };
  const changed = (ids: string[]): void => {
    dirty = true;
    if (persist && timer === null) {
      // Not reset by later changes: a steady stream of sends still saves every debounceMs.
      timer = setTimeout(() => {
        timer = null;
        void store.flush().catch((err: unknown) => options.onError?.(err));
      }, debounceMs);
      timer.unref();
    }
    options.onChange?.(ids);
  };

  const store: HistoryStore = {
    async load() {
      if (file === null) return [];
      const read = await file.load();
      persist = read.writable;
      entries = [];
      sizes.clear();
      total = 0;
      for (const e of read.data) add(e, true);
      if (read.needsSave) dirty = true;
      if (enforce().length > 0) dirty = true;
      return read.notices;
    },
    record(input, secrets) {
      const entry = scrubValue(buildEntry(input, bodyCap), secrets);
      add(entry, false);
      const gone = enforce();
      changed([entry.id, ...gone]);
      return entry;
    },
    list(filter) {
      const terms = (filter.search ?? '')
        .toLowerCase()
        .split(/\s+/)
        .filter((t) => t !== '');
      const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null;
      const matching = entries.filter((e) => {
        if (kinds && !kinds.has(e.kind)) return false;
        if (filter.connectionId && e.connectionId !== filter.connectionId) return false;
        if (filter.outcome === 'ok' && !e.ok) return false;
        if (filter.outcome === 'failed' && e.ok) return false;
        if (terms.length === 0) return true;
        const hay = haystack(e);
        return terms.every((t) => hay.includes(t));
      });
      return {
        entries: matching.slice(filter.offset, filter.offset + filter.limit).map(summarizeEntry),
        total: matching.length,
      };
    },
    get: (id) => entries.find((e) => e.id === id) ?? null,
    delete(id) {
      const gone = remove((e) => e.id === id);
      if (gone.length > 0) changed(gone);
      return gone.length > 0;
    },
    clear(connectionId) {
      const gone = remove((e) => connectionId === undefined || e.connectionId === connectionId);
      if (gone.length > 0) {
        clearedSinceSave = true;
        changed([]);
      }
      return gone.length;
    },
    async flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (!dirty || !persist || file === null) return saving;
      dirty = false;
      const dropBackup = clearedSinceSave;
      clearedSinceSave = false;
      // The store serialises now and queues per file, so this is a snapshot written in order.
      const run = file.save({ version: 1, entries }).then(async () => {
        // Cleared entries must not come back from the backup either.
        if (dropBackup) await file.replaceBackup();
      });
      saving = run.then(
        () => {
          if (saveError !== null) {
            saveError = null;
            options.onChange?.([]);
          }
        },
        (err: unknown) => {
          dirty = true;
          if (dropBackup) clearedSinceSave = true;
          saveError = (err as Error).message;
          options.onChange?.([]);
        },
      );
      return run;
    },
    saveError: () => saveError,
    stopTimer() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    stats: () => ({ count: entries.length, bytes: total }),
  };
  return store;
}

/** Builds an entry from what a handler recorded. */
function buildEntry(input: RecordInput, cap: number): HistoryEntry {
  const x = input.exchange;
  const notes: string[] = [];
  let request: HistoryRequest | null = null;
  let response: HistoryResponse | null = null;
  if (x !== null) {
    const body = capText(input.requestBody, cap);
    if (body.truncated) notes.push(`Request body cut at ${kib(cap)} of ${kib(body.bytes)}.`);
    request = {
      method: x.request.method,
      url: x.request.url,
      headers: x.request.headers,
      body: body.text,
      bodyBytes: body.bytes,
      bodyTruncated: body.truncated,
      gzip: x.request.gzip,
    };
    if (x.response !== null) {
      const rb = capText(x.response.body, cap);
      if (rb.truncated) notes.push(`Response body cut at ${kib(cap)} of ${kib(rb.bytes)}.`);
      response = {
        status: x.response.status,
        statusText: x.response.statusText,
        headers: x.response.headers,
        body: rb.text,
        bodyBytes: x.response.bodyBytes,
        bodyTruncated: rb.truncated,
        contentType: x.response.contentType,
      };
    }
  }
  const headers = x?.response?.headers ?? [];
  const probe = input.probe ?? null;
  const detected = input.detected ?? probe?.detected ?? null;
  const server = {
    version: headerValue(headers, 'x-influxdb-version') ?? detected?.version ?? null,
    build: headerValue(headers, 'x-influxdb-build') ?? detected?.build ?? null,
  };
  const rowCount = input.rowCount ?? null;
  const failure = input.failure ?? null;
  const summary =
    input.summary ?? (probe !== null ? summarizeProbe(probe) : x !== null ? exchangeSummary(x, rowCount, failure) : '');
  const ok =
    probe !== null ? probe.pingStatus !== null && !probe.cancelled : x !== null && isSuccess(x) && failure === null;
  return {
    id: randomUUID(),
    kind: input.kind,
    connectionId: input.connection.id,
    connectionName: input.connection.name,
    at: x?.timing.startedAt ?? probe?.startedAt ?? new Date().toISOString(),
    request,
    response,
    error: x?.error ?? null,
    timing: x?.timing ?? null,
    server,
    detected,
    ok,
    summary,
    replay: input.replay,
    rowCount,
    probe,
    notes,
  };
}

function exchangeSummary(x: HttpExchange, rowCount: number | null, failure: string | null): string {
  if (x.response === null) return describeNetworkFailure(x.error);
  const head = `${x.response.status} ${x.response.statusText}`.trim();
  const rows = rowCount === null ? '' : ` · ${rowCount} rows`;
  if (failure !== null) return `${head}: ${failure.split('\n')[0]!.slice(0, 200)}${rows}`;
  if (isSuccess(x)) return `${head}${rows}`;
  const message = serverMessage(x.response.body).split('\n')[0] ?? '';
  return `${head}${message ? `: ${message.slice(0, 200)}` : ''}${rows}`;
}

/** Cuts text to at most `cap` UTF-8 bytes, never in the middle of a character. */
function capText(text: string, cap: number): { text: string; bytes: number; truncated: boolean } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= cap) return { text, bytes, truncated: false };
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, cap)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return { text: cut, bytes, truncated: true };
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function haystack(e: HistoryEntry): string {
  const parts = [
    e.kind,
    e.connectionName,
    e.summary,
    e.request?.url ?? '',
    e.request?.body ?? '',
    e.response?.body ?? '',
  ];
  if (e.response) parts.push(String(e.response.status));
  if (e.replay.kind === 'query') parts.push(e.replay.query.q);
  if (e.detected?.flavor) parts.push(e.detected.flavor);
  return parts.join('\n').toLowerCase();
}

/**
 * Reads stored entries, keeping those with the fields every reader relies on; null when the file is
 * not a history file at all. Entries left out stay in the copy the JSON store keeps of the file.
 */
function readEntries(value: unknown): { data: HistoryEntry[]; skipped: string[] } | null {
  if (value === null || typeof value !== 'object') return null;
  const list = (value as { entries?: unknown }).entries;
  if (!Array.isArray(list)) return null;
  const out: HistoryEntry[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const item of list) {
    if (isEntry(item) && !seen.has(item.id)) {
      seen.add(item.id);
      out.push(item);
    } else dropped++;
  }
  return {
    data: out,
    skipped: dropped === 0 ? [] : [`${dropped} request history entries could not be read and were left out.`],
  };
}

function isEntry(v: unknown): v is HistoryEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const replay = e.replay as Record<string, unknown> | undefined;
  return (
    typeof e.id === 'string' &&
    (HISTORY_KINDS as readonly unknown[]).includes(e.kind) &&
    typeof e.at === 'string' &&
    typeof e.connectionId === 'string' &&
    typeof e.connectionName === 'string' &&
    typeof e.summary === 'string' &&
    typeof e.ok === 'boolean' &&
    typeof replay === 'object' &&
    replay !== null &&
    replay.kind === e.kind &&
    Array.isArray(e.notes) &&
    (e.request === null || typeof e.request === 'object') &&
    (e.response === null || typeof e.response === 'object')
  );
}
