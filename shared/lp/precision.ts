/**
 * The precision guard: do the timestamps' magnitudes fit the chosen precision? A timestamp that
 * lands before 1971, after 2262 or more than a year after `now` was almost certainly written in
 * another unit; the guard says which unit would fit and what the time would then be.
 */

import { autoPrecisionUnit, PRECISION_NS, type PrecisionUnit } from './flavors';

const NS_1971 = 31_536_000_000_000_000n; // 1971-01-01T00:00:00Z
const MAX_NS = 9_223_372_036_854_775_806n; // 2262-04-11T23:47:16.854775806Z
const YEAR_NS = 31_557_600_000_000_000n; // 365.25 days

/** Units the guard may suggest: every fixed unit, in the table's order (ns first). */
const CANDIDATES = Object.keys(PRECISION_NS) as readonly Exclude<PrecisionUnit, 'auto'>[];

/** Verdict of the guard for one set of timestamps. */
export interface PrecisionCheck {
  /** True when every timestamp lands in [1971, now + 1 year] with the chosen precision. */
  ok: boolean;
  /** The chosen unit (for `auto`, the unit Core would infer from the first timestamp). */
  unit: Exclude<PrecisionUnit, 'auto'>;
  /** How many timestamps do not fit. */
  misfits: number;
  /** Index (into the input) of the first misfit, or -1. */
  firstMisfit: number;
  /** The first misfit decoded with the chosen unit (ISO 8601 UTC), when representable. */
  decoded: string | null;
  /** Why it does not fit: `before-1971`, `after-2262` or `future`. */
  reason: 'before-1971' | 'after-2262' | 'future' | null;
  /** The unit under which every timestamp would fit, when one exists (only suggested when it differs). */
  suggestion: Exclude<PrecisionUnit, 'auto'> | null;
  /** The first misfit decoded with the suggested unit. */
  suggestionDecoded: string | null;
  /** A one-line explanation for the UI, or null when ok. */
  message: string | null;
}

/** ISO 8601 UTC text of a nanosecond timestamp, or null outside what Date can show. */
export function formatNs(ns: bigint): string | null {
  const ms = ns / 1_000_000n;
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return null;
  const d = new Date(Number(ms));
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return frac === 0n
    ? iso.replace('.000Z', 'Z')
    : `${iso.slice(0, 19)}.${frac.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

function classify(ns: bigint, futureLimit: bigint): PrecisionCheck['reason'] {
  if (ns < NS_1971) return 'before-1971';
  if (ns > MAX_NS) return 'after-2262';
  if (ns > futureLimit) return 'future';
  return null;
}

/**
 * Checks raw timestamps (as written in the line protocol, before scaling) against a precision.
 * `now` is in ms since the epoch.
 */
export function checkPrecision(timestamps: readonly bigint[], precision: PrecisionUnit, now: number): PrecisionCheck {
  const futureLimit = BigInt(Math.trunc(now)) * 1_000_000n + YEAR_NS;
  const first = timestamps[0];
  const unit: Exclude<PrecisionUnit, 'auto'> =
    precision === 'auto' ? (first === undefined ? 'ns' : autoPrecisionUnit(first)) : precision;
  let misfits = 0;
  let firstMisfit = -1;
  let reason: PrecisionCheck['reason'] = null;
  for (let i = 0; i < timestamps.length; i++) {
    const raw = timestamps[i]!;
    const u = precision === 'auto' ? autoPrecisionUnit(raw) : unit;
    const r = classify(raw * PRECISION_NS[u], futureLimit);
    if (r !== null) {
      misfits++;
      if (firstMisfit < 0) {
        firstMisfit = i;
        reason = r;
      }
    }
  }
  if (misfits === 0) {
    return {
      ok: true,
      unit,
      misfits,
      firstMisfit,
      decoded: null,
      reason: null,
      suggestion: null,
      suggestionDecoded: null,
      message: null,
    };
  }
  const bad = timestamps[firstMisfit]!;
  const decoded = formatNs(bad * PRECISION_NS[unit]);
  let suggestion: Exclude<PrecisionUnit, 'auto'> | null = null;
  for (const c of CANDIDATES) {
    if (c === unit) continue;
    const m = PRECISION_NS[c];
    if (timestamps.every((t) => classify(t * m, futureLimit) === null)) {
      suggestion = c;
      break;
    }
  }
  const suggestionDecoded = suggestion === null ? null : formatNs(bad * PRECISION_NS[suggestion]);
  const where =
    reason === 'before-1971'
      ? 'before 1971'
      : reason === 'after-2262'
        ? 'after 2262 (out of range)'
        : 'more than a year in the future';
  let message = `timestamp ${bad} with precision ${unit} is ${decoded ?? 'out of range'}, ${where}`;
  if (misfits > 1) message += ` (${misfits} timestamps do not fit)`;
  if (suggestion !== null)
    message += `; as ${suggestion} it would be ${suggestionDecoded ?? '?'}: did you mean precision=${suggestion}?`;
  return { ok: false, unit, misfits, firstMisfit, decoded, reason, suggestion, suggestionDecoded, message };
}
