/**
 * Internal scanning primitives shared by both parser ports: the entry splitter and the reusable
 * result record. Everything works on a JS string with absolute UTF-16 offsets so that the hot path
 * never copies a line; only ASCII delimiters are significant in line protocol, so UTF-16 offsets
 * make the same decisions as the servers' byte offsets.
 */

/** Field type tags used on the hot path (indices into {@link FIELD_TYPE_NAMES}). */
export const T_FLOAT = 0;
export const T_INT = 1;
export const T_UINT = 2;
export const T_STRING = 3;
export const T_BOOL = 4;

/** Type names by tag, as InfluxDB spells them. */
export const FIELD_TYPE_NAMES = ['float', 'integer', 'unsigned', 'string', 'boolean'] as const;

/**
 * The outcome of scanning one entry, reused across entries to avoid allocation. Ranges are
 * absolute offsets `[start, end)` into the scanned string.
 */
export class EntryScan {
  /** `point`, `blank` or `comment`. */
  kind: 'point' | 'blank' | 'comment' = 'blank';
  /** Content start (after leading whitespace) and end. */
  start = 0;
  end = 0;
  /** Parse error code (`''` when the parser accepts the entry), the reason in the server's words, and its range. */
  errCode = '';
  errReason = '';
  errStart = 0;
  errEnd = 0;
  measStart = 0;
  measEnd = 0;
  nTags = 0;
  readonly tagKS: number[] = [];
  readonly tagKE: number[] = [];
  readonly tagVS: number[] = [];
  readonly tagVE: number[] = [];
  nFields = 0;
  readonly fKS: number[] = [];
  readonly fKE: number[] = [];
  readonly fVS: number[] = [];
  readonly fVE: number[] = [];
  readonly fType: number[] = [];
  /** Timestamp digits range; `tsStart < 0` when the entry has no timestamp. */
  tsStart = -1;
  tsEnd = -1;
  /** Timestamp in nanoseconds when it was converted exactly (`null` when absent or not computed). */
  tsNs: bigint | null = null;

  reset(start: number, end: number): void {
    this.kind = 'point';
    this.start = start;
    this.end = end;
    this.errCode = '';
    this.errReason = '';
    this.nTags = 0;
    this.nFields = 0;
    this.tsStart = -1;
    this.tsEnd = -1;
    this.tsNs = null;
  }

  fail(code: string, reason: string, start: number, end: number): false {
    this.errCode = code;
    this.errReason = reason;
    this.errStart = start;
    this.errEnd = end > start ? end : start + 1;
    return false;
  }

  addTag(ks: number, ke: number, vs: number, ve: number): void {
    const n = this.nTags++;
    this.tagKS[n] = ks;
    this.tagKE[n] = ke;
    this.tagVS[n] = vs;
    this.tagVE[n] = ve;
  }

  addField(ks: number, ke: number, vs: number, ve: number, type: number): void {
    const n = this.nFields++;
    this.fKS[n] = ks;
    this.fKE[n] = ke;
    this.fVS[n] = vs;
    this.fVE[n] = ve;
    this.fType[n] = type;
  }
}

/** Number of `\n` the last {@link scanEntryEnd} call stepped over inside the entry. */
export let scannedNewlines = 0;

/**
 * Finds where the entry starting at `i` ends: the offset of the `\n` that terminates it, or `len`.
 * Mirrors InfluxDB's `scanLine` (Go) / `split_lines` (Rust): a newline ends an entry unless it is
 * inside a double-quoted field value; quote state is tracked only after the first space, and a
 * quote toggles only once more `=` than `,` have been seen; a backslash skips the next character.
 *
 * `goEscape`: Go skips an escaped character only when two more bytes follow (`i+2 < len`), Rust
 * always does; the difference shows only at the very end of the body.
 *
 * With `final` false (streaming, more input may follow), returns -1 when the answer depends on
 * input not seen yet.
 */
export function scanEntryEnd(s: string, i: number, len: number, goEscape: boolean, final: boolean): number {
  let quoted = false;
  let fields = false;
  let equals = 0;
  let commas = 0;
  let nl = 0;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      if (i + 2 < len) {
        if (s.charCodeAt(i + 1) === 10) nl++;
        i += 2;
        continue;
      }
      // Near the end of what we have: the decision depends on whether more input follows.
      if (!final) return -1;
      if (!goEscape) {
        if (i + 1 < len && s.charCodeAt(i + 1) === 10) nl++;
        i += 2;
        continue;
      }
    }
    if (c === 32) {
      fields = true;
    } else if (fields) {
      if (!quoted && c === 61 /* = */) {
        equals++;
        i++;
        continue;
      } else if (!quoted && c === 44 /* , */) {
        commas++;
        i++;
        continue;
      } else if (c === 34 /* " */ && equals > commas) {
        quoted = !quoted;
        i++;
        continue;
      }
    }
    if (c === 10) {
      if (!quoted) {
        scannedNewlines = nl;
        return i;
      }
      nl++;
    }
    i++;
  }
  scannedNewlines = nl;
  if (!final) return -1;
  return i > len ? len : i;
}

/** UTF-8 byte length of `s[a, b)` (lone surrogates count 3, as WTF-8 would). */
export function utf8Length(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < b) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Whether `s[a, b)` contains a backslash. */
export function hasBackslash(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (s.charCodeAt(i) === 92) return true;
  return false;
}
