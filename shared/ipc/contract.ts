import { z } from 'zod';

import { AUTH_SCHEMES } from '../domain/auth';
import type { ConnectionSummary } from '../domain/connection';
import type { FlavorDetection } from '../domain/detect';
import type { FileLoadOutcome, LoadProgress, ResumableLoad } from '../domain/file-load';
import { SERVER_FLAVORS, WRITE_APIS } from '../domain/flavor';
import { HISTORY_KINDS, type HistoryEntry, type HistorySummary } from '../domain/history';
import type { HttpExchange, PingResult } from '../domain/http';
import type { ProbeReport } from '../domain/probe';
import type { SandboxStatus } from '../domain/sandbox';
import { CONSISTENCY_VALUES } from '../domain/write-request';
import { DEFAULT_QUERY_BUDGET, QUERY_BUDGET_RANGE } from '../query/budget';
import type { Cell } from '../query/exact-json';
import { FIELD_TYPES } from '../query/format';
import { QUERY_EPOCHS, QUERY_METHOD_CHOICES } from '../query/query-request';
import type { QueryResult } from '../query/result-model';
import { type ChartSeries, MAX_PAGE_ROWS, type ResultOverview } from '../query/result-page';
import { SCHEMA_KINDS, type SchemaAnswer } from '../query/schema';
import type { IpcChannel, IpcEvent } from './channels';

/**
 * The one IPC contract: a strict zod schema for each channel's single request object, and its
 * response type. Main validates every request against these at run time on both transports that
 * reach the handlers (Electron IPC and the browser-mode bridge, through dispatch()). The CLI does not
 * enter here: it calls the services directly and checks its own options.
 */

const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
const ShortText = z.string().max(1_000);

/** Largest body accepted over IPC. Larger pastes are refused with a message instead of exhausting memory. */
export const MAX_WRITE_BODY_CHARS = 256 * 1024 * 1024;

/** What the workspaces keep as drafts in main's data folder: the write form and the query form. */
export const DRAFT_KINDS = ['write', 'query'] as const;
/** One of {@link DRAFT_KINDS}. */
export type DraftKind = (typeof DRAFT_KINDS)[number];
/**
 * Largest draft main keeps, in JSON characters. Above it the draft stays in the window only (and the
 * workspace says so): every save rewrites the file and keeps the previous one as a backup.
 */
export const MAX_DRAFT_CHARS = 64 * 1024 * 1024;

/** Schema of the connection form. */
export const ConnectionInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(100),
    url: z.string().trim().min(1, 'a URL is required').max(2_000),
    flavor: z.enum(SERVER_FLAVORS),
    db: ShortText,
    rp: ShortText,
    bucket: ShortText,
    org: ShortText,
    authScheme: z.enum(AUTH_SCHEMES),
    username: ShortText,
    caPem: z.string().max(200_000),
    skipTlsVerify: z.boolean(),
    timeoutMs: z.number().int().min(100).max(3_600_000),
    // Connections saved before these settings existed take the defaults.
    queryMaxRows: z
      .number()
      .int()
      .min(QUERY_BUDGET_RANGE.maxRows.min, `at least ${QUERY_BUDGET_RANGE.maxRows.min.toLocaleString('en-US')} rows`)
      .max(QUERY_BUDGET_RANGE.maxRows.max, `at most ${QUERY_BUDGET_RANGE.maxRows.max.toLocaleString('en-US')} rows`)
      .default(DEFAULT_QUERY_BUDGET.maxRows),
    queryMaxBytes: z
      .number()
      .int()
      .min(QUERY_BUDGET_RANGE.maxBytes.min, 'at least 1 MiB')
      .max(QUERY_BUDGET_RANGE.maxBytes.max, 'at most 1 GiB')
      .default(DEFAULT_QUERY_BUDGET.maxBytes),
  })
  .strict();

/** What to do with the token when saving a connection. */
export const TokenActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }).strict(),
  z.object({ action: z.literal('clear') }).strict(),
  z
    .object({
      action: z.literal('set'),
      value: z.string().min(1).max(8_192),
      /** `persist` stores it encrypted; `session` keeps it in memory until the app quits. */
      keep: z.enum(['persist', 'session']),
      /** Persist even when the OS key store is weak (Linux `basic_text`): the user's explicit choice. */
      allowWeak: z.boolean(),
    })
    .strict(),
]);

/** Schema of the write form's parameters. */
export const WriteParamsSchema = z
  .object({
    api: z.enum(WRITE_APIS),
    db: ShortText,
    rp: ShortText,
    bucket: ShortText,
    org: ShortText,
    precision: z.string().max(20),
    consistency: z.enum(CONSISTENCY_VALUES),
    acceptPartial: z.boolean(),
    noSync: z.boolean(),
    gzip: z.boolean(),
  })
  .strict();

/** Schema of a per-request auth choice. */
export const AuthChoiceSchema = z.object({ scheme: z.enum(AUTH_SCHEMES), username: ShortText }).strict();

/** A "Copy as…" request: the write form as a snippet in one of the export formats. */
export const ExportRequestSchema = z
  .object({
    connectionId: Id,
    /** An EXPORT_FORMATS id (checked against the list by the handler). */
    format: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9-]+$/),
    params: WriteParamsSchema,
    auth: AuthChoiceSchema,
    body: z.string().max(MAX_WRITE_BODY_CHARS, 'the body is larger than 256 MiB; split it into batches'),
  })
  .strict();

/** Largest chunk of a file the renderer hands to main at once (base64 characters). */
export const MAX_FILE_CHUNK_CHARS = 6 * 1024 * 1024;

/** Bytes as base64 text (file pieces travel as JSON over both transports). */
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'file bytes are base64');
/** base64 of the 64 KiB head and the 4 KiB checkpoint guard of a file load. */
const MAX_HEAD_CHARS = Math.ceil((64 * 1024) / 3) * 4;
const MAX_GUARD_CHARS = Math.ceil(4096 / 3) * 4;

/** Options of a file load (the CLI's flags). */
export const FileLoadOptionsSchema = z
  .object({
    batchLines: z.number().int().min(1).max(1_000_000),
    batchBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024),
    concurrency: z.number().int().min(1).max(16),
    retries: z.number().int().min(0).max(20),
    onInvalid: z.enum(['stop', 'skip']),
    stamp: z.enum(['none', 'now', 'file-start']),
    verify: z.boolean(),
  })
  .strict();

/** Request schemas, one per channel. */
export const requestSchemas = {
  'app:info': z.object({}).strict(),
  'connections:list': z.object({}).strict(),
  'connections:save': z
    .object({ id: Id.optional(), connection: ConnectionInputSchema, token: TokenActionSchema })
    .strict(),
  'connections:delete': z.object({ id: Id }).strict(),
  'write:send': z
    .object({
      requestId: Id,
      connectionId: Id,
      params: WriteParamsSchema,
      auth: AuthChoiceSchema,
      body: z.string().max(MAX_WRITE_BODY_CHARS, 'the body is larger than 256 MiB; split it into batches'),
    })
    .strict(),
  'server:ping': z.object({ requestId: Id, connectionId: Id, auth: AuthChoiceSchema.optional() }).strict(),
  'query:run': z
    .object({
      requestId: Id,
      connectionId: Id,
      q: z.string().min(1, 'the query is empty').max(1_000_000),
      db: ShortText,
      rp: ShortText,
      epoch: z.enum(QUERY_EPOCHS),
      chunked: z.boolean(),
      chunkSize: z.number().int().min(0).max(1_000_000),
      params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])),
      /** `auto` POSTs statements that change something (as 1.x requires) and GETs reads. */
      method: z.enum(QUERY_METHOD_CHOICES),
      auth: AuthChoiceSchema.optional(),
    })
    .strict(),
  /** Rows `offset`… of one series of a result main keeps (see shared/query/result-page.ts). */
  'query:page': z
    .object({
      resultId: Id,
      statement: z.number().int().min(0).max(100_000),
      series: z.number().int().min(0).max(10_000_000),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
    })
    .strict(),
  /** What the chart of a statement draws: every row, or the rows that shape each line (see chartSample). */
  'query:chart': z.object({ resultId: Id, statement: z.number().int().min(0).max(100_000) }).strict(),
  /**
   * A whole result, written by main: CSV or line protocol of every series of a statement, or JSON of
   * every statement. `to: 'clipboard'` in the desktop app; browser mode writes a file in the data
   * folder's exports/ either way (main cannot reach the browser's clipboard, and the page never holds
   * the whole result). For line protocol, `lp` gives each measurement's tag columns and field types
   * (from SHOW TAG KEYS and SHOW FIELD KEYS).
   */
  'query:export': z
    .object({
      resultId: Id,
      statement: z.number().int().min(0).max(100_000),
      format: z.enum(['csv', 'json', 'lp']),
      to: z.enum(['file', 'clipboard']),
      lp: z
        .record(
          z.string().max(1_000),
          z
            .object({
              tags: z.array(z.string().max(1_000)).max(10_000),
              types: z.record(z.string().max(1_000), z.enum(FIELD_TYPES)),
            })
            .strict(),
        )
        .optional(),
    })
    .strict(),
  /** Frees a result main keeps (its view went away). */
  'query:release': z.object({ resultId: Id }).strict(),
  /** One kind of schema item, fetched with a SHOW statement (see shared/query/schema.ts). */
  'schema:get': z
    .object({
      connectionId: Id,
      kind: z.enum(SCHEMA_KINDS),
      db: ShortText,
      rp: ShortText,
      measurement: ShortText,
      tagKey: ShortText,
    })
    .strict(),
  'request:cancel': z.object({ requestId: Id }).strict(),
  'server:probe': z
    .object({
      requestId: Id,
      connectionId: Id,
      /** Database for /write, /api/v3/write_lp and SHOW MEASUREMENTS; the connection's when absent. */
      db: ShortText.optional(),
    })
    .strict(),
  'history:list': z
    .object({
      search: ShortText.optional(),
      kinds: z.array(z.enum(HISTORY_KINDS)).max(HISTORY_KINDS.length).optional(),
      connectionId: Id.optional(),
      outcome: z.enum(['all', 'ok', 'failed']).optional(),
      limit: z.number().int().min(1).max(500),
      offset: z.number().int().min(0).max(100_000),
    })
    .strict(),
  'history:get': z.object({ id: Id }).strict(),
  'history:delete': z.object({ id: Id }).strict(),
  /** Without connectionId: everything. */
  'history:clear': z.object({ connectionId: Id.optional() }).strict(),
  'export:render': ExportRequestSchema,
  /**
   * The same snippet with the vault's real token, delivered by main and never returned: the desktop
   * app writes the clipboard itself; browser mode writes a file only the user can read. Only an
   * explicit user choice sends this.
   */
  'export:copy': ExportRequestSchema,
  'drafts:get': z.object({ connectionId: Id, kind: z.enum(DRAFT_KINDS) }).strict(),
  'drafts:save': z
    .object({
      connectionId: Id,
      kind: z.enum(DRAFT_KINDS),
      /** The renderer's clock when the draft was taken; an older save never overwrites a newer one. */
      savedAt: z.number().int().min(0),
      /** The workspace's own shape (it merges what it reads with its defaults); no credentials. */
      draft: z.record(z.string(), z.unknown()),
    })
    .strict(),
  'sandbox:status': z.object({}).strict(),
  'sandbox:settings': z.object({ autoStart: z.boolean().optional(), showGuide: z.boolean().optional() }).strict(),
  'sandbox:manage': z.discriminatedUnion('action', [
    z.object({ action: z.literal('create-database'), name: z.string().min(1).max(64) }).strict(),
    z.object({ action: z.literal('delete-database'), name: z.string().min(1).max(64) }).strict(),
    z
      .object({
        action: z.literal('create-token'),
        description: ShortText,
        read: z.array(z.string().min(1).max(64)).max(100),
        write: z.array(z.string().min(1).max(64)).max(100),
      })
      .strict(),
    z.object({ action: z.literal('delete-token'), id: z.string().min(1).max(100) }).strict(),
    z.object({ action: z.literal('reload-demo') }).strict(),
  ]),
  /**
   * Starts loading a file in main with the streaming loader. The renderer then sends the file's bytes
   * with `fileload:chunk` (each answered once the loader took it: that is the backpressure; the
   * answer that says `more: false` carries the outcome) and gets `fileload:progress` events.
   */
  'fileload:start': z
    .object({
      requestId: Id,
      connectionId: Id,
      params: WriteParamsSchema,
      auth: AuthChoiceSchema,
      fileName: z.string().min(1).max(1_000),
      fileSize: z.number().int().min(0),
      /** The file's modification time (ms) and its first 64 KiB: main records them to recognise the file on a resume. */
      lastModified: z.number().int(),
      head: Base64.max(MAX_HEAD_CHARS),
      options: FileLoadOptionsSchema,
      /**
       * Resume the recorded load `loadId` (its connection, parameters and options are the recorded
       * ones): the bytes then start at its checkpoint, and `guard` holds the up to 4 KiB before it.
       */
      resume: z
        .object({ loadId: Id, guard: Base64.max(MAX_GUARD_CHARS) })
        .strict()
        .optional(),
    })
    .strict(),
  /** The next bytes of a load's file, in order from offset 0; `last` on the final one. */
  'fileload:chunk': z
    .object({
      requestId: Id,
      offset: z.number().int().min(0),
      data: Base64.max(MAX_FILE_CHUNK_CHARS),
      last: z.boolean(),
    })
    .strict(),
  'fileload:control': z.object({ requestId: Id, action: z.enum(['pause', 'resume', 'cancel']) }).strict(),
  /** The app's loads that did not finish (cancelled, failed, stopped or interrupted), newest first. */
  'fileload:resumable': z.object({}).strict(),
  /** Forgets an unfinished load: it will not be offered for resuming again. */
  'fileload:forget': z.object({ loadId: Id }).strict(),
  /** Opens the log folder (desktop) or, where main cannot (browser mode), only says where it is. */
  'logs:open': z.object({}).strict(),
} satisfies Record<IpcChannel, z.ZodType>;

/** `server:ping` response: the ping plus the flavor detected from it. */
export interface PingOutcome extends PingResult {
  readonly detected: FlavorDetection;
  /** Set when the chosen auth needed a token, none was stored, and the ping went without auth. */
  readonly authFallback: string | null;
}

/** A query's exchange (body preview only) and its parsed result, as the services return it. */
export interface QueryOutcome {
  readonly exchange: HttpExchange;
  readonly result: QueryResult;
  /** Requests sent: more than one when a 3.x flavor ran a script statement by statement. */
  readonly requests?: number;
}

/**
 * `query:run` response: the exchange and the result without its rows past the first page. Main keeps
 * the rows under `result.resultId`; `query:page`, `query:chart` and `query:export` read them.
 */
export interface QueryRunOutcome {
  readonly exchange: HttpExchange;
  readonly result: ResultOverview;
  readonly requests?: number;
}

/** Where main put an exported result: the clipboard, a file (its path), or nowhere (the save dialog was cancelled). */
export type ResultDelivery =
  | { readonly to: 'clipboard'; readonly chars: number }
  | { readonly to: 'file'; readonly path: string; readonly bytes: number }
  | { readonly to: 'cancelled' };

/** Where main delivered text that holds a secret: the clipboard (desktop) or a user-only file (browser mode). */
export type SecretDelivery = { readonly to: 'clipboard' } | { readonly to: 'file'; readonly path: string };

/**
 * The log folder: its path (no secret: the log is redacted) and whether main opened it in the file
 * manager. Browser mode never opens it (the page cannot open a local folder): the UI shows the path.
 */
export interface LogFolder {
  readonly path: string;
  readonly opened: boolean;
  /** Why opening failed (the file manager's message); null when it opened or was not tried. */
  readonly error: string | null;
}

/** How strongly tokens are protected in this process. */
export interface VaultStatus {
  /** e.g. `gnome_libsecret`, `keychain`, `dpapi`, `basic_text`, `memory`. */
  readonly backend: string;
  /** `strong`: OS key store. `weak`: Linux basic_text (obfuscation only). `none`: nothing can be persisted. */
  readonly level: 'strong' | 'weak' | 'none';
  /** A sentence for the settings page. */
  readonly message: string;
}

/** `app:info` response. */
export interface AppInfo {
  readonly mode: 'desktop' | 'browser';
  readonly version: string;
  readonly vault: VaultStatus;
}

/** A problem found while loading stored data, shown once to the user. */
export interface StoreNotice {
  readonly level: 'warning' | 'error';
  readonly message: string;
}

/** Response types, one per channel. */
export interface IpcResponses {
  'app:info': AppInfo;
  'connections:list': { connections: ConnectionSummary[]; notices: StoreNotice[] };
  'connections:save': ConnectionSummary;
  'connections:delete': { deleted: boolean };
  'write:send': HttpExchange;
  'server:ping': PingOutcome;
  'query:run': QueryRunOutcome;
  'query:page': { rows: Cell[][] };
  /** Per series with a time column: its time and numeric columns; `rowCount` > `rows.length` for a sample. */
  'query:chart': { series: ChartSeries[] };
  /** Rows written: the whole result, whatever the renderer had paged. */
  'query:export': ResultDelivery & { readonly rows: number };
  'query:release': { released: boolean };
  /** `authFallback` is set when no token was stored and the SHOW went without auth. */
  'schema:get': SchemaAnswer & { readonly authFallback: string | null };
  'request:cancel': { cancelled: boolean };
  'server:probe': ProbeReport;
  /**
   * A page of summaries (newest first), the number matching, the retention rule in words, and why
   * history could not be saved (null when the last save worked).
   */
  'history:list': { entries: HistorySummary[]; total: number; retention: string; saveError: string | null };
  'history:get': HistoryEntry;
  'history:delete': { deleted: boolean };
  'history:clear': { cleared: number };
  /** The snippet, referencing `$INFLUX_TOKEN`: no response ever carries a token. */
  'export:render': { text: string };
  /** Where main put the snippet with the real token. */
  'export:copy': SecretDelivery;
  /** The stored draft (null when there is none) and when it was taken. */
  'drafts:get': { draft: Record<string, unknown> | null; savedAt: number };
  /** `saved: false` when a newer draft was already stored. */
  'drafts:save': { saved: boolean };
  'sandbox:status': SandboxStatus;
  'sandbox:settings': SandboxStatus;
  /** `secret` is the new token, shown once (create-token only). */
  'sandbox:manage': { status: SandboxStatus; secret: string | null };
  /** The load runs in main from here on; its bytes come with `fileload:chunk`. */
  'fileload:start': { started: boolean };
  /**
   * `more: false` when the load no longer reads (that was the last piece, or it stopped, failed or
   * was cancelled): stop sending; `outcome` then says how the load ended.
   */
  'fileload:chunk': { more: boolean; outcome: FileLoadOutcome | null };
  'fileload:control': { done: boolean };
  'fileload:resumable': { loads: ResumableLoad[] };
  'fileload:forget': { removed: boolean };
  'logs:open': LogFolder;
}

/** Event payloads, one per event. */
export interface IpcEventPayloads {
  'connections:changed': { ids: string[] };
  'query:progress': { requestId: string; bytes: number; rows: number; documents: number };
  /** History changed: ids added or removed (empty after a clear). */
  'history:changed': { ids: string[] };
  /** Throttled to a few per second. */
  'fileload:progress': { requestId: string; progress: LoadProgress };
}

/** The request type a caller passes for a channel. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof requestSchemas)[C]>;
/** The request type a handler receives after validation. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof requestSchemas)[C]>;
/** The response type of a channel. */
export type IpcResponse<C extends IpcChannel> = IpcResponses[C];
/** The payload type of an event. */
export type IpcEventPayload<E extends IpcEvent> = IpcEventPayloads[E];

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time checks: the response and event maps cover exactly the declared names.
export const responsesCoverChannels: Exact<keyof IpcResponses, IpcChannel> = true;
export const payloadsCoverEvents: Exact<keyof IpcEventPayloads, IpcEvent> = true;
