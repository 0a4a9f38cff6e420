/**
 * SELECT → DuckDB SQL (spec §10.2, §12.4). One SQL statement per measurement, run in measurement order;
 * its rows come back ordered by the GROUP BY tags and time, and are split into series as the tag
 * values change. Raw queries project columns; aggregate queries bucket by `GROUP BY time`, fill the
 * gaps over a grid of buckets, then apply transformations (derivative…) as window functions.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { Call, Expr, Field, Measurement, SelectStatement } from '../../../shared/influxql';
import { SERIES_COLUMN, type SeriesSpans, tableRef } from '../store';
import type { DatabaseSchema, MeasurementSchema, SandboxFieldType } from './context';
import { zoneOffsetMinutes } from './format';
import { liftFlags } from './regex-flags';
import type { Batch, SeriesHead } from './response';
import { StatementError } from './response';
import { seriesCondition } from './series-index';
import { conditionSql, qi, qs, resolveRef } from './sql';
import { isTimeRef, MAX_TIME, MIN_TIME, timeRange } from './time';

const planErr = (msg: string): StatementError => new StatementError(`datafusion error: Error during planning: ${msg}`);
const notImpl = (msg: string): StatementError =>
  new StatementError(`datafusion error: This feature is not implemented: ${msg}`);

export const AGGREGATES = new Set([
  'count',
  'distinct',
  'integral',
  'mean',
  'median',
  'mode',
  'spread',
  'stddev',
  'sum',
]);
export const SELECTORS = new Set(['bottom', 'first', 'last', 'max', 'min', 'percentile', 'sample', 'top']);
export const TRANSFORMS = new Set([
  'derivative',
  'non_negative_derivative',
  'difference',
  'non_negative_difference',
  'moving_average',
  'cumulative_sum',
  'elapsed',
]);
const MATH: Record<string, { sql: string; arity: number[] }> = {
  abs: { sql: 'abs', arity: [1] },
  ceil: { sql: 'ceil', arity: [1] },
  floor: { sql: 'floor', arity: [1] },
  round: { sql: 'round', arity: [1] },
  sqrt: { sql: 'sqrt', arity: [1] },
  ln: { sql: 'ln', arity: [1] },
  log2: { sql: 'log2', arity: [1] },
  log10: { sql: 'log10', arity: [1] },
  exp: { sql: 'exp', arity: [1] },
  sin: { sql: 'sin', arity: [1] },
  cos: { sql: 'cos', arity: [1] },
  tan: { sql: 'tan', arity: [1] },
  asin: { sql: 'asin', arity: [1] },
  acos: { sql: 'acos', arity: [1] },
  atan: { sql: 'atan', arity: [1] },
  atan2: { sql: 'atan2', arity: [2] },
  pow: { sql: 'pow', arity: [2] },
  log: { sql: 'log', arity: [2] },
};
const TECHNICAL = new Set([
  'holt_winters',
  'holt_winters_with_fit',
  'exponential_moving_average',
  'double_exponential_moving_average',
  'triple_exponential_moving_average',
  'triple_exponential_derivative',
  'relative_strength_index',
  'chande_momentum_oscillator',
  'kaufmans_efficiency_ratio',
  'kaufmans_adaptive_moving_average',
]);

/** Everything a SELECT needs from the request. */
export interface SelectEnv {
  readonly db: DatabaseSchema;
  readonly now: bigint;
  readonly connection: DuckDBConnection;
  /** EXPLAIN: yield the DuckDB SQL of each measurement instead of running it (spec §14 Q12). */
  readonly explain?: boolean;
  /** Rows per time slice of a large raw result (tests make it small). */
  readonly sliceRows?: number;
  /** The series index (context.ts); tag conditions become a series-key `IN (…)` list when given. */
  readonly seriesSpans?: (db: string, measurement: string) => Promise<SeriesSpans | undefined>;
  /** The index of the statement's measurements, loaded by runSelect. */
  readonly spans?: ReadonlyMap<string, SeriesSpans>;
}

/** The union of the sources' tags and fields (first type wins), as 1.x expands wildcards. */
interface Union {
  tags: Set<string>;
  fields: Map<string, SandboxFieldType>;
}

const unionOf = (ms: readonly MeasurementSchema[]): Union => {
  const u: Union = { tags: new Set(), fields: new Map() };
  for (const m of ms) {
    for (const t of m.tags) u.tags.add(t);
    for (const [f, t] of Object.entries(m.fields)) if (!u.fields.has(f)) u.fields.set(f, t);
  }
  return u;
};

/** The measurements a FROM clause names, sorted by name (the order of the output series). */
export function resolveMeasurements(sources: readonly Measurement[], db: DatabaseSchema): MeasurementSchema[] {
  const out = new Map<string, MeasurementSchema>();
  for (const s of sources) {
    if (s.regex !== null) {
      const re = goRegex(s.regex);
      for (const m of Object.values(db.measurements)) if (re.test(m.name)) out.set(m.name, m);
    } else {
      const m = db.measurements[s.name];
      if (m) out.set(m.name, m);
    }
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Go RE2 pattern as a JS RegExp for names (the subset names use). */
export const goRegex = (pattern: string): RegExp => {
  const { body: p, flags: f } = liftFlags(pattern);
  const flags = 'u' + (f.i ? 'i' : '') + (f.s ? 's' : '');
  try {
    return new RegExp(p, flags);
  } catch {
    return new RegExp(p);
  }
};

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const varRef = (name: string, dataType: 'tag' | 'field' | null = null): Expr => ({
  type: 'VarRef',
  name,
  segments: [name],
  dataType,
  span: { start: 0, end: 0 },
});

/** Go's `Field.Name()`: alias, function name, variable name, or the names in a binary expression. */
function exprName(e: Expr): string {
  switch (e.type) {
    case 'Call':
      return e.name;
    case 'VarRef':
      return e.name;
    case 'ParenExpr':
      return exprName(e.expr);
    case 'BinaryExpr': {
      const names: string[] = [];
      const walk = (x: Expr): void => {
        if (x.type === 'VarRef') names.push(x.name);
        else if (x.type === 'Call') names.push(x.name);
        else if (x.type === 'BinaryExpr') {
          walk(x.lhs);
          walk(x.rhs);
        } else if (x.type === 'ParenExpr') walk(x.expr);
      };
      walk(e);
      return names.join('_');
    }
    default:
      return '';
  }
}

interface OutField {
  name: string;
  expr: Expr;
}

const isNumeric = (t: SandboxFieldType): boolean => t === 'float' || t === 'integer' || t === 'uinteger';

/** Which field types a function takes when `*` or a regex expands (1.x's rules). */
const accepts = (fn: string, t: SandboxFieldType): boolean => {
  switch (fn) {
    case 'count':
    case 'distinct':
    case 'first':
    case 'last':
    case 'mode':
      return true;
    case 'max':
    case 'min':
      return isNumeric(t) || t === 'boolean';
    default:
      return isNumeric(t);
  }
};

/** Expands `*`, `*::field`, `/re/` and `fn(*)`/`fn(/re/)` against the union schema (1.x rewrite). */
function expandFields(fields: readonly Field[], u: Union, groupTags: ReadonlySet<string>): OutField[] {
  const out: OutField[] = [];
  const allNames = (kind: 'field' | 'tag' | null, re: RegExp | null): { name: string; tag: boolean }[] => {
    const names: { name: string; tag: boolean }[] = [];
    if (kind !== 'tag') for (const f of u.fields.keys()) if (!re || re.test(f)) names.push({ name: f, tag: false });
    if (kind !== 'field')
      for (const t of u.tags)
        if (!groupTags.has(t) && !u.fields.has(t) && (!re || re.test(t))) names.push({ name: t, tag: true });
    return names.sort((a, b) => byName(a.name, b.name));
  };
  for (const f of fields) {
    const e = f.expr;
    if (e.type === 'Wildcard') {
      for (const n of allNames(e.dataType, null))
        out.push({ name: n.name, expr: varRef(n.name, n.tag ? 'tag' : null) });
      continue;
    }
    if (e.type === 'RegexLiteral') {
      for (const n of allNames(null, goRegex(e.pattern)))
        out.push({ name: n.name, expr: varRef(n.name, n.tag ? 'tag' : null) });
      continue;
    }
    if (e.type === 'Call' && e.args.length > 0) {
      const a0 = e.args[0] as Expr;
      const inner = a0.type === 'Call' && a0.name === 'distinct' && a0.args[0] ? a0.args[0] : null;
      const target = inner ?? a0;
      if (target.type === 'Wildcard' || target.type === 'RegexLiteral') {
        const re = target.type === 'RegexLiteral' ? goRegex(target.pattern) : null;
        const names = [...u.fields.entries()]
          .filter(([n, t]) => (!re || re.test(n)) && accepts(e.name, t))
          .map(([n]) => n)
          .sort(byName);
        for (const n of names) {
          const arg: Expr = inner && a0.type === 'Call' ? { ...a0, args: [varRef(n)] } : varRef(n);
          out.push({ name: `${e.name}_${n}`, expr: { ...e, args: [arg, ...e.args.slice(1)] } });
        }
        continue;
      }
    }
    out.push({ name: f.alias || exprName(e), expr: e });
  }
  // Duplicate names get _1, _2… (1.x `columnNames`).
  const seen = new Map<string, number>();
  for (const o of out) seen.set(o.name, 0);
  const used = new Set<string>();
  for (const o of out) {
    if (!used.has(o.name)) {
      used.add(o.name);
      continue;
    }
    let i = seen.get(o.name) ?? 0;
    let candidate: string;
    do {
      i++;
      candidate = `${o.name}_${i}`;
    } while (used.has(candidate) || seen.has(candidate));
    seen.set(o.name, i);
    used.add(candidate);
    o.name = candidate;
  }
  return out;
}

const hasCall = (e: Expr, set: ReadonlySet<string>): boolean => {
  switch (e.type) {
    case 'Call':
      return set.has(e.name) || e.args.some((a) => hasCall(a, set));
    case 'BinaryExpr':
      return hasCall(e.lhs, set) || hasCall(e.rhs, set);
    case 'ParenExpr':
      return hasCall(e.expr, set);
    default:
      return false;
  }
};

const AGG_OR_SEL = new Set([...AGGREGATES, ...SELECTORS]);
/** Selectors whose point's other fields and tags can be projected beside them. */
const AUX_SELECTORS = new Set(['max', 'min', 'first', 'last', 'percentile', 'top', 'bottom']);

const callsIn = (e: Expr, set: ReadonlySet<string>): Call[] => {
  switch (e.type) {
    case 'Call':
      return set.has(e.name) ? [e] : e.args.flatMap((a) => callsIn(a, set));
    case 'BinaryExpr':
      return [...callsIn(e.lhs, set), ...callsIn(e.rhs, set)];
    case 'ParenExpr':
      return callsIn(e.expr, set);
    default:
      return [];
  }
};

/** The GROUP BY clause: tags (sorted), and the time bucket. */
interface Grouping {
  tags: string[];
  interval: bigint | null;
  offset: bigint;
}

function grouping(stmt: SelectStatement, u: Union): Grouping {
  const tags = new Set<string>();
  let interval: bigint | null = null;
  let offset = 0n;
  for (const d of stmt.dimensions) {
    const e = d.expr;
    if (e.type === 'Call' && e.name === 'time') {
      const a = e.args[0];
      if (a?.type !== 'DurationLiteral') throw planErr('time dimension expects a duration argument');
      interval = BigInt(a.nanoseconds);
      const o = e.args[1];
      if (o?.type === 'DurationLiteral') offset = BigInt(o.nanoseconds);
      continue;
    }
    if (e.type === 'Wildcard') for (const t of u.tags) tags.add(t);
    else if (e.type === 'RegexLiteral') {
      const re = goRegex(e.pattern);
      for (const t of u.tags) if (re.test(t)) tags.add(t);
    } else if (e.type === 'VarRef') tags.add(e.name);
  }
  return { tags: [...tags].sort(byName), interval, offset };
}

/** SQL for the start of the GROUP BY time window of `col` (`t - rem_euclid(t - offset, d)`), or null. */
function windowStart(g: Grouping, col = '"time"'): string | null {
  if (g.interval === null) return null;
  const d = g.interval;
  const o = ((g.offset % d) + d) % d;
  return `(${col} - (((${col} - ${o}) % ${d}) + ${d}) % ${d})`;
}

/** SQL for a value expression over the source table (raw context). */
function rowExpr(e: Expr, m: MeasurementSchema): string {
  switch (e.type) {
    case 'VarRef': {
      const r = resolveRef(m, e.name, e.dataType);
      if (r === null) return 'NULL';
      return qi(e.name);
    }
    case 'ParenExpr':
      return `(${rowExpr(e.expr, m)})`;
    case 'NumberLiteral':
      return Number.isInteger(e.value) ? `${e.value}.0` : String(e.value);
    case 'IntegerLiteral':
    case 'UnsignedLiteral':
      return e.value;
    case 'StringLiteral':
      return qs(e.value);
    case 'BooleanLiteral':
      return e.value ? 'TRUE' : 'FALSE';
    case 'BinaryExpr':
      return arith(e.op, rowExpr(e.lhs, m), rowExpr(e.rhs, m));
    case 'Call':
      return mathCall(e, (a) => rowExpr(a, m));
    default:
      throw planErr('unsupported expression');
  }
}

function arith(op: string, l: string, r: string): string {
  switch (op) {
    case '/':
      return `(CAST(${l} AS DOUBLE) / ${r})`;
    case '^':
      return `xor(${l}, ${r})`;
    case '+':
    case '-':
    case '*':
    case '%':
    case '&':
    case '|':
      return `(${l} ${op} ${r})`;
    default:
      throw planErr(`invalid operator ${op} in projection`);
  }
}

function mathCall(e: Call, sub: (a: Expr) => string): string {
  const fn = MATH[e.name];
  if (!fn) {
    if (TECHNICAL.has(e.name)) throw planErr(`Invalid function '${e.name}'`);
    throw planErr(`invalid function: ${e.name}`);
  }
  if (!fn.arity.includes(e.args.length))
    throw planErr(`invalid number of arguments for ${e.name}, expected ${fn.arity[0]}, got ${e.args.length}`);
  const args = e.args.map(sub);
  // Outside the domain 1.x gives NaN, written as null; DuckDB would raise an error.
  const a = args[0] as string;
  if (e.name === 'log') return `CASE WHEN ${a} > 0 AND ${args[1]} > 0 THEN ln(${a}) / ln(${args[1]}) END`;
  if (e.name === 'sqrt') return `CASE WHEN ${a} >= 0 THEN sqrt(${a}) END`;
  if (e.name === 'ln' || e.name === 'log2' || e.name === 'log10') return `CASE WHEN ${a} > 0 THEN ${fn.sql}(${a}) END`;
  if (e.name === 'asin' || e.name === 'acos') return `CASE WHEN ${a} BETWEEN -1 AND 1 THEN ${fn.sql}(${a}) END`;
  return `${fn.sql}(${args.join(', ')})`;
}

/** Fields the expression reads (to drop rows where all of them are null). */
function fieldRefs(e: Expr, m: MeasurementSchema, out: Set<string>): void {
  switch (e.type) {
    case 'VarRef': {
      const r = resolveRef(m, e.name, e.dataType);
      if (r?.kind === 'field') out.add(e.name);
      return;
    }
    case 'ParenExpr':
      fieldRefs(e.expr, m, out);
      return;
    case 'BinaryExpr':
      fieldRefs(e.lhs, m, out);
      fieldRefs(e.rhs, m, out);
      return;
    case 'Call':
      for (const a of e.args) fieldRefs(a, m, out);
      return;
    default:
      return;
  }
}

/** A top-level transformation of an output field, and its inner expression. */
interface Transform {
  fn: string;
  inner: Expr;
  args: readonly Expr[];
}

const asTransform = (e: Expr): Transform | null => {
  const x = e.type === 'ParenExpr' ? e.expr : e;
  if (x.type !== 'Call' || !TRANSFORMS.has(x.name)) return null;
  const inner = x.args[0];
  if (!inner) throw planErr(`invalid number of arguments for ${x.name}, expected at least 1, got 0`);
  return { fn: x.name, inner, args: x.args.slice(1) };
};

const durationArg = (e: Expr | undefined, fallback: bigint, fn: string): bigint => {
  if (e === undefined) return fallback;
  if (e.type !== 'DurationLiteral') throw planErr(`${fn} second argument must be a duration`);
  return BigInt(e.nanoseconds);
};

/** A measurement, or a subquery's rows seen as one (`from` is its SQL). */
interface Relation extends MeasurementSchema {
  from?: string;
}

/**
 * The WHERE of the statement over one relation. Over a subquery the time bounds are the inner query's
 * (its windows keep their start times even before the outer bound, as in 1.x), so only the rest applies.
 */
const whereSql = (ctx: PlanCtx, m: Relation): string => {
  const cond = ctx.stmt.condition;
  if (!cond) return 'TRUE';
  const compile = (e: Expr): string =>
    conditionSql(e, m, ctx.now, ctx.lowerShift, ctx.upperShift, m.from === undefined);
  // Tag comparisons are judged once per series from the index, not per row (as influxd's index does).
  const spans = m.from === undefined ? ctx.spans?.get(m.name) : undefined;
  const split = spans ? seriesCondition(cond, m, spans, ctx.now) : null;
  if (!split) return compile(cond);
  return [split.sql, ...split.rest.map(compile)].join(' AND ');
};

const fromSql = (ctx: PlanCtx, m: Relation): string =>
  m.from !== undefined ? `(${m.from})` : tableRef(ctx.db, m.name);

/** A planned SELECT: the SQL per measurement (in output order), the GROUP BY and the output fields. */
interface Planned {
  plans: {
    m: Relation;
    sql: string;
    /** Raw rows of one series: can be read in time slices, each sorted on its own (bounded memory). */
    slices?: { extent: string; sqlFor: (from: bigint, to: bigint) => string };
  }[];
  desc: boolean;
  g: Grouping;
  fields: OutField[];
  range: { min: bigint | null; max: bigint | null };
}

/** The type a subquery's output column has, for the outer query's checks. */
function outputType(e: Expr, m: MeasurementSchema): SandboxFieldType {
  if (e.type === 'VarRef') {
    const r = resolveRef(m, e.name, e.dataType);
    return r?.kind === 'field' ? r.type : 'string';
  }
  if (e.type === 'Call' && e.name === 'count') return 'integer';
  if (e.type === 'Call' && ['max', 'min', 'first', 'last', 'sum', 'spread', 'mode', 'difference'].includes(e.name)) {
    const a = e.args[0];
    if (a?.type === 'VarRef') {
      const r = resolveRef(m, a.name, a.dataType);
      if (r?.kind === 'field') return r.type;
    }
  }
  return 'float';
}

/** Subqueries (spec §10.2): the inner SELECT's rows per measurement, with its GROUP BY tags as tags. */
function subqueryRelations(sub: SelectStatement, env: SelectEnv): Relation[] {
  const inner = planSelect(sub, env);
  const relations = inner.plans.map(({ m, sql }) => {
    const tags = inner.g.tags;
    const series = tags.length > 0 ? tags.map((t, i) => `${qs(`${t}=`)} || __g${i}`).join(` || ',' || `) : "''";
    const cols = [
      ...tags.map((t, i) => `__g${i} AS ${qi(t)}`),
      '__t AS "time"',
      ...inner.fields.map((f, i) => `__p${i} AS ${qi(f.name)}`),
      `${series} AS ${qi(SERIES_COLUMN)}`,
    ];
    const fields: Record<string, SandboxFieldType> = {};
    for (const f of inner.fields) fields[f.name] = outputType(f.expr, m);
    return { name: m.name, tags: [...tags], fields, from: `SELECT ${cols.join(', ')} FROM (${sql})` };
  });
  return relations;
}

/** Runs a SELECT; yields its rows as series batches. */
export async function* runSelect(stmt: SelectStatement, env: SelectEnv): AsyncGenerator<Batch> {
  if (env.seriesSpans && stmt.condition && !env.spans) {
    const spans = new Map<string, SeriesSpans>();
    const sources = stmt.sources.filter((s): s is Measurement => s.type === 'Measurement');
    for (const m of resolveMeasurements(sources, env.db)) {
      const s = await env.seriesSpans(env.db.name, m.name);
      if (s) spans.set(m.name, s);
    }
    env = { ...env, spans };
  }
  const { plans, g, fields, desc } = planSelect(stmt, env);
  const columns = ['time', ...fields.map((f) => f.name)];
  for (const { m, sql, slices } of plans) {
    if (env.explain) {
      const head: SeriesHead = { key: 'plan', name: 'plan', tags: [], columns: ['plan_type', 'plan'], untimed: true };
      yield { series: head, rows: [[`sandbox_sql ${m.name}`, sql]] };
      continue;
    }
    const limit = env.sliceRows ?? SLICE_ROWS;
    if (slices) {
      // A large raw result is read in time slices of about `limit` rows: DuckDB sorts one slice at a time,
      // so memory stays bounded however many rows stream out (spec §12.4, issue 10's 1,000,000-row SELECT *).
      const [extent] = (await env.connection.runAndReadAll(slices.extent)).getRows();
      const count = Number(extent?.[0] ?? 0);
      if (count > limit && typeof extent?.[1] === 'bigint' && typeof extent[2] === 'bigint') {
        const [min, max] = [extent[1], extent[2] + 1n];
        const k = BigInt(Math.ceil(count / limit));
        const width = (max - min + k - 1n) / k;
        for (let i = 0n; i < k; i++) {
          const j = desc ? k - 1n - i : i;
          const from = min + j * width;
          const to = j === k - 1n ? max : from + width;
          yield* stream(env.connection, slices.sqlFor(from, to), m.name, g.tags, fields.length, columns);
        }
        continue;
      }
    }
    yield* stream(env.connection, sql, m.name, g.tags, fields.length, columns);
  }
}

/** Rows per time slice of a large raw result (see runSelect). */
const SLICE_ROWS = 200_000;

function planSelect(stmt: SelectStatement, env: SelectEnv): Planned {
  if (stmt.slimit > 0 || stmt.soffset > 0) {
    throw new StatementError(
      'datafusion error: rewriting statement\ncaused by\nThis feature is not implemented: SLIMIT or SOFFSET',
    );
  }
  const sources = stmt.sources.filter((s): s is Measurement => s.type === 'Measurement');
  const ms: Relation[] = resolveMeasurements(sources, env.db);
  for (const s of stmt.sources) if (s.type === 'SubQuery') ms.push(...subqueryRelations(s.statement, env));
  ms.sort((a, b) => byName(a.name, b.name));
  const u = unionOf(ms);
  const g = grouping(stmt, u);
  // tz(): windows start at local boundaries (1.x and IOx), so the zone's UTC offset shifts the buckets. The
  // offset at the start of the range is used for the whole query (a DST change inside it is not followed).
  if (g.interval !== null && stmt.timezone !== null && stmt.timezone !== 'UTC') {
    const at = timeRange(stmt.condition, env.now).min ?? env.now;
    g.offset -= BigInt(zoneOffsetMinutes(stmt.timezone, at)) * 60_000_000_000n;
  }
  const fields = expandFields(stmt.fields, u, new Set(g.tags)).filter(
    (f) => !(f.expr.type === 'VarRef' && isTimeRef(f.expr)),
  );
  if (fields.some((f) => hasCall(f.expr, new Set(['sample'])))) throw notImpl('sample selector function');
  // top(f, tag…, N) adds a column per tag argument after itself (1.x).
  for (let i = 0; i < fields.length; i++) {
    const e = fields[i]?.expr;
    if (e?.type !== 'Call' || (e.name !== 'top' && e.name !== 'bottom')) continue;
    const tags = e.args.slice(1, -1).filter((a): a is Extract<Expr, { type: 'VarRef' }> => a.type === 'VarRef');
    fields.splice(i + 1, 0, ...tags.map((t) => ({ name: t.name, expr: varRef(t.name, 'tag') })));
  }
  const aggregate = fields.some((f) => hasCall(f.expr, AGG_OR_SEL));
  const calls = fields.flatMap((f) => callsIn(f.expr, AGG_OR_SEL));
  // One selector may bring the fields and tags of the point it selects (auxiliary fields, spec §10.2).
  const auxOk = calls.length === 1 && AUX_SELECTORS.has(calls[0]?.name ?? '');
  if (aggregate && !auxOk && fields.some((f) => !hasCall(f.expr, AGG_OR_SEL) && fieldRefsAny(f.expr)))
    throw new StatementError(
      'datafusion error: rewriting statement\ncaused by\ngather information about select ' +
        'statement\ncaused by\nError during planning: mixing aggregate and non-aggregate columns ' +
        'is not supported',
    );
  if (!aggregate && g.interval !== null) throw planErr('GROUP BY requires at least one aggregate function');
  const range = timeRange(stmt.condition, env.now);
  const desc = stmt.sortFields.some((s) => !s.ascending);
  const ctx: PlanCtx = {
    spans: env.spans,
    stmt,
    g,
    range,
    now: env.now,
    desc,
    db: env.db.name,
    lowerShift: 0n,
    upperShift: 0n,
    outputFrom: null,
    outputTo: null,
  };
  // 1.x reads earlier windows for transformations of aggregates, so the first window has a value:
  // one interval for derivative/difference/elapsed, N-1 for moving_average.
  if (aggregate && g.interval !== null && (desc ? range.max !== null : range.min !== null)) {
    let k = 0n;
    for (const f of fields) {
      const t = asTransform(f.expr);
      if (!t || t.fn === 'cumulative_sum') continue;
      const n = t.fn === 'moving_average' && t.args[0]?.type === 'IntegerLiteral' ? BigInt(t.args[0].value) - 1n : 1n;
      if (n > k) k = n;
    }
    if (k > 0n) {
      // Under ORDER BY time DESC the walk starts at the end, so the extra windows are after it.
      const d = g.interval;
      const o = ((g.offset % d) + d) % d;
      const floorB = (t: bigint): bigint => t - ((((t - o) % d) + d) % d);
      if (desc && range.max !== null) {
        ctx.outputTo = floorB(range.max);
        ctx.upperShift = k * d;
        ctx.range = { min: range.min, max: range.max + k * d };
      } else if (range.min !== null) {
        ctx.outputFrom = floorB(range.min);
        ctx.lowerShift = k * d;
        ctx.range = { min: range.min - k * d, max: range.max };
      }
    }
  }
  const plans: Planned['plans'] = [];
  const sliceable =
    !aggregate &&
    g.tags.length === 0 &&
    stmt.limit <= 0 &&
    stmt.offset <= 0 &&
    fields.every((f) => asTransform(f.expr) === null);
  for (const m of ms) {
    const sql = aggregate ? aggregatePlan(ctx, m, fields) : rawPlan(ctx, m, fields);
    if (sql === null) continue;
    const where = sliceable && m.from === undefined ? rawWhere(ctx, m, fields) : null;
    plans.push({
      m,
      sql,
      slices:
        where === null
          ? undefined
          : {
              extent: `SELECT count(*), min("time"), max("time") FROM ${fromSql(ctx, m)} WHERE ${where.join(' AND ')}`,
              sqlFor: (a, b) => rawPlan(ctx, m, fields, [a, b]) as string,
            },
    });
  }
  return { plans, g, fields, range: ctx.range, desc };
}

const fieldRefsAny = (e: Expr): boolean => {
  switch (e.type) {
    case 'VarRef':
      return true;
    case 'ParenExpr':
      return fieldRefsAny(e.expr);
    case 'BinaryExpr':
      return fieldRefsAny(e.lhs) || fieldRefsAny(e.rhs);
    case 'Call':
      return e.args.some(fieldRefsAny);
    default:
      return false;
  }
};

interface PlanCtx {
  spans: ReadonlyMap<string, SeriesSpans> | undefined;
  stmt: SelectStatement;
  g: Grouping;
  range: { min: bigint | null; max: bigint | null };
  /** How far the time condition's lower bound is moved back (transformations of aggregates). */
  lowerShift: bigint;
  upperShift: bigint;
  /** Windows before `outputFrom` / after `outputTo` are read but not output. */
  outputFrom: bigint | null;
  outputTo: bigint | null;
  now: bigint;
  desc: boolean;
  db: string;
}

const G = (g: Grouping): string[] => g.tags.map((_, i) => `__g${i}`);
const P = (n: number): string[] => Array.from({ length: n }, (_, i) => `__p${i}`);

const gSelect = (g: Grouping, m: MeasurementSchema): string[] =>
  g.tags.map((t, i) => `${m.tags.includes(t) ? `COALESCE(${qi(t)}, '')` : "''"} AS __g${i}`);

/** Raw rows: `__g*, __t, __p*` where `__p` is each field's value (a transformation's inner value). */
function rawPlan(
  ctx: PlanCtx,
  m: Relation,
  fields: readonly OutField[],
  slice?: readonly [bigint, bigint],
): string | null {
  const where = rawWhere(ctx, m, fields);
  if (where === null) return null;
  if (slice) where.push(`"time" >= ${slice[0]} AND "time" < ${slice[1]}`);
  const pre = fields.map((f) => {
    const t = asTransform(f.expr);
    return `${rowExpr(t ? t.inner : f.expr, m)} AS __p${fields.indexOf(f)}`;
  });
  const base =
    `SELECT ${[...gSelect(ctx.g, m), '"time" AS __t', `${qi(SERIES_COLUMN)} AS __s`, ...pre].join(', ')} ` +
    `FROM ${fromSql(ctx, m)} WHERE ${where.join(' AND ')}`;
  return finish(ctx, base, fields, '1000000000', true);
}

/** A raw query's row filter: its WHERE and "at least one selected field present"; null if none is. */
function rawWhere(ctx: PlanCtx, m: Relation, fields: readonly OutField[]): string[] | null {
  const refs = new Set<string>();
  for (const f of fields) fieldRefs(f.expr, m, refs);
  if (refs.size === 0) return null;
  const where = [`(${[...refs].map((r) => `${qi(r)} IS NOT NULL`).join(' OR ')})`];
  if (ctx.stmt.condition) where.push(whereSql(ctx, m));
  return where;
}

/** The output: transformations as windows over `base`, then LIMIT/OFFSET per series and the order. */
function finish(ctx: PlanCtx, base: string, fields: readonly OutField[], defaultUnit: string, raw: boolean): string {
  const gs = G(ctx.g);
  const dir = ctx.desc ? 'DESC' : 'ASC';
  const tie = raw ? ', __s' : '';
  const transforms = fields.map((f) => asTransform(f.expr));
  let body: string;
  if (transforms.every((t) => t === null)) {
    body = `SELECT ${[...gs, '__t', ...P(fields.length)].join(', ')}${raw ? ', __s' : ''} FROM __base`;
  } else {
    const part = gs.length > 0 ? `PARTITION BY ${gs.join(', ')} ` : '';
    const w = `(${part}ORDER BY __t ${dir}${tie})`;
    const parts = fields.map((_, i) => {
      const t = transforms[i];
      const p = `__p${i}`;
      const src = `SELECT ${[...gs, '__t'].join(', ')}${tie}, ${p} FROM __base WHERE ${p} IS NOT NULL`;
      if (!t) return src.replace(`, ${p} FROM`, `, ${p} AS __v FROM`);
      let expr: string;
      const unitNs = (d: string): string => durationArg(t.args[0], BigInt(d), t.fn).toString();
      switch (t.fn) {
        case 'derivative':
        case 'non_negative_derivative':
          // Under ORDER BY time DESC 1.x negates the elapsed time, so the sign is the ascending one's negation.
          expr =
            `(CAST(${p} AS DOUBLE) - lag(${p}) OVER ${w}) / ` +
            `((${ctx.desc ? 'lag(__t) OVER ' + w + ' - __t' : '__t - lag(__t) OVER ' + w}) ` +
            `/ ${unitNs(defaultUnit)}.0)`;
          break;
        case 'difference':
        case 'non_negative_difference':
          expr = `${p} - lag(${p}) OVER ${w}`;
          break;
        case 'cumulative_sum':
          expr = `CAST(sum(${p}) OVER (${part}ORDER BY __t ${dir}${tie} ROWS UNBOUNDED PRECEDING) AS DOUBLE)`;
          break;
        case 'elapsed':
          expr = `(__t - lag(__t) OVER ${w}) // ${durationArg(t.args[0], 1n, t.fn)}`;
          break;
        case 'moving_average': {
          const n = t.args[0];
          if (n?.type !== 'IntegerLiteral') throw planErr('moving_average window must be an integer');
          const k = Number(n.value);
          expr =
            `CASE WHEN row_number() OVER ${w} >= ${k} THEN avg(${p}) OVER (${part}ORDER BY ` +
            `__t ${dir}${tie} ROWS BETWEEN ${k - 1} PRECEDING AND CURRENT ROW) END`;
          break;
        }
        default:
          throw planErr(`invalid function: ${t.fn}`);
      }
      const neg = t.fn.startsWith('non_negative') ? ' AND __v >= 0' : '';
      return `SELECT * FROM (SELECT ${[...gs, '__t'].join(', ')}${tie}, ${expr} AS __v FROM (${src})) WHERE __v IS NOT NULL${neg}`;
    });
    const ctes = parts.map((p, i) => `__f${i} AS (${p})`).join(', ');
    const keyCols = [...gs, '__t'];
    const keys = `SELECT DISTINCT ${keyCols.join(', ')}${tie} FROM (${parts
      .map((_, i) => `SELECT ${keyCols.join(', ')}${tie} FROM __f${i}`)
      .join(' UNION ALL ')})`;
    const using = `USING (${[...keyCols, ...(raw ? ['__s'] : [])].join(', ')})`;
    body = `WITH ${ctes} SELECT ${keyCols.map((c) => `__k.${c}`).join(', ')}, ${fields
      .map((_, i) => `__f${i}.__v AS __p${i}`)
      .join(', ')}${raw ? ', __k.__s' : ''} FROM (${keys}) __k ${fields
      .map((_, i) => `LEFT JOIN __f${i} ${using}`)
      .join(' ')}`;
  }
  // 1.x walks the series in reverse too under ORDER BY time DESC.
  const order = [...gs.map((g) => `${g} ${dir}`), `__t ${dir}`, ...(raw ? ['__s'] : [])].join(', ');
  const from =
    ctx.outputFrom !== null
      ? ` WHERE __t >= ${ctx.outputFrom}`
      : ctx.outputTo !== null
        ? ` WHERE __t <= ${ctx.outputTo}`
        : '';
  const select = `WITH __base AS (${base}) SELECT ${[...gs, '__t', ...P(fields.length)].join(', ')} FROM (${body})${from}`;
  const { limit, offset } = ctx.stmt;
  if (limit <= 0 && offset <= 0) return `${select} ORDER BY ${order}`;
  // One series: a plain LIMIT/OFFSET (DuckDB keeps only the top rows instead of numbering them all).
  if (gs.length === 0)
    return `${select} ORDER BY ${order}${limit > 0 ? ` LIMIT ${limit}` : ''}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
  return `${select}${limitClause(ctx.stmt, gs.join(', '), `__t ${dir}${tie}`)} ORDER BY ${order}`;
}

function limitClause(stmt: SelectStatement, partition: string, order: string): string {
  if (stmt.limit <= 0 && stmt.offset <= 0) return '';
  const rn = `row_number() OVER (${partition ? `PARTITION BY ${partition} ` : ''}ORDER BY ${order})`;
  const hi = stmt.limit > 0 ? ` AND ${rn} <= ${stmt.offset + stmt.limit}` : '';
  return ` QUALIFY ${rn} > ${stmt.offset}${hi}`;
}

/** Streams a plan's rows as batches, starting a new series head when the group values change. */
async function* stream(
  connection: DuckDBConnection,
  sql: string,
  name: string,
  tags: readonly string[],
  nFields: number,
  columns: readonly string[],
): AsyncGenerator<Batch> {
  // prepare + stream: connection.stream() would first split the text into statements (a second parse).
  const prepared = await connection.prepare(sql);
  let result: Awaited<ReturnType<typeof prepared.stream>>;
  try {
    result = await prepared.stream();
  } finally {
    prepared.destroySync();
  }
  let head: SeriesHead | null = null;
  let headKey = '';
  const nt = tags.length;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const rows = chunk.getRows();
    let out: unknown[][] = [];
    for (const r of rows) {
      if (nt > 0) {
        let key = '';
        for (let i = 0; i < nt; i++) key += `${String(r[i])}\u0000`;
        if (head === null || key !== headKey) {
          if (head !== null && out.length > 0) {
            yield { series: head, rows: out };
            out = [];
          }
          headKey = key;
          head = {
            key: `${name}\u0001${key}`,
            name,
            tags: tags.map((t, i) => [t, String(r[i])] as const),
            columns,
          };
        }
      } else if (head === null) head = { key: name, name, tags: [], columns };
      const row = new Array<unknown>(nFields + 1);
      for (let j = 0; j <= nFields; j++) row[j] = r[nt + j];
      out.push(row);
    }
    if (head !== null && out.length > 0) yield { series: head, rows: out };
  }
}

type ValueType = 'float' | 'integer' | 'uinteger' | 'string' | 'boolean' | 'any';

/** One aggregate over the source rows: its SQL, its value type and (for selectors) the point's time. */
interface Slot {
  sql: string;
  type: ValueType;
  time: string | null;
  /** count(): fill(null) gives 0 (1.x turns a null fill of count into 0). */
  zeroFill?: boolean;
  /** percentile(): a window where it selects nothing is no point at all (unless another function has one). */
  mayVanish?: boolean;
  /** Selectors: the same choice of point, returning another column of it (auxiliary fields). */
  aux?: (col: string) => string;
  /** An auxiliary field: not a function of its own (no point, no selector time). */
  auxOnly?: boolean;
  /** integral(): computed from consecutive points in its own CTE, joined by bucket. */
  integral?: { field: string; unit: bigint };
}

const sqlTypeOf = (t: ValueType): string =>
  t === 'integer' ? 'BIGINT' : t === 'uinteger' ? 'UBIGINT' : t === 'float' ? 'DOUBLE' : '';

/** Compiles one aggregate or selector call to a slot. */
function aggregateSlot(e: Call, m: MeasurementSchema, oneSeries = false): Slot | null {
  const a0 = e.args[0];
  const arity = (n: number[]): void => {
    if (!n.includes(e.args.length))
      throw planErr(`invalid number of arguments for ${e.name}, expected ${n[0]}, got ${e.args.length}`);
  };
  if (e.name === 'count' && a0?.type === 'Call' && a0.name === 'distinct') {
    const v = a0.args[0];
    if (v?.type !== 'VarRef') throw planErr('expected field argument in distinct()');
    const r = resolveRef(m, v.name, v.dataType);
    if (r?.kind !== 'field') return null;
    return { sql: `nullif(count(DISTINCT ${qi(v.name)}), 0)`, type: 'integer', time: null, zeroFill: true };
  }
  if (a0?.type !== 'VarRef') throw planErr(`expected field argument in ${e.name}()`);
  const r = resolveRef(m, a0.name, a0.dataType);
  if (r?.kind !== 'field') return null;
  const x = qi(a0.name);
  const ft = r.type;
  const nn = `FILTER (WHERE ${x} IS NOT NULL)`;
  const numeric = isNumeric(ft);
  const needNumeric = (): void => {
    if (!numeric) throw planErr(`unsupported ${e.name}() argument type: ${ft}`);
  };
  switch (e.name) {
    case 'count':
      arity([1]);
      // No points of this field in the window: null (fill(null) makes it 0 below, fill(none) keeps null).
      return { sql: `nullif(count(${x}), 0)`, type: 'integer', time: null, zeroFill: true };
    case 'sum':
      arity([1]);
      needNumeric();
      return { sql: ft === 'float' ? `sum(${x})` : `CAST(sum(${x}) AS ${sqlTypeOf(ft)})`, type: ft, time: null };
    case 'mean':
      arity([1]);
      needNumeric();
      // sum/count is one correctly rounded division, as 1.x's mean (DuckDB's avg can differ in the last bit).
      return { sql: `(CAST(sum(${x}) AS DOUBLE) / count(${x}))`, type: 'float', time: null };
    case 'median':
      arity([1]);
      needNumeric();
      return { sql: `median(CAST(${x} AS DOUBLE))`, type: 'float', time: null };
    case 'mode':
      arity([1]);
      return {
        // Most frequent value; ties go to the smallest (1.x sorts before counting).
        sql:
          `list_sort(list_transform(map_entries(histogram(${x}) ${nn}), e -> struct_pack(c := ` +
          `-CAST(e.value AS BIGINT), v := e.key)))[1].v`,
        type: ft,
        time: null,
      };
    case 'spread':
      arity([1]);
      needNumeric();
      return { sql: `(max(${x}) - min(${x}))`, type: ft, time: null };
    case 'stddev':
      arity([1]);
      needNumeric();
      return { sql: `stddev_samp(${x})`, type: 'float', time: null };
    case 'min':
      arity([1]);
      return {
        sql: `min(${x})`,
        type: ft,
        time: `arg_min("time", struct_pack(v := ${x}, t := "time")) ${nn}`,
        aux: (c) => `arg_min_null(${c}, struct_pack(v := ${x}, t := "time")) ${nn}`,
      };
    case 'max':
      arity([1]);
      return {
        sql: `max(${x})`,
        type: ft,
        time: `arg_max("time", struct_pack(v := ${x}, t := -"time")) ${nn}`,
        aux: (c) => `arg_max_null(${c}, struct_pack(v := ${x}, t := -"time")) ${nn}`,
      };
    case 'first':
      arity([1]);
      return {
        // Equal times: the greater value wins (1.x's First reducer).
        // Within one series times are unique, so the plain (faster) form gives the same point.
        sql: oneSeries ? `arg_min(${x}, "time") ${nn}` : `arg_max(${x}, struct_pack(t := -"time", v := ${x})) ${nn}`,
        type: ft,
        time: `min("time") ${nn}`,
        aux: (c) => `arg_max_null(${c}, struct_pack(t := -"time", v := ${x})) ${nn}`,
      };
    case 'last':
      arity([1]);
      return {
        sql: oneSeries ? `arg_max(${x}, "time") ${nn}` : `arg_max(${x}, struct_pack(t := "time", v := ${x})) ${nn}`,
        type: ft,
        time: `max("time") ${nn}`,
        aux: (c) => `arg_max_null(${c}, struct_pack(t := "time", v := ${x})) ${nn}`,
      };
    case 'percentile': {
      arity([2]);
      needNumeric();
      const p = e.args[1];
      if (p?.type !== 'IntegerLiteral' && p?.type !== 'NumberLiteral')
        throw planErr('expected float argument in percentile()');
      const pv = Number(p.value);
      const list = `list_sort(list(struct_pack(v := ${x}, t := "time")) ${nn})`;
      const idx = `CAST(floor(count(${x}) * ${pv} / 100.0 + 0.5) AS BIGINT)`;
      const pick = (f: string): string =>
        `CASE WHEN ${idx} >= 1 AND ${idx} <= count(${x}) THEN (${list})[${idx}].${f} END`;
      const auxList = (c: string): string => `list_sort(list(struct_pack(v := ${x}, t := "time", a := ${c})) ${nn})`;
      return {
        sql: pick('v'),
        type: ft,
        time: pick('t'),
        mayVanish: true,
        aux: (c) => `CASE WHEN ${idx} >= 1 AND ${idx} <= count(${x}) THEN (${auxList(c)})[${idx}].a END`,
      };
    }
    case 'integral': {
      arity([1, 2]);
      needNumeric();
      const unit = durationArg(e.args[1], 1_000_000_000n, 'integral');
      return { sql: `count(${x})`, type: 'float', time: null, integral: { field: a0.name, unit } };
    }
    case 'distinct':
      throw planErr('aggregate function distinct() cannot be combined with other functions or fields');
    case 'top':
    case 'bottom':
      throw notImpl(`${e.name}() in this sandbox`);
    default:
      throw planErr(`invalid function: ${e.name}`);
  }
}

/**
 * integral(): the trapezium rule over consecutive points of a series, a segment that crosses the end
 * of its window split there with a linearly interpolated value (1.x's `FloatIntegralReducer`).
 */
function integralSql(
  field: string,
  unit: bigint,
  g: Grouping,
  m: MeasurementSchema,
  ctx: PlanCtx,
  i: number,
  cond: string | null,
): string {
  const gs = G(g);
  const part = gs.length > 0 ? `PARTITION BY ${gs.join(', ')} ` : '';
  const x = qi(field);
  const points =
    `SELECT ${[...gSelect(g, m), '"time" AS t', `CAST(${x} AS DOUBLE) AS v`].join(', ')} ` +
    `FROM ${fromSql(ctx, m)} WHERE ${x} IS NOT NULL${cond ? ` AND ${cond}` : ''}`;
  const pairs = `SELECT *, lag(t) OVER (${part}ORDER BY t) AS pt, lag(v) OVER (${part}ORDER BY t) AS pv FROM (${points})`;
  const u = `${unit}.0`;
  const gsel = gs.length > 0 ? `${gs.join(', ')}, ` : '';
  let contributions: string;
  if (g.interval === null) {
    const t0 = String(ctx.range.min ?? 0n);
    contributions =
      `SELECT ${gsel}CAST(${t0} AS BIGINT) AS __t, 0.5 * (v + pv) * (t - pt) / ${u} AS a FROM ` +
      `__ip${i} WHERE pt IS NOT NULL AND pt <> t`;
  } else {
    const d = g.interval;
    const b = (c: string): string => windowStart(g, c) as string;
    const e = `(${b('pt')} + ${d})`;
    const vi = `(((v - pv) / CAST(t - pt AS DOUBLE)) * CAST(${e} - pt AS DOUBLE) + pv)`;
    contributions =
      `SELECT ${gsel}${b('pt')} AS __t, CASE WHEN t >= ${e} THEN 0.5 * (${vi} + pv) * (${e} - pt) / ${u} ` +
      `ELSE 0.5 * (v + pv) * (t - pt) / ${u} END AS a FROM __ip${i} WHERE pt IS NOT NULL AND pt <> t
      UNION ALL SELECT ${gsel}${b('t')} AS __t, 0.5 * (v + ${vi}) * (t - ${e}) / ${u} AS a FROM __ip${i} WHERE pt IS NOT NULL AND t > ${e}`;
  }
  return `__ip${i} AS (${pairs}), __is${i} AS (SELECT ${gsel}__t, sum(a) AS __v FROM (${contributions}) GROUP BY ${gsel}__t)`;
}

/**
 * top()/bottom(): the N greatest (least) points per window and series, each at its own time, in time
 * order; `top(f, tag, N)` first keeps the best point per tag value and adds the tag as a column.
 */
function topPlan(
  ctx: PlanCtx,
  m: MeasurementSchema,
  fields: readonly OutField[],
  top: OutField & { expr: Call },
): string | null {
  const { g, stmt } = ctx;
  const call = top.expr;
  const args = call.args;
  const a0 = args[0];
  const nArg = args[args.length - 1];
  if (args.length < 2 || a0?.type !== 'VarRef' || nArg?.type !== 'IntegerLiteral')
    throw planErr(`invalid number of arguments for ${call.name}, expected at least 2, got ${args.length}`);
  const r = resolveRef(m, a0.name, a0.dataType);
  if (r?.kind !== 'field') return null;
  if (!isNumeric(r.type)) throw planErr(`unsupported ${call.name}() argument type: ${r.type}`);
  const n = Number(nArg.value);
  const tagArgs = args.slice(1, -1).map((a) => {
    if (a.type !== 'VarRef') throw planErr(`only fields or tags are allowed in ${call.name}(), found ${a.type}`);
    return a.name;
  });
  const x = qi(a0.name);
  const dir = call.name === 'top' ? 'DESC' : 'ASC';
  const gs = G(g);
  const where = [`${x} IS NOT NULL`];
  if (stmt.condition) where.push(whereSql(ctx, m));
  const bucket = windowStart(g) ?? '0';
  const col = (name: string): string => (resolveRef(m, name, null) ? qi(name) : 'NULL');
  // Output columns: the value, then the tag arguments, then the other (auxiliary) fields.
  const outCols = fields.map((f, i) => {
    if (f === top) return `${x} AS __p${i}`;
    if (f.expr.type === 'VarRef') return `${col(f.expr.name)} AS __p${i}`;
    throw planErr(`${call.name}() can only be combined with fields and tags`);
  });
  const part = [...gs, '__b'];
  const byTag = tagArgs.length > 0 ? `, ${tagArgs.map(col).join(', ')}` : '';
  const points = `SELECT ${[...gSelect(g, m), `${bucket} AS __b`, '"time" AS __t', ...outCols].join(', ')}${
    tagArgs.length > 0
      ? `, row_number() OVER (PARTITION BY ${[...gs, `${bucket}`].join(', ')}${byTag} ORDER BY ${x} ${dir}, "time") AS __tagrank`
      : ''
  } FROM ${fromSql(ctx, m)} WHERE ${where.join(' AND ')}`;
  const best = tagArgs.length > 0 ? `SELECT * FROM (${points}) WHERE __tagrank = 1` : points;
  const vi = fields.indexOf(top);
  const ranked = `SELECT *, row_number() OVER (PARTITION BY ${part.join(', ')} ORDER BY __p${vi} ${dir}, __t) AS __rank FROM (${best})`;
  const base = `SELECT ${[...gs, '__t', ...P(fields.length)].join(', ')} FROM (${ranked}) WHERE __rank <= ${n}`;
  return finish(ctx, base, fields, '1000000000', false);
}

/** distinct(): one row per distinct value and bucket, in order of first appearance. */
function distinctPlan(ctx: PlanCtx, m: MeasurementSchema, fields: readonly OutField[], call: Call): string | null {
  const { g, stmt, range } = ctx;
  const a0 = call.args[0];
  if (call.args.length !== 1) throw planErr(`distinct function requires exactly one argument`);
  if (a0?.type !== 'VarRef') throw planErr('expected field argument in distinct()');
  const r = resolveRef(m, a0.name, a0.dataType);
  if (r?.kind !== 'field') return null;
  const x = qi(a0.name);
  const where = [`${x} IS NOT NULL`];
  if (stmt.condition) where.push(whereSql(ctx, m));
  const gs = G(g);
  const bucket = windowStart(g) ?? `CAST(${String(range.min ?? 0n)} AS BIGINT)`;
  const base = `SELECT ${[...gs, '__t', '__p0'].join(', ')} FROM (SELECT ${[
    ...gSelect(g, m),
    `${bucket} AS __t`,
    `${x} AS __p0`,
    'min("time") AS __first',
  ].join(', ')} FROM ${fromSql(ctx, m)} WHERE ${where.join(' AND ')} GROUP BY ${[...gs, '__t', '__p0'].join(
    ', ',
  )}) ORDER BY ${[...gs, '__t', '__first'].join(', ')}`;
  return finish(ctx, base, fields, '1000000000', false);
}

/** Aggregate rows: `__g*, __t, __p*` with `__t` the bucket (or the statement's time), gaps filled. */
function aggregatePlan(ctx: PlanCtx, m: MeasurementSchema, fields: readonly OutField[]): string | null {
  const { g, stmt, range } = ctx;
  const only = fields.length === 1 ? fields[0]?.expr : undefined;
  if (only?.type === 'Call' && only.name === 'distinct') return distinctPlan(ctx, m, fields, only);
  const topCall = fields.find(
    (f): f is OutField & { expr: Call } =>
      f.expr.type === 'Call' && (f.expr.name === 'top' || f.expr.name === 'bottom'),
  );
  if (topCall) return topPlan(ctx, m, fields, topCall);
  const slots: Slot[] = [];
  const compileAgg = (e: Expr): string => {
    switch (e.type) {
      case 'Call': {
        if (AGG_OR_SEL.has(e.name)) {
          const slot = aggregateSlot(
            e,
            m,
            m.tags.every((t) => g.tags.includes(t)),
          );
          if (slot === null) return 'NULL';
          slots.push(slot);
          return `__a${slots.length - 1}`;
        }
        if (TRANSFORMS.has(e.name)) throw planErr(`${e.name} must be the outermost function`);
        return mathCall(e, compileAgg);
      }
      case 'BinaryExpr':
        return arith(e.op, compileAgg(e.lhs), compileAgg(e.rhs));
      case 'ParenExpr':
        return `(${compileAgg(e.expr)})`;
      case 'NumberLiteral':
        return Number.isInteger(e.value) ? `${e.value}.0` : String(e.value);
      case 'IntegerLiteral':
      case 'UnsignedLiteral':
        return e.value;
      default:
        throw planErr('unsupported expression in an aggregate query');
    }
  };
  // Calls first, so the selector's slot exists when its auxiliary fields are compiled.
  const pre: string[] = new Array<string>(fields.length);
  fields.forEach((f, i) => {
    const t = asTransform(f.expr);
    if (!(f.expr.type === 'VarRef')) pre[i] = compileAgg(t ? t.inner : f.expr);
  });
  const selector = slots.find((s) => s.aux !== undefined);
  fields.forEach((f, i) => {
    const e = f.expr;
    if (e.type !== 'VarRef') return;
    const r = resolveRef(m, e.name, e.dataType);
    if (!selector?.aux || r === null) {
      pre[i] = 'NULL';
      return;
    }
    slots.push({
      sql: selector.aux(qi(e.name)),
      type: r.kind === 'tag' ? 'string' : r.type,
      time: null,
      auxOnly: true,
      mayVanish: true,
    });
    pre[i] = `__a${slots.length - 1}`;
  });
  if (slots.every((s) => s.auxOnly)) return null;
  const refs = new Set<string>();
  for (const f of fields) fieldRefs(f.expr, m, refs);
  const where = [`(${[...refs].map((r) => `${qi(r)} IS NOT NULL`).join(' OR ')})`];
  if (stmt.condition) where.push(whereSql(ctx, m));
  const gs = G(g);
  let bucket = windowStart(g);
  if (bucket === null) {
    const own = slots.filter((s) => !s.auxOnly);
    const single = own.length === 1 && (own[0]?.time ?? null) !== null;
    bucket = `CAST(${single ? '0' : String(range.min ?? 0n)} AS BIGINT)`;
  }
  const ownSlots = slots.filter((s) => !s.auxOnly);
  const singleSelectorTime = g.interval === null && ownSlots.length === 1 && (ownSlots[0]?.time ?? null) !== null;
  const aggCols = slots.map((s, i) => `${s.sql} AS __a${i}`);
  if (singleSelectorTime) aggCols.push(`${ownSlots[0]?.time} AS __st`);
  const agg0 =
    `SELECT ${[...gSelect(g, m), `${bucket} AS __t`, ...aggCols].join(', ')} ` +
    `FROM ${fromSql(ctx, m)} WHERE ${where.join(' AND ')} GROUP ` +
    `BY ${[...gs, '__t'].join(', ') || '__t'}`;
  const integrals = slots
    .map((s, i) => ({ s, i }))
    .filter((x): x is { s: Slot & { integral: { field: string; unit: bigint } }; i: number } => !!x.s.integral);
  let agg = agg0;
  if (integrals.length > 0) {
    const ctes = integrals.map(({ s, i }) =>
      integralSql(s.integral.field, s.integral.unit, g, m, ctx, i, stmt.condition ? whereSql(ctx, m) : null),
    );
    const using = `USING (${[...gs, '__t'].join(', ')})`;
    agg = `WITH __agg0 AS (${agg0}), ${ctes.join(', ')} SELECT __agg0.* REPLACE (${integrals
      .map(({ i }) => `CASE WHEN __agg0.__a${i} > 0 THEN COALESCE(__is${i}.__v, 0.0) END AS __a${i}`)
      .join(', ')}) FROM __agg0 ${integrals.map(({ i }) => `LEFT JOIN __is${i} ${using}`).join(' ')}`;
  }
  // A window whose functions all give nothing (percentile of too few points) is not a point (1.x).
  if (slots.every((s) => s.mayVanish))
    agg = `SELECT * FROM (${agg}) WHERE ${slots.map((_, i) => `__a${i} IS NOT NULL`).join(' OR ')}`;
  const fill = stmt.fill?.option ?? 'null';
  const A = slots.map((_, i) => `__a${i}`);
  let filled: string;
  if (g.interval === null) {
    const cols = slots.map((s, i) => (s.zeroFill ? `COALESCE(__a${i}, 0) AS __a${i}` : `__a${i}`));
    filled = `SELECT ${[...gs, singleSelectorTime ? '__st AS __t' : '__t', ...cols].join(', ')} FROM __agg`;
  } else if (fill === 'none') {
    filled = `SELECT ${[...gs, '__t', ...A].join(', ')} FROM __agg`;
  } else {
    const d = g.interval;
    const o = ((g.offset % d) + d) % d;
    const floorB = (t: bigint): bigint => t - ((((t - o) % d) + d) % d);
    const lo =
      range.min !== null && range.min > MIN_TIME ? floorB(range.min).toString() : '(SELECT min(__t) FROM __agg)';
    const hiT = range.max !== null && range.max < MAX_TIME ? range.max : ctx.now - 1n;
    const hi = floorB(hiT).toString();
    const grid = `SELECT ${gs.length > 0 ? `${gs.join(', ')}, ` : ''}unnest(range(${lo}, ${hi} + 1, ${d})) AS __t FROM (SELECT DISTINCT ${
      gs.length > 0 ? gs.join(', ') : '1 AS __one'
    } FROM __agg)`;
    const part = gs.length > 0 ? `PARTITION BY ${gs.join(', ')} ` : '';
    const cols = slots.map((s, i) => {
      const a = `__a${i}`;
      switch (fill) {
        case 'null':
          return s.zeroFill ? `COALESCE(${a}, 0)` : a;
        case 'number': {
          const v = stmt.fill?.value ?? 0;
          // The fill value takes the column's type (1.x casts it: fill(-1.5) on integers gives -1).
          const lit =
            s.type === 'integer' || s.type === 'uinteger'
              ? `CAST(${Math.trunc(v)} AS BIGINT)`
              : s.type === 'float'
                ? `CAST(${v} AS DOUBLE)`
                : 'NULL';
          return `COALESCE(${a}, ${lit})`;
        }
        case 'previous':
          // "Previous" in output order: under ORDER BY time DESC 1.x carries the later window's value back.
          return (
            `COALESCE(${a}, last_value(${a} IGNORE NULLS) OVER (${part}ORDER BY ` +
            `__t ${ctx.desc ? 'DESC' : 'ASC'} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))`
          );
        case 'linear': {
          if (s.type !== 'float' && s.type !== 'integer' && s.type !== 'uinteger') return a;
          const pv = `last_value(${a} IGNORE NULLS) OVER (${part}ORDER BY __t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
          const pt =
            `last_value(CASE WHEN ${a} IS NOT NULL THEN __t END IGNORE NULLS) OVER (${part}ORDER BY ` +
            `__t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
          const nv = `first_value(${a} IGNORE NULLS) OVER (${part}ORDER BY __t ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)`;
          const nt =
            `first_value(CASE WHEN ${a} IS NOT NULL THEN __t END IGNORE NULLS) OVER (${part}ORDER BY ` +
            `__t ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)`;
          // 1.x's linearFloat/linearInteger: slope times elapsed plus the previous value, in float; an
          // integer column truncates the result.
          const lin = `((CAST(${nv} AS DOUBLE) - ${pv}) / CAST(${nt} - ${pt} AS DOUBLE)) * CAST(__t - ${pt} AS DOUBLE) + ${pv}`;
          const interp = s.type === 'float' ? lin : `CAST(trunc(${lin}) AS BIGINT)`;
          return `COALESCE(${a}, ${interp})`;
        }
        default:
          return a;
      }
    });
    filled = `SELECT ${[...gs, '__t', ...cols.map((c, i) => `${c} AS __a${i}`)].join(', ')} FROM (${grid}) __grid LEFT JOIN __agg USING (${[
      ...gs,
      '__t',
    ].join(', ')})`;
  }
  const base = `WITH __agg AS (${agg}), __filled AS (${filled}) SELECT ${[
    ...gs,
    '__t',
    ...pre.map((p, i) => `${p} AS __p${i}`),
  ].join(', ')} FROM __filled`;
  const unit = g.interval !== null ? g.interval.toString() : '1000000000';
  return finish(ctx, `SELECT * FROM (${base})`, fields, unit, false);
}
