/**
 * Streaming `/query` answers from raw bytes into parsed documents, with every int64 exact.
 *
 * Why bytes, and why a rewrite: `JSON.parse` rounds integers beyond 2^53 (`epoch=ns` times, int64
 * fields), and patching the parsed tree afterwards meant allocating one string per big integer in JS,
 * which cost more than the parse itself on a 1,000,000-row answer. Instead, one pass over the bytes
 * copies them into an output buffer and rewrites each integer literal beyond ±(2^53−1) into the JSON
 * string `"\udc00<digits>"` (see {@link EXACT_INT_MARK}). The native parser then creates the marked
 * cells itself, as cheaply as the numbers they replace. The same pass tracks bracket depth, so it also
 * finds where each top-level document ends: 1.x writes one per line, 3.x writes them back to back.
 *
 * The pass is a real lexer for strings and numbers, not a pattern match: digits inside strings, float
 * literals (`1.5`, `1e300`, `0.30000000000000004`) and safe integers are copied untouched, and a token
 * or a UTF-8 sequence cut by a chunk boundary is carried over to the next chunk.
 */

import { decodeUtf8 } from '../lp/fast-bytes';
import { unmarkExactIntegers } from './exact-json';

/** Decodes `bytes[start, end)` as UTF-8. Main passes Node's native decoder; the default is pure JS. */
export type Utf8Decoder = (bytes: Uint8Array, start: number, end: number) => string;

/** One top-level document of the stream: its parsed value, or why it is not valid JSON. */
export type StreamedDocument =
  { readonly value: unknown; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

// Byte classes for the main loop: 0 other, 1 number start, 2 quote, 4 open bracket, 5 close bracket.
const CLASS = new Uint8Array(256);
for (let c = 48; c <= 57; c++) CLASS[c] = 1;
CLASS[45] = 1; // -
CLASS[34] = 2; // "
CLASS[123] = 4; // {
CLASS[91] = 4; // [
CLASS[125] = 5; // }
CLASS[93] = 5; // ]
// Bytes that can continue a number token: 1 digit, 2 a float or exponent character.
const NUMBER = new Uint8Array(256);
for (let c = 48; c <= 57; c++) NUMBER[c] = 1;
for (const c of [46, 101, 69, 43, 45]) NUMBER[c] = 2; // . e E + -

// 2^53 − 1 as ASCII digits: a 16-digit integer is unsafe only when it is larger.
const SAFE_DIGITS = [57, 48, 48, 55, 49, 57, 57, 50, 53, 52, 55, 52, 48, 57, 57, 49];
// `"\udc00` (see EXACT_INT_MARK): what goes before the digits of an unsafe integer (and `"` after them).
const MARK_OPEN = [34, 92, 117, 100, 99, 48, 48];

// Scanner state, in an Int32Array so the hot function below reads and writes it without property
// lookups (a plain object made V8 deoptimize the loop at every chunk end).
const OUT = 0; // bytes written to the output buffer
const DEPTH = 1; // bracket depth; 0 between documents
const NUMBER_START = 2; // output offset of a number token cut by the chunk end, or -1
const NUMBER_IS_INT = 3; // 1 while that token has only digits (and a leading minus)
const IN_STRING = 4; // 0 outside strings, 1 inside, 2 inside right after a backslash
const DOC_END = 5; // set by scan() when a document just closed

/**
 * Splits a byte stream of concatenated JSON documents and parses each, keeping integers beyond
 * ±(2^53−1) exact as marked strings. Bytes between documents (whitespace, newlines, stray text) are
 * ignored, as they were by influxd's own clients.
 */
export class JsonDocumentStream {
  private out = new Uint8Array(1 << 17);
  private readonly state = new Int32Array(6);
  // Decoded text of the document in progress, one piece per chunk.
  private pieces: string[] = [];

  constructor(private readonly decode: Utf8Decoder = decodeUtf8) {
    this.state[NUMBER_START] = -1;
  }

  /** Feeds a chunk; returns the documents it completed. */
  push(chunk: Uint8Array): StreamedDocument[] {
    const s = this.state;
    const n = chunk.length;
    // Room for the chunk plus its rewrites: each rewrite adds 8 bytes to a literal of 16 or more.
    const need = s[OUT]! + 2 * n + 64; // and 7 spare bytes for a number written ahead
    if (this.out.length < need) {
      const grown = new Uint8Array(Math.max(this.out.length * 2, need));
      grown.set(this.out.subarray(0, s[OUT]));
      this.out = grown;
    }
    const out = this.out;
    const docs: StreamedDocument[] = [];
    let i = this.resume(chunk, out);
    while (i < n) {
      i = scan(chunk, i, n, out, s);
      if (s[DOC_END] === 1) {
        docs.push(this.parse(this.decode(out, 0, s[OUT]!)));
        s[OUT] = 0;
      }
    }
    if (s[DEPTH]! > 0) this.flush(out);
    return docs;
  }

  /** The unfinished document (as the server sent it), or '' when the stream ended between documents. */
  rest(): string {
    const text = this.pieces.join('') + this.decode(this.out, 0, this.state[OUT]!);
    return unmarkExactIntegers(text).trim();
  }

  private parse(last: string): StreamedDocument {
    const text = this.pieces.length > 0 ? this.pieces.join('') + last : last;
    this.pieces = [];
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  /** Finishes a string or number token that the previous chunk cut. Returns where scanning goes on. */
  private resume(b: Uint8Array, out: Uint8Array): number {
    const s = this.state;
    const n = b.length;
    let i = 0;
    let o = s[OUT]!;
    if (s[IN_STRING] !== 0) {
      if (s[IN_STRING] === 2 && i < n) {
        out[o++] = b[i++]!;
        s[IN_STRING] = 1;
      }
      while (i < n) {
        const d = b[i++]!;
        out[o++] = d;
        if (d === 34) {
          s[IN_STRING] = 0;
          break;
        }
        if (d === 92) {
          if (i === n) {
            s[IN_STRING] = 2;
            break;
          }
          out[o++] = b[i++]!;
        }
      }
    } else if (s[NUMBER_START]! >= 0) {
      const start = s[NUMBER_START]!;
      let isInt = s[NUMBER_IS_INT] === 1;
      while (i < n) {
        const k = NUMBER[b[i]!]!;
        if (k === 0) break;
        if (k === 2) isInt = false;
        out[o++] = b[i++]!;
      }
      if (i < n) {
        if (isInt && isUnsafeInteger(out, start, o)) {
          for (let q = o - 1; q >= start; q--) out[q + 7] = out[q]!;
          for (let k = 0; k < 7; k++) out[start + k] = MARK_OPEN[k]!;
          o += 7;
          out[o++] = 34;
        }
        s[NUMBER_START] = -1;
      } else s[NUMBER_IS_INT] = isInt ? 1 : 0;
    }
    s[OUT] = o;
    return i;
  }

  /**
   * Decodes what the chunk added to the document in progress, keeping back a number token that may go
   * on (it is not known yet whether it needs rewriting) and a UTF-8 sequence cut in the middle.
   */
  private flush(out: Uint8Array): void {
    const s = this.state;
    const o = s[OUT]!;
    let keep = s[NUMBER_START]! >= 0 ? s[NUMBER_START]! : o;
    let lead = keep - 1;
    while (lead >= 0 && keep - lead <= 3 && (out[lead]! & 0xc0) === 0x80) lead--;
    if (lead >= 0 && out[lead]! >= 0xc0) {
      const length = out[lead]! >= 0xf0 ? 4 : out[lead]! >= 0xe0 ? 3 : 2;
      if (keep - lead < length) keep = lead;
    }
    if (keep === 0) return;
    this.pieces.push(this.decode(out, 0, keep));
    out.copyWithin(0, keep, o);
    if (s[NUMBER_START]! >= 0) s[NUMBER_START] = s[NUMBER_START]! - keep;
    s[OUT] = o - keep;
  }
}

/**
 * The hot loop: copies `b[i, n)` into `out`, rewriting unsafe integer literals, until a document
 * closes (then `DOC_END` is set) or the chunk ends. Returns the next index. Kept free of calls and
 * property access so V8 compiles it once and keeps it.
 */
function scan(b: Uint8Array, i: number, n: number, out: Uint8Array, s: Int32Array): number {
  let o = s[OUT]!;
  let depth = s[DEPTH]!;
  s[DOC_END] = 0;
  if (depth === 0) {
    // Between documents: skip to the next one. Inside, the loop below returns as soon as depth is 0
    // again, so it needs no check of its own.
    while (i < n && CLASS[b[i]!] !== 4) i++;
    if (i === n) return n;
  }
  while (i < n) {
    const c = b[i++]!;
    const k = CLASS[c]!;
    if (k === 0) {
      out[o++] = c;
      continue;
    }
    if (k === 1) {
      // Digits are written 7 bytes ahead, where they belong if the literal turns out to be an unsafe
      // integer (then `"\udc00` goes in front, with no copy); other numbers move back, and those are
      // short. A single copy either way beat scanning first and copying after.
      const at = o;
      let p = o + 7;
      out[p++] = c;
      while (i < n) {
        const d = b[i]!;
        if ((d - 48) >>> 0 > 9) break; // not a digit (one unsigned compare)
        out[p++] = d;
        i++;
      }
      if (p - at >= 23 && i < n && NUMBER[b[i]!] === 0 && isUnsafeInteger(out, at + 7, p)) {
        for (let q = 0; q < 7; q++) out[at + q] = MARK_OPEN[q]!;
        o = p;
        out[o++] = 34;
        continue;
      }
      for (let q = at + 7; q < p; q++) out[o++] = out[q]!;
      let isInt = 1;
      if (i < n && NUMBER[b[i]!] === 2) {
        // A float or exponent: copied as is.
        isInt = 0;
        while (i < n && NUMBER[b[i]!] !== 0) out[o++] = b[i++]!;
      }
      if (i === n) {
        // The token may go on in the next chunk.
        s[NUMBER_START] = at;
        s[NUMBER_IS_INT] = isInt;
      }
      continue;
    }
    out[o++] = c;
    if (k === 2) {
      for (;;) {
        if (i === n) {
          s[IN_STRING] = 1;
          break;
        }
        const d = b[i++]!;
        out[o++] = d;
        if (d === 34) break;
        if (d === 92) {
          if (i === n) {
            s[IN_STRING] = 2;
            break;
          }
          out[o++] = b[i++]!;
        }
      }
      continue;
    }
    if (k === 4) {
      depth++;
      continue;
    }
    if (--depth === 0) {
      s[DOC_END] = 1;
      break;
    }
  }
  s[OUT] = o;
  s[DEPTH] = depth;
  return i;
}

/**
 * True when `b[start, end)` (an optional minus and digits) is an integer beyond ±(2^53−1). A leading
 * zero is invalid JSON: it is left for `JSON.parse` to reject rather than rewritten into a valid string.
 */
function isUnsafeInteger(b: Uint8Array, start: number, end: number): boolean {
  const first = b[start] === 45 ? start + 1 : start;
  const length = end - first;
  if (length < 16 || b[first] === 48) return false;
  if (length > 16) return true;
  for (let k = 0; k < 16; k++) {
    const d = b[first + k]!;
    if (d !== SAFE_DIGITS[k]) return d > SAFE_DIGITS[k]!;
  }
  return false;
}
