/**
 * The streaming fast lane for the Go-parser flavors (1.x, 2.x), on UTF-8 bytes. It recognises the
 * common, unremarkable entry in one pass: plain names, well-formed values, a timestamp that fits,
 * one physical line. Anything unusual — an error, a hygiene trap, a duplicate key, a multi-line
 * string, a value near a limit — is *not* judged here: the caller hands the entry to the exact
 * string engine. So the fast lane only ever answers "accepted, nothing to report", and the
 * differential tests check that the engine agrees on every entry it accepts.
 */

/** Field type codes, as in `scan.ts`. */
const F_FLOAT = 0;
const F_INT = 1;
const F_UINT = 2;
const F_STRING = 3;
const F_BOOL = 4;

/** Result of {@link fastEntry}: the offset of the terminating `\n` (or `len`), or a status. */
export const FAST_FALLBACK = -1;
export const FAST_INCOMPLETE = -2;

/** Per-run settings of the fast lane. */
export interface FastConfig {
  /** InfluxDB 3 grammar and rules (tags are columns; no trailing spaces without a timestamp). */
  rust: boolean;
  unsigned: boolean;
  /** Nanoseconds per timestamp unit. */
  multiplier: number;
  /** Precision guard bounds in ns (as doubles; values near them fall back). */
  minNs: number;
  maxNs: number;
  maxStringBytes: number;
}

/**
 * Shape of the last accepted entry: raw measurement range and the raw key range and type of each
 * field. Reused across calls (no allocation).
 */
export class FastShape {
  measStart = 0;
  measEnd = 0;
  nFields = 0;
  readonly kS: number[] = [];
  readonly kE: number[] = [];
  readonly type: number[] = [];
  /** Bytes of measurement + tags (for the series-key limit). */
  keyBytes = 0;
  /** Raw tag key ranges (they are columns on InfluxDB 3). */
  nTags = 0;
  readonly tS: number[] = [];
  readonly tE: number[] = [];
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function sameBytes(b: Uint8Array, a1: number, e1: number, a2: number, e2: number): boolean {
  if (e1 - a1 !== e2 - a2) return false;
  for (let k = 0; k < e1 - a1; k++) if (b[a1 + k] !== b[a2 + k]) return false;
  return true;
}

/**
 * A tag or field key from `i` (printable ASCII, escapes of a non-backslash printable byte) up to its
 * `=`: returns the offset of the `=`, or FAST_FALLBACK / FAST_INCOMPLETE.
 */
function scanKey(b: Uint8Array, i: number, len: number, final: boolean): number {
  const ks = i;
  for (;;) {
    if (i >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
    const c = b[i]!;
    if (c === 92) {
      if (i + 2 >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
      const n = b[i + 1]!;
      if (n < 32 || n === 92 || n >= 127) return FAST_FALLBACK;
      i += 2;
      continue;
    }
    if (c === 61) break;
    if (c < 33 || c > 126 || c === 44 || c === 34) return FAST_FALLBACK;
    i++;
  }
  return i === ks ? FAST_FALLBACK : i;
}

function isTimeKey(b: Uint8Array, a: number, e: number): boolean {
  return e - a === 4 && b[a] === 116 && b[a + 1] === 105 && b[a + 2] === 109 && b[a + 3] === 101;
}

/** Fields the fast path checks pairwise for duplicates; wider lines take the engine's linear path. */
const FAST_MAX_FIELDS = 64;

/**
 * Tries the entry starting at `pos` (which must be the first byte of a physical line).
 * Returns the offset of its terminating newline (or `len` when `final` and the body ends), or
 * {@link FAST_FALLBACK} / {@link FAST_INCOMPLETE}.
 */
export function fastEntry(
  b: Uint8Array,
  pos: number,
  len: number,
  final: boolean,
  cfg: FastConfig,
  shape: FastShape,
): number {
  let i = pos;
  // Measurement: printable ASCII except space/comma; escapes of a non-backslash printable byte.
  const ms = i;
  for (;;) {
    if (i >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
    const c = b[i]!;
    if (c === 92) {
      if (i + 2 >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
      const n = b[i + 1]!;
      if (n < 32 || n === 92 || n >= 127) return FAST_FALLBACK;
      if (i === ms) return FAST_FALLBACK;
      i += 2;
      continue;
    }
    if (c === 44 || c === 32) break;
    if (c < 33 || c > 126 || c === 34 || (c === 35 && i === ms)) return FAST_FALLBACK;
    i++;
  }
  if (i === ms) return FAST_FALLBACK;
  shape.measStart = ms;
  shape.measEnd = i;
  // Tags.
  let nTags = 0;
  while (b[i] === 44) {
    i++;
    const ks = i;
    i = scanKey(b, i, len, final);
    if (i < 0) return i;
    const ke = i;
    i++;
    const vs = i;
    for (;;) {
      if (i >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
      const c = b[i]!;
      if (c === 92) {
        if (i + 2 >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
        const n = b[i + 1]!;
        if (n < 32 || n === 92 || n >= 127) return FAST_FALLBACK;
        i += 2;
        continue;
      }
      if (c === 44 || c === 32) break;
      if (c < 33 || c > 126 || c === 61 || c === 34) return FAST_FALLBACK;
      i++;
    }
    if (i === vs) return FAST_FALLBACK;
    // Duplicate raw keys and reserved keys go to the engine (and wide lines, as for fields below).
    if (nTags >= FAST_MAX_FIELDS) return FAST_FALLBACK;
    for (let k = 0; k < nTags; k++) if (sameBytes(b, shape.tS[k]!, shape.tE[k]!, ks, ke)) return FAST_FALLBACK;
    if (isTimeKey(b, ks, ke) || b[ks] === 95 /* _ */) return FAST_FALLBACK;
    shape.tS[nTags] = ks;
    shape.tE[nTags] = ke;
    nTags++;
  }
  shape.nTags = nTags;
  shape.keyBytes = i - ms;
  if (shape.keyBytes > 16_000) return FAST_FALLBACK;
  // One or more spaces, then the fields.
  if (b[i] !== 32) return FAST_FALLBACK;
  while (i < len && b[i] === 32) i++;
  let nF = 0;
  for (;;) {
    const ks = i;
    i = scanKey(b, i, len, final);
    if (i < 0) return i;
    const ke = i;
    if (isTimeKey(b, ks, ke) || ke - ks > 16_000) return FAST_FALLBACK;
    // The duplicate check is pairwise: wide lines go to the engine, which uses a map.
    if (nF >= FAST_MAX_FIELDS) return FAST_FALLBACK;
    for (let k = 0; k < nF; k++) if (sameBytes(b, shape.kS[k]!, shape.kE[k]!, ks, ke)) return FAST_FALLBACK;
    if (cfg.rust) {
      // InfluxDB 3: a tag and a field may not share a name; `_`-names include reserved columns.
      if (b[ks] === 95) return FAST_FALLBACK;
      for (let k = 0; k < nTags; k++) if (sameBytes(b, shape.tS[k]!, shape.tE[k]!, ks, ke)) return FAST_FALLBACK;
    }
    i++;
    if (i >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
    let c = b[i]!;
    let type: number;
    if (c === 34) {
      // String: to the next unescaped quote, on this physical line.
      i++;
      const ss = i;
      for (;;) {
        if (i >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
        c = b[i]!;
        if (c === 92) {
          if (i + 2 >= len) return final ? FAST_FALLBACK : FAST_INCOMPLETE;
          if (b[i + 1] === 10) return FAST_FALLBACK;
          i += 2;
          continue;
        }
        if (c === 34) break;
        if (c === 10) return FAST_FALLBACK;
        i++;
      }
      if (i - ss > cfg.maxStringBytes) return FAST_FALLBACK;
      i++;
      type = F_STRING;
    } else if (c === 116 || c === 84 || c === 102 || c === 70) {
      const vs = i;
      for (;;) {
        if (i >= len) {
          if (!final) return FAST_INCOMPLETE;
          break;
        }
        c = b[i]!;
        if (c === 44 || c === 32 || c === 10) break;
        i++;
      }
      if (i - vs > 1 && !isBoolWord(b, vs, i - vs)) return FAST_FALLBACK;
      type = F_BOOL;
    } else {
      // Numbers, parsed in the same pass: -?digits then `i`, `u`, or (.digits)?([eE][+-]?digits)?
      const vs = i;
      if (c === 45) i++;
      const d0 = i;
      while (i < len && (c = b[i]!) >= 48 && c <= 57) i++;
      const intDigits = i - d0;
      if (intDigits === 0) return i >= len && !final ? FAST_INCOMPLETE : FAST_FALLBACK;
      if (i >= len) {
        if (!final) return FAST_INCOMPLETE;
        type = F_FLOAT;
      } else if (c === 105 /* i */) {
        if (intDigits > 18) return FAST_FALLBACK;
        i++;
        type = F_INT;
      } else if (c === 117 /* u */) {
        if (!cfg.unsigned || b[vs] === 45 || intDigits > 19) return FAST_FALLBACK;
        i++;
        type = F_UINT;
      } else {
        type = F_FLOAT;
        if (c === 46) {
          i++;
          const f0 = i;
          while (i < len && (c = b[i]!) >= 48 && c <= 57) i++;
          if (i === f0) return i >= len && !final ? FAST_INCOMPLETE : FAST_FALLBACK; // `1.` is a portability hint
        }
        if (i < len && (c === 101 || c === 69)) {
          i++;
          if (i < len && (b[i] === 43 || b[i] === 45)) i++;
          const x0 = i;
          let exp = 0;
          while (i < len && (c = b[i]!) >= 48 && c <= 57) {
            exp = exp * 10 + (c - 48);
            i++;
          }
          // Overflow needs a huge exponent: leave anything beyond ±290 to the engine.
          if (i === x0 || exp + intDigits >= 290) return i >= len && !final ? FAST_INCOMPLETE : FAST_FALLBACK;
        }
      }
      if (i >= len) {
        if (!final) return FAST_INCOMPLETE;
      } else {
        c = b[i]!;
        if (c !== 44 && c !== 32 && c !== 10) return FAST_FALLBACK;
      }
      if (i - vs >= 25) return FAST_FALLBACK;
    }
    shape.kS[nF] = ks;
    shape.kE[nF] = ke;
    shape.type[nF] = type;
    nF++;
    if (i >= len) {
      shape.nFields = nF;
      return final ? len : FAST_INCOMPLETE;
    }
    c = b[i]!;
    if (c === 44) {
      i++;
      continue;
    }
    break;
  }
  shape.nFields = nF;
  // Optional timestamp, then only spaces up to the newline.
  let c = b[i]!;
  if (c === 10) return i;
  if (c !== 32) return FAST_FALLBACK;
  while (i < len && b[i] === 32) i++;
  // Spaces after the fields and no timestamp: fine for Go, trailing content for InfluxDB 3.
  if (i >= len) return cfg.rust ? FAST_FALLBACK : final ? len : FAST_INCOMPLETE;
  c = b[i]!;
  if (c === 10) return cfg.rust ? FAST_FALLBACK : i;
  const ts = i;
  if (c === 45) i++;
  const ds = i;
  let v = 0;
  while (i < len) {
    c = b[i]!;
    if (!isDigit(c)) break;
    v = v * 10 + (c - 48);
    i++;
  }
  if (i === ds || i - ds > 19) return FAST_FALLBACK;
  if (b[ts] === 45) v = -v;
  while (i < len && b[i] === 32) i++;
  if (i >= len) {
    if (!final) return FAST_INCOMPLETE;
  } else if (b[i] !== 10) return FAST_FALLBACK;
  // Range and precision guard, with a margin: anything close to a bound is the engine's call.
  const ns = v * cfg.multiplier;
  if (!(ns > cfg.minNs && ns < cfg.maxNs)) return FAST_FALLBACK;
  return i;
}

function isBoolWord(b: Uint8Array, a: number, n: number): boolean {
  const c = b[a]!;
  if (n === 4) {
    const w = String.fromCharCode(c, b[a + 1]!, b[a + 2]!, b[a + 3]!);
    return w === 'true' || w === 'True' || w === 'TRUE';
  }
  if (n === 5) {
    const w = String.fromCharCode(c, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!);
    return w === 'false' || w === 'False' || w === 'FALSE';
  }
  return false;
}

/** Byte version of the entry splitter (`scanLine`), for entries the fast lane hands over. */
export function scanEntryEndBytes(s: Uint8Array, i: number, len: number, final: boolean): number {
  let quoted = false;
  let fields = false;
  let equals = 0;
  let commas = 0;
  while (i < len) {
    const c = s[i]!;
    if (c === 92) {
      if (i + 2 < len) {
        i += 2;
        continue;
      }
      if (!final) return -1;
    }
    if (c === 32) fields = true;
    else if (fields) {
      if (!quoted && c === 61) {
        equals++;
        i++;
        continue;
      } else if (!quoted && c === 44) {
        commas++;
        i++;
        continue;
      } else if (c === 34 && equals > commas) {
        quoted = !quoted;
        i++;
        continue;
      }
    }
    if (c === 10 && !quoted) return i;
    i++;
  }
  return final ? len : -1;
}

/**
 * UTF-8 → string without TextDecoder (not available to shared/). Invalid sequences become U+FFFD,
 * one per offending byte.
 */
export function decodeUtf8(b: Uint8Array, a: number, e: number): string {
  let out = '';
  let i = a;
  while (i < e) {
    // ASCII runs in blocks.
    let j = i;
    while (j < e && b[j]! < 0x80 && j - i < 4096) j++;
    if (j > i) {
      out += String.fromCharCode.apply(null, b.subarray(i, j) as unknown as number[]);
      i = j;
      continue;
    }
    const c = b[i]!;
    let cp = -1;
    let need = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      cp = c & 0x1f;
      need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = c & 0x0f;
      need = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = c & 0x07;
      need = 3;
    }
    if (cp < 0 || i + need >= e + (need > 0 ? 0 : 1)) {
      out += '\ufffd';
      i++;
      continue;
    }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || i + k >= e || (d & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (d & 0x3f);
    }
    if (
      !ok ||
      (need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
      (need === 3 && (cp < 0x10000 || cp > 0x10ffff))
    ) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
