/**
 * JSON parsing that keeps integers beyond 2^53 exact.
 *
 * InfluxDB writes int64 fields and `epoch=ns` times as bare JSON numbers; `JSON.parse` rounds them
 * (1700000000123456789 becomes 1700000000123456800). Rather than a slow hand-written parser, unsafe
 * integer literals are rewritten into marked strings before the native `JSON.parse` runs: a cell
 * that is an exact integer is a string starting with {@link EXACT_INT_MARK} followed by its digits.
 * Strings in the document are skipped by the rewrite, so their contents are never touched.
 */

/**
 * Prefix of a cell holding an integer too large for a JS number: U+DC00, a lone low surrogate.
 *
 * Why this and not NUL (the mark used before): a stored string may start with NUL and digits
 * (`d="\x00123"` is valid line protocol), and it came back as the number 123. A lone surrogate is
 * not a character, so no text contains one: every string an InfluxDB server returns is UTF-8 (1.x/2.x
 * encode with Go's encoding/json, which writes invalid bytes as U+FFFD; 3.x strings are Arrow UTF-8),
 * and neither encoder writes a surrogate escape. The mark can therefore never be a server value.
 */
export const EXACT_INT_MARK = '\udc00';
const MARK_CODE = 0xdc00;

/** A parsed cell: numbers, strings, booleans, null, or an exact integer (marked string). */
export type Cell = string | number | boolean | null;

/** True when a cell is an exact integer that did not fit a JS number. */
export function isExactInt(cell: Cell): cell is string {
  return typeof cell === 'string' && cell.charCodeAt(0) === MARK_CODE;
}

/** A cell as plain text for tables, CSV and line protocol (exact integers without their mark, `-0` as `-0`). */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (isExactInt(cell)) return cell.slice(1);
  // String(-0) is "0": the server's -0 (a float 1.x stores and returns) would print as 0.
  if (cell === 0 && 1 / cell < 0) return '-0';
  return String(cell);
}

/** The inverse of {@link markUnsafeIntegers} on JSON text: each marked string becomes the bare integer. */
export function unmarkExactIntegers(json: string): string {
  // JSON.stringify writes the lone surrogate as the escape `\udc00` (well-formed JSON.stringify).
  return json.replace(/"\\udc00(-?\d+)"/g, '$1');
}

/**
 * JSON text with every exact integer written as a bare JSON number: marked cells (see
 * {@link EXACT_INT_MARK}) and bigints alike, which `JSON.stringify` would quote or refuse.
 */
export function stringifyExact(value: unknown, space?: number): string {
  return unmarkExactIntegers(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${EXACT_INT_MARK}${v}` : v), space),
  );
}

const SAFE_DIGITS = '9007199254740991';

/**
 * Parses a whole JSON text, keeping unsafe integers exact as marked strings. Streams of documents go
 * through {@link JsonDocumentStream} in `json-stream.ts` (bytes, one pass); this string form is the
 * simple reference the stream is tested against.
 */
export function parseExactJson(text: string): unknown {
  // Fast path: without a run of 16 digits there is nothing to protect.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(markUnsafeIntegers(text));
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
      // A leading zero is invalid JSON: leave it for JSON.parse to reject.
      if (s.charCodeAt(digitsStart) === 48) continue;
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
    parts.push(s.slice(last, start), '"\\udc00', s.slice(start, end), '"');
    last = end;
  });
  if (last === 0) return s;
  parts.push(s.slice(last));
  return parts.join('');
}
