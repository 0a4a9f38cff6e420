/**
 * Time literals in WHERE clauses (spec §10.2): RFC 3339 and `YYYY-MM-DD[ HH:MM:SS[.f]]` strings, ns
 * integers, durations (`1700000000s`), `now()` and `+`/`-` arithmetic between them, and the time range
 * a condition's top-level `AND` terms bound.
 */
import type { Expr } from '../../../shared/influxql';
import { StatementError } from './response';

export const MIN_TIME = -(1n << 63n) + 2n;
export const MAX_TIME = (1n << 63n) - 2n;

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses a time string to ns, or null. */
export function parseTimeString(s: string): bigint | null {
  const m = TIME_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0));
  if (Number.isNaN(ms)) return null;
  let ns = BigInt(ms) * 1_000_000n + BigInt((frac ?? '').padEnd(9, '0') || '0');
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const off = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000_000_000n;
    ns -= sign * off;
  }
  return ns;
}

/** Evaluates the value side of a `time` comparison, in ns. */
export function evalTime(e: Expr, now: bigint): bigint {
  switch (e.type) {
    case 'StringLiteral': {
      const t = parseTimeString(e.value);
      if (t === null) throw new StatementError(`datafusion error: Error during planning: invalid time: ${e.value}`);
      return t;
    }
    case 'IntegerLiteral':
    case 'UnsignedLiteral':
      return BigInt(e.value);
    case 'NumberLiteral':
      return BigInt(Math.trunc(e.value));
    case 'DurationLiteral':
      return BigInt(e.nanoseconds);
    case 'ParenExpr':
      return evalTime(e.expr, now);
    case 'Call':
      if (e.name === 'now' && e.args.length === 0) return now;
      break;
    case 'BinaryExpr':
      if (e.op === '+') return evalTime(e.lhs, now) + evalTime(e.rhs, now);
      if (e.op === '-') return evalTime(e.lhs, now) - evalTime(e.rhs, now);
      break;
    default:
      break;
  }
  throw new StatementError('datafusion error: Error during planning: invalid time comparison');
}

/** Inclusive bounds; null = unbounded on that side. */
export interface TimeRange {
  min: bigint | null;
  max: bigint | null;
}

export const isTimeRef = (e: Expr): boolean =>
  e.type === 'VarRef' && e.name.toLowerCase() === 'time' && e.segments.length === 1;

const COMPARE = new Set(['=', '!=', '<', '<=', '>', '>=']);
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };

/** A `time op value` comparison normalised with time on the left, or null. */
export function timeComparison(e: Expr, now: bigint): { op: string; ns: bigint } | null {
  if (e.type !== 'BinaryExpr' || !COMPARE.has(e.op)) return null;
  if (isTimeRef(e.lhs)) return { op: e.op, ns: evalTime(e.rhs, now) };
  if (isTimeRef(e.rhs)) return { op: FLIP[e.op] as string, ns: evalTime(e.lhs, now) };
  return null;
}

export const unparen = (e: Expr): Expr => (e.type === 'ParenExpr' ? unparen(e.expr) : e);

/** The condition's top-level AND terms, parentheses removed. */
export function andTerms(cond: Expr): Expr[] {
  const x = unparen(cond);
  return x.type === 'BinaryExpr' && x.op === 'AND' ? [...andTerms(x.lhs), ...andTerms(x.rhs)] : [x];
}

/** The time range bounded by the condition's top-level AND terms. */
export function timeRange(cond: Expr | null, now: bigint): TimeRange {
  const r: TimeRange = { min: null, max: null };
  const lower = (v: bigint): void => {
    r.min = r.min === null || v > r.min ? v : r.min;
  };
  const upper = (v: bigint): void => {
    r.max = r.max === null || v < r.max ? v : r.max;
  };
  for (const x of cond ? andTerms(cond) : []) {
    const c = timeComparison(x, now);
    if (!c) continue;
    if (c.op === '>') lower(c.ns + 1n);
    else if (c.op === '>=') lower(c.ns);
    else if (c.op === '<') upper(c.ns - 1n);
    else if (c.op === '<=') upper(c.ns);
    else if (c.op === '=') {
      lower(c.ns);
      upper(c.ns);
    }
  }
  return r;
}
