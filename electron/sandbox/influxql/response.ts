/**
 * The v1 JSON shaper (spec §9.3–§9.4, `iox_v1_query_api/src/response/*.rs`): statement results become
 * one document, or with `chunked=true` one document per chunk of at most `chunk_size` rows and one
 * series, written back to back. Rows arrive in DuckDB-sized batches and leave as text at once, so a
 * result is never held whole.
 */
import { jsonValue, type TimeWriter, UnsupportedValue } from './format';

/** One output series: the measurement, the GROUP BY tags (sorted by key) and the columns. */
export interface SeriesHead {
  readonly key: string;
  readonly name: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly columns: readonly string[];
  /** SHOW results have no time column: every row value is a column. */
  readonly untimed?: boolean;
}

/** Consecutive rows of one series; `rows[i][0]` is the time in ns (unless the series is untimed). */
export interface Batch {
  readonly series: SeriesHead;
  readonly rows: readonly (readonly unknown[])[];
}

/** A statement's outcome: an error text, or its rows in series order. */
export type StatementResult =
  { readonly error: string } | { readonly batches: AsyncIterable<Batch>; readonly time: TimeWriter };

/** A message that becomes the statement's `error` (planning and execution errors). */
export class StatementError extends Error {}

const seriesHeadJson = (s: SeriesHead): string => {
  let out = `{"name":${JSON.stringify(s.name)}`;
  if (s.tags.length > 0)
    out += `,"tags":{${s.tags.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  return `${out},"columns":[${s.columns.map((c) => JSON.stringify(c)).join(',')}],"values":[`;
};

const rowsJson = (b: Batch, from: number, to: number, time: TimeWriter): string => {
  const parts: string[] = new Array<string>(to - from);
  const untimed = b.series.untimed === true;
  for (let i = from; i < to; i++) {
    const row = b.rows[i] as readonly unknown[];
    let s = untimed ? `[${jsonValue(row[0])}` : `[${time(row[0] as bigint)}`;
    for (let j = 1; j < row.length; j++) s += `,${jsonValue(row[j])}`;
    parts[i - from] = `${s}]`;
  }
  return parts.join(',');
};

/** Reads batches with one batch of lookahead, so a chunk knows whether its series goes on. */
class Cursor {
  private batch: Batch | null = null;
  private pos = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Batch>) {}

  /** The series of the next row, or null at the end. */
  async peek(): Promise<SeriesHead | null> {
    while (!this.done && (this.batch === null || this.pos >= this.batch.rows.length)) {
      const next = await this.it.next();
      if (next.done) this.done = true;
      else {
        this.batch = next.value;
        this.pos = 0;
      }
    }
    return this.done ? null : (this.batch as Batch).series;
  }

  /** Up to `max` rows of the current batch, as JSON text, and how many. */
  take(max: number, time: TimeWriter): { text: string; n: number } {
    const b = this.batch as Batch;
    const to = Math.min(b.rows.length, this.pos + max);
    const text = rowsJson(b, this.pos, to, time);
    const n = to - this.pos;
    this.pos = to;
    return { text, n };
  }
}

const errorMessage = (err: unknown): string => {
  if (err instanceof StatementError || err instanceof UnsupportedValue) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  return `datafusion error: External error: ${msg}`;
};

/** Non-chunked: one document, written as the rows come. */
async function* singleDocument(results: AsyncIterable<StatementResult>): AsyncGenerator<string> {
  yield '{"results":[';
  let id = 0;
  for await (const r of results) {
    yield `${id > 0 ? ',' : ''}{"statement_id":${id}`;
    id++;
    if ('error' in r) {
      yield `,"error":${JSON.stringify(r.error)}}`;
      continue;
    }
    const cursor = new Cursor(r.batches[Symbol.asyncIterator]());
    let current: SeriesHead | null = null;
    let error: string | null = null;
    try {
      for (let s = await cursor.peek(); s !== null; s = await cursor.peek()) {
        const rows = cursor.take(Number.MAX_SAFE_INTEGER, r.time).text;
        let out: string;
        if (current === null || current.key !== s.key) {
          out = current === null ? `,"series":[${seriesHeadJson(s)}` : `]},${seriesHeadJson(s)}`;
          current = s;
        } else out = ',';
        yield out + rows;
      }
    } catch (err) {
      error = errorMessage(err);
    }
    yield `${current !== null ? ']}]' : ''}${error !== null ? `,"error":${JSON.stringify(error)}` : ''}}`;
  }
  yield ']}';
}

/** Chunked: a document per chunk of at most `size` rows of one series (spec §9.4). */
async function* chunkedDocuments(results: AsyncIterable<StatementResult>, size: number): AsyncGenerator<string> {
  let id = 0;
  for await (const r of results) {
    const head = `{"results":[{"statement_id":${id}`;
    id++;
    if ('error' in r) {
      yield `${head},"error":${JSON.stringify(r.error)}}]}`;
      continue;
    }
    const cursor = new Cursor(r.batches[Symbol.asyncIterator]());
    let any = false;
    try {
      for (let s = await cursor.peek(); s !== null;) {
        any = true;
        const texts: string[] = [];
        let n = 0;
        let next: SeriesHead | null = s;
        while (n < size && next !== null && next.key === s.key) {
          const t = cursor.take(size - n, r.time);
          texts.push(t.text);
          n += t.n;
          next = await cursor.peek();
        }
        const seriesGoesOn = next !== null && next.key === s.key;
        yield `${head},"series":[${seriesHeadJson(s)}${texts.join(',')}]${seriesGoesOn ? ',"partial":true' : ''}}]${
          next !== null ? ',"partial":true' : ''
        }}]}`;
        s = next;
      }
      if (!any) yield `${head}}]}`;
    } catch (err) {
      yield `${head},"error":${JSON.stringify(errorMessage(err))}}]}`;
    }
  }
}

/**
 * serde_json's PrettyFormatter over compact JSON text, as a stream: two-space indents, `": "`, empty
 * containers stay `{}` / `[]`.
 */
export async function* prettify(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pendingOpen: string | null = null;
  const nl = (): string => `\n${'  '.repeat(depth)}`;
  for await (const chunk of chunks) {
    let out = '';
    for (const ch of chunk) {
      if (pendingOpen !== null) {
        const open = pendingOpen;
        pendingOpen = null;
        if ((open === '{' && ch === '}') || (open === '[' && ch === ']')) {
          out += open + ch;
          continue;
        }
        depth++;
        out += open + nl();
      }
      if (inString) {
        out += ch;
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      switch (ch) {
        case '"':
          inString = true;
          out += ch;
          break;
        case '{':
        case '[':
          pendingOpen = ch;
          break;
        case '}':
        case ']':
          depth--;
          out += nl() + ch;
          break;
        case ',':
          out += `,${nl()}`;
          break;
        case ':':
          out += ': ';
          break;
        default:
          out += ch;
      }
    }
    if (pendingOpen === null && out !== '') yield out;
    else if (out !== '') yield out;
  }
  if (pendingOpen !== null) yield pendingOpen;
}

/** The response body for the statements' results. */
export function responseBody(
  results: AsyncIterable<StatementResult>,
  options: { chunked: boolean; chunkSize: number; pretty: boolean },
): AsyncIterable<string> {
  if (options.chunked) {
    const docs = chunkedDocuments(results, Math.max(1, options.chunkSize));
    return options.pretty ? prettyEach(docs) : docs;
  }
  const doc = coalesce(singleDocument(results));
  return options.pretty ? prettify(doc) : doc;
}

/**
 * Joins small pieces (a series of a few rows each, thousands of series) into writes of about 64 KB, so
 * the transport is not asked for one write per series; large pieces pass as they are.
 */
export async function* coalesce(parts: AsyncIterable<string>, size = 65_536): AsyncGenerator<string> {
  let pending: string[] = [];
  let length = 0;
  for await (const p of parts) {
    pending.push(p);
    length += p.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (length > 0) yield pending.join('');
}

async function* prettyEach(docs: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const d of docs) {
    let s = '';
    for await (const p of prettify(single(d))) s += p;
    yield s;
  }
}

async function* single(s: string): AsyncGenerator<string> {
  yield s;
}

/** Rust's `{}` for f64: shortest round-trip digits, never an exponent (`1e21` → `1000…`, `1e-7` → `0.0000001`). */
export function rustFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v)) return Object.is(v, -0) ? '-0' : BigInt(v).toString();
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exp = Number(m[4]);
  return exp >= 0 ? `${m[1]}${digits.padEnd(exp + 1, '0')}` : `${m[1]}0.${'0'.repeat(-exp - 1)}${digits}`;
}

const csvEscape = (s: string): string => (s.includes(',') || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s);

const csvValue = (v: unknown): string => {
  switch (typeof v) {
    case 'number':
      return csvEscape(rustFloat(v));
    case 'bigint':
      return v.toString();
    case 'string':
      return csvEscape(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return '';
  }
};

/**
 * CSV (spec §9.5, `iox_v1_query_api/src/response/csv.rs`): `name,tags,<columns>` once per statement (a blank
 * line before every statement but the first), times as integers, statement errors dropped.
 */
export async function* csvBody(results: AsyncIterable<StatementResult>): AsyncGenerator<string> {
  let id = 0;
  for await (const r of results) {
    const first = id === 0;
    id++;
    if ('error' in r) continue;
    let headed = false;
    try {
      for await (const b of r.batches) {
        let out = '';
        if (!headed) {
          out += `${first ? '' : '\n'}name,tags${b.series.columns.map((c) => `,${c}`).join('')}\n`;
          headed = true;
        }
        const prefix = `${csvEscape(b.series.name)},${csvEscape(b.series.tags.map(([k, v]) => `${k}=${v}`).join(','))}`;
        const untimed = b.series.untimed === true;
        for (const row of b.rows) {
          out += prefix;
          for (let j = 0; j < row.length; j++)
            out += `,${j === 0 && !untimed ? r.time(row[0] as bigint) : csvValue(row[j])}`;
          out += '\n';
        }
        yield out;
      }
    } catch {
      // IOx logs and drops a statement that fails while streaming.
    }
  }
}
