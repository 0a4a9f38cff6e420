/**
 * JSON parsing that keeps integers beyond 2^53 exact.
 *
 * InfluxDB writes int64 fields and `epoch=ns` times as bare JSON numbers; `JSON.parse` rounds them
 * (1700000000123456789 becomes 1700000000123456800). Rather than a slow hand-written parser, unsafe
 * integer literals are rewritten into marked strings before the native `JSON.parse` runs: a cell
 * that is an exact integer is a string starting with {@link EXACT_INT_MARK} followed by its digits.
 * Strings in the document are skipped by the scan, so their contents are never touched.
 */

/** Prefix of a cell holding an integer too large for a JS number. NUL cannot occur in JSON output of InfluxDB names. */
export const EXACT_INT_MARK = '\u0000';

/** A parsed cell: numbers, strings, booleans, null, or an exact integer (marked string). */
export type Cell = string | number | boolean | null;

/** True when a cell is an exact integer that did not fit a JS number. */
export function isExactInt(cell: Cell): cell is string {
  return typeof cell === 'string' && cell.charCodeAt(0) === 0;
}

/** The decimal digits of a cell that holds an integer (exact or not), else null. */
export function integerDigits(cell: Cell): string | null {
  if (isExactInt(cell)) return cell.slice(1);
  if (typeof cell === 'number' && Number.isInteger(cell)) return String(cell);
  return null;
}

/** A cell as plain text for tables, CSV and line protocol (exact integers without their mark). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (isExactInt(cell)) return cell.slice(1);
  return String(cell);
}

const SAFE_DIGITS = '9007199254740991';

/** Parses JSON, keeping unsafe integers exact as marked strings. */
export function parseExactJson(text: string): unknown {
  // Fast path: without a run of 16 digits there is nothing to protect.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  // Native parse (fast), then put the exact digits back where the parser rounded: the unsafe literals
  // appear in the text in the same order as a depth-first walk meets them (objects with integer-like
  // keys, which JS reorders, and any count mismatch fall back to the always-correct rewrite path).
  const exact = markedUnsafeIntegers(text);
  const value = JSON.parse(text) as unknown;
  const state = { next: 0, ok: true };
  const patched = patch(value, exact, state);
  if (state.ok && state.next === exact.length) return patched;
  return JSON.parse(markUnsafeIntegers(text));
}

function patch(v: unknown, exact: readonly string[], state: { next: number; ok: boolean }): unknown {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) || !Number.isInteger(v)) return v;
    const marked = exact[state.next++];
    if (marked === undefined) {
      state.ok = false;
      return v;
    }
    return marked;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as unknown;
      if (typeof item === 'number') {
        if (!Number.isSafeInteger(item) && Number.isInteger(item)) v[i] = patch(item, exact, state);
      } else if (item !== null && typeof item === 'object') patch(item, exact, state);
    }
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    // Integer-like keys are reordered by JS objects, which would break the text order.
    if (keys.some((k) => /^\d+$/.test(k))) state.ok = false;
    for (const k of keys) o[k] = patch(o[k], exact, state);
  }
  return v;
}

/** The unsafe integer literals of a JSON text, in order (strings skipped), as marked cells. */
export function markedUnsafeIntegers(s: string): string[] {
  const found: string[] = [];
  scanIntegers(s, (start, end) => {
    found.push(EXACT_INT_MARK + s.slice(start, end));
  });
  return found;
}

/**
 * Calls `onUnsafe(start, end)` for every integer literal beyond ±(2^53-1) outside strings. String
 * literals are jumped over with the native indexOf; only the text between them is walked.
 */
function scanIntegers(s: string, onUnsafe: (start: number, end: number) => void): boolean {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      // The closing quote is one not preceded by an odd number of backslashes.
      let j = s.indexOf('"', i + 1);
      while (j > 0) {
        let k = j - 1;
        while (s.charCodeAt(k) === 92 /* backslash */) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = s.indexOf('"', j + 1);
      }
      if (j < 0) return false; // unterminated string: JSON.parse will report it
      i = j + 1;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      const start = i;
      if (c === 45) i++;
      const digitsStart = i;
      while (i < n) {
        const d = s.charCodeAt(i);
        if (d < 48 || d > 57) break;
        i++;
      }
      const next = s.charCodeAt(i);
      if (next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) {
        while (i < n) {
          const d = s.charCodeAt(i);
          if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
          i++;
        }
        continue;
      }
      const len = i - digitsStart;
      if (len > 16 || (len === 16 && s.slice(digitsStart, i) > SAFE_DIGITS)) onUnsafe(start, i);
      continue;
    }
    i++;
  }
  return true;
}

/** Rewrites integer literals beyond ±(2^53-1) into marked strings (the slow, always-correct path). */
export function markUnsafeIntegers(s: string): string {
  const parts: string[] = [];
  let last = 0;
  scanIntegers(s, (start, end) => {
    parts.push(s.slice(last, start), '"\\u0000', s.slice(start, end), '"');
    last = end;
  });
  if (last === 0) return s;
  parts.push(s.slice(last));
  return parts.join('');
}

/** A whole JSON document from the splitter, with its unsafe integer literals already found. */
export interface SplitDocument {
  readonly text: string;
  /** The unsafe integer literals in text order, as marked cells (see {@link EXACT_INT_MARK}). */
  readonly exact: string[];
}

/**
 * Parses a document from {@link JsonDocumentSplitter.pushDocuments}: the native parser plus the
 * exact literals the splitter already collected, so the text is walked once in all.
 */
export function parseSplitDocument(doc: SplitDocument): unknown {
  const value = JSON.parse(doc.text) as unknown;
  if (doc.exact.length === 0) return value;
  const state = { next: 0, ok: true };
  const patched = patch(value, doc.exact, state);
  if (state.ok && state.next === doc.exact.length) return patched;
  return JSON.parse(markUnsafeIntegers(doc.text));
}

/**
 * Splits a stream of concatenated JSON documents (1.x: one per line; 3.x: back to back with no
 * delimiter) into whole documents, across chunk boundaries. In the same pass it collects the integer
 * literals too large for a JS number, so parsing needs no second walk over the text.
 */
export class JsonDocumentSplitter {
  // Pieces of the document in progress. Chunks are scanned one by one and joined only when a
  // document completes: appending to one growing string and re-scanning it flattened the whole
  // buffer on every chunk, which made a large single document (non-chunked 1.x) quadratic.
  private pending: string[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  // An integer literal cut by a chunk boundary: its text so far, or null.
  private number: string | null = null;
  private numberIsFloat = false;
  private exact: string[] = [];

  /** Feeds a chunk; returns the documents it completed. */
  push(chunk: string): string[] {
    return this.pushDocuments(chunk).map((d) => d.text);
  }

  /** Feeds a chunk; returns the documents it completed, with their unsafe integer literals. */
  pushDocuments(chunk: string): SplitDocument[] {
    const docs: SplitDocument[] = [];
    const s = chunk;
    const n = s.length;
    let from = this.depth > 0 ? 0 : -1;
    let i = 0;
    if (this.number !== null) i = this.continueNumber(s, 0);
    while (i < n) {
      if (this.inString) {
        let lo = i;
        if (this.escaped) {
          this.escaped = false;
          lo = ++i;
        }
        // Jump to the closing quote: one not preceded by an odd run of backslashes.
        let j = s.indexOf('"', i);
        for (;;) {
          if (j < 0) {
            let k = n - 1;
            while (k >= lo && s.charCodeAt(k) === 92) k--;
            this.escaped = (n - 1 - k) % 2 === 1;
            i = n;
            break;
          }
          let k = j - 1;
          while (k >= lo && s.charCodeAt(k) === 92) k--;
          if ((j - 1 - k) % 2 === 0) {
            this.inString = false;
            i = j + 1;
            break;
          }
          j = s.indexOf('"', j + 1);
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 34) {
        if (this.depth > 0) this.inString = true;
        i++;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.depth === 0) from = i;
        this.depth++;
        i++;
      } else if ((c === 125 /* } */ || c === 93) /* ] */ && this.depth > 0) {
        this.depth--;
        i++;
        if (this.depth === 0) {
          const piece = s.slice(from, i);
          docs.push({ text: this.pending.length ? this.pending.join('') + piece : piece, exact: this.exact });
          this.pending = [];
          this.exact = [];
          from = -1;
        }
      } else if (this.depth > 0 && ((c >= 48 && c <= 57) || c === 45)) {
        this.number = '';
        this.numberIsFloat = false;
        i = this.continueNumber(s, i);
      } else i++;
    }
    if (this.depth > 0 && from >= 0) this.pending.push(s.slice(from));
    return docs;
  }

  /** Consumes a number literal from `i`; records it when it is an unsafe integer. Returns the next index. */
  private continueNumber(s: string, i: number): number {
    const start = i;
    const n = s.length;
    while (i < n) {
      const d = s.charCodeAt(i);
      if (d >= 48 && d <= 57) i++;
      else if (d === 45 || d === 43) i++; // sign (leading, or in an exponent)
      else if (d === 46 || d === 101 || d === 69) {
        this.numberIsFloat = true;
        i++;
      } else break;
    }
    if (i === n) {
      this.number = (this.number ?? '') + s.slice(start, i); // may continue in the next chunk
      return i;
    }
    // Only integers of 16+ characters can be unsafe: build a string for those alone (the hot path
    // sees millions of small numbers).
    const carried = this.number;
    this.number = null;
    if (this.numberIsFloat) return i;
    const length = (carried === null ? 0 : carried.length) + i - start;
    if (length < 16) return i;
    const text = carried === null ? s.slice(start, i) : carried + s.slice(start, i);
    const digits = text.charCodeAt(0) === 45 ? text.length - 1 : text.length;
    if (digits > 16 || (digits === 16 && text.slice(text.length - 16) > SAFE_DIGITS)) this.exact.push(EXACT_INT_MARK + text);
    return i;
  }

  /** Text left over that is not a whole document (whitespace is ignored). */
  rest(): string {
    return this.pending.join('').trim();
  }
}
