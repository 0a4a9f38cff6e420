/**
 * `GET`/`POST /query` transport (spec §9.1): parameters from the URL, a form, multipart or an
 * `application/vnd.influxql` body; Accept; the token (`?p=` in the URL first, then the header, on
 * CD); then the InfluxQL engine answers with its own status and streamed body.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

import type { DuckDBConnection } from '@duckdb/node-api';

import { extractToken } from './auth';
import { tokenAllows, type TokenInfo } from './catalog';
import type { SandboxEngine } from './engine';
import { codeMessage, plainText, queryErrorBody, type SandboxResponse } from './errors';
import { readLimited } from './http-body';
import { runInfluxQL, type SandboxQueryRequest } from './influxql';

export interface QueryRouteHelpers {
  now: () => bigint;
  /** Core's `cluster-uuid` header value */
  clusterUuid: string;
  send: (res: ServerResponse, r: SandboxResponse) => void;
  coreAuth: (allowP: boolean) => TokenInfo | SandboxResponse;
}

/** The `/query` parameters after transport parsing: the engine's request. */
type ParsedQuery = SandboxQueryRequest;

/**
 * Idle DuckDB connections of each engine, handed to later requests: opening one is a round trip to
 * DuckDB's threads on every request. Closed with the server (closeQueryConnections).
 */
const idle = new WeakMap<SandboxEngine, DuckDBConnection[]>();
const closed = new WeakSet<SandboxEngine>();
const MAX_IDLE = 4;

/** Closes the engine's idle query connections; requests still running close theirs (the server is closing). */
export function closeQueryConnections(engine: SandboxEngine): void {
  closed.add(engine);
  for (const c of idle.get(engine) ?? []) c.closeSync();
  idle.delete(engine);
}

/** A first piece shorter than this waits for the next one to learn whether it is the whole body. */
const SMALL_BODY = 16_384;

const PARAM_KEYS = new Set(['q', 'db', 'rp', 'epoch', 'chunked', 'chunk_size', 'pretty', 'params']);

function pick(into: Record<string, string>, pairs: Iterable<[string, string]>): void {
  for (const [k, v] of pairs) if (PARAM_KEYS.has(k)) into[k] = v;
}

/** Fields of a `multipart/form-data` body (text parts only). */
function multipartFields(body: Buffer, boundary: string): [string, string][] {
  const out: [string, string][] = [];
  const text = body.toString('latin1');
  for (const part of text.split('--' + boundary)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const name = /name="([^"]*)"/i.exec(head);
    if (!name) continue;
    let value = part.slice(sep + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    out.push([name[1]!, Buffer.from(value, 'latin1').toString('utf8')]);
  }
  return out;
}

type Parse = { ok: true; query: ParsedQuery } | { ok: false; status: number; message: string };

async function parseRequest(req: IncomingMessage, url: URL, rawQuery: string | null, limit: number): Promise<Parse> {
  const method = req.method === 'POST' ? 'POST' : 'GET';
  const values: Record<string, string> = {};
  const bad = (message: string, status = 400): Parse => ({ ok: false, status, message });
  if (method === 'GET') {
    req.resume();
    if (rawQuery === null) return bad("missing query parameters 'db' and 'q'");
    pick(values, url.searchParams);
  } else {
    pick(values, url.searchParams);
    const contentType = req.headers['content-type'];
    const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const body = await readLimited(req, limit);
    if (!body) return bad(`max request size (${limit} bytes) exceeded`, 413);
    if (contentType === undefined || mime === 'application/vnd.influxql') {
      if (!values.q) {
        try {
          values.q = new TextDecoder('utf-8', { fatal: true }).decode(body);
        } catch {
          return bad('Error retrieving query from request body');
        }
      }
    } else if (mime === 'application/x-www-form-urlencoded') {
      pick(values, new URLSearchParams(body.toString('utf8')));
    } else if (mime === 'multipart/form-data') {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
      if (!boundary) return bad('A boundary header is required for multipart upload');
      pick(values, multipartFields(body, boundary[1] ?? boundary[2]!));
    } else {
      return bad(`invalid mime type (${contentType})`);
    }
  }
  const bool = (k: string): boolean | undefined | Parse => {
    const v = values[k];
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return bad('error decoding params from url: provided string was not `true` or `false`');
  };
  const chunked = bool('chunked');
  if (typeof chunked === 'object') return chunked;
  const pretty = bool('pretty');
  if (typeof pretty === 'object') return pretty;
  let chunkSize: number | undefined;
  if (values.chunk_size !== undefined) {
    if (!/^\+?\d+$/.test(values.chunk_size)) {
      return bad(
        values.chunk_size === ''
          ? 'error decoding params from url: cannot parse integer from empty string'
          : 'error decoding params from url: invalid digit found in string',
      );
    }
    chunkSize = Number(values.chunk_size);
  }
  let params: Record<string, unknown> | undefined;
  if (values.params !== undefined) {
    try {
      const parsed: unknown = JSON.parse(values.params);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a map');
      params = parsed as Record<string, unknown>;
    } catch (err) {
      return bad(`error decoding query body: ${(err as Error).message}`);
    }
  }
  const accept = req.headers.accept;
  let format: ParsedQuery['format'] = 'json';
  if (accept === 'application/csv' || accept === 'text/csv') format = 'csv';
  // MessagePack is not produced yet; clients that ask for it (python-influxdb does on every query) decode
  // by the response's Content-Type, so they get JSON and say so.
  else if (accept === 'application/x-msgpack') format = 'json';
  else if (accept !== undefined && accept !== 'application/json' && accept !== '*/*') {
    return bad(`invalid mime type (${accept})`);
  }
  if (!values.q) return bad('expected a query to be provided in the query string or body');
  return {
    ok: true,
    query: {
      q: values.q,
      db: values.db ? values.db : undefined,
      rp: values.rp,
      epoch: values.epoch,
      chunked: chunked === true,
      chunkSize,
      params,
      pretty,
      method,
      format,
    },
  };
}

export async function handleQuery(
  engine: SandboxEngine,
  req: IncomingMessage,
  url: URL,
  rawQuery: string | null,
  res: ServerResponse,
  h: QueryRouteHelpers,
): Promise<void> {
  const cd = engine.profile === 'cloud-dedicated';
  const shape = engine.config.queryErrorShape;
  if (req.method !== 'GET' && req.method !== 'POST') {
    req.resume();
    h.send(res, cd ? codeMessage(404, 'not found') : plainText(405, 'method not allowed'));
    return;
  }
  const parsed = await parseRequest(req, url, rawQuery, engine.config.maxRequestBytes);
  if (!parsed.ok) {
    h.send(res, queryErrorBody(engine.profile, parsed.status, parsed.message, shape));
    return;
  }
  let token: TokenInfo | undefined;
  if (cd) {
    const secret = url.searchParams.get('p') ?? extractToken(req.headers.authorization);
    token = secret ? engine.catalog.tokenBySecret(secret) : undefined;
    if (!token) {
      h.send(res, queryErrorBody(engine.profile, 401, 'unauthorized access', shape));
      return;
    }
  } else {
    const auth = h.coreAuth(true);
    if ('status' in auth) {
      h.send(res, auth);
      return;
    }
    token = auth;
  }
  const q = parsed.query;
  const canRead = (db: string): boolean => tokenAllows(token, 'read', db);
  // Acknowledged writes may still be on their way to DuckDB: reads see them (InfluxDB 3 reads its buffer).
  await engine.settled();
  // A connection of its own: a streaming DuckDB result is invalidated by any other statement on it.
  const connection = idle.get(engine)?.pop() ?? (await engine.store.instance.connect());
  let finished = false;
  try {
    const request: SandboxQueryRequest = { ...q, errorShape: shape };
    const answer = await runInfluxQL(request, {
      profile: engine.profile,
      connection,
      database: (name) => engine.catalog.database(name),
      databases: () => engine.catalog.databaseNames(),
      canRead,
      now: h.now,
      seriesSpans: (db, m) => engine.store.seriesSpans(db, m),
    });
    const headers: Record<string, string> = { ...answer.headers };
    if (!cd) headers['cluster-uuid'] = h.clusterUuid;
    // A small body that comes as one piece (the shaper joins pieces up to 64 KB) leaves in one write with
    // its length; anything else streams piece by piece (Transfer-Encoding: chunked) from the first piece.
    const body = answer.body[Symbol.asyncIterator]();
    let next = await body.next();
    if (next.done || next.value.length < SMALL_BODY) {
      const only = next.done ? '' : next.value;
      next = next.done ? next : await body.next();
      if (next.done) {
        headers['content-length'] = String(Buffer.byteLength(only));
        res.writeHead(answer.status, headers);
        res.end(only);
        finished = true;
        return;
      }
      res.writeHead(answer.status, headers);
      res.write(only);
    } else res.writeHead(answer.status, headers);
    for (; !next.done; next = await body.next()) {
      if (!res.write(next.value)) await new Promise<void>((resolve) => res.once('drain', resolve));
      if (res.destroyed) {
        await body.return?.(undefined);
        break;
      }
    }
    finished = next.done === true;
    res.end();
  } finally {
    // Read to the end: no result is pending on it, so the next request can use it.
    const pool = idle.get(engine) ?? [];
    if (finished && pool.length < MAX_IDLE && !closed.has(engine)) idle.set(engine, [...pool, connection]);
    else connection.closeSync();
  }
}
