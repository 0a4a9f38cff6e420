import { detectFlavorFromExchange } from '../../../shared/domain/detect';
import { AppError } from '../../../shared/ipc/result';
import type { QueryResult } from '../../../shared/query/result-model';
import { overviewOf } from '../../../shared/query/result-page';
import { copyExportWithToken, renderExport } from '../../services/export-service';
import { executeProbe } from '../../services/probe-service';
import { executeQueryScript } from '../../services/query-script';
import { fetchSchema } from '../../services/schema-service';
import { executePing, executeWrite } from '../../services/write-service';
import type { AppDeps, HandlerContext } from './context';
import type { DomainHandlers } from './index';

/** Requests to a server: write, ping, query, schema, probe, cancel, and copy-as snippets. */
export function requestHandlers(
  deps: AppDeps,
  ctx: HandlerContext,
): DomainHandlers<
  | 'write:send'
  | 'server:ping'
  | 'query:run'
  | 'schema:get'
  | 'request:cancel'
  | 'server:probe'
  | 'export:render'
  | 'export:copy'
> {
  return {
    'write:send': async ({ requestId, connectionId, params, auth, body }) => {
      const c = ctx.connection(connectionId);
      const resolved = await ctx.resolveAuth(c, auth, { required: true });
      const exchange = await deps.registry.run(requestId, (signal) =>
        executeWrite(deps.send, {
          target: ctx.target(c),
          params,
          auth: resolved.auth,
          token: resolved.token,
          body,
          signal,
        }),
      );
      ctx.record(
        {
          kind: 'write',
          connection: c,
          exchange,
          requestBody: body,
          replay: { kind: 'write', params, auth },
        },
        resolved.stored,
        [auth.username, c.username],
      );
      return exchange;
    },
    'server:ping': async ({ requestId, connectionId, auth }) => {
      const c = ctx.connection(connectionId);
      const resolved = await ctx.resolveAuth(c, auth ?? { scheme: c.authScheme, username: c.username }, {
        required: false,
      });
      const ping = await deps.registry.run(requestId, (signal) =>
        executePing(deps.send, { target: ctx.target(c), auth: resolved.auth, token: resolved.token, signal }),
      );
      const detected = detectFlavorFromExchange(ping.exchange);
      ctx.record(
        {
          kind: 'ping',
          connection: c,
          exchange: ping.exchange,
          requestBody: '',
          replay: { kind: 'ping', auth: auth ?? null },
          detected,
        },
        resolved.stored,
        [resolved.auth.username, c.username],
      );
      return { ...ping, detected, authFallback: resolved.fallback };
    },
    'query:run': async ({ requestId, connectionId, auth, method, ...params }) => {
      const c = ctx.connection(connectionId);
      const choice = auth ?? { scheme: c.authScheme, username: c.username };
      const resolved = await ctx.resolveAuth(c, choice, { required: true });
      let lastEmit = 0;
      // 3.x flavors get one request per statement (merged); `auto` picks GET/POST per request.
      const outcome = await deps.registry.run(requestId, (signal) =>
        executeQueryScript(deps.send, {
          target: ctx.target(c),
          flavor: c.flavor,
          params: { ...params, method },
          auth: resolved.auth,
          token: resolved.token,
          signal,
          budget: { maxRows: c.queryMaxRows, maxBytes: c.queryMaxBytes },
          budgetHint: `The limit is set per connection: edit "${c.name}" → Query result limits.`,
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
      ctx.record(
        {
          kind: 'query',
          connection: c,
          exchange: outcome.exchange,
          requestBody: params.q,
          replay: { kind: 'query', query: { ...params, method }, auth: auth ?? null },
          rowCount: outcome.result.rowCount,
          failure: queryFailure(outcome.result),
        },
        resolved.stored,
        [choice.username, c.username],
      );
      // Main keeps the rows; the renderer gets the columns, counts and first page (see result-page.ts).
      const resultId = outcome.result.statements.some((st) => st.series.length > 0)
        ? deps.results.put(outcome.result, { connectionId: c.id, epoch: params.epoch, db: params.db })
        : null;
      return { exchange: outcome.exchange, requests: outcome.requests, result: overviewOf(outcome.result, resultId) };
    },
    'schema:get': async ({ connectionId, ...request }) => {
      const c = ctx.connection(connectionId);
      // Without a stored token the SHOW goes unauthenticated: servers with auth off still answer.
      const resolved = await ctx.resolveAuth(c, { scheme: c.authScheme, username: c.username }, { required: false });
      const answer = await fetchSchema(deps.send, {
        target: ctx.target(c),
        flavor: c.flavor,
        request,
        auth: resolved.auth,
        token: resolved.token,
      });
      return { ...answer, authFallback: resolved.fallback };
    },
    'request:cancel': async ({ requestId }) => ({ cancelled: deps.registry.cancel(requestId) }),
    'server:probe': async ({ requestId, connectionId, db }) => {
      const c = ctx.connection(connectionId);
      // The probe tries every scheme itself (a cell whose scheme needs a token says it was skipped).
      const resolved = await ctx.resolveAuth(c, { scheme: c.authScheme, username: c.username }, { required: false });
      const probeDb = db ?? c.db;
      const report = await deps.registry.run(requestId, (signal) =>
        executeProbe(deps.send, {
          target: ctx.target(c),
          token: resolved.stored,
          username: c.username,
          pingScheme: resolved.auth.scheme,
          db: probeDb,
          bucket: c.bucket,
          org: c.org,
          signal,
        }),
      );
      ctx.record(
        {
          kind: 'probe',
          connection: c,
          exchange: null,
          requestBody: '',
          replay: { kind: 'probe', db: probeDb },
          probe: report,
        },
        resolved.stored,
        [c.username],
      );
      return report;
    },
    'export:render': async ({ connectionId, ...input }) => renderExport(ctx.connection(connectionId), input),
    'export:copy': async ({ connectionId, ...input }) => {
      const c = ctx.connection(connectionId);
      const sink = deps.secretSink;
      if (!sink) throw new AppError('BAD_REQUEST', 'This app cannot deliver a snippet with the real token.');
      // The only place the vault is read for an export (see export-service.ts).
      return copyExportWithToken(c, input, () => deps.vault.get(c.id), sink);
    },
  };
}

/** The first error inside a query's answer (request-level, or a statement's), which arrive with HTTP 200. */
function queryFailure(result: QueryResult): string | null {
  if (result.error) return result.error;
  const failed = result.statements.find((s) => s.error);
  if (!failed) return null;
  return result.statements.length > 1 ? `statement ${failed.statementId + 1}: ${failed.error}` : failed.error;
}
