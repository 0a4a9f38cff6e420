import type { AuthScheme } from '../domain/auth';
import { SERVER_FLAVORS, type ServerFlavor } from '../domain/flavor';
import { droppedEveryLine, entryShape, goEntries } from './lp-entries';

/**
 * The error catalogue: known server messages and status codes, each with its cause and fix per
 * flavor. Data only; {@link explain} in explain.ts does the matching. Message patterns quote the
 * servers' own wording (influx-api.md §2–§6, the 1.6 transcript, the seeds) and match loosely where
 * versions differ (quotes, optional prefixes). Every entry is exercised by a literal body in
 * test/shared/errors/explain.spec.ts.
 */

/** What an entry's conditions and detail builders see. */
export interface MatchContext {
  readonly status: number;
  /** The flavor the caller named (undefined when unknown). */
  readonly flavor: ServerFlavor | undefined;
  /** The text the pattern is tried on: the whole message or one line's message. */
  readonly message: string;
  /** The rejected line's text when matching a per-line message. */
  readonly text?: string;
  /** Response headers, names in any case. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly requestBody?: string;
  /** The auth scheme the request went out with, when the caller knows it. */
  readonly authScheme?: AuthScheme;
  /** The request's path (`/api/v2/write`), when the caller knows it. */
  readonly path?: string;
  /** What the server is, as far as the app knows (see {@link ServerIdentity}). */
  readonly server?: ServerIdentity;
}

/**
 * What the server is: from the answer's own `X-Influxdb-Version`/`X-Influxdb-Build` headers when it
 * sent them, else from the connection's last ping or probe.
 */
export interface ServerIdentity {
  readonly flavor: ServerFlavor | null;
  readonly version: string | null;
  /** `response`: this answer's headers; `detected`: the last ping or probe. */
  readonly source: 'response' | 'detected';
}

/** One catalogue entry. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly cause: string;
  readonly fix: string;
  /** Flavors whose servers produce this error. */
  readonly flavors: readonly ServerFlavor[];
  readonly docs?: string;
  /** Tried on the whole message and on every per-line message. */
  readonly message?: RegExp;
  /** Statuses the entry explains without a message match (only on one of `flavors`). */
  readonly status?: readonly number[];
  /** An extra condition, e.g. a CR in the quoted line. */
  readonly when?: (ctx: MatchContext, m: RegExpExecArray | null) => boolean;
  /** Ranks entries that match the same thing; default 0. */
  readonly priority?: number;
  /** Specific facts pulled from the message (names, types, limits). */
  readonly details?: (m: RegExpExecArray | null, ctx: MatchContext) => string[];
  /** Less specific entries this one makes redundant when both match. */
  readonly supersedes?: readonly string[];
  /** Cause and fix for what the app knows of this request (auth scheme sent, server version), when they differ. */
  readonly adapt?: (ctx: MatchContext) => { readonly cause?: string; readonly fix?: string } | null;
}

/** The point entries of the body sent (comments and blank lines left out), read leniently. */
function bodyEntries(ctx: MatchContext): Array<{ line: number; shape: ReturnType<typeof entryShape> }> {
  if (ctx.requestBody === undefined) return [];
  return goEntries(ctx.requestBody).map((e) => ({ line: e.line, shape: entryShape(e.text) }));
}

/** A "partial write" that stored nothing (see {@link droppedEveryLine}); the server still says "partial write". */
function partialWriteStoredNothing(ctx: MatchContext): boolean {
  const m = / dropped=(\d+)/.exec(ctx.message);
  if (!m || ctx.requestBody === undefined) return false;
  return droppedEveryLine(ctx.requestBody, Number(m[1]), ctx.message.split("unable to parse '").length - 1);
}

/** Lines of the body without a timestamp (1-based), which the server stamps with its own clock. */
function untimedLines(ctx: MatchContext): number[] {
  return bodyEntries(ctx)
    .filter((e) => e.shape !== null && !e.shape.timestamp)
    .map((e) => e.line);
}

function lineList(lines: readonly number[]): string {
  return `${lines.slice(0, 8).join(', ')}${lines.length > 8 ? ', …' : ''}`;
}

const ALL = SERVER_FLAVORS;
const V1: readonly ServerFlavor[] = ['1.x'];
const GO: readonly ServerFlavor[] = ['1.x', '2.x'];
const IOX: readonly ServerFlavor[] = ['cloud-dedicated', 'clustered', 'serverless'];
const CD_CL: readonly ServerFlavor[] = ['cloud-dedicated', 'clustered'];
const V3: readonly ServerFlavor[] = ['cloud-dedicated', 'clustered', 'serverless', 'core'];
const CORE: readonly ServerFlavor[] = ['core'];

const DOCS_LP_V1 = 'https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/';
const DOCS_AUTH_V1 = 'https://docs.influxdata.com/influxdb/v1/administration/authentication_and_authorization/';
const DOCS_CD_COMPAT = 'https://docs.influxdata.com/influxdb3/cloud-dedicated/write-data/http-api/compatibility-apis/';
const DOCS_CD_V1 = 'https://docs.influxdata.com/influxdb3/cloud-dedicated/guides/api-compatibility/v1/';

/** `iox::column_type::field::uinteger` → `unsigned`, `iox::column_type::tag` → `tag`. */
export function ioxTypeName(t: string): string {
  const last = t.split('::').pop() ?? t;
  return last === 'uinteger' ? 'unsigned' : last;
}

const isTag = (t: string | undefined): boolean => t !== undefined && ioxTypeName(t) === 'tag';

/** Measurement of the rejected line, when the context has one. */
function measurementOf(ctx: MatchContext): string | null {
  return ctx.text === undefined ? null : (entryShape(ctx.text)?.measurement ?? null);
}

function onMeasurement(ctx: MatchContext): string {
  const m = measurementOf(ctx);
  return m === null ? '' : ` on measurement "${m}"`;
}

const GOQ = '"((?:[^"\\\\]|\\\\.)*)"';
const unq = (s: string | undefined): string => (s ?? '').replace(/\\(.)/g, '$1');

// Core: invalid column type for column 'f', expected X, got Y. IOx in-batch: Unable to insert Y type into column c with type X.
// IOx router: schema conflict: table t, column c is type X but write has type Y.
const CORE_COLTYPE = /invalid column type for column '([^']*)', expected ([\w:]+), got ([\w:]+)/;
const IOX_INSERT = /Unable to insert ([\w:]+) type into column (\S+) with type ([\w:]+)/;
const IOX_SCHEMA = /schema conflict: table ([^,]+), column (\S+) is type ([\w:]+) but write has type ([\w:]+)/;
const COLUMN_CONFLICT = new RegExp(`${CORE_COLTYPE.source}|${IOX_INSERT.source}|${IOX_SCHEMA.source}`);

/** Column, existing kind/type and the sent one, whichever of the three 3.x wordings matched. */
function columnConflict(m: RegExpExecArray): { column: string; existing: string; sent: string; table: string | null } {
  if (m[1] !== undefined) return { column: m[1], existing: m[2]!, sent: m[3]!, table: null };
  if (m[4] !== undefined) return { column: m[5]!, existing: m[6]!, sent: m[4], table: null };
  return { column: m[8]!, existing: m[9]!, sent: m[10]!, table: m[7]! };
}

function retryAfter(ctx: MatchContext): string[] {
  const h = ctx.headers.find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  if (h === undefined)
    return ['The response carries no Retry-After header: back off exponentially (e.g. 1 s, 2 s, 4 s…).'];
  return /^\d+$/.test(h.trim())
    ? [`Retry-After: wait ${Number(h.trim())} seconds before retrying.`]
    : [`Retry-After: retry after ${h.trim()}.`];
}

/** `1.6.7~rc0` → [1, 6]; null when the version does not start with major.minor. */
function majorMinor(version: string | null | undefined): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** "InfluxDB 1.6.7~rc0 (its X-Influxdb-Version header)" or "(detected by the last ping or probe)". */
function serverWords(server: ServerIdentity): string {
  const what = server.version ?? server.flavor ?? 'unknown';
  return `InfluxDB ${what} (${server.source === 'response' ? 'by the headers of this answer' : 'detected by the last ping or probe'})`;
}

/** A 1.x server older than 1.8, which has no `/api/v2/write` and no `Token` scheme. */
function before18(server: ServerIdentity | undefined): boolean {
  const v = majorMinor(server?.version);
  return v !== null && v[0] === 1 && v[1] < 8;
}

/** The 404 for a route, said for the server the app knows of: its version decides which write API it has. */
function endpointForServer(ctx: MatchContext): { cause?: string; fix?: string } | null {
  const s = ctx.server;
  if (s === undefined || (s.version === null && s.flavor === null)) return null;
  const path = ctx.path ?? '';
  const v = majorMinor(s.version);
  if (path.startsWith('/api/v2/') && before18(s))
    return {
      cause: `This server is ${serverWords(s)}: \`/api/v2/write\` arrived in 1.8, so ${s.version} has no such route.`,
      fix: 'Choose the v1 API (`/write?db=…`) for this connection, or upgrade the server to 1.8 or newer.',
    };
  if (path.startsWith('/api/v3/') && s.flavor !== 'core')
    return {
      cause: `This server is ${serverWords(s)}: only InfluxDB 3 Core and Enterprise serve \`/api/v3/write_lp\`.`,
      fix:
        s.flavor === '1.x' || (v !== null && v[0] === 1)
          ? 'Choose the v1 API (`/write?db=…`) for this connection.'
          : 'Choose the v2 API (`/api/v2/write?bucket=…`) or the v1 API (`/write?db=…`) for this connection.',
    };
  return path ? { cause: `This server is ${serverWords(s)} and has no route \`${path}\`.` } : null;
}

/** The generic 1.x 401, said for the scheme that was actually sent. */
function unauthorized1xFor(ctx: MatchContext): { cause?: string; fix?: string } | null {
  switch (ctx.authScheme) {
    case 'basic':
    case 'query':
      return {
        cause:
          '1.x with auth enabled refused the username and password this request sent ' +
          `(${ctx.authScheme === 'basic' ? 'Basic auth' : '`u`/`p` query parameters'}).`,
        fix:
          'Check the username and the password (the token field) in the connection settings: ' +
          'they must be a user of this server (`SHOW USERS` as an admin).',
      };
    case 'bearer':
      return {
        cause: '1.x reads `Authorization: Bearer` only as a JWT signed with a configured `[http] shared-secret`.',
        fix: 'Switch the auth scheme to Basic (or `u`/`p`) with a 1.x username and password.',
      };
    case 'token':
      return {
        cause: before18(ctx.server)
          ? `\`Authorization: Token\` is not understood by ${ctx.server!.version} (it arrived in 1.8).`
          : '1.8+ reads `Authorization: Token` only as `Token user:password`.',
        fix: 'Switch the auth scheme to Basic (or `u`/`p`) with a 1.x username and password.',
      };
    case 'none':
      return {
        cause: 'No credentials were sent, and this 1.x server has auth enabled.',
        fix: 'Pick Basic (or `u`/`p`) as the auth scheme and give a 1.x username and password.',
      };
    default:
      return null;
  }
}

/** The catalogue. Order does not matter: entries are ranked by how they matched. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  // --- Target database / bucket ---
  {
    id: 'missing-db-namespace',
    title: 'Database name missing (namespace name length)',
    cause:
      'The request names no database: the `db` query parameter (v1 `/write`) or `bucket` (v2 ' +
      '`/api/v2/write`) is missing or empty, so the server sees an empty namespace name.',
    fix: 'Add `?db=DATABASE_NAME` to `/write` or `?bucket=DATABASE_NAME` to `/api/v2/write`.',
    flavors: V3,
    docs: DOCS_CD_V1,
    message: /namespace name (?:'?'?\s*)?length must be between 1 and 64 characters/,
    details: (_m, ctx) =>
      /namespace name length/.test(ctx.message)
        ? []
        : ['A name longer than 64 bytes gives the same message: shorten it.'],
  },
  {
    id: 'bad-precision-3x',
    title: 'Unknown precision value',
    cause:
      'The `precision` parameter has a value this endpoint does not know (`unknown variant`). ' +
      'The 3.x family accepts s/ms/us/ns (and long names); `m` and `h` are not accepted, and ' +
      'older routers also refused `u`.',
    fix:
      'Use one of the values the message lists (e.g. `precision=s`, `ms`, `us` or `ns`; on ' +
      'Core `/api/v3/write_lp` also `auto`, `second`…), or leave precision out for nanoseconds.',
    flavors: V3,
    docs: DOCS_CD_V1,
    message: /unknown variant `([^`]*)`(?:, expected (?:one of )?([^\n]*))?/,
    details: (m) => [`Sent value: \`${m?.[1] ?? ''}\`.`, ...(m?.[2] ? [`Accepted: ${m[2]}.`] : [])],
  },
  {
    id: 'missing-target-3x',
    title: 'No database or bucket parameter',
    cause:
      'The write has no destination: `/write` needs `db`, `/api/v2/write` needs `bucket`, `/api/v3/write_lp` needs `db`.',
    fix: 'Add the database (or bucket) parameter to the URL.',
    flavors: V3,
    message:
      /no db destination provided|no org\/bucket destination provided|missing field `(?:db|bucket)`|missing bucket value|missing query parameter 'db'/,
  },
  {
    id: 'invalid-db-name-3x',
    title: 'Invalid database name',
    cause:
      'The database name has characters the server refuses. IOx allows letters, digits, `_`, ' +
      '`-` and `/` (1–64 bytes); Core only ASCII letters, digits, `_` and `-`, starting with a ' +
      'letter or digit, plus one `/` for a retention policy.',
    fix: 'Rename the target: use only letters, digits, `_` and `-`.',
    flavors: V3,
    message:
      /contains invalid character, character number \d+ is not allowed|invalid character in database or rp name|db name did not start with a number or letter|db name with invalid retention policy|db name cannot be empty|db name too long|invalid namespace name/,
  },
  {
    id: 'database-required-1x',
    title: 'Database parameter missing',
    cause: '1.x `/write` was called without `db`.',
    fix: 'Add `?db=DATABASE_NAME` (and `rp=` only for a non-default retention policy).',
    flavors: V1,
    message: /^database is required$/,
  },
  {
    id: 'database-not-found',
    title: 'Database not found',
    cause:
      'The database does not exist. 1.x and 2.x never create it on write (Core does; IOx needs ' +
      'it created with influxctl or the management API).',
    fix:
      'Create it first (1.x: `CREATE DATABASE "name"` via /query; Cloud Dedicated: `influxctl ' +
      'database create`), or correct the name; names are case-sensitive.',
    flavors: ['1.x', '2.x', 'cloud-dedicated', 'clustered'],
    // Cloud Dedicated's /query words it `Database NAME not found`.
    message: /database not found: "?([^"\n]*)"?|^Database (.+) not found$/,
    details: (m) => [`Database: "${m?.[1] ?? m?.[2] ?? ''}".`],
  },
  {
    id: 'rp-not-found-1x',
    title: 'Retention policy not found',
    cause: 'The `rp` parameter names a retention policy the database does not have (1.x answers 500 for this).',
    fix: 'Leave `rp` out to use the default policy, or create it: `CREATE RETENTION POLICY "name" ON "db" DURATION 30d REPLICATION 1`.',
    flavors: V1,
    message: /retention policy not found: (\S*)/,
    details: (m) => [`Retention policy: "${m?.[1] ?? ''}".`],
  },
  {
    id: 'bucket-missing-slash-1x',
    title: '1.x v2-compat bucket must be database/retention-policy',
    cause:
      'On 1.8+ the `/api/v2/write` compatibility endpoint maps `bucket` to ' +
      '`database/retention-policy`; an empty bucket or one without a slash is refused.',
    fix: 'Use `bucket=mydb/autogen` (or `mydb/` for the default policy), or write to `/write?db=mydb`.',
    flavors: V1,
    message: /bucket name "[^"]*" is missing a slash/,
  },
  {
    id: 'bucket-not-found-2x',
    title: 'Bucket not found',
    cause:
      'The bucket does not exist in that organization, or the token cannot see it (2.x reports both as not found).',
    fix: 'Check the bucket name and `org`; create the bucket (`influx bucket create`), or use a token with access to it.',
    flavors: ['2.x', 'serverless'],
    message: /bucket not found|bucket "[^"]*" not found/,
  },
  {
    id: 'no-dbrp-mapping',
    title: 'No DBRP mapping for the v1 endpoint',
    cause:
      'The v1 `/write` on 2.x (and Serverless) finds buckets through a ' +
      'database/retention-policy mapping, and none exists for this `db`/`rp`.',
    fix:
      'Create one: `influx v1 dbrp create --db mydb --rp autogen --bucket-id <id> --default`, ' +
      'or write to `/api/v2/write?bucket=…` instead.',
    flavors: ['2.x', 'serverless'],
    message: /no dbrp mapping found/,
  },
  {
    id: 'missing-db-2x',
    title: 'Database parameter missing (2.x v1 endpoint)',
    cause: 'The v1-compatible `/write` on 2.x was called without `db`.',
    fix: 'Add `?db=…` (mapped to a bucket through DBRP), or use `/api/v2/write?bucket=…&org=…`.',
    flavors: ['2.x'],
    message: /^missing db$/,
  },
  {
    id: 'endpoint-not-found',
    title: 'Endpoint not found (404 page not found)',
    cause:
      'The server has no such route. InfluxDB 1.x before 1.8 has no `/api/v2/write` (nor ' +
      '`/health`); only Core serves `/api/v3/write_lp`; Core answers `HEAD /ping` with 404.',
    fix: 'Pick the write API the server has: v1 `/write?db=` on 1.x, v2 on 2.x/Serverless, v3 on Core. Check the base URL path prefix too.',
    flavors: ALL,
    message: /^404 page not found|^Not found$/,
    adapt: endpointForServer,
  },
  {
    id: 'method-not-allowed',
    title: 'Method not allowed',
    cause: 'The endpoint exists but not for this HTTP method (e.g. `GET /write`).',
    fix: 'Writes are `POST`.',
    flavors: ALL,
    message: /^Method Not Allowed/,
    status: [405],
  },
  // --- Precision ---
  {
    id: 'bad-precision-1x',
    title: 'Invalid precision (1.x)',
    cause:
      '1.x `/write` accepts precision n, u, ms, s, m or h (not `us`); its `/api/v2/write` ' +
      'accepts ns, us, ms or s. Older 1.x versions silently read unknown values as nanoseconds.',
    fix: 'Use one of the listed values, or leave precision out for nanoseconds.',
    flavors: V1,
    message: /invalid precision "([^"]*)" \(use ([^)]*)\)/,
    details: (m) => [`Sent value: "${m?.[1] ?? ''}"; accepted: ${m?.[2] ?? ''}.`],
  },
  {
    id: 'bad-precision-2x',
    title: 'Invalid precision (2.x)',
    cause: '2.x `/api/v2/write` accepts only ns, us, ms and s.',
    fix: "Use `precision=ns|us|ms|s` (not 1.x's `n`, `u`, `m`, `h`).",
    flavors: ['2.x', 'serverless'],
    message: /invalid precision; valid precision units are/,
  },
  // --- Authentication and authorization ---
  {
    id: 'auth-unparsable-1x',
    title: 'No credentials the server understands (1.x)',
    cause:
      '1.x with auth on found no credentials it can read: none were sent, the Basic header was ' +
      'malformed, or the scheme is one 1.x does not know (`Authorization: Token` is not ' +
      'understood before 1.8, and needs `Token user:password` after).',
    fix: 'Use Basic auth (`-u user:password`) or query parameters `u=user&p=password`; both `u` and `p` must be non-empty.',
    flavors: V1,
    docs: DOCS_AUTH_V1,
    message: /unable to parse authentication credentials/,
  },
  {
    id: 'auth-failed-1x',
    title: 'Wrong username or password (1.x)',
    cause: 'The credentials were read but the user does not exist or the password is wrong.',
    fix: 'Check the username and password (1.x uses a real user; the 3.x family ignores the username).',
    flavors: V1,
    docs: DOCS_AUTH_V1,
    message: /^authorization failed$/,
  },
  {
    id: 'bearer-disabled-1x',
    title: 'Bearer tokens are disabled (1.x)',
    cause:
      '1.x treats `Authorization: Bearer` as a JWT signed with the `[http] shared-secret`, ' +
      'which is not configured (the message really says "disabld" on 1.6).',
    fix: 'Use Basic auth or `u`/`p` query parameters with a 1.x user, or configure `shared-secret` and send a signed JWT.',
    flavors: V1,
    docs: DOCS_AUTH_V1,
    message: /bearer auth disabl(?:e)?d/,
  },
  {
    id: 'username-required-1x',
    title: 'Username required (1.x)',
    cause: 'Credentials had a password but an empty username; 1.x needs both.',
    fix: 'Set the username (the 3.x family ignores it, 1.x does not).',
    flavors: V1,
    message: /^username required$/,
  },
  {
    id: 'write-not-authorized-1x',
    title: 'User may not write to this database (1.x)',
    cause: 'The user authenticated but lacks the WRITE privilege on the database.',
    fix: 'As an admin: `GRANT WRITE ON "db" TO "user"` (or ALL).',
    flavors: V1,
    docs: DOCS_AUTH_V1,
    message: /"((?:[^"\\]|\\.)*)" user is not authorized to write to database "((?:[^"\\]|\\.)*)"/,
    details: (m) => [`User "${unq(m?.[1])}" lacks WRITE on database "${unq(m?.[2])}".`],
  },
  {
    id: 'create-admin-first-1x',
    title: 'Create an admin user first (1.x)',
    cause: 'Auth is enabled and no admin user exists yet, so only `CREATE USER … WITH ALL PRIVILEGES` is allowed.',
    fix: "Run `CREATE USER admin WITH PASSWORD '…' WITH ALL PRIVILEGES` via /query, or disable auth.",
    flavors: V1,
    message: /create admin user first or disable authentication/,
  },
  {
    id: 'requires-admin-1x',
    title: 'Statement requires admin privilege (1.x)',
    cause: 'The user may not run this statement (e.g. CREATE DATABASE needs admin).',
    fix: 'Run it as an admin user, or have an admin grant the privilege.',
    flavors: V1,
    message: /not authorized to execute statement '([^']*)', requires admin privilege/,
    details: (m) => [`Statement: ${m?.[1] ?? ''}`],
    // The generic 403 advice (GRANT WRITE) is wrong here: no grant but admin allows this statement.
    supersedes: ['forbidden-403-1x'],
  },
  {
    id: 'unauthorized-401-1x',
    title: '401 Unauthorized (1.x)',
    cause:
      '1.x with auth enabled refused the credentials. 1.x knows Basic auth and `u`/`p` query ' +
      'parameters; Bearer only with a configured shared secret, and `Token` (1.8+) only as ' +
      '`Token user:password`.',
    fix: 'Send a 1.x username and password with Basic auth or `u`/`p`.',
    flavors: V1,
    docs: DOCS_AUTH_V1,
    status: [401],
    adapt: unauthorized1xFor,
  },
  {
    id: 'forbidden-403-1x',
    title: '403 Forbidden (1.x)',
    cause: 'The user is known but lacks the privilege (WRITE on the database, or admin).',
    fix:
      'For a write, grant it: `GRANT WRITE ON "db" TO "user"`. Statements that need admin ' +
      '(CREATE DATABASE, user management) need an admin user: no GRANT on a database ' +
      'allows them.',
    flavors: V1,
    status: [403],
  },
  {
    id: 'unauthorized-401-2x',
    title: '401 Unauthorized (2.x)',
    cause:
      'No token, or the token is unknown or revoked. 2.x `/api/v2/*` takes `Authorization: ' +
      'Token` (or Bearer); its v1 `/write` takes Token, Basic or `u`/`p` but not Bearer.',
    fix: 'Send `Authorization: Token <API token>`; on the v1 endpoint do not use Bearer.',
    flavors: ['2.x'],
    message: /^unauthorized access$/,
    status: [401],
  },
  {
    id: 'forbidden-403-2x',
    title: '403 Forbidden (2.x)',
    cause: 'The token is valid but has no write permission on this bucket.',
    fix: 'Use a token with write access to the bucket (`influx auth create --write-bucket <id>`).',
    flavors: ['2.x'],
    message: /insufficient permissions for write/,
    status: [403],
  },
  {
    id: 'unauthorized-401-core',
    title: '401 Unauthorized (Core/Enterprise)',
    cause:
      'Core requires a token on every endpoint (even /ping) unless started with ' +
      '`--without-auth`; none was sent or it is unknown or expired.',
    fix: 'Send `Authorization: Bearer <token>` (or Token/Basic, or `?p=` on /write); create a token with `influxdb3 create token --admin`.',
    flavors: CORE,
    message: /the request was not authenticated/,
    status: [401],
  },
  {
    id: 'forbidden-403-core',
    title: '403 Forbidden (Enterprise resource token)',
    cause: 'The token is valid but not for this action or database (Enterprise resource tokens are scoped).',
    fix: 'Use a token with write permission on this database, or an admin token.',
    flavors: CORE,
    message: /unauthorized to perform requested action with the token/,
    status: [403],
  },
  {
    id: 'core-malformed-auth-header',
    title: 'Malformed Authorization header (Core)',
    cause:
      'Core wants exactly `Authorization: <scheme> <token>` with one space and scheme Bearer, ' +
      'Token or Basic (case-sensitive); anything else is a 400.',
    fix: 'Send `Authorization: Bearer <token>` with no extra spaces or quotes.',
    flavors: CORE,
    message: /Authorization header was malformed/,
  },
  {
    id: 'unauthorized-401-iox',
    title: '401 Unauthorized (Cloud Dedicated / Clustered / Serverless)',
    cause: 'No token was sent (IOx answers 401 only for a missing token; an invalid one is 403).',
    fix: 'Send the database token as `Authorization: Bearer|Token <token>`, Basic password, or `?p=`.',
    flavors: IOX,
    docs: DOCS_CD_COMPAT,
    message: /^no token$/,
    status: [401],
  },
  {
    id: 'forbidden-403-iox',
    title: '403 Forbidden (Cloud Dedicated / Clustered / Serverless)',
    cause:
      'The token is invalid, or valid but without write permission on this database. (Docs say ' +
      '401 for missing permission; the code answers 403.)',
    fix: 'Check the token string, and that it has write permission on the database (`influxctl token create --write-database`).',
    flavors: IOX,
    docs: DOCS_CD_COMPAT,
    message: /^forbidden$/,
    status: [403],
  },
  {
    id: 'authz-unavailable-iox',
    title: 'Token could not be verified (service unavailable)',
    cause: 'The cluster could not reach its authorization service.',
    fix: 'Retry later; on Clustered check the authz service.',
    flavors: IOX,
    message: /token verification not possible/,
  },
  // --- Line protocol (parser) errors ---
  {
    id: 'crlf-line-endings',
    title: 'Windows line endings (CR before LF)',
    cause:
      'The body has CRLF line endings. `\\r` is not a line terminator: it stays at the end of ' +
      'each line, so the timestamp or last field value ends in a CR and reads as `invalid ' +
      'number` / `bad timestamp` (1.x/2.x) or trailing content (3.x).',
    fix:
      'Convert the CRLF line endings to LF (the editor\'s quick fix "Convert CRLF to LF"; in ' +
      "scripts `sed 's/\\r$//'` or `dos2unix`). The workbench sends the body byte for byte " +
      'and never rewrites a CR itself: inside a tag or a string a CR is data, and `tr -d ' +
      '"\\r"` would delete that too.',
    flavors: ALL,
    message:
      /invalid number|bad timestamp|invalid boolean|invalid float|invalid field format|Found trailing content|Unable to parse (?:timestamp|floating-point|integer)/,
    when: (ctx) => (ctx.text ?? '').includes('\r') || /trailing content: .\r/.test(ctx.message),
    priority: 20,
    supersedes: ['invalid-number', 'bad-timestamp', 'trailing-content', 'invalid-field-format', 'unsigned-1x'],
  },
  {
    id: 'unsigned-1x',
    title: 'Unsigned integers are not supported by 1.x',
    cause:
      'The `u` suffix (unsigned integer) is rejected by 1.x release builds as `invalid number`; 2.x and 3.x accept it.',
    fix: 'Send the value as a signed integer (`5i`) or a float.',
    flavors: V1,
    message: /^invalid number$/,
    when: (ctx) => /=\d+u(?:[ ,]|$)/.test(ctx.text ?? ''),
    priority: 10,
    supersedes: ['invalid-number'],
  },
  {
    id: 'invalid-number',
    title: 'Invalid number',
    cause:
      'A field value is not a valid number, boolean or quoted string (e.g. `NaN`, `inf`, `1.2.3`, or an unquoted word).',
    fix: 'Quote string values (`f="text"`), use `i` for integers (`5i`), and `t`/`f`/`true`/`false` for booleans.',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: /^invalid number$|: invalid number$/,
  },
  {
    id: 'bad-timestamp',
    title: 'Bad timestamp',
    cause:
      'The timestamp is not an integer (decimals, units, dates) or there is text after the ' +
      'field set that is not a timestamp (often an unescaped space in a field value).',
    fix: 'Use an integer timestamp in the request precision, and escape spaces in keys/tag values (`\\ `).',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: /^bad timestamp$|: bad timestamp$/,
  },
  {
    id: 'missing-fields',
    title: 'No fields',
    cause:
      'The line has no field set (`cpu` or `cpu,host=a`): every point needs at least one `key=value` field after a space.',
    fix: 'Add a field, e.g. `cpu,host=a value=1`. If the line has a space in a tag value, escape it (`\\ `).',
    flavors: ALL,
    docs: DOCS_LP_V1,
    message: /^missing fields$|: missing fields$|No fields were provided/,
  },
  {
    id: 'missing-field-value',
    title: 'Field without a value',
    cause: 'A field has a key and `=` but no value (`usage=`).',
    fix: 'Give every field a value, or remove the field.',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: /missing field value/,
  },
  {
    id: 'invalid-field-format',
    title: 'Invalid field format',
    cause:
      'The field set cannot be read, most often because of an unescaped space or comma in the ' +
      'measurement or a tag (the rest of the line is then read as fields), or a tab used as ' +
      'a separator.',
    fix: 'Escape spaces and commas in measurement, tag keys and values with `\\`, and separate the parts with single spaces.',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: /invalid field format/,
  },
  {
    id: 'tag-format',
    title: 'Malformed tag set',
    cause: 'A tag is missing its key or value, has an unescaped `=`, or repeats a key.',
    fix: 'Write tags as `,key=value` with `=`, `,` and spaces escaped; drop empty tags instead of sending `key=`; send each key once.',
    flavors: ALL,
    docs: DOCS_LP_V1,
    message:
      /missing tag key|missing tag value|invalid tag format|duplicate tags|Tag set malformed|Expected tag (?:key|value)|the tag '([^']*)' is specified more than once/i,
    details: (m) => (m?.[1] ? [`Tag key: "${m[1]}".`] : []),
  },
  {
    id: 'unbalanced-quotes',
    title: 'Unbalanced quotes',
    cause: 'A string field value is missing its closing `"` (or has an unescaped `"` inside).',
    fix: 'Close the string and escape inner quotes and backslashes (`\\"`, `\\\\`).',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: /unbalanced quotes/,
  },
  {
    id: 'invalid-boolean',
    title: 'Invalid boolean',
    cause: 'A value starting like a boolean is not one of t, T, true, True, TRUE, f, F, false, False, FALSE.',
    fix: 'Use one of those spellings, or quote it as a string.',
    flavors: GO,
    message: /invalid boolean/,
  },
  {
    id: 'integer-out-of-range',
    title: 'Integer out of range',
    cause: 'An `i` (or `u`) value does not fit in 64 bits.',
    fix: 'Send it as a float (no suffix) or clamp it.',
    flavors: ALL,
    message:
      /unable to parse (?:integer|unsigned) (\S+): strconv\.Parse(?:Int|Uint)|Unable to parse (?:unsigned )?integer value/,
  },
  {
    id: 'timestamp-out-of-range',
    title: 'Timestamp out of range',
    cause:
      'The timestamp, once scaled by the precision to nanoseconds, does not fit in a signed ' +
      '64-bit integer (about 1677–2262). Usually the precision is wrong, e.g. milliseconds ' +
      'sent with `precision=s`.',
    fix: 'Set `precision` to the unit the timestamps are in (ns has 19 digits today, µs 16, ms 13, s 10).',
    flavors: ALL,
    message:
      /time outside range -?\d+ - \d+|timestamp overflows i64|out of range for precision|Unable to parse timestamp value/,
  },
  {
    id: 'trailing-content',
    title: 'Unexpected text at the end of the line (3.x)',
    cause: 'Something follows the timestamp: an unescaped space inside a value, a second timestamp, or a CR.',
    fix: 'Escape spaces in keys and tag values, and send LF line endings.',
    flavors: V3,
    message: /Could not parse entire line\. Found trailing content/,
  },
  {
    id: 'ends-with-backslash',
    title: 'Name ends with a backslash (3.x)',
    cause:
      'A measurement, tag key/value or field key ends in `\\`, which the 3.x parser rejects ' +
      '(and `\\\\` means one backslash on 3.x but two on 1.x/2.x).',
    fix: 'Remove the trailing backslash or follow it with another character.',
    flavors: V3,
    message: /may not end with a backslash/,
  },
  {
    id: 'string-too-long',
    title: 'String value too long',
    cause:
      'A string exceeds the server limit: 1 MiB for a field value on 1.x/2.x and Core, 64 KiB ' +
      'for any string on IOx builds without large-strings.',
    fix: 'Shorten or split the value.',
    flavors: ALL,
    message: /String is greater than (?:64KB|1MB)|is too long, (\d+) > (\d+)/,
  },
  {
    id: 'max-key-length',
    title: 'Series key too long',
    cause: 'Measurement + tags + field key exceed 65 535 bytes.',
    fix: 'Use shorter tag values or fewer tags.',
    flavors: GO,
    message: /max key length exceeded: (\d+) > (\d+)/,
  },
  {
    id: 'reserved-key-time',
    title: '`time` (or another reserved name) used as a key',
    cause:
      '`time` cannot be a tag or field key: 1.x drops the point (tag) or strips the field; 2.x ' +
      'also reserves `_measurement` and `_field`; 3.x reserves the `time` column.',
    fix: 'Rename the tag or field (e.g. `event_time`).',
    flavors: ALL,
    message:
      /input tag "time" on measurement|input field "time" on measurement|cannot use reserved tag key "([^"]*)"|'time' is a reserved column|is a reserved column/,
  },
  {
    id: 'gzip-without-header',
    title: 'Gzip body sent without Content-Encoding',
    cause:
      'The body is gzip-compressed (it starts with bytes 1f 8b) but the request has no ' +
      '`Content-Encoding: gzip`, so the server parsed the binary as line protocol.',
    fix: 'Add `Content-Encoding: gzip` (curl: `--header "Content-Encoding: gzip"`) or send the body uncompressed.',
    flavors: ALL,
    // A gzip body starts with the bytes 1f 8b; 1.x quotes them back (built with fromCharCode: lint
    // forbids control characters in regex literals).
    message: new RegExp(`unable to parse '${String.fromCharCode(0x1f)}`),
    priority: 20,
    supersedes: ['invalid-field-format', 'missing-fields', 'invalid-number'],
  },
  {
    id: 'gzip-invalid-header',
    title: 'Content-Encoding: gzip but the body is not gzip',
    cause:
      'The request says `Content-Encoding: gzip` but the body is plain text (or compressed twice/with another codec).',
    fix:
      'Compress the body with gzip (curl sends a file as is: `gzip -c data.lp > data.lp.gz` ' +
      'then `--data-binary @data.lp.gz`), or drop the header.',
    flavors: ALL,
    message: /gzip: invalid header|invalid gzip header|error decompressing/i,
  },
  // --- Schema (storage) errors ---
  {
    id: 'field-type-conflict',
    title: 'Field type conflict',
    cause:
      'A field was sent with a different type than the one already stored for it (in this ' +
      'shard, on 1.x/2.x). A field keeps its first type: float `1`, integer `1i`, string ' +
      '`"1"`, boolean `t` are all different.',
    fix: 'Send the field with its existing type (e.g. add or drop the `i` suffix), or write the new type under a new field name.',
    flavors: GO,
    docs: DOCS_LP_V1,
    message: new RegExp(
      `field type conflict: input field ${GOQ} on measurement ${GOQ} is type (\\w+), already exists as type (\\w+)|^field type conflict$`,
    ),
    details: (m, ctx) => {
      // A line with the same field key twice, in two types, conflicts with itself, whatever is stored:
      // the server then names one of its types as "already existing".
      const field = m?.[1] === undefined ? undefined : unq(m[1]);
      const measurement = m?.[2] === undefined ? undefined : unq(m[2]);
      const dup = bodyEntries(ctx).flatMap((e) => {
        if (e.shape === null || (measurement !== undefined && e.shape.measurement !== measurement)) return [];
        const types = new Map<string, Set<string>>();
        for (const [k, t] of e.shape.fields) types.set(k, (types.get(k) ?? new Set()).add(t));
        return [...types]
          .filter(([k, ts]) => ts.size > 1 && (field === undefined || k === field))
          .map(
            ([k, ts]) =>
              `Line ${e.line} sends field "${k}" twice, as ${[...ts].join(' and ')}: the two values ` +
              `conflict with each other (a line's field keys must be unique), whatever the ` +
              `database has.`,
          );
      });
      if (dup.length > 0) return dup;
      return m?.[1] === undefined
        ? ['Two values of the same field with different types in one new shard.']
        : [
            `Field "${unq(m[1])}" on measurement "${unq(m[2])}": this write sends ${m[3]}, the database already has ${m[4]}.`,
          ];
    },
  },
  {
    id: 'column-type-conflict-3x',
    title: 'Column type conflict (3.x)',
    cause:
      "On the 3.x family a column's type is fixed for the table forever; this line sends the " +
      'field with another type (or two types within one batch).',
    fix: 'Send the field with the existing type (e.g. `1i` vs `1`), or use a new field name.',
    flavors: V3,
    message: COLUMN_CONFLICT,
    when: (_ctx, m) => m !== null && !isTag(columnConflict(m).existing) && !isTag(columnConflict(m).sent),
    details: (m, ctx) => {
      if (m === null) return [];
      const c = columnConflict(m);
      const where = c.table !== null ? ` on table "${c.table}"` : onMeasurement(ctx);
      return [
        `Field "${c.column}"${where}: this write sends ${ioxTypeName(c.sent)}, the table already has ${ioxTypeName(c.existing)}.`,
      ];
    },
  },
  {
    id: 'tag-field-same-name-3x',
    title: 'Tag and field share a name (3.x)',
    cause:
      'On the 3.x family a column is either a tag or a field: the same key cannot be both, in ' +
      'one line or across writes (1.x and 2.x allow it).',
    fix: 'Rename the field or the tag so the names differ.',
    flavors: V3,
    docs: DOCS_CD_COMPAT,
    message: COLUMN_CONFLICT,
    when: (_ctx, m) => m !== null && (isTag(columnConflict(m).existing) || isTag(columnConflict(m).sent)),
    priority: 5,
    supersedes: ['column-type-conflict-3x'],
    details: (m, ctx) => {
      if (m === null) return [];
      const c = columnConflict(m);
      const where = c.table !== null ? ` on table "${c.table}"` : onMeasurement(ctx);
      return [
        `Column "${c.column}"${where} is a ${isTag(c.existing) ? 'tag' : 'field'}; this write ` +
          `uses it as a ${isTag(c.sent) ? 'tag' : 'field'}.`,
      ];
    },
  },
  {
    id: 'duplicate-field-3x',
    title: 'Same field twice in a line (3.x)',
    cause:
      'A line repeats a field key. Core rejects it; IOx rejects it when the types differ (1.x keeps the last one).',
    fix: 'Send each field key once per line.',
    flavors: V3,
    message: /multiple instances of '([^']*)' field found|the field '([^']*)' is specified more than once/,
    details: (m) => [`Field: "${m?.[1] ?? m?.[2] ?? ''}".`],
  },
  // --- Partial writes, retention, limits ---
  {
    id: 'partial-write',
    title: 'Partial write: some lines were written',
    cause:
      'The server stored the valid lines and rejected the ones listed. 1.x always works this ' +
      "way (its `dropped=0` does not count unparsable lines); Core's `/api/v3/write_lp` by " +
      'default; IOx with partial writes on; 2.x only for storage errors (422).',
    fix:
      'Fix or remove only the rejected lines and send those again. Re-sending the whole batch ' +
      'overwrites the same points only when every line has a timestamp.',
    flavors: ALL,
    message: /partial write|partial write of line protocol occurred|partial write has occurred/,
    when: (ctx) => !partialWriteStoredNothing(ctx),
    priority: -20,
    details: (_m, ctx) => {
      const untimed = untimedLines(ctx);
      return untimed.length === 0
        ? []
        : [
            `Line${untimed.length > 1 ? 's' : ''} ${lineList(untimed)} ${untimed.length > 1 ? 'have' : 'has'} ` +
              `no timestamp: the server stamped ${untimed.length > 1 ? 'them' : 'it'} with its clock, ` +
              `so re-sending the whole batch writes ${untimed.length > 1 ? 'them' : 'it'} again as new ` +
              `points. Send only the rejected lines.`,
          ];
    },
  },
  {
    id: 'partial-write-nothing-stored',
    title: 'Partial write that stored nothing: every line was dropped',
    cause:
      'The server answered "partial write", but its `dropped=N` (plus the lines it could not ' +
      'parse) covers every line of the request: none of it was stored.',
    fix: 'Fix the cause named with it (a field type, a limit, the retention period) and send the batch again; it is all still unsent.',
    flavors: GO,
    message: /partial write: [\s\S]* dropped=\d+/,
    when: (ctx) => partialWriteStoredNothing(ctx),
    priority: -10,
    details: (_m, ctx) => {
      const dropped = / dropped=(\d+)/.exec(ctx.message)?.[1] ?? '?';
      return [`dropped=${dropped}; the request had ${bodyEntries(ctx).length} line(s).`];
    },
  },
  {
    id: 'statement-not-executed-1x',
    title: 'Statement "not executed" (1.x, several statements in one request)',
    cause:
      'InfluxDB 1.x runs the statements of a request in order and stops at the first that ' +
      'fails. Without chunking, 1.6 reports that statement only as "not executed", not its ' +
      'real error (the `influx` CLI asks for chunked answers, so it shows the cause), and ' +
      'leaves out the statements after it.',
    fix:
      'Run the request again with chunking (`query --chunked`, the Chunked option in the app, ' +
      '`chunked=true` in the URL): the statement then reports its real error. Or run that ' +
      'statement alone.',
    flavors: V1,
    message: /(?:^|"error":")not executed(?:"|$)/,
  },
  {
    id: 'max-series-per-database',
    title: 'Series limit of the database reached (max-series-per-database)',
    cause:
      'The database already holds as many series as `[data] max-series-per-database` allows ' +
      '(default 1,000,000): points that would create a new series are dropped; points of ' +
      'existing series are written.',
    fix:
      'Lower the cardinality (tag values such as IDs, timestamps or random strings make a ' +
      'series each; drop unused ones with `DROP SERIES`), or raise `max-series-per-database` ' +
      'in influxdb.conf (0 = no limit) and restart influxd.',
    flavors: GO,
    docs: 'https://docs.influxdata.com/influxdb/v1/administration/config/#max-series-per-database',
    message: /max-series-per-database limit exceeded: \((\d+)\)/,
    details: (m) => [`Limit: ${m?.[1] ?? '?'} series.`],
  },
  {
    id: 'outside-retention',
    title: 'Points outside the retention period',
    cause:
      "The timestamps are older than the database's retention period (or, on 1.12+, outside " +
      'the future/past write limits), so those points were dropped.',
    fix: 'Check the timestamps and precision (seconds sent as nanoseconds land in 1970), or extend the retention period.',
    flavors: ['1.x', 'cloud-dedicated', 'clustered', 'serverless'],
    message: /points beyond retention policy|outside retention policy|outside (?:the )?retention/,
    details: (_m, ctx) => (ctx.status === 422 ? ['422 Unprocessable Entity'] : []),
  },
  {
    id: 'unprocessable-422-iox',
    title: '422 Unprocessable Entity: data outside retention (3.x cloud)',
    cause:
      "Cloud Dedicated, Clustered and Serverless answer 422 when points fall outside the database's retention period.",
    fix: 'Check the timestamps and the `precision` parameter; extend the retention period if the data is meant to be kept.',
    flavors: IOX,
    status: [422],
  },
  {
    id: 'unprocessable-422-2x',
    title: '422 Unprocessable Entity: storage rejected points (2.x)',
    cause:
      '2.x parsed the batch but storage refused some points (usually a field type conflict); the others were written.',
    fix: 'Read the message for the field and types; send those points with the existing type.',
    flavors: ['2.x'],
    status: [422],
  },
  {
    id: 'max-values-per-tag',
    title: 'Too many values for one tag (1.x)',
    cause:
      'A tag key reached `max-values-per-tag` (default 100 000) distinct values: a ' +
      'high-cardinality value (IDs, timestamps) is stored as a tag.',
    fix: 'Store high-cardinality values as fields, not tags; or raise `max-values-per-tag` (0 = unlimited).',
    flavors: V1,
    message: /max-values-per-tag limit exceeded \((\d+)\/(\d+)\): measurement="([^"]*)" tag="([^"]*)"/,
    details: (m) => [
      `Measurement "${m?.[3] ?? ''}", tag "${m?.[4] ?? ''}": ${m?.[1] ?? ''} values, limit ${m?.[2] ?? ''}.`,
    ],
  },
  {
    id: 'schema-limit-3x',
    title: 'Schema limit reached (columns, tables or databases)',
    cause:
      'The write would create more columns per table, tables or databases than the server ' +
      'allows (Core: 500 columns, 2000 tables, 5 databases; Cloud Dedicated: 250 columns, 500 ' +
      'tables; Serverless: 200 columns, 500 tables).',
    fix: 'Write to existing columns/tables, split wide measurements, or (Enterprise/Clustered) raise the limit.',
    flavors: V3,
    message: /would exceed (?:number of|limit of)|couldn't create columns in table|service limit reached/,
  },
  {
    id: 'request-too-large',
    title: 'Request too large (413)',
    cause:
      'The body is over the server limit: 1.x `max-body-size` 25 MB (1.6 checks the compressed ' +
      'size), Core 10 MiB also after gunzip, Cloud Dedicated/Clustered the router limit, ' +
      'Serverless 50 MB compressed / 250 MB uncompressed.',
    fix:
      'Send smaller batches (5 000–10 000 lines is typical). On 1.x gzip helps (the limit ' +
      'applies to the compressed size); on 3.x split the batch.',
    flavors: ALL,
    message:
      /Request Entity Too Large|points batch is too large|points in batch is too large|max request size \((\d+) bytes\) exceeded/,
    status: [413],
    details: (m) => (m?.[1] ? [`Limit: ${m[1]} bytes.`] : []),
  },
  {
    id: 'unsupported-media-type',
    title: 'Unsupported Content-Encoding (415)',
    cause:
      'Cloud Dedicated and Clustered accept only `Content-Encoding: gzip` or `identity`; another value (br, deflate, zstd) gives 415.',
    fix: 'Send gzip or no Content-Encoding header.',
    flavors: CD_CL,
    status: [415],
    message: /unsupported media type|unsupported content encoding/i,
  },
  {
    id: 'bad-content-encoding-core',
    title: 'Unacceptable Content-Encoding (Core)',
    cause: 'Core accepts only `Content-Encoding: gzip` or `identity`.',
    fix: 'Send gzip or no Content-Encoding header.',
    flavors: CORE,
    message: /unacceptable content-encoding: (\S+)/,
    details: (m) => [`Sent: ${m?.[1] ?? ''}.`],
  },
  {
    id: 'invalid-utf8',
    title: 'Body is not valid UTF-8 (3.x)',
    cause:
      'The 3.x servers require UTF-8 line protocol; the body has bytes in another encoding (Latin-1, UTF-16) or is binary.',
    fix: 'Convert the data to UTF-8 (and if it is gzip, add `Content-Encoding: gzip`).',
    flavors: V3,
    message: /body content is not valid utf8/,
  },
  {
    id: 'core-empty-write',
    title: 'Empty write (Core)',
    cause: 'Core refuses a body with no lines (or only comments and blank lines); other servers answer 204.',
    fix: 'Send at least one line of line protocol.',
    flavors: CORE,
    message: /incoming write was empty/,
  },
  {
    id: 'too-many-requests',
    title: 'Rate limited (429)',
    cause: 'The server (Serverless plan quotas, Cloud Dedicated limits) throttled the writes.',
    fix: 'Wait for the time given by Retry-After, then retry; batch more lines per request and write less often.',
    flavors: ['cloud-dedicated', 'serverless', '2.x'],
    message: /has exceeded (?:limited_write|[\w_]+) plan limit|too many requests/i,
    status: [429],
    details: (_m, ctx) => retryAfter(ctx),
  },
  {
    id: 'service-overloaded',
    title: 'Service overloaded (503)',
    cause: 'The server is shedding load (too many concurrent requests) or has no healthy ingesters.',
    fix: 'Retry with exponential backoff; lower write concurrency.',
    flavors: V3,
    message: /this service is overloaded, please try again later/,
    status: [503],
    details: (_m, ctx) => (ctx.headers.some(([k]) => k.toLowerCase() === 'retry-after') ? retryAfter(ctx) : []),
  },
];
