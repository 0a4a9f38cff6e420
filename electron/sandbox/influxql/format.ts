/**
 * How IOx's v1 query API writes times and values into JSON (spec §9.3, `iox_v1_query_api/src/value.rs`):
 * RFC 3339 with chrono's AutoSi fraction (0, 3, 6 or 9 digits), an offset under `tz()`, integer epochs,
 * floats with a zero fraction written as integers, NaN as null.
 */

/** The `epoch` values IOx accepts, in its serde order (for the error text). */
export const EPOCH_UNITS = ['ns', 'u', 'µ', 'ms', 's', 'm', 'h', 'd', 'w'] as const;
export type EpochUnit = (typeof EPOCH_UNITS)[number];

const NS_PER_S = 1_000_000_000n;
const I64_MAX_F = 2 ** 63;

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Writes whole seconds + fraction in AutoSi form, shifted by `offsetMin` minutes for the wall clock. */
function rfc3339(ns: bigint, offsetMin: number | null): string {
  const secs = floorDiv(ns, NS_PER_S);
  const frac = Number(ns - secs * NS_PER_S);
  const shifted = Number(secs) + (offsetMin ?? 0) * 60;
  const d = new Date(shifted * 1000);
  let s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(
    d.getUTCHours(),
    2,
  )}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (frac !== 0) {
    if (frac % 1_000_000 === 0) s += `.${pad(frac / 1_000_000, 3)}`;
    else if (frac % 1000 === 0) s += `.${pad(frac / 1000, 6)}`;
    else s += `.${pad(frac, 9)}`;
  }
  if (offsetMin === null) return `${s}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${s}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset in minutes of an IANA zone at an instant (whole seconds precision is enough). */
export function zoneOffsetMinutes(zone: string, ns: bigint): number {
  let f = offsetCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetCache.set(zone, f);
  }
  const ms = Number(floorDiv(ns, NS_PER_S)) * 1000;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((wall - ms) / 60_000);
}

/** A time column value as JSON text. */
export type TimeWriter = (ns: bigint) => string;

/** The time writer for a request's `epoch` and a statement's `tz()`. */
export function timeWriter(epoch: EpochUnit | undefined, zone: string | null): TimeWriter {
  switch (epoch) {
    case undefined:
      if (zone === null || zone === 'UTC') return (ns) => `"${rfc3339(ns, null)}"`;
      return (ns) => `"${rfc3339(ns, zoneOffsetMinutes(zone, ns))}"`;
    case 'ns':
      return (ns) => ns.toString();
    case 'u':
    case 'µ':
      return (ns) => floorDiv(ns, 1000n).toString();
    case 'ms':
      return (ns) => floorDiv(ns, 1_000_000n).toString();
    case 's':
      return (ns) => floorDiv(ns, NS_PER_S).toString();
    case 'm':
      return (ns) => (floorDiv(ns, NS_PER_S) / 60n).toString();
    case 'h':
      return (ns) => (floorDiv(ns, NS_PER_S) / 3600n).toString();
    case 'd':
      return (ns) => (floorDiv(ns, NS_PER_S) / 86400n).toString();
    case 'w':
      return (ns) => (floorDiv(ns, NS_PER_S) / 604800n).toString();
  }
}

/** Thrown when a value cannot be written (IOx replaces the document with `json: unsupported value: +Inf`). */
export class UnsupportedValue extends Error {}

/** A result value as JSON text (IOx `ValueSerializer`). */
export function jsonValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return 'null';
      if (!Number.isFinite(v)) throw new UnsupportedValue(`json: unsupported value: ${v > 0 ? '+Inf' : '-Inf'}`);
      // -0 keeps its sign, as influxd writes it (Go's encoder): the stored value, not a rounder one.
      if (Number.isInteger(v) && Math.abs(v) < I64_MAX_F) return Object.is(v, -0) ? '-0' : BigInt(v).toString();
      return String(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return 'null';
  }
}
