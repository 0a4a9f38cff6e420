/**
 * A port of the InfluxDB 3 line-protocol parser (`influxdb_line_protocol`, the nom grammar shared
 * by Cloud Dedicated, Clustered, Serverless and Core/Enterprise) onto JS strings with absolute
 * offsets. The grammar, the order of alternatives and the error texts follow the Rust code,
 * including its quirks: trailing content after the second field starts after its comma, booleans
 * match by prefix (`tRUE` is `t` followed by trailing `RUE`), error context is cut to 10 characters.
 */

import { type EntryScan, T_BOOL, T_FLOAT, T_INT, T_STRING, T_UINT, utf8Length } from './scan';

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';
const UINT64_MAX = '18446744073709551615';

/** Options of one Rust-parser run. */
export interface RustParseOptions {
  /** Byte limit for each string component (64 KiB IOx default, 1 MiB with `large-strings`). */
  maxStringBytes: number;
}

/** Rust `maybe_truncate_context`: more than 10 bytes → the first 10 characters and `...`. */
export function rustTruncate(text: string): string {
  if (utf8Length(text, 0, text.length) <= 10) return text;
  const cps = Array.from(text);
  return cps.slice(0, 10).join('') + '...';
}

function isBoundary(c: number): boolean {
  return c === 32 || c === 9 || c === 10;
}

/** Rust `trim_leading`: whitespace (space, tab, newline) and whole comment lines, repeatedly. */
export function rustTrimLeading(s: string, i: number, end: number): number {
  for (;;) {
    while (i < end && isBoundary(s.charCodeAt(i))) i++;
    if (i < end && s.charCodeAt(i) === 35) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl;
      continue;
    }
    return i;
  }
}

// Module-level error state: set by the scanning helpers, read by the caller (no allocation).
let errCode = '';
let errReason = '';
let errAt = 0;
let errTo = 0;

function err(code: string, reason: string, at: number, to: number): -1 {
  errCode = code;
  errReason = reason;
  errAt = at;
  errTo = to;
  return -1;
}

/** Return value of {@link escapedToken} when nothing was consumed (nom `Error`, not `Failure`). */
const NOTHING = -2;

/**
 * `escape_or_fallback` over one identifier. `kind`: 0 measurement, 1 tag key / field key, 2 tag value.
 * Returns the end offset, {@link NOTHING} when no character was consumed, or -1 on a failure
 * (ends with a backslash, too long).
 */
function escapedToken(s: string, i: number, end: number, kind: number, maxBytes: number): number {
  const start = i;
  let endsWithBackslash = false;
  for (;;) {
    // normal characters
    const n0 = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 92) break;
      if (kind === 0 ? c === 0 || c === 44 : kind === 1 ? c === 61 : c === 44) break;
      i++;
    }
    if (i > n0) {
      endsWithBackslash = false;
      continue;
    }
    if (i < end && s.charCodeAt(i) === 92) {
      const after = i + 1;
      if (after < end) {
        const n = s.charCodeAt(after);
        const known = n === 44 || n === 32 || n === 92 || (kind !== 0 && n === 61);
        if (known) {
          endsWithBackslash = n === 92;
          i = after + 1;
          continue;
        }
        // Unknown escape: the backslash and the next character are both kept.
        const cp = s.codePointAt(after)!;
        i = after + (cp > 0xffff ? 2 : 1);
        endsWithBackslash = false;
        continue;
      }
      i = after;
      endsWithBackslash = true;
      break;
    }
    break;
  }
  if (i === start) return NOTHING;
  if (endsWithBackslash) {
    return err('LP120', 'Measurements, tag keys and values, and field keys may not end with a backslash', start, i);
  }
  if ((i - start) * 3 > maxBytes && unescapedBytes(s, start, i, kind === 0) > maxBytes) {
    return err('LP121', maxBytes > 65_536 ? 'String is greater than 1MB' : 'String is greater than 64KB', start, i);
  }
  return i;
}

function unescapedBytes(s: string, a: number, b: number, measurement: boolean): number {
  const v = rustUnescapeIdent(s, a, b, measurement);
  return utf8Length(v, 0, v.length);
}

/** Whether `word` occurs at `i` without crossing `end`. */
function matchAt(s: string, i: number, end: number, word: string): boolean {
  return i + word.length <= end && s.startsWith(word, i);
}

/** The unescaped value of an identifier range that {@link escapedToken} accepted. */
export function rustUnescapeIdent(s: string, a: number, b: number, measurement: boolean): string {
  const k = s.indexOf('\\', a);
  if (k < 0 || k >= b) return s.slice(a, b);
  let out = s.slice(a, k);
  let i = k;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < b) {
      const n = s.charCodeAt(i + 1);
      if (n === 44 || n === 32 || n === 92 || (!measurement && n === 61)) {
        out += s[i + 1];
        i += 2;
        continue;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

function digitsEnd(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

function digitsWithin(s: string, a: number, b: number, limit: string): boolean {
  while (a < b - 1 && s.charCodeAt(a) === 48) a++;
  const n = b - a;
  if (n !== limit.length) return n < limit.length;
  for (let k = 0; k < n; k++) {
    const d = s.charCodeAt(a + k) - limit.charCodeAt(k);
    if (d !== 0) return d < 0;
  }
  return true;
}

function signedWithin(s: string, a: number, b: number): boolean {
  return s.charCodeAt(a) === 45 ? digitsWithin(s, a + 1, b, INT64_MIN_ABS) : digitsWithin(s, a, b, INT64_MAX);
}

/** `-?digits`; returns the end or -1 when there are no digits. */
function integral(s: string, i: number, end: number): number {
  const d = i < end && s.charCodeAt(i) === 45 ? i + 1 : i;
  const e = digitsEnd(s, d, end);
  return e === d ? -1 : e;
}

/** `digits [eE] [+-]? digits` starting at `i`; returns the end or -1. */
function exponential(s: string, i: number, end: number): number {
  const d = digitsEnd(s, i, end);
  if (d === i || d >= end) return -1;
  const e = s.charCodeAt(d);
  if (e !== 101 && e !== 69) return -1;
  let j = d + 1;
  if (j < end) {
    const sg = s.charCodeAt(j);
    if (sg === 45 || sg === 43) j++;
  }
  const x = digitsEnd(s, j, end);
  return x === j ? -1 : x;
}

let valueType = 0;

/**
 * `field_value`: int, uint, float, string, bool in that order. Returns the end offset,
 * {@link NOTHING} when no alternative matches, or -1 on a failure. Sets `valueType`.
 */
function fieldValue(s: string, i: number, end: number, maxBytes: number): number {
  // integer: -?digits 'i'
  const ie = integral(s, i, end);
  if (ie > 0 && ie < end && s.charCodeAt(ie) === 105) {
    if (!signedWithin(s, i, ie)) {
      return err('LP117', `Unable to parse integer value \`${s.slice(i, ie)}\``, i, ie + 1);
    }
    valueType = T_INT;
    return ie + 1;
  }
  // unsigned: digits 'u'
  const ue = digitsEnd(s, i, end);
  if (ue > i && ue < end && s.charCodeAt(ue) === 117) {
    if (!digitsWithin(s, i, ue, UINT64_MAX)) {
      return err('LP118', `Unable to parse unsigned integer value \`${s.slice(i, ue)}\``, i, ue + 1);
    }
    valueType = T_UINT;
    return ue + 1;
  }
  // float: with exponent and decimal | exponent | decimal | plain integer
  if (ie > 0) {
    valueType = T_FLOAT;
    if (ie < end && s.charCodeAt(ie) === 46) {
      const x = exponential(s, ie + 1, end);
      if (x > 0) return x;
    }
    const d = s.charCodeAt(i) === 45 ? i + 1 : i;
    const x = exponential(s, d, end);
    if (x > 0) return x;
    if (ie < end && s.charCodeAt(ie) === 46) {
      const f = digitsEnd(s, ie + 1, end);
      if (f > ie + 1) return f;
    }
    return ie;
  }
  // string
  if (i < end && s.charCodeAt(i) === 34) {
    let j = i + 1;
    let bytes = 0;
    let closed = -1;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === 34) {
        closed = j;
        break;
      }
      if (c === 92 && j + 1 < end) {
        const n = s.charCodeAt(j + 1);
        if (n === 34 || n === 92) {
          bytes += 1;
          j += 2;
          continue;
        }
      }
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
      j++;
    }
    if (closed < 0) return NOTHING;
    if (bytes > maxBytes) {
      return err(
        'LP121',
        maxBytes > 65_536 ? 'String is greater than 1MB' : 'String is greater than 64KB',
        i,
        closed + 1,
      );
    }
    valueType = T_STRING;
    return closed + 1;
  }
  // boolean, by prefix (nom tries `true`, `True`, `TRUE`, `t`, `T`, then the same for false)
  valueType = T_BOOL;
  if (matchAt(s, i, end, 'true') || matchAt(s, i, end, 'True') || matchAt(s, i, end, 'TRUE')) return i + 4;
  if (i < end) {
    const c = s.charCodeAt(i);
    if (c === 116 || c === 84) return i + 1;
  }
  if (matchAt(s, i, end, 'false') || matchAt(s, i, end, 'False') || matchAt(s, i, end, 'FALSE')) return i + 5;
  if (i < end) {
    const c = s.charCodeAt(i);
    if (c === 102 || c === 70) return i + 1;
  }
  return NOTHING;
}

/** `key=value`: returns the end, {@link NOTHING} on a nom Error, -1 on a Failure. Records the field. */
function oneField(s: string, i: number, end: number, maxBytes: number, out: EntryScan): number {
  const ke = escapedToken(s, i, end, 1, maxBytes);
  if (ke === -1) return -1;
  if (ke === NOTHING) return NOTHING;
  if (ke >= end || s.charCodeAt(ke) !== 61) return NOTHING;
  const ve = fieldValue(s, ke + 1, end, maxBytes);
  if (ve < 0) return ve;
  out.addField(i, ke, ke + 1, ve, valueType);
  return ve;
}

function trailing(s: string, p: number, end: number, out: EntryScan): boolean {
  return out.fail(
    'LP114',
    `Could not parse entire line. Found trailing content: \`${rustTruncate(s.slice(p, end))}\``,
    p,
    end,
  );
}

function failFromState(out: EntryScan): false {
  return out.fail(errCode, errReason, errAt, errTo);
}

/**
 * Classifies and parses the block `s[blockStart, blockEnd)`. Returns true when the parser accepts
 * a point; the details land in `out`.
 */
export function parseRustBlock(
  s: string,
  blockStart: number,
  blockEnd: number,
  opts: RustParseOptions,
  out: EntryScan,
): boolean {
  // Blank and comment detection: a block is skipped when trimming leaves nothing.
  let firstNonWs = blockStart;
  while (firstNonWs < blockEnd && isBoundary(s.charCodeAt(firstNonWs))) firstNonWs++;
  const start = rustTrimLeading(s, blockStart, blockEnd);
  out.reset(start, blockEnd);
  if (start >= blockEnd) {
    out.kind = firstNonWs < blockEnd ? 'comment' : 'blank';
    return false;
  }
  return parseLine(s, start, blockEnd, opts.maxStringBytes, out);
}

function parseLine(s: string, a: number, end: number, maxBytes: number, out: EntryScan): boolean {
  // measurement
  out.measStart = a;
  const me = escapedToken(s, a, end, 0, maxBytes);
  if (me === -1) return failFromState(out);
  if (me === NOTHING) return out.fail('LP100', 'Invalid measurement was provided', a, a + 1);
  out.measEnd = me;
  let p = me;
  // tag set
  if (p < end && s.charCodeAt(p) === 44) {
    const remainder = p + 1;
    p = remainder;
    for (;;) {
      const ks = p;
      const ke = escapedToken(s, p, end, 1, maxBytes);
      if (ke === -1) return failFromState(out);
      if (ke === NOTHING) {
        const rest = s.slice(p, end);
        return out.fail(
          'LP102',
          `Expected tag key, got ${rest === '' ? 'end of input' : '`' + rustTruncate(rest) + '`'}`,
          p,
          end,
        );
      }
      if (ke >= end || s.charCodeAt(ke) !== 61) {
        return out.fail(
          'LP104',
          `Tag set malformed: could not find equals sign in \`${rustTruncate(s.slice(remainder, end))}\``,
          ks,
          ke + 1,
        );
      }
      const vs = ke + 1;
      const ve = escapedToken(s, vs, end, 2, maxBytes);
      if (ve === -1) return failFromState(out);
      if (ve === NOTHING) {
        const rest = s.slice(vs, end);
        return out.fail(
          'LP103',
          `Expected tag value, got ${rest === '' ? 'end of input' : '`' + rustTruncate(rest) + '`'}`,
          ks,
          vs,
        );
      }
      out.addTag(ks, ke, vs, ve);
      p = ve;
      if (p < end && s.charCodeAt(p) === 44) {
        p++;
        continue;
      }
      break;
    }
  }
  // at least one space, then the field set
  const ws = p;
  while (p < end && s.charCodeAt(p) === 32) p++;
  if (p === ws) {
    const rest = s.slice(ws, end);
    return out.fail(
      'LP101',
      `Expected at least one space character, got ${rest === '' ? 'end of input' : '`' + rest + '`'}`,
      ws > a ? ws : a,
      end,
    );
  }
  const first = oneField(s, p, end, maxBytes, out);
  if (first === -1) return failFromState(out);
  if (first === NOTHING) return out.fail('LP101', 'No fields were provided', p, end);
  p = first;
  if (p < end && s.charCodeAt(p) === 44) {
    // nom's separated_list1 hands the list after the first comma to separated_list, whose own first
    // element failing leaves the input *after* that comma; later elements leave it *at* their comma.
    const afterComma = p + 1;
    const second = oneField(s, afterComma, end, maxBytes, out);
    if (second === -1) return failFromState(out);
    if (second === NOTHING) {
      p = afterComma;
    } else {
      p = second;
      while (p < end && s.charCodeAt(p) === 44) {
        const next = oneField(s, p + 1, end, maxBytes, out);
        if (next === -1) return failFromState(out);
        if (next === NOTHING) break;
        p = next;
      }
    }
  }
  // optional timestamp: spaces, -?digits, optional spaces
  let q = p;
  while (q < end && s.charCodeAt(q) === 32) q++;
  if (q > p) {
    const te = integral(s, q, end);
    if (te > 0) {
      if (!signedWithin(s, q, te)) {
        return out.fail('LP119', `Unable to parse timestamp value \`${s.slice(q, te)}\``, q, te);
      }
      out.tsStart = q;
      out.tsEnd = te;
      p = te;
      while (p < end && s.charCodeAt(p) === 32) p++;
    }
  }
  if (p < end) return trailing(s, p, end, out);
  return true;
}

/** Unescapes a string field value the Rust way: `\"` → `"`, `\\` → `\`, a lone `\` stays. */
export function rustUnescapeString(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1]!;
      if (n === '"' || n === '\\') {
        out += n;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Decodes one accepted field value the way the Rust parser does (floats may be ±Infinity). */
export function rustFieldValue(s: string, vs: number, ve: number, type: number): number | bigint | string | boolean {
  switch (type) {
    case T_STRING:
      return rustUnescapeString(s.slice(vs + 1, ve - 1));
    case T_INT:
    case T_UINT:
      return BigInt(s.slice(vs, ve - 1));
    case T_BOOL: {
      const c = s.charCodeAt(vs);
      return c === 116 || c === 84;
    }
    default:
      return Number(s.slice(vs, ve));
  }
}
