/**
 * The sandbox HTTP server: InfluxDB 3 Cloud Dedicated (default) or Core behaviour on 127.0.0.1
 * (spec §3–§9). Routes, auth and error bodies depend on the profile; storage does not.
 */

import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CORE_MALFORMED_AUTH, CORE_UNAUTHENTICATED, extractCoreToken, extractToken } from './auth';
import { type StoredDatabase, tokenAllows, type TokenInfo } from './catalog';
import type { SandboxEngine } from './engine';
import { coreDbProblem, namespaceProblem } from './engine';
import { codeMessage, errorJson, noContent, plainText, type SandboxResponse } from './errors';
import { readBody, utf8Problem } from './http-body';
import { closeQueryConnections, handleQuery } from './query-route';
import { type LineError, prepareWrite } from './write-path';

export interface ServeOptions {
  port?: number;
  /** ns since the epoch; injectable for tests */
  now?: () => bigint;
}

export interface SandboxServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

const PRECISION_VARIANTS = '`s`, `second`, `millisecond`, `ms`, `microsecond`, `u`, `us`, `n`, `nanosecond`, `ns`';
const PRECISION_NS: Record<string, bigint> = {
  s: 1_000_000_000n,
  second: 1_000_000_000n,
  ms: 1_000_000n,
  millisecond: 1_000_000n,
  u: 1_000n,
  us: 1_000n,
  microsecond: 1_000n,
  n: 1n,
  ns: 1n,
  nanosecond: 1n,
};
const V3_PRECISION_VARIANTS =
  '`auto`, `second`, `s`, `millisecond`, `ms`, `microsecond`, `us`, `u`, `nanosecond`, `ns`, `n`';

/** `serde_urlencoded` over the query string: pairs in order (keys and values percent-decoded). */
function queryPairs(raw: string): [string, string][] {
  return [...new URLSearchParams(raw)];
}

type Params = { ok: true; values: Record<string, string> } | { ok: false; message: string };

/** Decodes the fields serde knows (`known`), ignoring others; the first serde error wins. */
function decodeParams(raw: string, known: string[], required: string[], precisionKey = 'precision'): Params {
  const values: Record<string, string> = {};
  for (const [k, v] of queryPairs(raw)) {
    if (!known.includes(k)) continue;
    if (k in values) return { ok: false, message: `duplicate field \`${k}\`` };
    if (k === precisionKey && !(v in PRECISION_NS)) {
      return { ok: false, message: `unknown variant \`${v}\`, expected one of ${PRECISION_VARIANTS}` };
    }
    values[k] = v;
  }
  for (const r of required) if (!(r in values)) return { ok: false, message: `missing field \`${r}\`` };
  return { ok: true, values };
}

/** v1 `db` + `rp` → namespace (`iox_http` `RetentionPolicy`). */
function v1Namespace(db: string, rp: string | undefined): string {
  if (rp === undefined) return db;
  const lower = rp.toLowerCase();
  if (lower === '' || lower === "''" || lower === 'autogen' || lower === 'default') return db;
  return `${db}/${lower}`;
}

interface RequestContext {
  req: IncomingMessage;
  url: URL;
  /** the raw query string, or null when the URL has no `?` */
  rawQuery: string | null;
  method: string;
}

export function serveSandbox(engine: SandboxEngine, options: ServeOptions = {}): Promise<SandboxServer> {
  const now = options.now ?? nowNs;
  const cd = engine.profile === 'cloud-dedicated';
  const clusterUuid = randomUUID();
  const cfg = engine.config;

  const send = (res: ServerResponse, r: SandboxResponse): void => {
    const headers: Record<string, string> = { ...r.headers };
    if (!cd) headers['cluster-uuid'] = clusterUuid;
    if (r.body !== '') headers['content-length'] = String(Buffer.byteLength(r.body));
    res.writeHead(r.status, headers);
    res.end(r.status === 204 ? undefined : r.body);
  };

  const notFound = (): SandboxResponse => (cd ? codeMessage(404, 'not found') : plainText(404, 'Not found'));

  /** Core auth for any route: the token, or the error response. */
  const coreAuth = (c: RequestContext, allowP: boolean): TokenInfo | SandboxResponse => {
    const extracted = extractCoreToken(c.req.headers.authorization);
    if (extracted === 'malformed') return errorJson(400, CORE_MALFORMED_AUTH);
    const secret = extracted ?? (allowP ? (c.url.searchParams.get('p') ?? undefined) : undefined);
    const token = secret === undefined ? undefined : engine.catalog.tokenBySecret(secret);
    if (!token) {
      return {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: `{"error": "${CORE_UNAUTHENTICATED}"}`,
      };
    }
    return token;
  };

  const ping = (c: RequestContext): SandboxResponse => {
    const version = { 'X-Influxdb-Version': cfg.version };
    if (cd) {
      if (c.method !== 'GET' && c.method !== 'HEAD') return notFound();
      return noContent({ 'X-Influxdb-Build': 'cloud2', ...version });
    }
    if (c.method !== 'GET' && c.method !== 'POST') return notFound();
    const auth = coreAuth(c, false);
    if ('status' in auth) return auth;
    const requestId = randomUUID();
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'X-Influxdb-Build': 'Core',
        ...version,
        'Request-Id': requestId,
        'X-Request-Id': requestId,
      },
      body: JSON.stringify({
        product_name: 'InfluxDB 3 Core',
        version: cfg.version,
        revision: 'sandbox',
        process_id: randomUUID(),
      }),
    };
  };

  const health = (c: RequestContext): SandboxResponse => {
    if (cd) return notFound();
    if (c.method !== 'GET') return plainText(405, 'method not allowed');
    const auth = coreAuth(c, false);
    if ('status' in auth) return auth;
    return plainText(200, 'OK');
  };

  // ---- writes ----

  type WriteApi = 'v1' | 'v2' | 'v3';

  const cdWrite = async (c: RequestContext, api: WriteApi): Promise<SandboxResponse> => {
    // 1–2. query string and parameters
    let namespace: string;
    let precision: bigint | 'auto' = 1n;
    let partial = cfg.partialWrites;
    let queryToken: string | undefined;
    if (api === 'v1') {
      if (c.rawQuery === null) return codeMessage(400, 'no db destination provided');
      const p = decodeParams(c.rawQuery, ['db', 'rp', 'precision', 'p'], ['db']);
      if (!p.ok) return codeMessage(400, `failed to deserialize db/rp/precision in request: ${p.message}`);
      namespace = v1Namespace(p.values.db!, p.values.rp);
      if (p.values.precision) precision = PRECISION_NS[p.values.precision]!;
      queryToken = p.values.p;
    } else if (api === 'v2') {
      if (c.rawQuery === null) return codeMessage(400, 'no org/bucket destination provided');
      const p = decodeParams(c.rawQuery, ['org', 'bucket', 'precision'], []);
      if (!p.ok) return codeMessage(400, `failed to deserialize org/bucket/precision in request: ${p.message}`);
      if (!p.values.bucket) return codeMessage(400, 'missing bucket value');
      namespace = p.values.bucket;
      if (p.values.precision) precision = PRECISION_NS[p.values.precision]!;
    } else {
      const v3 = v3Params(c);
      if ('message' in v3) return codeMessage(400, v3.message);
      namespace = v3.db;
      precision = v3.precision;
      partial = v3.acceptPartial;
    }
    // 3. namespace name
    const nsProblem = namespaceProblem(namespace);
    if (nsProblem) return codeMessage(400, nsProblem);
    // 4. auth
    const secret = extractToken(c.req.headers.authorization) ?? queryToken;
    if (secret === undefined) return codeMessage(401, 'no token');
    const token = engine.catalog.tokenBySecret(secret);
    if (!token) return codeMessage(403, 'invalid token');
    if (!tokenAllows(token, 'write', namespace)) return codeMessage(403, 'forbidden');
    // 5. body
    const body = await readBody(c.req, cfg.maxRequestBytes);
    if (!body.ok) {
      if (body.kind === 'too-large')
        return codeMessage(413, `max request size (${cfg.maxRequestBytes} bytes) exceeded`);
      if (body.kind === 'encoding') return codeMessage(415, `unacceptable content-encoding: ${body.encoding}`);
      return codeMessage(400, `error decoding gzip stream: ${body.message}`);
    }
    const utf8 = utf8Problem(body.bytes);
    if (utf8) return codeMessage(400, `body content is not valid utf8: ${utf8}`);
    const text = body.bytes.toString('utf8');
    // 7. database
    const db = engine.catalog.database(namespace);
    if (!db) {
      if (isEmptyPayload(text)) return noContent();
      return cfg.unknownDbStatus === 404
        ? codeMessage(404, `database not found: ${namespace}`)
        : codeMessage(400, `rejecting write due to non-existing namespace: ${namespace}`);
    }
    return engine.exclusive(async () => {
      const prepared = prepareWrite(text, {
        core: false,
        precision,
        nowNs: now(),
        database: db,
        maxTables: 500,
        maxColumns: 250,
      });
      // 6. nothing but blank and comment lines
      if (prepared.entries === 0) return noContent();
      const rejected = prepared.errors.length;
      if (rejected === 0 || partial) await engine.commit(db, prepared, body.bytes);
      if (rejected === 0) return noContent();
      const shown = prepared.errors.slice(0, 100);
      const status = prepared.accepted === 0 && prepared.errors.every((e) => e.stage === 'retention') ? 422 : 400;
      return codeMessage(
        status,
        'failed to parse line protocol: errors encountered on line(s):\n' + shown.map((e) => e.message).join('\n'),
        prepared.errors[0]!.line,
      );
    });
  };

  type V3Params =
    { db: string; precision: bigint | 'auto'; acceptPartial: boolean } | { message: string; plain?: boolean };

  /** `/api/v3/write_lp` parameters (Core semantics, both profiles). */
  const v3Params = (c: RequestContext): V3Params => {
    if (c.rawQuery === null) return { message: "missing query parameter 'db'" };
    const values: Record<string, string> = {};
    for (const [k, v] of queryPairs(c.rawQuery)) {
      if (k === 'db' || k === 'precision' || k === 'accept_partial' || k === 'no_sync') values[k] = v;
    }
    if (values.db === undefined) return { message: "missing query parameter 'db'" };
    let precision: bigint | 'auto' = 'auto';
    if (values.precision !== undefined && values.precision !== 'auto') {
      const p = PRECISION_NS[values.precision];
      if (p === undefined) {
        return {
          message: `serde error: unknown variant \`${values.precision}\`, expected one of ${V3_PRECISION_VARIANTS}`,
        };
      }
      precision = p;
    }
    for (const k of ['accept_partial', 'no_sync']) {
      if (values[k] !== undefined && values[k] !== 'true' && values[k] !== 'false') {
        return { message: 'serde error: provided string was not `true` or `false`' };
      }
    }
    return { db: values.db, precision, acceptPartial: values.accept_partial !== 'false' };
  };

  const coreWrite = async (c: RequestContext, api: WriteApi): Promise<SandboxResponse> => {
    const v2 = api === 'v2';
    const fail = (msg: string, status = 400): SandboxResponse =>
      v2 ? codeMessage(status, msg) : errorJson(status, msg);
    let dbName: string;
    let precision: bigint | 'auto' = 1n;
    let partial = false;
    if (api === 'v1') {
      if (c.rawQuery === null) return plainText(400, 'no db destination provided');
      const p = decodeParams(c.rawQuery, ['db', 'rp', 'precision', 'p'], ['db']);
      if (!p.ok) return plainText(400, `failed to deserialize db/rp/precision in request: ${p.message}`);
      dbName = v1Namespace(p.values.db!, p.values.rp);
      if (p.values.precision) precision = PRECISION_NS[p.values.precision]!;
    } else if (api === 'v2') {
      if (c.rawQuery === null) return codeMessage(400, 'no org/bucket destination provided');
      const p = decodeParams(c.rawQuery, ['org', 'bucket', 'precision'], []);
      if (!p.ok) return codeMessage(400, `failed to deserialize org/bucket/precision in request: ${p.message}`);
      if (!p.values.bucket) return codeMessage(400, 'missing bucket value');
      dbName = p.values.bucket;
      if (p.values.precision) precision = PRECISION_NS[p.values.precision]!;
    } else {
      const v3 = v3Params(c);
      if ('message' in v3) return plainText(400, v3.message);
      dbName = v3.db;
      precision = v3.precision;
      partial = v3.acceptPartial;
    }
    const auth = coreAuth(c, api === 'v1');
    if ('status' in auth) return auth;
    const nameProblem = coreDbProblem(dbName);
    if (nameProblem) return fail(nameProblem);
    if (!tokenAllows(auth, 'write', dbName)) return fail('forbidden', 403);
    const body = await readBody(c.req, cfg.maxRequestBytes);
    if (!body.ok) {
      if (body.kind === 'too-large') {
        return v2
          ? codeMessage(413, 'Request body too large')
          : plainText(413, 'the request body is larger than the limit');
      }
      if (body.kind === 'encoding') return plainText(400, `unacceptable content-encoding: ${body.encoding}`);
      return plainText(400, `error decoding gzip stream: ${body.message}`);
    }
    const utf8 = utf8Problem(body.bytes);
    if (utf8) return plainText(400, `body content is not valid utf8: ${utf8}`);
    const text = body.bytes.toString('utf8');
    if (isEmptyPayload(text)) return fail('incoming write was empty');
    return engine.exclusive(async () => {
      let db: StoredDatabase | undefined = engine.catalog.database(dbName);
      let created = false;
      if (!db) {
        if (engine.catalog.databaseNames().length >= 5) {
          return fail('Update to schema would exceed number of database limit of 5 databases', 422);
        }
        db = engine.catalog.addDatabase(dbName);
        created = true;
      }
      const prepared = prepareWrite(text, {
        core: true,
        precision,
        nowNs: now(),
        database: db,
        maxTables: 2000,
        maxColumns: 501,
      });
      const errors = prepared.errors;
      const commit = errors.length === 0 || partial;
      if (commit && prepared.accepted > 0) {
        if (created) await engine.store.reconcile(db.name, {});
        await engine.commit(db, prepared, body.bytes);
      } else if (created) {
        engine.catalog.removeDatabase(dbName);
      }
      if (errors.length === 0) return noContent();
      const detail = (e: LineError): Record<string, unknown> => ({
        error_message: e.coreReason,
        line_number: e.line,
        original_line: truncateBytes(e.original, 20),
      });
      if (v2) return codeMessage(400, `write buffer error: line protocol parse failed: ${errors[0]!.coreReason}`);
      if (!partial) return errorJson(400, 'line protocol parsing error', detail(errors[0]!));
      const status = errors.some((e) => e.stage === 'limit') ? 422 : 400;
      return errorJson(status, 'partial write of line protocol occurred', errors.slice(0, 100).map(detail));
    });
  };

  // ---- routing ----

  const route = async (c: RequestContext, res: ServerResponse): Promise<void> => {
    const path = c.url.pathname;
    if (!cd && c.method === 'OPTIONS') {
      send(res, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': '*',
          'Access-Control-Allow-Headers': '*',
        },
        body: '',
      });
      return;
    }
    if (path === '/ping') return send(res, ping(c));
    if (path === '/health' || (!cd && path === '/api/v1/health')) return send(res, health(c));
    const writeApi: WriteApi | undefined =
      path === '/write' ? 'v1' : path === '/api/v2/write' ? 'v2' : path === '/api/v3/write_lp' ? 'v3' : undefined;
    if (writeApi) {
      if (c.method !== 'POST') {
        c.req.resume();
        return send(res, cd ? notFound() : plainText(405, 'method not allowed'));
      }
      return send(res, cd ? await cdWrite(c, writeApi) : await coreWrite(c, writeApi));
    }
    if (cd && path === '/api/v2/delete' && c.method === 'POST') {
      c.req.resume();
      return send(res, codeMessage(501, 'deletes are not supported'));
    }
    if (path === '/query') {
      await handleQuery(engine, c.req, c.url, c.rawQuery, res, {
        now,
        clusterUuid,
        send,
        coreAuth: (allowP) => coreAuth(c, allowP),
      });
      return;
    }
    c.req.resume();
    send(res, notFound());
  };

  const server = http.createServer((req, res) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const c: RequestContext = {
      req,
      url: new URL(rawUrl, 'http://sandbox'),
      rawQuery: q < 0 ? null : rawUrl.slice(q + 1),
      method: req.method ?? 'GET',
    };
    route(c, res).catch((err: unknown) => {
      // Never crash the server on one request; the message names the cause without request data.
      if (!res.headersSent) {
        send(res, cd ? codeMessage(500, String((err as Error).message ?? err)) : errorJson(500, String(err)));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
            closeQueryConnections(engine);
          }),
      });
    });
  });
}

/** Only blank and comment lines (`mutable_batch_lp` EmptyPayload). */
function isEmptyPayload(text: string): boolean {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) return false;
  }
  return true;
}

function truncateBytes(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString('utf8');
}
