import type { Connection } from '../../../shared/domain/connection';
import { credentialForms } from '../../../shared/domain/redact';
import type { AuthChoice } from '../../../shared/domain/write-request';
import type { IpcEvent } from '../../../shared/ipc/channels';
import type { AppInfo, IpcEventPayload, StoreNotice } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/result';
import type { AppSandbox } from '../../sandbox/app-sandbox';
import type { ConnectionsStore } from '../../services/connections-store';
import type { DraftsStore } from '../../services/drafts-store';
import type { SecretSink } from '../../services/export-service';
import type { LoadRecords } from '../../services/file-load/load-records';
import type { HistoryStore, RecordInput } from '../../services/history-store';
import type { RequestRegistry } from '../../services/request-registry';
import type { ResultSink } from '../../services/result-export';
import type { ResultStore } from '../../services/result-store';
import type { TokenVault } from '../../services/token-vault';
import type { SendHttp, Target } from '../../services/write-service';

/** Dependencies of the handlers. */
export interface AppDeps {
  readonly mode: AppInfo['mode'];
  readonly version: string;
  readonly store: ConnectionsStore;
  readonly vault: TokenVault;
  readonly registry: RequestRegistry;
  readonly send: SendHttp;
  readonly emit: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;
  /** Problems found while loading stored data; shown by `connections:list` until acknowledged. */
  readonly notices: StoreNotice[];
  /** Request history: every write, ping, probe and query is recorded here. */
  readonly history: HistoryStore;
  /** The workspaces' drafts. */
  readonly drafts: DraftsStore;
  /** Where `export:copy` puts a snippet with the real token (never returned over IPC); refused when absent. */
  readonly secretSink?: SecretSink;
  /** Query results kept for paging, charts and exports (bounded; see result-store.ts). */
  readonly results: ResultStore;
  /** Where whole-result exports go: a file (save dialog or exports/ folder) or the desktop clipboard. */
  readonly resultSink: ResultSink;
  /** The app's own sandbox server; null when the app runs without it (tests, `--no-sandbox`). */
  readonly sandbox?: AppSandbox | null;
  /** The app's file loads, kept so an unfinished one can be resumed; absent: loads are not recorded. */
  readonly fileLoads?: LoadRecords;
  /** Where the log file is; `open` (desktop only) shows a folder in the file manager, '' or an error. */
  readonly logs: { readonly dir: string; readonly open?: (dir: string) => Promise<string> };
}

/** The auth a request goes out with, decided once by {@link HandlerContext.resolveAuth}. */
export interface ResolvedAuth {
  /** The scheme sent: the one chosen, or `none` after a fallback. */
  readonly auth: AuthChoice;
  /** The token sent (null for `none`). */
  readonly token: string | null;
  /** The stored token, sent or not: scrubbed from what is returned and recorded. */
  readonly stored: string | null;
  /** Set when the chosen scheme needed a token, none was stored, and the request went without auth. */
  readonly fallback: string | null;
}

/** What every domain's handlers share: lookups, auth policy and recording. */
export interface HandlerContext {
  /** The connection, or NOT_FOUND. */
  connection(id: string): Connection;
  target(c: Connection): Target;
  /**
   * The one auth policy for every request. `required`: a scheme that needs a token fails clearly
   * when none is stored (writes and queries: sending them unauthenticated would only fail later, less
   * clearly). Not required: the request goes without auth and `fallback` says so (ping, schema, probe:
   * servers with auth off still answer them).
   */
  resolveAuth(c: Connection, choice: AuthChoice, options: { required: boolean }): Promise<ResolvedAuth>;
  /**
   * Records a request in history, scrubbing every form of the stored token whatever scheme was used:
   * a body or an echoing server may carry it even on an unauthenticated request.
   */
  record(input: RecordInput, stored: string | null, usernames: readonly string[]): void;
}

/** Builds the shared context of the handlers. */
export function createHandlerContext(deps: AppDeps): HandlerContext {
  return {
    connection(id) {
      const c = deps.store.get(id);
      if (!c) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
      return c;
    },
    target: (c) => ({
      baseUrl: c.url,
      tls: { caPem: c.caPem, skipVerify: c.skipTlsVerify },
      timeoutMs: c.timeoutMs,
    }),
    async resolveAuth(c, choice, { required }) {
      const needsToken = choice.scheme !== 'none';
      // A token that cannot be decrypted fails a request that needs it; one that would only be scrubbed
      // from the answer is not worth failing over.
      const stored = needsToken && required ? await deps.vault.get(c.id) : await deps.vault.get(c.id).catch(() => null);
      if (!needsToken) return { auth: choice, token: null, stored, fallback: null };
      if (stored !== null) return { auth: choice, token: stored, stored, fallback: null };
      if (required) {
        throw new AppError(
          'BAD_REQUEST',
          `"${c.name}" has no token stored. Add one in the connection settings, or pick auth "None".`,
        );
      }
      return {
        auth: { scheme: 'none', username: '' },
        token: null,
        stored: null,
        fallback: `"${c.name}" has no token stored, so this was sent without auth (${choice.scheme} was chosen).`,
      };
    },
    record(input, stored, usernames) {
      deps.history.record(input, credentialForms(stored, usernames));
    },
  };
}
