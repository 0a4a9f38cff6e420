/**
 * A faithful port of InfluxDB's Go line-protocol parser (`models/points.go`, 1.6 – master-1.x and
 * main-2.x share it) onto JS strings with absolute offsets. Decisions, their order and the error
 * reasons are kept exactly as the Go code makes them, quirks included (for example the naive
 * "previous byte is a backslash" escape test, or NUL counting as leading whitespace), because the
 * point of this port is to reach the same verdict as the server for every input.
 */

import { type EntryScan, T_BOOL, T_FLOAT, T_INT, T_STRING, T_UINT, utf8Length } from './scan';

const MAX_KEY_LENGTH = 65535;
const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';
const UINT64_MAX = '18446744073709551615';
/** 1.x/2.x accept timestamps in [MinInt64+2, MaxInt64-1] ns (`models/time.go`). */
const MIN_NANO = -9223372036854775806n;
const MAX_NANO = 9223372036854775806n;
export const TIME_RANGE_REASON = 'time outside range -9223372036854775806 - 9223372036854775806';

/** Options of one Go-parser run. */
export interface GoParseOptions {
  /** `u` suffix accepted (2.x; 1.x only when built with uint support). */
  unsigned: boolean;
  /** Tag keys the parser refuses (2.x: `_measurement`, `_field`, `time`). */
  reservedTagKeys: readonly string[];
  /** Nanoseconds per timestamp unit. */
  multiplier: bigint;
}

/** Go's `skipWhitespace`: spaces, tabs and NUL bytes. */
export function goSkipWhitespace(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0) break;
    i++;
  }
  return i;
}

/**
 * Classifies and parses the block `s[blockStart, blockEnd)` (one entry as the splitter found it).
 * Returns true when the parser accepts a point; the details land in `out`.
 */
export function parseGoBlock(
  s: string,
  blockStart: number,
  blockEnd: number,
  opts: GoParseOptions,
  out: EntryScan,
): boolean {
  const start = goSkipWhitespace(s, blockStart, blockEnd);
  out.reset(start, blockEnd);
  if (start >= blockEnd) {
    out.kind = 'blank';
    return false;
  }
  if (s.charCodeAt(start) === 35 /* # */) {
    out.kind = 'comment';
    return false;
  }
  // A block that runs to the end of the body inside a quoted string keeps its final newline.
  let end = blockEnd;
  if (s.charCodeAt(end - 1) === 10) end--;
  out.end = end;
  return parsePoint(s, start, end, opts, out);
}

function parsePoint(s: string, a: number, b: number, opts: GoParseOptions, out: EntryScan): boolean {
  // scanKey
  out.measStart = a;
  let i = scanMeasurementAndTags(s, a, b, out);
  if (i < 0) return false;
  const keyEnd = i;
  if (!checkDuplicateTags(s, out)) return false;
  if (opts.reservedTagKeys.length > 0 && !checkReservedTagKeys(s, opts.reservedTagKeys, out)) return false;
  let keyBytes = keyEnd - a;
  if (keyBytes * 3 > MAX_KEY_LENGTH) keyBytes = utf8Length(s, a, keyEnd);
  if (keyBytes > MAX_KEY_LENGTH) {
    return out.fail('LP115', `max key length exceeded: ${keyBytes} > ${MAX_KEY_LENGTH}`, a, keyEnd);
  }

  // scanFields
  const fs = goSkipWhitespace(s, i, b);
  const fe = scanFields(s, fs, b, opts, out);
  if (fe < 0) return false;
  if (fe === fs) return out.fail('LP101', 'missing fields', a, b);
  if (!walkFields(s, fs, fe, keyBytes, out)) return false;

  // scanTime
  const ts = goSkipWhitespace(s, fe, b);
  i = ts;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 32) break;
    if (i === ts && c === 45 /* - */) {
      i++;
      continue;
    }
    if (c < 48 || c > 57) return out.fail('LP113', 'bad timestamp', ts, tokenEnd(s, ts, b));
    i++;
  }
  if (i === ts) return true; // no timestamp: the server's clock is used
  out.tsStart = ts;
  out.tsEnd = i;
  if (!convertTimestamp(s, ts, i, opts.multiplier, out)) return false;
  // Anything but spaces after the timestamp is an error.
  for (let p = i; p < b; p++) {
    if (s.charCodeAt(p) !== 32) return out.fail('LP114', 'point is invalid', p, b);
  }
  return true;
}

/** scanMeasurement + scanTags; returns the offset of the space that ends the key, or -1. */
function scanMeasurementAndTags(s: string, a: number, b: number, out: EntryScan): number {
  let i = a;
  if (i >= b || s.charCodeAt(i) === 44) return out.fail('LP100', 'missing measurement', a, a + 1) ? 0 : -1;
  for (;;) {
    i++;
    if (i >= b) {
      out.measEnd = b;
      return out.fail('LP101', 'missing fields', a, b) ? 0 : -1;
    }
    if (s.charCodeAt(i - 1) === 92) continue;
    const c = s.charCodeAt(i);
    if (c === 44) {
      out.measEnd = i;
      i++;
      break;
    }
    if (c === 32) {
      out.measEnd = i;
      return i;
    }
  }
  // Tags: key=value pairs until an unescaped space.
  for (;;) {
    // scanTagsKey
    const ks = i;
    let c = i < b ? s.charCodeAt(i) : -1;
    if (i >= b || c === 32 || c === 44 || c === 61) return out.fail('LP102', 'missing tag key', i, i + 1) ? 0 : -1;
    for (;;) {
      i++;
      if (i >= b) return out.fail('LP103', 'missing tag value', ks, i) ? 0 : -1;
      c = s.charCodeAt(i);
      const escaped = s.charCodeAt(i - 1) === 92;
      if ((c === 32 || c === 44) && !escaped) return out.fail('LP103', 'missing tag value', ks, i) ? 0 : -1;
      if (c === 61 && !escaped) break;
    }
    const ke = i;
    i++;
    // scanTagsValue
    const vs = i;
    c = i < b ? s.charCodeAt(i) : -1;
    if (i >= b || c === 44 || c === 32) return out.fail('LP103', 'missing tag value', ks, i) ? 0 : -1;
    for (;;) {
      i++;
      if (i >= b) return out.fail('LP101', 'missing fields', a, b) ? 0 : -1;
      c = s.charCodeAt(i);
      const escaped = s.charCodeAt(i - 1) === 92;
      if (c === 61 && !escaped) return out.fail('LP104', 'invalid tag format', vs, tokenEnd(s, vs, b)) ? 0 : -1;
      if (c === 44 && !escaped) {
        out.addTag(ks, ke, vs, i);
        i++;
        break;
      }
      if (c === 32 && !escaped) {
        out.addTag(ks, ke, vs, i);
        return i;
      }
    }
  }
}

function sameRange(s: string, a1: number, b1: number, a2: number, b2: number): boolean {
  if (b1 - a1 !== b2 - a2) return false;
  for (let k = 0; k < b1 - a1; k++) if (s.charCodeAt(a1 + k) !== s.charCodeAt(a2 + k)) return false;
  return true;
}

/**
 * Go compares the raw (escaped) tag keys: adjacent ones while they are sorted, all of them after
 * sorting otherwise. Both amount to "two tags have byte-equal raw keys".
 */
function checkDuplicateTags(s: string, out: EntryScan): boolean {
  const n = out.nTags;
  if (n < 2) return true;
  const ks = out.tagKS;
  const ke = out.tagKE;
  for (let j = 1; j < n; j++) {
    for (let k = 0; k < j; k++) {
      if (sameRange(s, ks[k]!, ke[k]!, ks[j]!, ke[j]!)) {
        return out.fail('LP105', 'duplicate tags', ks[j]!, ke[j]!);
      }
    }
  }
  return true;
}

function checkReservedTagKeys(s: string, reserved: readonly string[], out: EntryScan): boolean {
  for (let j = 0; j < out.nTags; j++) {
    const key = goUnescapeTag(s.slice(out.tagKS[j]!, out.tagKE[j]!));
    if (reserved.includes(key)) {
      return out.fail('LP123', `cannot use reserved tag key "${key}"`, out.tagKS[j]!, out.tagKE[j]!);
    }
  }
  return true;
}

function isNumericChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46;
}

/** End of the token starting at `i` (next space or comma), for error ranges. */
function tokenEnd(s: string, i: number, b: number): number {
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 44) break;
    i++;
  }
  return i;
}

/** Go's scanFields; returns the end of the field section or -1. */
function scanFields(s: string, start: number, b: number, opts: GoParseOptions, out: EntryScan): number {
  let i = start;
  let quoted = false;
  let quoteStart = start;
  let equals = 0;
  let commas = 0;
  while (i < b) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < b) {
      i += 2;
      continue;
    }
    if (c === 34 && equals > commas) {
      quoted = !quoted;
      if (quoted) quoteStart = i;
      i++;
      continue;
    }
    if (c === 61 && !quoted) {
      equals++;
      const p1 = s.charCodeAt(i - 1);
      const p2 = s.charCodeAt(i - 2);
      if (p1 === 32 && p2 !== 92) return out.fail('LP106', 'missing field key', i, i + 1) ? 0 : -1;
      if (p1 === 44 && p2 !== 92) return out.fail('LP106', 'missing field key', i, i + 1) ? 0 : -1;
      if (i + 1 >= b) return out.fail('LP107', 'missing field value', fieldKeyStart(s, start, i), i + 1) ? 0 : -1;
      const n = s.charCodeAt(i + 1);
      if (n === 44 || n === 32)
        return out.fail('LP107', 'missing field value', fieldKeyStart(s, start, i), i + 1) ? 0 : -1;
      if (isNumericChar(n) || n === 45 || n === 78 || n === 110) {
        const r = scanNumber(s, i + 1, b, opts.unsigned, out);
        if (r < 0) return -1;
        i = r;
        continue;
      }
      if (n !== 34) {
        const r = scanBoolean(s, i + 1, b, out);
        if (r < 0) return -1;
        i = r;
        continue;
      }
    }
    if (c === 44 && !quoted) commas++;
    if (c === 32 && !quoted) break;
    i++;
  }
  if (quoted) return out.fail('LP108', 'unbalanced quotes', quoteStart, b) ? 0 : -1;
  if (equals === 0 || commas !== equals - 1) return out.fail('LP109', 'invalid field format', start, i) ? 0 : -1;
  return i;
}

/** Best-effort start of the field key that ends at `eq`, for error ranges only. */
function fieldKeyStart(s: string, start: number, eq: number): number {
  let k = eq;
  while (k > start) {
    const c = s.charCodeAt(k - 1);
    if ((c === 44 || c === 32) && s.charCodeAt(k - 2) !== 92) break;
    k--;
  }
  return k;
}

/** Go's scanNumber; returns the end offset or -1. */
function scanNumber(s: string, i: number, b: number, unsigned: boolean, out: EntryScan): number {
  const start = i;
  let isInt = false;
  let isUnsigned = false;
  if (i < b && s.charCodeAt(i) === 45) {
    i++;
    if (i === b) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
  }
  let decimal = false;
  let scientific = false;
  for (;;) {
    if (i >= b) break;
    const c = s.charCodeAt(i);
    if (c === 44 || c === 32) break;
    if (c === 105 /* i */ && i > start && !(isInt || isUnsigned)) {
      isInt = true;
      i++;
      continue;
    } else if (c === 117 /* u */ && i > start && !(isInt || isUnsigned)) {
      isUnsigned = true;
      i++;
      continue;
    }
    if (c === 46) {
      if (decimal) return out.fail('LP110', 'invalid number', start, tokenEnd(s, start, b)) ? 0 : -1;
      decimal = true;
    }
    if (i > start && (c === 101 || c === 69)) {
      scientific = true;
      i++;
      continue;
    }
    if (c === 43 || c === 45) {
      const p = s.charCodeAt(i - 1);
      if (p === 101 || p === 69) {
        i++;
        continue;
      }
    }
    if (i + 2 < b && (c === 78 || c === 110))
      return out.fail('LP110', 'invalid number', start, tokenEnd(s, start, b)) ? 0 : -1;
    if (!isNumericChar(c)) return out.fail('LP110', 'invalid number', start, tokenEnd(s, start, b)) ? 0 : -1;
    i++;
  }
  if ((isInt || isUnsigned) && (decimal || scientific)) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
  let numericDigits = i - start;
  if (isInt) numericDigits--;
  if (decimal) numericDigits--;
  if (s.charCodeAt(start) === 45) numericDigits--;
  if (numericDigits === 0) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
  if (isInt) {
    if (s.charCodeAt(i - 1) !== 105) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
    if (i - 1 - start >= 19 && !fitsInt64(s, start, i - 1)) {
      const digits = s.slice(start, i - 1);
      return out.fail(
        'LP117',
        `unable to parse integer ${digits}: strconv.ParseInt: parsing "${digits}": value out of range`,
        start,
        i,
      )
        ? 0
        : -1;
    }
  } else if (isUnsigned) {
    if (!unsigned) return out.fail('LP122', 'invalid number', start, i) ? 0 : -1;
    if (s.charCodeAt(i - 1) !== 117) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
    if (s.charCodeAt(start) === 45) return out.fail('LP110', 'invalid number', start, i) ? 0 : -1;
    if (i - 1 - start >= 20 && !fitsUint64(s, start, i - 1)) {
      const digits = s.slice(start, i - 1);
      return out.fail(
        'LP118',
        `unable to parse unsigned ${digits}: strconv.ParseUint: parsing "${digits}": value out of range`,
        start,
        i,
      )
        ? 0
        : -1;
    }
  } else if (scientific || i - start >= 25) {
    if (!goFloatOk(s.slice(start, i))) return out.fail('LP111', 'invalid float', start, i) ? 0 : -1;
  }
  return i;
}

const GO_FLOAT_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseFloat succeeds: well-formed and not overflowing (underflow to 0 is fine). */
function goFloatOk(text: string): boolean {
  if (!GO_FLOAT_SYNTAX.test(text)) return false;
  return Number.isFinite(Number(text));
}

/** Compares the magnitude of a run of decimal digits (leading zeros allowed) with a limit. */
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

function fitsInt64(s: string, a: number, b: number): boolean {
  if (s.charCodeAt(a) === 45) return digitsWithin(s, a + 1, b, INT64_MIN_ABS);
  return digitsWithin(s, a, b, INT64_MAX);
}

function fitsUint64(s: string, a: number, b: number): boolean {
  return digitsWithin(s, a, b, UINT64_MAX);
}

/** Go's scanBoolean; returns the end offset or -1. */
function scanBoolean(s: string, i: number, b: number, out: EntryScan): number {
  const start = i;
  let c = s.charCodeAt(i);
  if (i < b && c !== 116 && c !== 102 && c !== 84 && c !== 70) {
    return out.fail('LP112', 'invalid boolean', start, tokenEnd(s, start, b)) ? 0 : -1;
  }
  i++;
  while (i < b) {
    c = s.charCodeAt(i);
    if (c === 44 || c === 32) break;
    i++;
  }
  const n = i - start;
  if (n === 1) return i;
  const first = s.charCodeAt(start);
  if ((first === 116 || first === 84) && n !== 4) return out.fail('LP112', 'invalid boolean', start, i) ? 0 : -1;
  if ((first === 102 || first === 70) && n !== 5) return out.fail('LP112', 'invalid boolean', start, i) ? 0 : -1;
  const word = s.slice(start, i);
  let valid = false;
  switch (first) {
    case 116:
      valid = word === 'true';
      break;
    case 102:
      valid = word === 'false';
      break;
    case 84:
      valid = word === 'TRUE' || word === 'True';
      break;
    case 70:
      valid = word === 'FALSE' || word === 'False';
      break;
  }
  if (!valid) return out.fail('LP112', 'invalid boolean', start, i) ? 0 : -1;
  return i;
}

/**
 * Go's walkFields (plus the field iterator's typing): checks every key=value slice and the
 * series-key size, and records each field's ranges and type.
 */
function walkFields(s: string, fs: number, fe: number, keyBytes: number, out: EntryScan): boolean {
  let p = fs;
  while (p < fe) {
    let k = p;
    while (k < fe) {
      if (s.charCodeAt(k) === 61 && (k === p || s.charCodeAt(k - 1) !== 92)) break;
      k++;
    }
    if (k > fe - 2) {
      return out.fail('LP116', `invalid value: field-key=${s.slice(p, k)}`, p, fe);
    }
    const vs = k + 1;
    let v = vs;
    let quoted = false;
    while (v < fe) {
      const c = s.charCodeAt(v);
      if (c === 92 && v + 1 < fe) {
        const n = s.charCodeAt(v + 1);
        if (n === 34 || n === 92) {
          v += 2;
          continue;
        }
      }
      if (c === 34) {
        quoted = !quoted;
        v++;
        continue;
      }
      if (c === 44 && !quoted) break;
      v++;
    }
    let fkBytes = k - p;
    if ((keyBytes + 4 + fkBytes) * 3 > MAX_KEY_LENGTH) fkBytes = utf8Length(s, p, k);
    const size = keyBytes + 4 + fkBytes; // key + "#!~#" + field key
    if (size > MAX_KEY_LENGTH) {
      return out.fail('LP115', `max key length exceeded: ${size} > ${MAX_KEY_LENGTH}`, p, k);
    }
    out.addField(p, k, vs, v, goFieldType(s, vs, v));
    p = v;
    if (p < fe) p++;
  }
  return true;
}

/** The Go field iterator's type decision, from the first and last byte of the raw value. */
function goFieldType(s: string, vs: number, ve: number): number {
  if (ve <= vs) return T_STRING; // "Empty": unreachable for accepted points
  const c = s.charCodeAt(vs);
  if (c === 34) return T_STRING;
  // `0123456789-.nNiIu`
  if ((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 110 || c === 78 || c === 105 || c === 73 || c === 117) {
    const last = s.charCodeAt(ve - 1);
    if (last === 105) return T_INT;
    if (last === 117) return T_UINT;
    return T_FLOAT;
  }
  return T_BOOL;
}

/**
 * strconv.ParseInt on the timestamp digits, then SafeCalcTime with the precision multiplier.
 * The common case (a plausible magnitude) is decided with doubles; exact bigint arithmetic is
 * used only near the limits.
 */
function convertTimestamp(s: string, a: number, b: number, mult: bigint, out: EntryScan): boolean {
  const neg = s.charCodeAt(a) === 45;
  const d0 = neg ? a + 1 : a;
  if (d0 === b) {
    return out.fail('LP113', `strconv.ParseInt: parsing "${s.slice(a, b)}": invalid syntax`, a, b);
  }
  if (!(neg ? digitsWithin(s, d0, b, INT64_MIN_ABS) : digitsWithin(s, d0, b, INT64_MAX))) {
    return out.fail('LP119', `strconv.ParseInt: parsing "${s.slice(a, b)}": value out of range`, a, b);
  }
  let approx = 0;
  for (let k = d0; k < b; k++) approx = approx * 10 + (s.charCodeAt(k) - 48);
  const scaled = approx * Number(mult);
  if (scaled < 9.2e18) return true;
  const exact = BigInt(s.slice(a, b)) * mult;
  if (exact < MIN_NANO || exact > MAX_NANO) return out.fail('LP119', TIME_RANGE_REASON, a, b);
  return true;
}

/** Timestamp of an accepted entry in ns (exact). */
export function goTimestampNs(s: string, out: EntryScan, mult: bigint): bigint | null {
  if (out.tsStart < 0) return null;
  return BigInt(s.slice(out.tsStart, out.tsEnd)) * mult;
}

/** `escape.Unescape`, used for the measurement name: `\,` `\"` `\ ` `\=` lose their backslash. */
export function goUnescapeMeasurement(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1]!;
      if (n === ',' || n === '"' || n === ' ' || n === '=') {
        out += n;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** `unescapeTag`: three sequential replacements of `\,` `\ ` `\=` (`\\` is not an escape). */
export function goUnescapeTag(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let r = raw;
  if (r.indexOf(',') >= 0) r = r.split('\\,').join(',');
  if (r.indexOf(' ') >= 0) r = r.split('\\ ').join(' ');
  if (r.indexOf('=') >= 0) r = r.split('\\=').join('=');
  return r;
}

/** Field keys (`escape.AppendUnescaped`): a backslash before `,` `"` space `=` is dropped. */
export const goUnescapeFieldKey = goUnescapeMeasurement;

/** `unescapeStringField`: `\\` → `\` and `\"` → `"`; any other backslash stays. */
export function goUnescapeString(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1]!;
      if (n === '\\' || n === '"') {
        out += n;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * The bytes between the first and the last byte of a string value. Go cuts one *byte* at the end;
 * when the value ends in a non-ASCII character that leaves a truncated UTF-8 sequence, which reads
 * back as one U+FFFD per remaining byte.
 */
function goStringBody(s: string, vs: number, ve: number): string {
  const last = s.charCodeAt(ve - 1);
  if (last < 0x80) return s.slice(vs + 1, ve - 1);
  const low = last >= 0xdc00 && last <= 0xdfff && ve - 2 > vs;
  const width = low ? 4 : last < 0x800 ? 2 : 3;
  return s.slice(vs + 1, ve - (low ? 2 : 1)) + '\ufffd'.repeat(width - 1);
}

/** Decodes one accepted field value the way the Go field iterator does. */
export function goFieldValue(s: string, vs: number, ve: number, type: number): number | bigint | string | boolean {
  switch (type) {
    case T_STRING:
      return ve - vs >= 2 ? goUnescapeString(goStringBody(s, vs, ve)) : '';
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
