import type { Connection, ConnectionSummary } from '../../shared/domain/connection';
import { detectFlavor } from '../../shared/domain/detect';
import { HISTORY_RETENTION_RULE } from '../../shared/domain/history';
import { type AuthChoice, normalizeLineEndings, parseBaseUrl } from '../../shared/domain/write-request';
import type { IpcChannel } from '../../shared/ipc/channels';
import type { IpcEvent } from '../../shared/ipc/channels';
import type { AppInfo, IpcEventPayload, IpcParsedRequest, IpcResponse, StoreNotice } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import type { ConnectionsStore } from '../services/connections-store';
import { createDraftsStore, type DraftsStore } from '../services/drafts-store';
import { renderExport } from '../services/export-service';
import { createHistoryStore, credentialForms, type HistoryStore, type RecordInput } from '../services/history-store';
import { executeProbe } from '../services/probe-service';
import { executeQueryScript } from '../services/query-script';
import type { RequestRegistry } from '../services/request-registry';
import { fetchSchema } from '../services/schema-service';
import type { TokenVault } from '../services/token-vault';
import { executePing, executeWrite, type SendHttp, type Target } from '../services/write-service';

/**
 * The handlers behind every channel. Transport-agnostic: Electron IPC, the browser-mode bridge and the
 * tests all call these through `dispatch()`, so no transport re-implements a service.
 */

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
  /** Request history: every write, ping, probe and query is recorded here (in memory only when absent). */
  readonly history?: HistoryStore;
  /** The workspaces' drafts (in memory only when absent). */
  readonly drafts?: DraftsStore;
}

/** A handler per channel. */
export type Handlers = { [C in IpcChannel]: (req: IpcParsedRequest<C>) => Promise<IpcResponse<C>> };

/** Builds the handler map. */
export function createHandlers(deps: AppDeps): Handlers {
  const history = deps.history ?? createHistoryStore({ dir: null });
  const drafts = deps.drafts ?? createDraftsStore({ dir: null });
  /**
   * Records a request, scrubbing the connection's stored token whatever scheme was used: a body or an
   * echoing server may carry it even on an unauthenticated request. `stored` is the token the
   * handler already read, so the key store is asked once per request.
   */
  const record = (input: RecordInput, stored: string | null, usernames: readonly string[]): void => {
    history.record(
      input,
      usernames.flatMap((u) => credentialForms(stored, u)),
    );
  };
  /** The stored token (null when there is none, or it cannot be decrypted and is not needed). */
  const storedToken = async (c: Connection, needed: boolean): Promise<string | null> =>
    needed ? deps.vault.get(c.id) : deps.vault.get(c.id).catch(() => null);
  /** The token to send for a scheme; a scheme that needs one fails clearly when none is stored. */
  const tokenFor = (c: Connection, scheme: AuthChoice['scheme'], stored: string | null): string | null => {
    if (scheme === 'none') return null;
    if (stored === null) {
      throw new AppError(
        'BAD_REQUEST',
        `"${c.name}" has no token stored. Add one in the connection settings, or pick auth "None".`,
      );
    }
    return stored;
  };
  const summarize = (c: Connection): ConnectionSummary => ({ ...c, token: deps.vault.state(c.id) });
  const connection = (id: string): Connection => {
    const c = deps.store.get(id);
    if (!c) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
    return c;
  };
  const targetOf = (c: Connection): Target => ({
    baseUrl: c.url,
    tls: { caPem: c.caPem, skipVerify: c.skipTlsVerify },
    timeoutMs: c.timeoutMs,
  });

  return {
    'app:info': async () => ({ mode: deps.mode, version: deps.version, vault: deps.vault.status() }),
    'connections:list': async () => ({ connections: deps.store.list().map(summarize), notices: [...deps.notices] }),
    'connections:save': async ({ id, connection: input, token }) => {
      validateUrl(input.url);
      const saved = await deps.store.save(id, input);
      if (token.action === 'set') await deps.vault.set(saved.id, token.value, token);
      if (token.action === 'clear') await deps.vault.delete(saved.id);
      deps.emit('connections:changed', { ids: [saved.id] });
      return summarize(saved);
    },
    'connections:delete': async ({ id }) => {
      const deleted = await deps.store.delete(id);
      await deps.vault.delete(id);
      await drafts.removeAll(id);
      if (deleted) deps.emit('connections:changed', { ids: [id] });
      return { deleted };
    },
    'write:send': async ({ requestId, connectionId, params, auth, body }) => {
      const c = connection(connectionId);
      const stored = await storedToken(c, auth.scheme !== 'none');
      const token = tokenFor(c, auth.scheme, stored);
      const exchange = await deps.registry.run(requestId, (signal) =>
        executeWrite(deps.send, { target: targetOf(c), params, auth, token, body, signal }),
      );
      record(
        {
          kind: 'write',
          connection: c,
          exchange,
          requestBody: normalizeLineEndings(body),
          replay: { kind: 'write', params, auth },
        },
        stored,
        [auth.username, c.username],
      );
      return exchange;
    },
    'server:ping': async ({ requestId, connectionId, auth }) => {
      const c = connection(connectionId);
      const choice = auth ?? { scheme: c.authScheme, username: c.username };
      const stored = await storedToken(c, false);
      const token = choice.scheme === 'none' ? null : stored;
      const effective = token === null ? { scheme: 'none' as const, username: '' } : choice;
      const ping = await deps.registry.run(requestId, (signal) =>
        executePing(deps.send, { target: targetOf(c), auth: effective, token, signal }),
      );
      const r = ping.exchange.response;
      const detected = detectFlavor({
        status: r?.status ?? null,
        headers: r?.headers ?? [],
        body: r?.body ?? '',
        url: ping.exchange.request.url,
      });
      record(
        {
          kind: 'ping',
          connection: c,
          exchange: ping.exchange,
          requestBody: '',
          replay: { kind: 'ping', auth: auth ?? null },
          detected,
        },
        stored,
        [effective.username, c.username],
      );
      return { ...ping, detected };
    },
    'query:run': async ({ requestId, connectionId, auth, method, ...params }) => {
      const c = connection(connectionId);
      const choice = auth ?? { scheme: c.authScheme, username: c.username };
      const stored = await storedToken(c, choice.scheme !== 'none');
      const token = tokenFor(c, choice.scheme, stored);
      let lastEmit = 0;
      // 3.x flavors get one request per statement (merged); `auto` picks GET/POST per request.
      const outcome = await deps.registry.run(requestId, (signal) =>
        executeQueryScript(deps.send, {
          target: targetOf(c),
          flavor: c.flavor,
          params: { ...params, method },
          auth: choice,
          token,
          signal,
          onProgress: (p) => {
            // Throttled: a progress event per document would flood the renderer on big results.
            const now = Date.now();
            if (now - lastEmit < 100) return;
            lastEmit = now;
            deps.emit('query:progress', { requestId, ...p });
          },
        }),
      );
      // The query text, parameters and row count are kept; the rows are not.
      record(
        {
          kind: 'query',
          connection: c,
          exchange: outcome.exchange,
          requestBody: params.q,
          replay: { kind: 'query', query: { ...params, method }, auth: auth ?? null },
          rowCount: outcome.result.rowCount,
        },
        stored,
        [choice.username, c.username],
      );
      return outcome;
    },
    'schema:get': async ({ connectionId, ...request }) => {
      const c = connection(connectionId);
      const token = c.authScheme === 'none' ? null : await storedToken(c, false);
      // Without a stored token the SHOW goes unauthenticated: servers with auth off still answer.
      const auth =
        token === null ? { scheme: 'none' as const, username: '' } : { scheme: c.authScheme, username: c.username };
      return fetchSchema(deps.send, { target: targetOf(c), flavor: c.flavor, request, auth, token });
    },
    'request:cancel': async ({ requestId }) => ({ cancelled: deps.registry.cancel(requestId) }),
    'server:probe': async ({ requestId, connectionId, db }) => {
      const c = connection(connectionId);
      const token = await storedToken(c, false);
      const probeDb = db ?? c.db;
      const report = await deps.registry.run(requestId, (signal) =>
        executeProbe(deps.send, {
          target: targetOf(c),
          token,
          username: c.username,
          pingScheme: c.authScheme,
          db: probeDb,
          bucket: c.bucket,
          org: c.org,
          signal,
        }),
      );
      record(
        {
          kind: 'probe',
          connection: c,
          exchange: null,
          requestBody: '',
          replay: { kind: 'probe', db: probeDb },
          probe: report,
        },
        token,
        [c.username],
      );
      return report;
    },
    'history:list': async ({ limit, offset, ...filter }) => ({
      ...history.list({ ...filter, limit, offset }),
      retention: HISTORY_RETENTION_RULE,
    }),
    'history:get': async ({ id }) => {
      const entry = history.get(id);
      if (!entry) throw new AppError('NOT_FOUND', 'That history entry no longer exists.');
      return entry;
    },
    'history:delete': async ({ id }) => ({ deleted: history.delete(id) }),
    'history:clear': async ({ connectionId }) => ({ cleared: history.clear(connectionId) }),
    'export:render': async ({ connectionId, includeToken, ...input }) => {
      const c = connection(connectionId);
      // The vault is read only when the user asked for the real token (see export-service.ts).
      return renderExport(c, { ...input, includeToken }, () => deps.vault.get(c.id));
    },
    'drafts:get': async ({ connectionId, kind }) => {
      connection(connectionId);
      const stored = await drafts.get(kind, connectionId);
      return { draft: stored?.draft ?? null, savedAt: stored?.savedAt ?? 0 };
    },
    'drafts:save': async ({ connectionId, kind, savedAt, draft }) => {
      connection(connectionId);
      return { saved: await drafts.save(kind, connectionId, { draft, savedAt }) };
    },
  };
}

/** The connection URL must be one the request builder accepts: the same check, the user's words. */
function validateUrl(url: string): void {
  try {
    parseBaseUrl(url);
  } catch (err) {
    throw new AppError('BAD_REQUEST', (err as Error).message);
  }
}
