/**
 * The sandbox's InfluxQL engine (spec §9–§10): `runInfluxQL` parses the request's statements with the
 * app's parser, applies IOx's acceptance rules and refusals, resolves each statement's database,
 * translates SELECT and SHOW to DuckDB SQL and streams the v1 JSON answer.
 */
import { parseQuery, type SelectStatement, type Statement } from '../../../shared/influxql';
import { queryErrorBody } from '../errors';
import type { SandboxQueryContext, SandboxQueryRequest, SandboxQueryResponse } from './context';
import { EPOCH_UNITS, type EpochUnit, timeWriter } from './format';
import { type Batch, coalesce, csvBody, responseBody, type StatementResult } from './response';
import { runSelect } from './select';
import { runShow } from './show';

export type {
  DatabaseSchema,
  MeasurementSchema,
  SandboxFieldType,
  SandboxQueryContext,
  SandboxQueryRequest,
  SandboxQueryResponse,
} from './context';

const DEFAULT_CHUNK_SIZE = 10_000;
const NO_DB = "must specify a 'db' parameter, or provide the database in the InfluxQL query";
const PARSE = 'error in InfluxQL statement: parsing error: ';
const NOT_IMPL = 'datafusion error: This feature is not implemented: ';

/** A request-level error (status + message) in the profile's body shape (spec §3, §9.1). */
function requestError(
  status: number,
  message: string,
  ctx: SandboxQueryContext,
  req: SandboxQueryRequest,
): SandboxQueryResponse {
  const r = queryErrorBody(ctx.profile, status, message, req.errorShape);
  return { status: r.status, headers: r.headers, body: once(r.body) };
}

async function* once(s: string): AsyncGenerator<string> {
  yield s;
}

const byteOffset = (text: string, utf16: number): number => Buffer.byteLength(text.slice(0, utf16), 'utf8');

/** IOx's parse-time refusal of a statement the Go grammar accepts (spec §10.1), or null. */
function refusal(text: string, s: Statement): string | null {
  const at = byteOffset(text, s.span.start);
  const generic = `invalid InfluxQL statement at pos ${at}. Parsing Error: Nom(${JSON.stringify(text.slice(s.span.start))}, Tag)`;
  switch (s.type) {
    case 'SelectStatement':
      if (s.target) return generic;
      if (s.sortFields.some((f) => f.name !== '' && f.name.toLowerCase() !== 'time'))
        return `invalid ORDER BY, expected ASC, DESC or TIME at pos ${at}`;
      return null;
    case 'ExplainStatement':
    case 'DeleteSeriesStatement':
    case 'DropMeasurementStatement':
    case 'CreateDatabaseStatement':
    case 'ShowDatabasesStatement':
    case 'ShowFieldKeysStatement':
    case 'ShowMeasurementsStatement':
    case 'ShowRetentionPoliciesStatement':
    case 'ShowTagKeysStatement':
    case 'ShowTagValuesStatement':
      return null;
    default:
      if (s.type.startsWith('Show'))
        return (
          `invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG ` +
          `VALUES, or RETENTION POLICIES following SHOW at pos ${at + 5}`
        );
      if (s.type.startsWith('Create'))
        return `Invalid CREATE statement, expected DATABASE following CREATE at pos ${at + 7}`;
      if (s.type.startsWith('Drop')) return `invalid DROP statement, expected MEASUREMENT at pos ${at + 5}`;
      return generic;
  }
}

/** The databases a statement names itself (FROM "db".."m", ON db). */
function statementDatabases(s: Statement): { db: string; rp: string }[] {
  const out: { db: string; rp: string }[] = [];
  const visitSelect = (sel: SelectStatement): void => {
    for (const src of sel.sources) {
      if (src.type === 'SubQuery') visitSelect(src.statement);
      else if (src.database !== '') out.push({ db: src.database, rp: src.retentionPolicy });
    }
  };
  if (s.type === 'SelectStatement') visitSelect(s);
  else if (s.type === 'ExplainStatement') visitSelect(s.statement);
  else if (s.type !== 'CreateContinuousQueryStatement') {
    if (s.type !== 'CreateDatabaseStatement' && s.database) out.push({ db: s.database, rp: s.retentionPolicy ?? '' });
    for (const src of s.sources ?? [])
      if (src.type === 'Measurement' && src.database !== '') out.push({ db: src.database, rp: src.retentionPolicy });
  }
  return out;
}

/** Runs a /query request's InfluxQL against the sandbox's DuckDB and answers in v1 JSON. */
export async function runInfluxQL(req: SandboxQueryRequest, ctx: SandboxQueryContext): Promise<SandboxQueryResponse> {
  let epoch: EpochUnit | undefined;
  if (req.epoch !== undefined && req.epoch !== '') {
    if (!(EPOCH_UNITS as readonly string[]).includes(req.epoch))
      return requestError(
        400,
        `error decoding params from url: unknown variant \`${req.epoch}\`, expected one ` +
          `of ${EPOCH_UNITS.map((u) => `\`${u}\``).join(', ')}`,
        ctx,
        req,
      );
    epoch = req.epoch as EpochUnit;
  }
  if (req.q.trim() === '')
    return requestError(400, 'expected a query to be provided in the query string or body', ctx, req);
  const options = { chunked: req.chunked, chunkSize: req.chunkSize ?? DEFAULT_CHUNK_SIZE, pretty: req.pretty === true };
  if (req.format === 'msgpack')
    return requestError(400, 'MessagePack output is not supported by the sandbox (ask for JSON or CSV)', ctx, req);
  const csv = req.format === 'csv';
  const ok = (results: AsyncIterable<StatementResult>): SandboxQueryResponse => ({
    status: 200,
    headers: { 'Content-Type': csv ? 'application/csv' : 'application/json' },
    body: csv ? coalesce(csvBody(results)) : responseBody(results, options),
  });
  const whole = (error: string): SandboxQueryResponse => ok(fromArray([{ error }]));

  const parsed = parseQuery(req.q, req.params ? { params: req.params } : {});
  if (!parsed.ok) {
    const e = parsed.error;
    return whole(`${PARSE}invalid InfluxQL statement at pos 0. ${e.message}`);
  }
  const statements = parsed.query.statements;
  if (statements.length === 0) return ok(fromArray([]));
  for (const s of statements) {
    const r = refusal(req.q, s);
    if (r !== null) return whole(PARSE + r);
  }
  // Resolve every statement's database and check read access before anything runs (spec §9.2).
  const plans: { s: Statement; db: string | null }[] = [];
  for (const s of statements) {
    const named = statementDatabases(s);
    const distinct = new Set(named.map((n) => n.db));
    if (distinct.size > 1)
      return whole(`${PARSE.replace('parsing error: ', '')}can only perform queries on a single database`);
    const first = named[0];
    let db: string | null = first ? first.db : req.db && req.db !== '' ? req.db : null;
    if (first && first.rp !== '' && first.rp !== 'autogen' && first.rp !== 'default') db = `${first.db}/${first.rp}`;
    plans.push({ s, db });
  }
  for (const p of plans) {
    if (p.db !== null && !needsNoDatabase(p.s, ctx) && !ctx.canRead(p.db))
      return requestError(401, 'unauthorized access', ctx, req);
  }
  // CSV times are always integers (ns unless `epoch` says otherwise), whatever tz() says.
  return ok(execute(plans, req, ctx, csv ? (epoch ?? 'ns') : epoch, csv));
}

const needsNoDatabase = (s: Statement, ctx: SandboxQueryContext): boolean =>
  ctx.profile === 'core' && s.type === 'ShowDatabasesStatement';

async function* fromArray(xs: StatementResult[]): AsyncGenerator<StatementResult> {
  for (const x of xs) yield x;
}

async function* execute(
  plans: { s: Statement; db: string | null }[],
  req: SandboxQueryRequest,
  ctx: SandboxQueryContext,
  epoch: EpochUnit | undefined,
  csv: boolean,
): AsyncGenerator<StatementResult> {
  for (const { s, db } of plans) yield statementResult(s, db, req, ctx, epoch, csv);
}

function notFound(db: string, ctx: SandboxQueryContext): string {
  return ctx.profile === 'core'
    ? `Cannot retrieve database: External error: database not found: ${db}`
    : `Database ${db} not found`;
}

function statementResult(
  s: Statement,
  dbName: string | null,
  _req: SandboxQueryRequest,
  ctx: SandboxQueryContext,
  epoch: EpochUnit | undefined,
  csv = false,
): StatementResult {
  if (needsNoDatabase(s, ctx)) {
    const names = ctx
      .databases()
      .filter((d) => ctx.canRead(d))
      .sort();
    return {
      time: timeWriter(epoch, null),
      batches: fromRows(
        'databases',
        ['name'],
        names.map((n) => [n]),
      ),
    };
  }
  if (dbName === null) return { error: NO_DB };
  const db = ctx.database(dbName);
  if (!db) return { error: notFound(dbName, ctx) };
  const time = timeWriter(epoch, s.type === 'SelectStatement' && !csv ? s.timezone : null);
  switch (s.type) {
    case 'SelectStatement':
      return {
        time,
        batches: runSelect(s, {
          db,
          now: ctx.now(),
          connection: ctx.connection,
          sliceRows: ctx.sliceRows,
          seriesSpans: ctx.seriesSpans ? (d, m) => ctx.seriesSpans!(d, m) : undefined,
        }),
      };
    case 'ShowMeasurementsStatement':
    case 'ShowTagKeysStatement':
    case 'ShowTagValuesStatement':
    case 'ShowFieldKeysStatement':
      return { time, batches: runShow(s, db, ctx) };
    case 'ShowRetentionPoliciesStatement':
      return ctx.profile === 'core'
        ? { time, batches: fromRows('retention_policies', ['name', 'duration', 'default'], [[db.name, '0s', true]]) }
        : {
            time,
            batches: fromRows(
              'retention_policies',
              ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'],
              [['autogen', '0s', '168h0m0s', 1, true]],
            ),
          };
    case 'ShowDatabasesStatement':
      return { error: `${NOT_IMPL}SHOW DATABASES` };
    case 'CreateDatabaseStatement':
      return { error: `${NOT_IMPL}CREATE DATABASE` };
    case 'DeleteSeriesStatement':
      return { error: `${NOT_IMPL}DELETE` };
    case 'DropMeasurementStatement':
      return { error: `${NOT_IMPL}DROP MEASUREMENT` };
    case 'ExplainStatement':
      // The sandbox's own plan: the DuckDB SQL it would run (a deliberate deviation, spec §10.1 and §14 Q12).
      return {
        time,
        batches: runSelect(s.statement, {
          db,
          now: ctx.now(),
          connection: ctx.connection,
          explain: true,
          seriesSpans: ctx.seriesSpans ? (d, m) => ctx.seriesSpans!(d, m) : undefined,
        }),
      };
    default:
      return { error: `${NOT_IMPL}${s.type}` };
  }
}

async function* fromRows(name: string, columns: string[], rows: unknown[][]): AsyncGenerator<Batch> {
  if (rows.length > 0) yield { series: { key: name, name, tags: [], columns, untimed: true }, rows };
}
