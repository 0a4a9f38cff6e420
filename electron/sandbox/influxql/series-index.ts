/**
 * Answers from the series index (store.ts `seriesSpans`: each stored series with its oldest and newest
 * time) instead of rows, as influxd answers from its own index: which series of a measurement match a
 * condition made of time bounds and tag comparisons. Anything else (fields, OR over time, a series
 * whose span straddles the bounds) returns null and the caller reads rows as before.
 */
import type { Expr } from '../../../shared/influxql';
import type { SeriesSpans } from '../store';
import type { DatabaseSchema, MeasurementSchema, SandboxQueryContext } from './context';
import { qs, resolveRef } from './sql';
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
  let p = pattern;
  let flags = 'u';
  const m = /^\(\?([is]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    if (m[1]!.includes('i')) flags += 'i';
    if (m[1]!.includes('s')) flags += 's';
  }
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
  const lhs = unparen(x.lhs);
  const rhs = unparen(x.rhs);
  const ref = lhs.type === 'VarRef' ? lhs : rhs.type === 'VarRef' ? rhs : null;
  const other = ref === lhs ? rhs : lhs;
  if (!ref || isTimeRef(ref) || resolveRef(m, ref.name, ref.dataType)?.kind !== 'tag') return null;
  const name = ref.name;
  // Absent tags compare as '' (sql.ts compiles tag references in conditions as COALESCE(tag, '')).
  if ((x.op === '=~' || x.op === '!~') && other.type === 'RegexLiteral') {
    const re = sameRegex(other.pattern);
    if (!re) return null;
    return x.op === '=~' ? (t) => re.test(t.get(name) ?? '') : (t) => !re.test(t.get(name) ?? '');
  }
  if ((x.op === '=' || x.op === '!=') && other.type === 'StringLiteral') {
    const v = other.value;
    return x.op === '=' ? (t) => (t.get(name) ?? '') === v : (t) => (t.get(name) ?? '') !== v;
  }
  return null;
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
  if (!ctx.seriesSpans) return null;
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
  const spans = await ctx.seriesSpans(db.name, m.name);
  if (!spans) return null;
  const out: string[] = [];
  const inRange = (t: bigint): boolean => (lo === null || t >= lo) && (hi === null || t <= hi);
  for (const [key, max] of spans.max) {
    const min = spans.min.get(key);
    if (min === undefined) return null;
    if ((lo !== null && max < lo) || (hi !== null && min > hi)) continue;
    // Its oldest or newest point is in range: it has one. Otherwise only its rows can tell.
    if (!inRange(max) && !inRange(min)) return null;
    if (tests.length > 0) {
      const tags = seriesTags(key);
      if (!tests.every((t) => t(tags))) continue;
    }
    out.push(key);
  }
  return out;
}

/** Series lists longer than this stay row conditions (a huge IN list costs more than it saves). */
const MAX_IN_LIST = 5_000;

/**
 * Splits a SELECT condition into its tag comparisons, judged per series from the index and given as
 * one `_series IN (…)` term, and the other top-level AND terms (`rest`, compiled as before); null when
 * no term is a tag comparison or the list would be too long.
 */
export function seriesCondition(
  cond: Expr,
  m: MeasurementSchema,
  spans: SeriesSpans,
): { sql: string; rest: Expr[] } | null {
  const tests: TagTest[] = [];
  const rest: Expr[] = [];
  for (const x of andTerms(cond)) {
    const t = timeOrTag(x, m);
    if (t) tests.push(t);
    else rest.push(x);
  }
  if (tests.length === 0) return null;
  const keys: string[] = [];
  for (const key of spans.max.keys()) {
    const tags = seriesTags(key);
    if (tests.every((t) => t(tags))) keys.push(key);
  }
  if (keys.length === spans.max.size) return { sql: 'TRUE', rest };
  if (keys.length === 0) return { sql: 'FALSE', rest };
  if (keys.length > MAX_IN_LIST) return null;
  return { sql: `"_series" IN (${keys.map(qs).join(', ')})`, rest };
}

/** A tag-only term's test; time comparisons and anything else stay in SQL. */
const timeOrTag = (x: Expr, m: MeasurementSchema): TagTest | null => (hasTime(x) ? null : tagTest(x, m));

const hasTime = (e: Expr): boolean => {
  const x = unparen(e);
  if (x.type === 'VarRef') return isTimeRef(x);
  if (x.type === 'BinaryExpr') return hasTime(x.lhs) || hasTime(x.rhs);
  return false;
};
