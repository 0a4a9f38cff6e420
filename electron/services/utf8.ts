import { isUtf8 } from 'node:buffer';

import type { Utf8Decoder } from '../../shared/query/json-stream';

/** Node's native UTF-8 decoder over a byte range (shared/ has only a pure-JS one). */
export const decodeUtf8Native: Utf8Decoder = (bytes, start, end) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');

/** The first byte that is not UTF-8: where it is (1-based line and column, in characters) and its value. */
export interface Utf8Error {
  readonly line: number;
  readonly column: number;
  /** Offset of the byte from the start of the input. */
  readonly offset: number;
  readonly byte: number;
}

/**
 * Checks a byte stream for invalid UTF-8 without decoding it. Why: decoding replaces a bad byte with
 * U+FFFD, and a body sent that way is a different series key from the one curl sends (`caf\xe9`).
 * Clean chunks cost one native `isUtf8` call; only a failing chunk is walked byte by byte to say where.
 */
export class Utf8Check {
  private offset = 0;
  private line = 1;
  // Characters since the last LF, for the column of an error in a line that started in an earlier chunk.
  private column = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private error: Utf8Error | null = null;

  /** The first error so far, or null. */
  get firstError(): Utf8Error | null {
    return this.error;
  }

  /** Feeds a chunk; returns the first error once found (and keeps returning it). */
  push(chunk: Uint8Array): Utf8Error | null {
    if (this.error !== null) return this.error;
    const data = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    const base = this.offset - this.carry.length;
    const tail = incompleteTail(data);
    const complete = data.subarray(0, data.length - tail);
    if (!isUtf8(complete)) {
      const bad = firstInvalid(complete);
      this.error = this.locate(complete, bad, base);
      return this.error;
    }
    this.advance(complete);
    this.carry = data.slice(data.length - tail);
    this.offset += chunk.length;
    return null;
  }

  /** Ends the stream: a sequence cut off by the end of the input is an error too. */
  end(): Utf8Error | null {
    if (this.error === null && this.carry.length > 0) {
      this.error = {
        line: this.line,
        column: this.column + 1,
        offset: this.offset - this.carry.length,
        byte: this.carry[0]!,
      };
    }
    return this.error;
  }

  private advance(b: Uint8Array): void {
    let last = -1;
    for (let k = b.indexOf(10); k >= 0; k = b.indexOf(10, k + 1)) {
      this.line++;
      last = k;
    }
    if (last >= 0) this.column = 0;
    this.column += countChars(b, last + 1, b.length);
  }

  private locate(b: Uint8Array, bad: number, base: number): Utf8Error {
    this.advance(b.subarray(0, bad));
    return { line: this.line, column: this.column + 1, offset: base + bad, byte: b[bad]! };
  }
}

/** The first invalid UTF-8 error in a whole buffer, or null. */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Error | null {
  const check = new Utf8Check();
  return check.push(bytes) ?? check.end();
}

/** A one-line message naming where the input stops being UTF-8 and what to do. */
export function utf8ErrorMessage(name: string, e: Utf8Error): string {
  const hex = e.byte.toString(16).toUpperCase().padStart(2, '0');
  return (
    `${name}:${e.line}:${e.column}: not valid UTF-8 (byte 0x${hex} at offset ${e.offset}). Line protocol is UTF-8; ` +
    `sending this byte would need replacing it, which changes the series key or value. Convert the file ` +
    `(e.g. iconv -f latin1 -t utf-8) or fix the byte.`
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** How many bytes at the end start a multi-byte sequence that the next chunk may complete. */
function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Characters (code points) in `b[from, to)` of valid UTF-8: the bytes that are not continuations. */
function countChars(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((b[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (b is known to be invalid). */
function firstInvalid(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need > n - 1) return i;
    const b1 = b[i + 1]!;
    // Overlong forms, surrogates and code points beyond U+10FFFF (RFC 3629 table).
    if (
      (c === 0xe0 && b1 < 0xa0) ||
      (c === 0xed && b1 > 0x9f) ||
      (c === 0xf0 && b1 < 0x90) ||
      (c === 0xf4 && b1 > 0x8f)
    )
      return i;
    for (let k = 1; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}
