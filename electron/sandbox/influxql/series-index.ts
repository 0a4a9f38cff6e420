/**
 * Answers from the series index (store.ts `seriesSpans`: each stored series with its oldest and newest
 * time) instead of rows, as influxd answers from its own index: which series of a measurement match a
 * condition made of time bounds and tag comparisons. Anything else (fields, OR over time, a series
 * whose span straddles the bounds) returns null and the caller reads rows as before.
 */
import type { Expr } from '../../../shared/influxql';
import type { SeriesSpans } from '../store';
import type { DatabaseSchema, MeasurementSchema, SandboxQueryContext } from './context';
import { liftFlags } from './regex-flags';
import { qi, qs, resolveRef } from './sql';
import { andTerms, isTimeRef, timeComparison, timeRange, unparen } from './time';

const DAY_NS = 86_400_000_000_000n;

/** Parsed canonical series keys (`k=v,…`, `\ , = space` escaped); bounded, cleared when full. */
const parsedKeys = new Map<string, Map<string, string>>();
const PARSED_MAX = 200_000;

/** The tags of a canonical series key (write-path.ts `seriesKey`). */
export function seriesTags(key: string): Map<string, string> {
  let tags = parsedKeys.get(key);
  if (tags) return tags;
  tags = new Map();
  let k = '';
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    if (c === '\\' && i + 1 < key.length) cur += key[++i];
    else if (c === '=' && k === '' && cur !== '') {
      k = cur;
      cur = '';
    } else if (c === ',') {
      tags.set(k, cur);
      k = '';
      cur = '';
    } else cur += c;
  }
  if (k !== '') tags.set(k, cur);
  if (parsedKeys.size >= PARSED_MAX) parsedKeys.clear();
  parsedKeys.set(key, tags);
  return tags;
}

/**
 * A tag regex as a JS RegExp when JS and RE2 (DuckDB's regexp_matches, which the row path uses) agree
 * on it: no group flags or named groups, no POSIX classes, only escapes both read alike (`\s` differs).
 */
export function sameRegex(pattern: string): RegExp | null {
  const { body: p, flags: f } = liftFlags(pattern);
  if (f.m || f.U) return null;
  const flags = 'u' + (f.i ? 'i' : '') + (f.s ? 's' : '');
  if (p.includes('(?') || p.includes('[:')) return null;
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== '\\') continue;
    if (!'.\\-/^$*+?()[]{}|dDwWbB'.includes(p[i + 1] ?? 'x')) return null;
    i++;
  }
  try {
    return new RegExp(p, flags);
  } catch {
    return null;
  }
}

type TagTest = (tags: Map<string, string>) => boolean;

/** A comparison of one tag with a literal (`=`, `!=`, `=~`, `!~`) as a test of the tag's value, or null. */
function tagComparison(
  x: Expr,
  m: MeasurementSchema,
): { name: string; op: string; literal: string; test: (value: string) => boolean } | null {
  if (x.type !== 'BinaryExpr') return null;
  const lhs = unparen(x.lhs);
  const rhs = unparen(x.rhs);
  const ref = lhs.type === 'VarRef' ? lhs : rhs.type === 'VarRef' ? rhs : null;
  const other = ref === lhs ? rhs : lhs;
  if (!ref || isTimeRef(ref) || resolveRef(m, ref.name, ref.dataType)?.kind !== 'tag') return null;
  const name = ref.name;
  if ((x.op === '=~' || x.op === '!~') && other.type === 'RegexLiteral') {
    const re = sameRegex(other.pattern);
    if (!re) return null;
    const test = x.op === '=~' ? (v: string) => re.test(v) : (v: string) => !re.test(v);
    return { name, op: x.op, literal: other.pattern, test };
  }
  if ((x.op === '=' || x.op === '!=') && other.type === 'StringLiteral') {
    const lit = other.value;
    const test = x.op === '=' ? (v: string) => v === lit : (v: string) => v !== lit;
    return { name, op: x.op, literal: lit, test };
  }
  return null;
}

/** A tag-only predicate as a JS test, or null when it involves anything else. */
function tagTest(e: Expr, m: MeasurementSchema): TagTest | null {
  const x = unparen(e);
  if (x.type !== 'BinaryExpr') return null;
  if (x.op === 'AND' || x.op === 'OR') {
    const l = tagTest(x.lhs, m);
    const r = tagTest(x.rhs, m);
    if (!l || !r) return null;
    return x.op === 'AND' ? (t) => l(t) && r(t) : (t) => l(t) || r(t);
  }
  const c = tagComparison(x, m);
  if (!c) return null;
  // Absent tags compare as '' (sql.ts compiles tag references in conditions as COALESCE(tag, '')).
  return (t) => c.test(t.get(c.name) ?? '');
}

/** What an index answer needs from a SHOW condition: tag tests and inclusive time bounds, or null. */
interface IndexQuery {
  tests: TagTest[];
  lo: bigint | null;
  hi: bigint | null;
}

function indexQuery(cond: Expr | null, m: MeasurementSchema, ctx: SandboxQueryContext): IndexQuery | null {
  const now = ctx.now();
  let timed = false;
  const tests: TagTest[] = [];
  for (const x of cond ? andTerms(cond) : []) {
    const tc = timeComparison(x, now);
    if (tc) {
      if (tc.op === '!=') return null;
      timed = true;
      continue;
    }
    const t = tagTest(x, m);
    if (!t) return null;
    tests.push(t);
  }
  const r = timeRange(cond, now);
  const lo = timed ? r.min : now - (ctx.metadataCutoffNs ?? DAY_NS);
  const hi = timed ? r.max : null;
  return { tests, lo, hi };
}

/**
 * The indexes (into the series table) of the series with a point in the bounds that pass the tests, or
 * null when a span straddles a bound.
 */
function seriesIn(table: SeriesTable, { tests, lo, hi }: IndexQuery): number[] | null {
  if (!table.complete) return null;
  const out: number[] = [];
  const { keys, min, max } = table;
  for (let i = 0; i < keys.length; i++) {
    const a = min[i]!;
    const b = max[i]!;
    if ((lo !== null && b < lo) || (hi !== null && a > hi)) continue;
    // Its oldest or newest point is in range: it has one. Otherwise only its rows can tell.
    const maxIn = (lo === null || b >= lo) && (hi === null || b <= hi);
    if (!maxIn && !((lo === null || a >= lo) && (hi === null || a <= hi))) return null;
    if (tests.length > 0) {
      const tags = seriesTags(keys[i]!);
      if (!tests.every((t) => t(tags))) continue;
    }
    out.push(i);
  }
  return out;
}

/**
 * The series of `m` with a point that satisfies `cond` (plus the SHOW metadata lookback when the
 * condition has no time bound), or null when the index cannot tell.
 */
export async function indexedSeries(
  cond: Expr | null,
  m: MeasurementSchema,
  db: DatabaseSchema,
  ctx: SandboxQueryContext,
): Promise<string[] | null> {
  const found = await indexFor(cond, m, db, ctx);
  if (!found) return null;
  const { q, table } = found;
  return seriesIn(table, q)?.map((i) => table.keys[i]!) ?? null;
}

/** The condition as an index query and the measurement's series table, or null when there is no index. */
async function indexFor(
  cond: Expr | null,
  m: MeasurementSchema,
  db: DatabaseSchema,
  ctx: SandboxQueryContext,
): Promise<{ q: IndexQuery; table: SeriesTable } | null> {
  if (!ctx.seriesSpans) return null;
  const q = indexQuery(cond, m, ctx);
  if (!q) return null;
  const spans = await ctx.seriesSpans(db.name, m.name);
  return spans ? { q, table: seriesTable(spans) } : null;
}

/**
 * SHOW TAG VALUES from the index: the values of each of `keys` among the series that satisfy `cond`
 * (in UTF-8 byte order; do not modify them), or null when the index cannot tell. When the bounds hold
 * every stored time and there is no tag test, every series matches: the answer is the cached values.
 */
export async function indexedTagValues(
  cond: Expr | null,
  m: MeasurementSchema,
  db: DatabaseSchema,
  ctx: SandboxQueryContext,
  keys: readonly string[],
): Promise<Map<string, readonly string[]> | null> {
  const found = await indexFor(cond, m, db, ctx);
  if (!found) return null;
  const { q, table } = found;
  if (table.keys.length === 0) return new Map();
  const extent = table.extent;
  if (q.tests.length === 0 && extent && (q.lo === null || extent.min >= q.lo) && (q.hi === null || extent.max <= q.hi))
    return new Map(keys.map((k) => [k, table.values.get(k) ?? []]));
  // Answers without tag tests depend only on the bounds and keys: kept with this version of the index.
  const memoKey = q.tests.length === 0 ? `${q.lo}|${q.hi}|${keys.join('\u0000')}` : null;
  const memo = memoKey !== null ? table.answers.get(memoKey) : undefined;
  if (memo !== undefined) return memo;
  const series = seriesIn(table, q);
  if (!series) return null;
  const answer = new Map(
    keys.map((k) => {
      const column = table.columns.get(k);
      const seen = new Set<string>();
      if (column) {
        for (const i of series) {
          const v = column[i];
          if (v !== undefined) seen.add(v);
        }
      }
      return [k, utf8Sort([...seen])] as const;
    }),
  );
  if (memoKey !== null) {
    if (table.answers.size >= MAX_ANSWERS) table.answers.clear();
    table.answers.set(memoKey, answer);
  }
  return answer;
}

/** SHOW TAG VALUES answers kept per version of a table's index (a few bounds and key lists). */
const MAX_ANSWERS = 32;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Strings in the order of their UTF-8 bytes, as DuckDB orders VARCHAR. JS compares UTF-16 code units,
 * which is the same order unless a string holds a surrogate pair (a code point above U+FFFF).
 */
export function utf8Sort(xs: string[]): string[] {
  if (!xs.some((x) => SURROGATE.test(x))) return xs.sort();
  return xs
    .map((x) => ({ x, b: Buffer.from(x) }))
    .sort((a, b) => Buffer.compare(a.b, b.b))
    .map(({ x }) => x);
}

/** What queries derive from a table's series index, built once per version of it. */
interface SeriesTable {
  version: number | undefined;
  keys: string[];
  /** each series' oldest and newest time, by index into keys */
  min: BigInt64Array;
  max: BigInt64Array;
  /** false when a series lacks its oldest time (then only rows can tell) */
  complete: boolean;
  /** the oldest and newest stored time, or null when there is no series (or not complete) */
  extent: { min: bigint; max: bigint } | null;
  /** each tag's distinct values, in UTF-8 byte order */
  values: Map<string, string[]>;
  /** each tag's value per series (undefined: the series lacks the tag) */
  columns: Map<string, (string | undefined)[]>;
  /** SHOW TAG VALUES answers without tag tests, by bounds and keys (indexedTagValues) */
  answers: Map<string, Map<string, readonly string[]>>;
}

/**
 * Cached per index map (a rebuild makes new maps) and version (store.ts bumps it when the maps change
 * in place); an index without a version is read afresh every time.
 */
const tableCache = new WeakMap<ReadonlyMap<string, bigint>, SeriesTable>();

function seriesTable(spans: SeriesSpans): SeriesTable {
  const cached = tableCache.get(spans.max);
  if (cached && spans.version !== undefined && cached.version === spans.version) return cached;
  const n = spans.max.size;
  const keys = new Array<string>(n);
  const min = new BigInt64Array(n);
  const max = new BigInt64Array(n);
  const columns = new Map<string, (string | undefined)[]>();
  const sets = new Map<string, Set<string>>();
  let complete = true;
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  let i = 0;
  for (const [key, b] of spans.max) {
    const a = spans.min.get(key);
    if (a === undefined) complete = false;
    keys[i] = key;
    min[i] = a ?? b;
    max[i] = b;
    if (a !== undefined && (lo === null || a < lo)) lo = a;
    if (hi === null || b > hi) hi = b;
    for (const [k, v] of seriesTags(key)) {
      let column = columns.get(k);
      if (!column) {
        columns.set(k, (column = new Array<string | undefined>(n)));
        sets.set(k, new Set());
      }
      column[i] = v;
      sets.get(k)!.add(v);
    }
    i++;
  }
  const values = new Map<string, string[]>();
  for (const [k, set] of sets) values.set(k, utf8Sort([...set]));
  const extent = !complete || lo === null || hi === null ? null : { min: lo, max: hi };
  const table: SeriesTable = {
    version: spans.version,
    keys,
    min,
    max,
    complete,
    extent,
    values,
    columns,
    answers: new Map(),
  };
  if (spans.version !== undefined) tableCache.set(spans.max, table);
  return table;
}

/** Value lists longer than this stay row conditions (a huge list costs more than it saves). */
const MAX_VALUE_LIST = 1_000;

/**
 * A tag-only term (comparisons of tags with literals under AND/OR) as SQL on the tag columns, each
 * comparison judged once per distinct stored value: `=` stays an equality (DuckDB pushes it into the
 * scan); the others become `list_contains([matching values], COALESCE(tag, ''))`, which DuckDB evaluates
 * once per dictionary entry of the column, where `IN (…)` or `regexp_matches` run once per row.
 * Null when a part is not such a comparison or its list would be too long.
 */
function tagSql(e: Expr, m: MeasurementSchema, values: Map<string, string[]>): string | null {
  const x = unparen(e);
  if (x.type !== 'BinaryExpr') return null;
  if (x.op === 'AND' || x.op === 'OR') {
    const l = tagSql(x.lhs, m, values);
    const r = tagSql(x.rhs, m, values);
    if (l === null || r === null) return null;
    const absorbing = x.op === 'AND' ? 'FALSE' : 'TRUE';
    const neutral = x.op === 'AND' ? 'TRUE' : 'FALSE';
    if (l === absorbing || r === absorbing) return absorbing;
    if (l === neutral) return r;
    if (r === neutral) return l;
    return `(${l} ${x.op} ${r})`;
  }
  const c = tagComparison(x, m);
  if (!c) return null;
  if (c.op === '=' && c.literal !== '') return `(${qi(c.name)} = ${qs(c.literal)})`;
  // An absent tag reads as '' (sql.ts compiles tag references in conditions as COALESCE(tag, '')).
  const stored = values.get(c.name) ?? [];
  const candidates = stored.includes('') ? stored : ['', ...stored];
  const matched = candidates.filter(c.test);
  if (matched.length === 0) return 'FALSE';
  if (matched.length === candidates.length) return 'TRUE';
  if (matched.length > MAX_VALUE_LIST) return null;
  return `list_contains([${matched.map(qs).join(', ')}], COALESCE(${qi(c.name)}, ''))`;
}

/**
 * Splits a SELECT condition into its tag-only top-level AND terms, compiled from the index's distinct
 * tag values (tagSql), and the other terms (`rest`, compiled as before); a time bound that every stored
 * series' span already satisfies is dropped (it would filter no row; the statement's time range, which
 * sets windows and fill, still comes from the condition). Null when no term changes.
 */
export function seriesCondition(
  cond: Expr,
  m: MeasurementSchema,
  spans: SeriesSpans,
  now: bigint,
): { sql: string; rest: Expr[] } | null {
  const table = seriesTable(spans);
  const values = table.values;
  const sql: string[] = [];
  const rest: Expr[] = [];
  const terms = andTerms(cond);
  for (const x of terms) {
    if (hasTime(x)) {
      if (!table.extent || !holdsForAll(x, table.extent, now)) rest.push(x);
      continue;
    }
    const t = tagSql(x, m, values);
    if (t === null) rest.push(x);
    else if (t === 'FALSE') return { sql: 'FALSE', rest };
    else if (t !== 'TRUE') sql.push(t);
  }
  if (rest.length === terms.length) return null;
  return { sql: sql.length === 0 ? 'TRUE' : sql.join(' AND '), rest };
}

/** Whether a `time <op> value` term is true of every time in [min, max]. */
function holdsForAll(x: Expr, extent: { min: bigint; max: bigint }, now: bigint): boolean {
  let tc: { op: string; ns: bigint } | null;
  try {
    tc = timeComparison(x, now);
  } catch {
    return false; // compiled as before, which reports the error
  }
  if (!tc) return false;
  switch (tc.op) {
    case '>':
      return extent.min > tc.ns;
    case '>=':
      return extent.min >= tc.ns;
    case '<':
      return extent.max < tc.ns;
    case '<=':
      return extent.max <= tc.ns;
    default:
      return false;
  }
}

const hasTime = (e: Expr): boolean => {
  const x = unparen(e);
  if (x.type === 'VarRef') return isTimeRef(x);
  if (x.type === 'BinaryExpr') return hasTime(x.lhs) || hasTime(x.rhs);
  return false;
};
