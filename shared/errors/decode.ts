import type { ServerFlavor } from '../domain/flavor';
import type { HttpExchange } from '../domain/http';
import { type BodyEntry, droppedEveryLine, entryShape, goEntries, physicalLines, rustEntries } from './lp-entries';

/**
 * Decodes the error body of a write into per-line diagnostics, for every shape the servers answer
 * with (influx-api.md §4.2–4.3a). Pure: the caller passes what came back and, ideally, the body it
 * sent, which is what turns "the server quoted this text" or "entry N" into an editor line number.
 */

/** The body formats a write error comes in. */
export const ERROR_SHAPES = ['1.x', '2.x', 'iox', 'core-object', 'core-array', 'text', 'empty'] as const;

/** One of {@link ERROR_SHAPES}: `iox` is Cloud Dedicated / Clustered / Serverless, `core-*` InfluxDB 3 Core/Enterprise. */
export type ErrorShape = (typeof ERROR_SHAPES)[number];

/** What {@link decodeWriteError} reads. */
export interface DecodeInput {
  readonly status: number;
  readonly body: string;
  /** The response's Content-Type (may be empty). */
  readonly contentType?: string;
  /** The connection's flavor, when known: it settles shapes that look alike (`{"error"}` on 1.x and Core). */
  readonly flavor?: ServerFlavor;
  /** The line protocol as it was sent; without it, lines named by text cannot be numbered. */
  readonly requestBody?: string;
}

/** One rejected line (or a batch-level error about no particular line, `line: null`). */
export interface LineDiagnostic {
  /** 1-based editor line the rejected entry starts on; null when the server did not say or it cannot be found. */
  readonly line: number | null;
  /** Last line of the entry when it spans several (a string field containing a newline). */
  readonly endLine?: number;
  /** The entry's text, as quoted by the server or as found in the request body. */
  readonly text?: string;
  /** The server's message for this line, verbatim. */
  readonly message: string;
}

/** Whether any of the batch was stored. */
export type WrittenState = 'none' | 'some' | 'unknown';

/** The decoded error. */
export interface DecodedWriteError {
  /** One sentence for a person. */
  readonly summary: string;
  readonly shape: ErrorShape;
  /** True when the server said that the other lines were written. */
  readonly partial: boolean;
  /** The server's `dropped=N` (1.x and 2.x; note 1.x says 0 for lines it could not parse). */
  readonly dropped?: number;
  readonly lines: LineDiagnostic[];
  /** The server's whole message: the `error` or `message` property, or the text body. */
  readonly message: string;
  /** The `code` property of 2.x and IOx bodies. */
  readonly code?: string;
  /** The first rejected line as IOx's `line` property gives it (an entry number, before mapping). */
  readonly firstLine?: number;
  readonly written: WrittenState;
}

const IOX_FLAVORS: readonly ServerFlavor[] = ['cloud-dedicated', 'clustered', 'serverless'];

/**
 * Whether a write's answer says points were stored: a 2xx, or an error saying that the other lines were
 * written (a partial write; one whose `dropped=N` covers every line sent stored nothing).
 */
export function storedPoints(exchange: HttpExchange, flavor?: ServerFlavor, requestBody?: string): boolean {
  const r = exchange.response;
  if (r === null) return false;
  if (r.status >= 200 && r.status < 300) return true;
  const input: DecodeInput = {
    status: r.status,
    body: r.body,
    contentType: r.contentType,
    ...(flavor !== undefined ? { flavor } : {}),
    ...(requestBody !== undefined ? { requestBody } : {}),
  };
  return decodeWriteError(input).written === 'some';
}

/** Decodes a write error body; never throws. */
export function decodeWriteError(input: DecodeInput): DecodedWriteError {
  const body = input.body;
  if (body.trim() === '') {
    return finish(input, {
      shape: 'empty',
      message: '',
      partial: false,
      lines: [],
      written: input.status >= 400 ? 'none' : 'unknown',
    });
  }
  const json = parseJsonObject(body);
  if (json === null) return fromGoLike(input, 'text', body.replace(/\n+$/, ''), undefined);

  const error = json.error;
  if (typeof error === 'string') {
    if ('data' in json && json.data !== null && json.data !== undefined) return fromCoreData(input, error, json.data);
    return fromGoLike(input, input.flavor === 'core' ? 'core-object' : '1.x', error, undefined);
  }
  const message = typeof json.message === 'string' ? json.message : null;
  if (message !== null) {
    const code = typeof json.code === 'string' ? json.code : undefined;
    const line = typeof json.line === 'number' && Number.isInteger(json.line) ? json.line : undefined;
    const looksIox =
      line !== undefined ||
      IOX_MESSAGE.test(message) ||
      (input.flavor !== undefined && IOX_FLAVORS.includes(input.flavor));
    if (looksIox && !/unable to parse '/.test(message)) return fromIox(input, message, code, line);
    return fromGoLike(input, '2.x', message, code);
  }
  return fromGoLike(input, 'text', body.trim(), undefined);
}

// --- 1.x / 2.x (Go) messages ---

const PREFIX = "unable to parse '";

// Go parser reasons (influx-api.md §6.5), to find where a quoted line ends when the body is unknown.
const GO_REASON =
  /^(?:missing measurement|missing fields|missing tag key|missing tag value|invalid tag format|duplicate tags|missing field key|missing field value|unbalanced quotes|invalid field format|invalid number|invalid float|invalid boolean|bad timestamp|point is invalid|max key length exceeded|invalid value: field-key=|unable to parse (?:integer|unsigned)|strconv\.|time outside range|cannot use reserved tag key|key contains invalid unicode)/;

function fromGoLike(
  input: DecodeInput,
  shape: ErrorShape,
  message: string,
  code: string | undefined,
): DecodedWriteError {
  let rest = message;
  let partial = false;
  let dropped: number | undefined;
  const pw = rest.indexOf('partial write: ');
  if (pw >= 0 && (pw === 0 || rest.slice(0, pw).endsWith(': ')) && !rest.slice(0, pw).includes(PREFIX)) {
    partial = true;
    rest = rest.slice(pw + 'partial write: '.length);
  }
  const d = rest.lastIndexOf(' dropped=');
  if (d >= 0) {
    const m = /^ dropped=(\d+)(?: for database: [\s\S]*)?$/.exec(rest.slice(d));
    if (m) {
      dropped = Number(m[1]);
      rest = rest.slice(0, d);
    }
  }
  const lines = input.status >= 400 || partial ? parseGoEntries(rest, input.requestBody, partial) : [];
  const v2 = /line protocol parse failed: ([\s\S]*)$/.exec(rest);
  if (v2 && lines.length === 0) lines.push({ line: null, message: v2[1]! });
  // A Go-parser 400 without "partial write" means nothing parsed (1.x) or the batch was refused (2.x).
  let written: WrittenState = partial ? 'some' : 'unknown';
  if (!partial && lines.some((l) => l.text !== undefined)) written = 'none';
  if (shape === '2.x' && input.status === 400) written = 'none';
  if (input.status === 401 || input.status === 403 || input.status === 404 || input.status === 413) written = 'none';
  // "partial write" with dropped=N covering every line sent (N plus the unparsable lines, which 1.x
  // leaves out of N) stored nothing, whatever the wording says.
  if (partial && dropped !== undefined && input.requestBody !== undefined) {
    const unparsed = lines.filter((l) => l.text !== undefined).length;
    if (droppedEveryLine(input.requestBody, dropped, unparsed)) written = 'none';
  }
  return finish(input, { shape, message, code, partial, dropped, lines, written });
}

/**
 * Splits the Go message into `unable to parse '<text>': <reason>` entries (joined by `\n`, or by a
 * space in the `X-Influxdb-Error` header, which flattens newlines) and storage errors. Each quoted
 * text is matched against the request body's entries; identical lines are taken in order, since the
 * server reports every failing copy in body order.
 */
function parseGoEntries(core: string, requestBody: string | undefined, partial: boolean): LineDiagnostic[] {
  const lists: BodyEntry[][] = [];
  if (requestBody !== undefined) {
    lists.push(goEntries(requestBody));
    // The caller may pass the editor text while the wire had LF only: try that too (same line numbers).
    if (requestBody.includes('\r\n')) lists.push(goEntries(requestBody.replace(/\r\n/g, '\n')));
  }
  // Each list's entries by text, with the next unused one first: one lookup per quoted line, so a
  // 400 naming 100,000 rejected lines maps in linear time.
  const byText = lists.map((entries) => {
    const m = new Map<string, { at: number; indexes: number[] }>();
    entries.forEach((e, i) => {
      const slot = m.get(e.text);
      if (slot) slot.indexes.push(i);
      else m.set(e.text, { at: 0, indexes: [i] });
    });
    return m;
  });
  let maxText = 0;
  for (const entries of lists) for (const e of entries) maxText = Math.max(maxText, e.text.length);
  const flattened = !core.includes('\n');
  const out: LineDiagnostic[] = [];
  let pos = 0;
  while (pos < core.length) {
    if (core.startsWith(PREFIX, pos)) {
      const p = pos + PREFIX.length;
      // The quoted text ends at some `': ` within the longest entry's length: the longest text that is
      // an unused entry wins (as the server quotes the whole line).
      let best: { list: number; index: number; entry: BodyEntry } | null = null;
      for (let q = core.indexOf("': ", p); q >= 0 && q - p <= maxText; q = core.indexOf("': ", q + 1)) {
        const text = core.slice(p, q);
        for (let li = 0; li < lists.length; li++) {
          const slot = byText[li]!.get(text);
          if (slot === undefined || slot.at >= slot.indexes.length) continue;
          const index = slot.indexes[slot.at]!;
          best = { list: li, index, entry: lists[li]![index]! };
          break;
        }
      }
      let text: string;
      let line: number | null = null;
      let endLine: number | undefined;
      if (best !== null) {
        const b: { list: number; index: number; entry: BodyEntry } = best;
        byText[b.list]!.get(b.entry.text)!.at++;
        text = b.entry.text;
        line = b.entry.line;
        if (b.entry.endLine !== b.entry.line) endLine = b.entry.endLine;
      } else {
        text = core.slice(p, quotedEnd(core, p));
      }
      const reasonStart = Math.min(core.length, p + text.length + 3);
      let reasonEnd = flattened ? core.indexOf(` ${PREFIX}`, reasonStart) : core.indexOf('\n', reasonStart);
      if (reasonEnd < 0) reasonEnd = core.length;
      out.push({
        line,
        ...(endLine !== undefined ? { endLine } : {}),
        text,
        message: core.slice(reasonStart, reasonEnd),
      });
      pos = reasonEnd + 1;
    } else {
      let end = core.indexOf('\n', pos);
      if (end < 0) end = core.length;
      const msg = core.slice(pos, end);
      // Other text is a storage error about some lines only in a partial write or when it names a key.
      if (msg.trim() !== '' && (partial || FIELD_NAMED.test(msg) || TAG_INVALID.test(msg)))
        out.push(...locateStorageError(msg, lists[0] ?? null));
      pos = end + 1;
    }
  }
  return out;
}

/** Where the quoted text ends when the body is unknown: the first `': ` followed by a known reason, else the first `': `. */
function quotedEnd(core: string, p: number): number {
  let first = -1;
  for (let i = core.indexOf("': ", p); i >= 0; i = core.indexOf("': ", i + 1)) {
    if (first < 0) first = i;
    if (GO_REASON.test(core.slice(i + 3))) return i;
  }
  return first < 0 ? core.length : first;
}

const GO_QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const FIELD_CONFLICT = new RegExp(
  `input field ${GO_QUOTED} on measurement ${GO_QUOTED} is type (\\w+), already exists as type (\\w+)`,
);
const TAG_INVALID = new RegExp(`input tag ${GO_QUOTED} on measurement ${GO_QUOTED} is invalid`);
const FIELD_NAMED = new RegExp(`input field ${GO_QUOTED} on measurement ${GO_QUOTED}`);

/**
 * Storage errors (type conflicts, `time` as a key, too-long strings) name a measurement and a field
 * or tag, not a line: the lines of the body that carry that measurement and key are the ones hit.
 */
function locateStorageError(msg: string, entries: BodyEntry[] | null): LineDiagnostic[] {
  if (entries === null) return [{ line: null, message: msg }];
  let pick: ((e: BodyEntry) => boolean) | null = null;
  let m: RegExpExecArray | null;
  if ((m = FIELD_CONFLICT.exec(msg))) {
    const [field, meas, type] = [goUnquote(m[1]!), goUnquote(m[2]!), m[3]!];
    pick = (e) => {
      const s = entryShape(e.text);
      return s !== null && s.measurement === meas && s.fields.some(([k, t]) => k === field && t === type);
    };
  } else if ((m = TAG_INVALID.exec(msg))) {
    const [tag, meas] = [goUnquote(m[1]!), goUnquote(m[2]!)];
    pick = (e) => {
      const s = entryShape(e.text);
      return s !== null && s.measurement === meas && s.tagKeys.includes(tag);
    };
  } else if ((m = FIELD_NAMED.exec(msg))) {
    const [field, meas] = [goUnquote(m[1]!), goUnquote(m[2]!)];
    pick = (e) => {
      const s = entryShape(e.text);
      return s !== null && s.measurement === meas && s.fields.some(([k]) => k === field);
    };
  }
  const hits = pick === null ? [] : entries.filter(pick);
  if (hits.length === 0) return [{ line: null, message: msg }];
  return hits.map((e) => ({
    line: e.line,
    ...(e.endLine !== e.line ? { endLine: e.endLine } : {}),
    text: e.text,
    message: msg,
  }));
}

function goUnquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

// --- IOx (Cloud Dedicated, Clustered, Serverless) ---

const IOX_MESSAGE = /errors encountered on line\(s\)|\(1-based\)/;
const IOX_ENTRY =
  /^(?:error (?:parsing|writing) line (\d+) \(1-based\): ([\s\S]*)|(timestamp overflows i64 on line (\d+) \(1-based\)))$/;

function fromIox(
  input: DecodeInput,
  message: string,
  code: string | undefined,
  firstLine: number | undefined,
): DecodedWriteError {
  const entries = input.requestBody !== undefined ? rustEntries(input.requestBody) : null;
  const at = message.indexOf('errors encountered on line(s):');
  const head = at >= 0 ? message.slice(0, at) : message;
  const rest = at >= 0 ? message.slice(at + 'errors encountered on line(s):'.length).replace(/^\s+/, '') : message;
  const lines: LineDiagnostic[] = [];
  if (at >= 0 || /^(?:error (?:parsing|writing) line \d+ \(1-based\)|timestamp overflows i64 on line \d+)/.test(rest)) {
    for (const part of rest.split(
      /\n(?=error (?:parsing|writing) line \d+ \(1-based\)|timestamp overflows i64 on line \d+ \(1-based\))/,
    )) {
      const m = IOX_ENTRY.exec(part);
      if (!m) {
        if (part.trim() !== '') lines.push({ line: null, message: part });
        continue;
      }
      const n = Number(m[1] ?? m[4]);
      lines.push(mapEntryNumber(n, m[2] ?? m[3]!, entries, undefined));
    }
  } else if (firstLine !== undefined) {
    lines.push(mapEntryNumber(firstLine, message, entries, undefined));
  }
  const partial = /partial write/i.test(head);
  const written: WrittenState = partial
    ? 'some'
    : /no data written/i.test(head)
      ? 'none'
      : input.status >= 400 && lines.length === 0
        ? 'none'
        : 'unknown';
  return finish(input, {
    shape: 'iox',
    message,
    code,
    partial,
    lines,
    written,
    ...(firstLine !== undefined ? { firstLine } : {}),
  });
}

/**
 * The 3.x servers number entries, skipping blank and comment lines; Core's `original_line`
 * (first 20 bytes) comes from the physical line with that number instead. Both are tried.
 */
function mapEntryNumber(
  n: number,
  message: string,
  entries: BodyEntry[] | null,
  original: string | undefined,
): LineDiagnostic {
  if (entries === null) return { line: n, ...(original !== undefined ? { text: original } : {}), message };
  const byEntry = entries[n - 1];
  const useEntry = (e: BodyEntry): LineDiagnostic => ({
    line: e.line,
    ...(e.endLine !== e.line ? { endLine: e.endLine } : {}),
    text: e.text,
    message,
  });
  if (original === undefined || original === '') return byEntry ? useEntry(byEntry) : { line: n, message };
  if (byEntry && byEntry.text.startsWith(original)) return useEntry(byEntry);
  const found = entries.filter((e) => e.text.startsWith(original));
  if (found.length === 1) return useEntry(found[0]!);
  return byEntry ? useEntry(byEntry) : { line: n, text: original, message };
}

// --- Core ---

interface CoreItem {
  readonly error_message?: unknown;
  readonly line_number?: unknown;
  readonly original_line?: unknown;
}

function fromCoreData(input: DecodeInput, error: string, data: unknown): DecodedWriteError {
  const items: CoreItem[] = Array.isArray(data)
    ? (data as CoreItem[])
    : typeof data === 'object'
      ? [data as CoreItem]
      : [];
  const entries = input.requestBody !== undefined ? rustEntries(input.requestBody) : null;
  const physical = input.requestBody !== undefined ? physicalLines(input.requestBody) : null;
  const lines: LineDiagnostic[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const msg = typeof item.error_message === 'string' ? item.error_message : JSON.stringify(item);
    const original = typeof item.original_line === 'string' ? item.original_line : undefined;
    const n = typeof item.line_number === 'number' ? item.line_number : null;
    if (n === null) {
      lines.push({ line: null, ...(original !== undefined ? { text: original } : {}), message: msg });
      continue;
    }
    const mapped = mapEntryNumber(n, msg, entries, original);
    // Core's `original_line` is taken from physical line n; when that is what matches, trust it.
    const phys = physical?.[n - 1];
    if (
      original &&
      mapped.text !== undefined &&
      !mapped.text.startsWith(original) &&
      phys?.trimStart().startsWith(original)
    ) {
      lines.push({ line: n, text: phys.trimStart(), message: msg });
    } else lines.push(mapped);
  }
  const partial = /partial write/i.test(error);
  return finish(input, {
    shape: Array.isArray(data) ? 'core-array' : 'core-object',
    message: error,
    partial,
    lines,
    written: partial ? 'some' : 'none',
  });
}

// --- Common ---

function finish(input: DecodeInput, d: Omit<DecodedWriteError, 'summary'>): DecodedWriteError {
  return { summary: summarize(input.status, d), ...d };
}

function summarize(status: number, d: Omit<DecodedWriteError, 'summary'>): string {
  const rejected = d.lines.filter((l) => l.line !== null || l.text !== undefined);
  if (rejected.length > 0) {
    const nums = [...new Set(rejected.map((l) => l.line).filter((n): n is number => n !== null))].sort((a, b) => a - b);
    const where =
      nums.length === 0
        ? ''
        : ` (line${nums.length > 1 ? 's' : ''} ${nums.slice(0, 8).join(', ')}${nums.length > 8 ? ', …' : ''})`;
    const count = `${rejected.length} line${rejected.length === 1 ? '' : 's'} rejected${where}`;
    if (d.written === 'some') return `Partial write: ${count}; the other lines were written.`;
    if (d.written === 'none') return `${count}; nothing from this request was written.`;
    if (d.shape === 'iox') return `${count}; with partial writes on (the default) the other lines were written.`;
    return `${count}.`;
  }
  const first = (d.partial ? d.message.replace(/^(?:[\s\S]*?: )?partial write: /, '') : d.message).split('\n')[0] ?? '';
  const text = first.length > 200 ? `${first.slice(0, 200)}…` : first;
  if (d.partial && d.written === 'none') return `Nothing was written: every line was dropped (${text}).`;
  if (d.partial) return `Partial write: ${text}`;
  return text === '' ? `HTTP ${status} with an empty body.` : `HTTP ${status}: ${text}`;
}

function parseJsonObject(body: string): Record<string, unknown> | null {
  const t = body.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
