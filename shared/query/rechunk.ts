/**
 * Bounded `/query` documents, whatever the server sends.
 *
 * A non-chunked answer is one JSON document, however large: parsing it needs the whole text in one
 * string (V8 caps strings at 2^29 − 24 units, and the parsed rows cost several times the text). This
 * byte-stream transformer cuts a long document between two rows of a `values` array into several
 * documents of the shape 1.x's own chunked mode sends: the series closed with `"partial":true`, and
 * the next document opening the same statement and series again. Downstream (JsonDocumentStream,
 * mergeQueryDocument) handles them like any chunked answer, so no document it sees is much larger
 * than {@link DEFAULT_CUT_BYTES}. Rows are passed through byte for byte: values come back unchanged.
 *
 * It also refuses what no InfluxDB sends and what would crash a recursive consumer: nesting deeper than
 * {@link MAX_QUERY_DEPTH}, and a single document over {@link MAX_UNCUT_DOCUMENT_BYTES} that offers no
 * place to cut.
 */

/** Documents are cut at the first row boundary after this many bytes. */
export const DEFAULT_CUT_BYTES = 4 * 1024 * 1024;
/** InfluxDB answers nest 7 deep (document → results → statement → series → series → values → row). */
export const MAX_QUERY_DEPTH = 32;
/** A document that cannot be cut (no `values` array to cut in) is refused above this size. */
export const MAX_UNCUT_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Why the stream cannot go on: the message is for the user. */
export class QueryStreamError extends Error {}

function tooDeep(): QueryStreamError {
  return new QueryStreamError(
    `The response nests deeper than ${MAX_QUERY_DEPTH} levels; no InfluxDB query result does. The server may be misbehaving.`,
  );
}

// Byte classes: 1 quote, 3 open bracket, 4 close bracket, 5 comma.
const CLASS = new Uint8Array(256);
CLASS[34] = 1;
CLASS[123] = 3;
CLASS[91] = 3;
CLASS[125] = 4;
CLASS[93] = 4;
CLASS[44] = 5;

/** ASCII text as bytes (every text injected here is ASCII). */
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const CLOSE = ascii('],"partial":true}]}]}\n');
const OPEN_RESULTS = ascii('{"results":[');
const KEY_RESULTS = 'results';
const KEY_SERIES = 'series';
const KEY_VALUES = 'values';
/** Longest header kept to reopen a statement or series (its fields before `series`/`values`). */
const MAX_HEADER_BYTES = 1024 * 1024;

/** The bytes that matter inside a row: `"` `\` `[` `{` `]` `}` (indexes used by the hot path). */
const HOT_BYTES = [34, 92, 91, 123, 93, 125];

/** Where HOT_BYTES[k] next occurs in `chunk` at or after `from` (chunk.length when it does not). */
function next(at: Int32Array, chunk: Uint8Array, k: number, from: number): number {
  let p = at[k]!;
  if (p < from) {
    p = chunk.indexOf(HOT_BYTES[k]!, from);
    if (p < 0) p = chunk.length;
    at[k] = p;
  }
  return p;
}

/**
 * Splits a stream of `/query` JSON documents into documents no larger than about `cutBytes` (see the
 * module comment). Feed raw response bytes to {@link push}; it returns the bytes to parse instead.
 */
export class QueryRechunker {
  private depth = 0;
  private inString = 0; // 0 outside, 1 inside, 2 right after a backslash
  // ok[d]: the container open at depth d is on the path root{ results[ statement{ series[ series{ values[.
  private readonly ok = new Uint8Array(MAX_QUERY_DEPTH + 2);
  // The last string closed at object level (depth ≤ 5), for the key of the next container.
  private key = '';
  private keyBytes: number[] | null = null;
  // Header of the open statement (its `{` … `"series":[`) and series (`{` … `"values":[`), as bytes.
  private stmt: number[] | null = null;
  private stmtHeader: Uint8Array | null = null;
  private series: number[] | null = null;
  private seriesHeader: Uint8Array | null = null;
  private docBytes = 0;
  private skipComma = false;

  constructor(private readonly cutBytes = DEFAULT_CUT_BYTES) {}

  /** Feeds a chunk; returns the pieces to parse, in order. Throws {@link QueryStreamError}. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = chunk.length;
    let from = 0; // start of the bytes not yet put in `out`
    let base = 0; // where the current document's bytes in this chunk start (for its size)
    let i = 0;
    const at = new Int32Array(HOT_BYTES.length).fill(-1);
    while (i < n) {
      if (this.depth >= 7 && this.inString === 0 && this.ok[6] === 1) {
        // Inside a row: the hot path. Only strings and brackets matter until the row closes, so it jumps
        // from one of `"` `\` `[` `{` `]` `}` to the next with the native indexOf (each position found
        // once per chunk, kept in `at`) instead of reading every byte in JS: a row is mostly digits.
        let depth = this.depth;
        let inString = 0;
        while (i < n) {
          if (inString !== 0) {
            if (inString === 2) {
              inString = 1;
              i++;
              continue;
            }
            const quote = next(at, chunk, 0, i);
            const slash = next(at, chunk, 1, i);
            if (slash < quote) {
              i = slash + 1;
              inString = 2;
            } else if (quote >= n) i = n;
            else {
              i = quote + 1;
              inString = 0;
            }
            continue;
          }
          const j = Math.min(
            next(at, chunk, 0, i),
            next(at, chunk, 2, i),
            next(at, chunk, 3, i),
            next(at, chunk, 4, i),
            next(at, chunk, 5, i),
          );
          if (j >= n) {
            i = n;
            break;
          }
          const c = chunk[j]!;
          i = j + 1;
          if (c === 34) inString = 1;
          else if (c === 91 || c === 123) {
            if (++depth > MAX_QUERY_DEPTH) throw tooDeep();
          } else if (--depth === 6) break;
        }
        this.depth = depth;
        this.inString = inString;
        if (depth === 6 && this.stmtHeader !== null && this.seriesHeader !== null) {
          // A row just ended: cut here when the document is long enough.
          if (this.docBytes + (i - base) >= this.cutBytes) {
            out.push(chunk.subarray(from, i), CLOSE, OPEN_RESULTS, this.stmtHeader, this.seriesHeader);
            from = base = i;
            this.docBytes = OPEN_RESULTS.length + this.stmtHeader.length + this.seriesHeader.length;
            this.skipComma = true;
          }
        }
        continue;
      }
      const c = chunk[i]!;
      if (this.inString !== 0) {
        if (this.inString === 2) this.inString = 1;
        else if (c === 34) this.closeString();
        else if (c === 92) this.inString = 2;
        if (this.keyBytes !== null && this.inString !== 0 && this.keyBytes.length < 16) this.keyBytes.push(c);
        this.capture(c);
        i++;
        continue;
      }
      const k = CLASS[c]!;
      if (this.skipComma) {
        // Right after a cut: the next row starts a new values array, so the comma between goes.
        if (k === 5) {
          this.skipComma = false;
          if (i > from) out.push(chunk.subarray(from, i));
          from = ++i;
          continue;
        }
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) this.skipComma = false;
      }
      i++;
      if (k === 0 || k === 5) {
        this.capture(c);
      } else if (k === 1) {
        this.inString = 1;
        this.keyBytes = this.depth <= 5 ? [] : null;
        this.capture(c);
      } else if (k === 3) {
        const d = ++this.depth;
        if (d > MAX_QUERY_DEPTH) throw tooDeep();
        this.open(d, c);
      } else {
        const d = this.depth--;
        if (d <= 0) {
          // A stray closing bracket between documents: JsonDocumentStream skips it too.
          this.depth = 0;
          continue;
        }
        this.capture(c);
        this.ok[d] = 0;
        if (d === 3) this.stmt = this.stmtHeader = null;
        if (d === 5) this.series = this.seriesHeader = null;
        if (d === 1) {
          this.docBytes = 0;
          base = i;
        }
      }
    }
    if (i > from) out.push(chunk.subarray(from, i));
    if (this.depth > 0) {
      this.docBytes += n - base;
      if (this.docBytes > MAX_UNCUT_DOCUMENT_BYTES) {
        throw new QueryStreamError(
          `A response document is larger than ${MAX_UNCUT_DOCUMENT_BYTES / 1024 / 1024} MiB in a ` +
            `shape that cannot be read in parts (no InfluxDB answer looks like this). The server may ` +
            `be misbehaving.`,
        );
      }
    }
    return out;
  }

  private closeString(): void {
    this.inString = 0;
    if (this.keyBytes !== null) {
      this.key = this.keyBytes.length <= 7 ? String.fromCharCode(...this.keyBytes) : '';
      this.keyBytes = null;
    }
  }

  private open(d: number, c: number): void {
    const isObject = c === 123;
    const parentOk = d === 1 ? 1 : this.ok[d - 1]!;
    let ok = 0;
    if (d === 1) ok = isObject ? 1 : 0;
    else if (d === 2 || d === 4 || d === 6) {
      const want = d === 2 ? KEY_RESULTS : d === 4 ? KEY_SERIES : KEY_VALUES;
      ok = parentOk === 1 && !isObject && this.key === want ? 1 : 0;
    } else if (d === 3 || d === 5) ok = parentOk === 1 && isObject ? 1 : 0;
    this.ok[d] = ok;
    this.capture(c);
    if (ok === 1 && d === 3) this.stmt = [c];
    if (ok === 1 && d === 5) this.series = [c];
    if (ok === 1 && d === 4 && this.stmt !== null) {
      // Only the statement id is repeated: other statement fields (error, messages) must not be.
      const text = String.fromCharCode(...this.stmt);
      const id = /"statement_id"\s*:\s*(\d+)/.exec(text)?.[1];
      this.stmtHeader = id === undefined ? null : ascii(`{"statement_id":${id},"series":[`);
      this.stmt = null;
    }
    if (ok === 1 && d === 6 && this.series !== null) {
      this.seriesHeader = Uint8Array.from(this.series);
      this.series = null;
    }
  }

  /** Collects the bytes of an open statement or series header (until its series / values array). */
  private capture(c: number): void {
    if (this.stmt !== null) {
      if (this.stmt.length >= MAX_HEADER_BYTES) this.stmt = null;
      else this.stmt.push(c);
    }
    if (this.series !== null) {
      if (this.series.length >= MAX_HEADER_BYTES) this.series = null;
      else this.series.push(c);
    }
  }
}
