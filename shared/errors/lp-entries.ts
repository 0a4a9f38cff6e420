import { scanEntryEnd, scannedNewlines } from '../lp/scan';

/**
 * Splits a request body into line-protocol entries the way the servers do, with the 1-based
 * physical line each entry starts on, so that a server's answer (which names a line by its text on
 * 1.x/2.x and by an entry number on 3.x) can be put back on the editor's lines.
 */

/** One entry of a body: its text as the server quotes it and the physical lines it covers. */
export interface BodyEntry {
  /** Text after leading whitespace, as the server quotes it (may contain `\n` inside a quoted string). */
  readonly text: string;
  /** 1-based physical line the entry starts on. */
  readonly line: number;
  /** 1-based physical line the entry ends on (differs from `line` only for a string with a newline in it). */
  readonly endLine: number;
}

/**
 * Entries as the Go parser (1.x, 2.x) sees them: `scanLine` splits on newlines outside quoted field
 * values, then blank, whitespace-only and `#` lines are skipped and leading spaces, tabs and NULs
 * are dropped from the quoted text. That is why an error quotes `cpu v=1` for the body line
 * ` \tcpu v=1`, and why one quoted text can span two editor lines.
 */
export function goEntries(body: string): BodyEntry[] {
  const out: BodyEntry[] = [];
  forEachSplit(body, true, (start, end, line, endLine) => {
    let s = start;
    while (s < end) {
      const c = body.charCodeAt(s);
      if (c !== 32 && c !== 9 && c !== 0) break;
      s++;
    }
    if (s >= end || body.charCodeAt(s) === 35 /* # */) return;
    out.push({ text: body.slice(s, end), line, endLine });
  });
  return out;
}

/**
 * Entries as the Rust parser (Cloud Dedicated, Clustered, Serverless, Core) numbers them:
 * `split_lines` then `trim_leading` (spaces, tabs, newlines, whole comment lines); empty results are
 * skipped and do not count, so the server's "line N" is the N-th non-blank, non-comment entry.
 */
export function rustEntries(body: string): BodyEntry[] {
  const out: BodyEntry[] = [];
  forEachSplit(body, false, (start, end, line, endLine) => {
    let s = start;
    let l = line;
    for (;;) {
      while (s < end) {
        const c = body.charCodeAt(s);
        if (c !== 32 && c !== 9 && c !== 10) break;
        if (c === 10) l++;
        s++;
      }
      if (s < end && body.charCodeAt(s) === 35) {
        const nl = body.indexOf('\n', s);
        if (nl < 0 || nl >= end) {
          s = end;
          break;
        }
        s = nl;
        continue;
      }
      break;
    }
    if (s >= end) return;
    out.push({ text: body.slice(s, end), line: l, endLine });
  });
  return out;
}

/** The physical lines of a body (split on `\n` only), for Core's `original_line`, which comes from `str::lines`. */
export function physicalLines(body: string): string[] {
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * Calls `visit(start, end, line, endLine)` for each entry the servers' shared splitter yields (Go
 * `scanLine`, Rust `split_lines`, ported once in shared/lp/scan.ts), with the physical lines it covers.
 */
function forEachSplit(
  s: string,
  goEscape: boolean,
  visit: (start: number, end: number, line: number, endLine: number) => void,
): void {
  const len = s.length;
  let i = 0;
  let line = 1;
  for (;;) {
    const end = scanEntryEnd(s, i, len, goEscape, true);
    const endLine = line + scannedNewlines;
    visit(i, end, line, endLine);
    if (end >= len) break;
    i = end + 1; // past the newline
    line = endLine + 1;
  }
}

/**
 * True when a 1.x/2.x "partial write" stored nothing: its `dropped=N` plus the lines it could not
 * parse (which 1.x leaves out of N) cover every point entry of the body sent.
 */
export function droppedEveryLine(requestBody: string, dropped: number, unparsed: number): boolean {
  const total = goEntries(requestBody).length;
  return total > 0 && dropped + unparsed >= total;
}

/** Field types as InfluxDB names them in its messages. */
export type LpFieldType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean';

/** The measurement, tag keys and typed fields of one entry, read leniently (only to find lines a storage error is about). */
export interface EntryShape {
  readonly measurement: string;
  readonly tagKeys: readonly string[];
  readonly fields: ReadonlyArray<readonly [string, LpFieldType]>;
  /** Whether a timestamp follows the field set (without one the server stamps the point with its clock). */
  readonly timestamp: boolean;
}

/**
 * Reads an entry's measurement, tag keys and field names with their types. Unescapes `\,`, `\=` and
 * `\ ` (what both parser families agree on). Returns null when the entry has no field set.
 */
export function entryShape(text: string): EntryShape | null {
  let i = 0;
  const n = text.length;
  const readToken = (stops: string): string => {
    const [token, next] = readLpToken(text, i, stops, ', =');
    i = next;
    return token;
  };
  const measurement = readToken(', ');
  const tagKeys: string[] = [];
  while (i < n && text[i] === ',') {
    i++;
    tagKeys.push(readToken('=, '));
    if (text[i] === '=') {
      i++;
      readToken(', ');
    }
  }
  while (i < n && text[i] === ' ') i++;
  if (i >= n) return null;
  const fields: Array<[string, LpFieldType]> = [];
  while (i < n) {
    const key = readToken('= ');
    if (text[i] !== '=') break;
    i++;
    let type: LpFieldType;
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      type = 'string';
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ') i++;
      type = valueType(text.slice(start, i));
    }
    fields.push([key, type]);
    if (text[i] !== ',') break;
    i++;
  }
  while (i < n && text[i] === ' ') i++;
  return fields.length > 0 ? { measurement, tagKeys, fields, timestamp: i < n } : null;
}

function valueType(v: string): LpFieldType {
  if (/^-?\d+i$/.test(v)) return 'integer';
  if (/^\d+u$/.test(v)) return 'unsigned';
  if (/^(t|T|true|True|TRUE|f|F|false|False|FALSE)$/.test(v)) return 'boolean';
  return 'float';
}

/**
 * Reads a name or value from `text` at `i` up to one of `stops`, unescaping a backslash before any
 * character of `escapable`. Returns the text and where it stopped. Lenient: for reading what the
 * editor already validated (error mapping, code export), not for validating.
 */
export function readLpToken(text: string, i: number, stops: string, escapable: string): [string, number] {
  let out = '';
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < n && escapable.includes(text[i + 1]!)) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (stops.includes(c)) break;
    out += c;
    i++;
  }
  return [out, i];
}
