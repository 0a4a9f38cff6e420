import type { ServerFlavor } from '../domain/flavor';
import { WRITE_API_PATHS } from '../domain/flavor';
import { type AuthChoice, joinUrl, type WriteParams, writeQueryParams } from '../domain/write-request';

/** The request a "Copy as" generator renders: the editor's write as the workbench would send it. */
export interface ExportRequest {
  readonly baseUrl: string;
  readonly flavor: ServerFlavor;
  readonly params: WriteParams;
  readonly auth: AuthChoice;
  /** Line protocol exactly as the workbench sends it (no line-ending rewrite: a CR may be data). */
  readonly body: string;
}

/** How the credential and the body appear in the output. */
export interface ExportOptions {
  /** Put the real token in the output. Off by default: the output names an environment variable. */
  readonly includeToken?: boolean;
  /** The token, used only with `includeToken`. */
  readonly token?: string;
  /** Environment variable holding the token (default `INFLUX_TOKEN`). */
  readonly tokenEnv?: string;
  /** curl with gzip: the pre-compressed file to send (default `data.lp.gz`). */
  readonly gzipFile?: string;
}

/** Default environment variable for the token in every export. */
export const DEFAULT_TOKEN_ENV = 'INFLUX_TOKEN';

/** The token as a literal, or null when the output should reference the environment variable. */
export function literalToken(opts: ExportOptions): string | null {
  if (!opts.includeToken) return null;
  if (opts.token === undefined || opts.token === '') throw new Error('includeToken needs the token');
  return opts.token;
}

/** Name of the environment variable to reference; checked so it can be pasted into a shell unquoted. */
export function tokenEnv(opts: ExportOptions): string {
  const env = opts.tokenEnv ?? DEFAULT_TOKEN_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) throw new Error(`"${env}" is not a valid environment variable name`);
  return env;
}

/** The body as sent: unchanged. */
export function exportBody(req: ExportRequest): string {
  return req.body;
}

/**
 * The body as the one record a client library is given (the libraries join records with LF). Never
 * split into lines: a string field may span lines, and blank lines inside it are data (`"a\n\nb"`).
 * Only the final LF goes, since the libraries add their own.
 */
export function bodyRecords(req: ExportRequest): string[] {
  const body = exportBody(req).replace(/\n$/, '');
  return body === '' ? [] : [body];
}

/**
 * Database and retention policy for the v1-only tools (node-influx, influxdb-python, Telegraf's
 * `[[outputs.influxdb]]`). A v2 bucket on a 1.x-compatible server is `db/rp` (or `db`): split, because
 * these tools send the database name as it is and `db/rp` is a database that does not exist (404).
 */
export function v1Target(req: ExportRequest): { db: string; rp: string } {
  const p = req.params;
  if (p.api !== 'v2') return { db: p.db, rp: p.rp };
  const slash = p.bucket.indexOf('/');
  return slash < 0 ? { db: p.bucket, rp: '' } : { db: p.bucket.slice(0, slash), rp: p.bucket.slice(slash + 1) };
}

/** The write URL without credentials. */
export function writeUrl(req: ExportRequest): string {
  return joinUrl(req.baseUrl, WRITE_API_PATHS[req.params.api], writeQueryParams(req.params));
}

/** The v2-style target (bucket) for tools that only speak `/api/v2/write`. */
export function v2Bucket(req: ExportRequest): string {
  const p = req.params;
  if (p.api === 'v2') return p.bucket;
  // 1.8+ maps bucket to database/retention-policy; the 3.x family takes the database name (db/rp when rp is set).
  if (req.flavor === '1.x') return `${p.db}/${p.rp || 'autogen'}`;
  return p.rp ? `${p.db}/${p.rp}` : p.db;
}

/** The database for v3 tools (influxctl, v3 clients, outputs.influxdb_v3). */
export function v3Database(req: ExportRequest): string {
  const p = req.params;
  if (p.api === 'v2') return p.bucket;
  return p.rp ? `${p.db}/${p.rp}` : p.db;
}

/** Precision in the v2 spelling (ns/us/ms/s), or null when there is none (m/h, or not set). */
export function v2Precision(precision: string): string | null {
  const map: Record<string, string> = {
    n: 'ns',
    ns: 'ns',
    nanosecond: 'ns',
    u: 'us',
    us: 'us',
    microsecond: 'us',
    ms: 'ms',
    millisecond: 'ms',
    s: 's',
    second: 's',
  };
  return map[precision] ?? null;
}

/** Precision in the 1.x spelling (n/u/ms/s/m/h), or null when not set. */
export function v1Precision(precision: string): string | null {
  const map: Record<string, string> = {
    n: 'n',
    ns: 'n',
    nanosecond: 'n',
    u: 'u',
    us: 'u',
    microsecond: 'u',
    ms: 'ms',
    millisecond: 'ms',
    s: 's',
    second: 's',
    m: 'm',
    h: 'h',
  };
  return map[precision] ?? null;
}

/** Escapes text for a POSIX shell double-quoted string. */
export function shDouble(s: string): string {
  return s.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** Quotes text as a POSIX shell single-quoted string. */
export function shSingle(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A TOML basic string. */
export function tomlString(s: string): string {
  const named: Record<string, string> = {
    '\\': '\\\\',
    '"': '\\"',
    '\b': '\\b',
    '\t': '\\t',
    '\n': '\\n',
    '\f': '\\f',
    '\r': '\\r',
  };
  let out = '"';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

// Escapes shared by the JavaScript and Python literals: backslash, quote, and every control character
// (a raw NUL makes Python source a SyntaxError; raw CR, LF or U+2028 end a JavaScript string).
const LITERAL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeLiteral(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return s.replace(/[\\'\x00-\x1f\x7f\u2028\u2029]/g, (c) => {
    const named = LITERAL_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A JavaScript single-quoted string literal. */
export function jsString(s: string): string {
  return `'${escapeLiteral(s)}'`;
}

/** A Python single-quoted string literal (a str: `\\u2028` and `\\x00` mean the same in Python 3). */
export function pyString(s: string): string {
  return `'${escapeLiteral(s)}'`;
}
