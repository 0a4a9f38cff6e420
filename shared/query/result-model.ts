import type { Cell } from './exact-json';

/**
 * One result model for every flavor's `/query` answer: statements → series, plus statement errors and
 * 1.x `messages`. Chunked responses (a series split over several documents, `partial: true`) are
 * merged as they arrive.
 */

/** One series of a statement. */
export interface Series {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly columns: readonly string[];
  readonly rows: Cell[][];
}

/** One statement's result. */
export interface StatementResult {
  readonly statementId: number;
  readonly series: Series[];
  /** `results[i].error`, which InfluxDB returns inside an HTTP 200. */
  error: string | null;
  readonly messages: Array<{ level: string; text: string }>;
}

/** The whole answer. */
export interface QueryResult {
  readonly statements: StatementResult[];
  /** A request-level error (top-level `{"error": …}`), e.g. a 400 parse error on 1.x. */
  error: string | null;
  /** Total rows over all series. */
  rowCount: number;
}

/** An empty result to merge documents into. */
export function emptyQueryResult(): QueryResult {
  return { statements: [], error: null, rowCount: 0 };
}

interface RawSeries {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  values?: Cell[][];
  partial?: boolean;
}
interface RawStatement {
  statement_id?: number;
  series?: RawSeries[];
  error?: string;
  messages?: Array<{ level: string; text: string }>;
  partial?: boolean;
}
interface RawDocument {
  results?: RawStatement[];
  error?: string;
}

/**
 * Merges one parsed JSON document into `into`. A series continues the previous one when the previous
 * chunk was partial and it has the same name and tags.
 */
export function mergeQueryDocument(
  into: QueryResult,
  doc: unknown,
  state: { continuing: boolean } = { continuing: false },
): void {
  if (doc === null || typeof doc !== 'object') {
    into.error ??= 'The server sent something that is not an InfluxDB query result.';
    return;
  }
  const d = doc as RawDocument;
  checkShape(d);
  if (typeof d.error === 'string') into.error = into.error ? `${into.error}\n${d.error}` : d.error;
  for (const raw of d.results ?? []) {
    const id = typeof raw.statement_id === 'number' ? raw.statement_id : into.statements.length;
    let st = into.statements.find((s) => s.statementId === id);
    if (!st) {
      st = { statementId: id, series: [], error: null, messages: [] };
      into.statements.push(st);
    }
    if (typeof raw.error === 'string') {
      // 1.6 chunked mode repeats a failed statement as "not executed": keep the real error.
      if (!(st.error !== null && raw.error === 'not executed')) st.error = raw.error;
    }
    for (const m of raw.messages ?? []) st.messages.push(m);
    for (const s of raw.series ?? []) {
      const rows = Array.isArray(s.values) ? s.values : [];
      const last = st.series[st.series.length - 1];
      const tags = s.tags ?? {};
      if (state.continuing && last && last.name === (s.name ?? '') && sameTags(last.tags, tags)) {
        for (const r of rows) last.rows.push(r);
      } else {
        // The parsed array is ours alone: kept as is, not copied (a million rows cost a copy).
        st.series.push({ name: s.name ?? '', tags, columns: s.columns ?? [], rows });
      }
      into.rowCount += rows.length;
      state.continuing = s.partial === true;
    }
    if (!raw.series || raw.series.length === 0) state.continuing = false;
  }
}

/**
 * Throws when a document is not shaped like an InfluxDB answer (the caller reports it as such): a
 * server sending `{"results":[{"series":[{"name":5}]}]}` must not pass for a result. Rows are not
 * walked cell by cell (a million rows); each row must be an array.
 */
function checkShape(d: RawDocument): void {
  const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  const fail = (what: string): never => {
    throw new Error(what);
  };
  const optionalString = (v: unknown, what: string): void => {
    if (v !== undefined && typeof v !== 'string') fail(`${what} is not a string`);
  };
  if (d.results === undefined && d.error === undefined) fail('it has neither "results" nor "error"');
  optionalString(d.error, '"error"');
  if (d.results === undefined) return;
  if (!Array.isArray(d.results)) fail('"results" is not a list');
  for (const st of d.results as unknown[]) {
    if (!isObject(st)) fail('a statement is not an object');
    const raw = st as RawStatement;
    if (raw.statement_id !== undefined && !Number.isInteger(raw.statement_id)) fail('"statement_id" is not an integer');
    optionalString(raw.error, 'a statement\'s "error"');
    if (raw.messages !== undefined) {
      if (!Array.isArray(raw.messages)) fail('"messages" is not a list');
      for (const m of raw.messages as unknown[]) {
        if (!isObject(m)) fail('a message is not an object');
        optionalString((m as { level?: unknown }).level, 'a message level');
        optionalString((m as { text?: unknown }).text, 'a message text');
      }
    }
    if (raw.series === undefined) continue;
    if (!Array.isArray(raw.series)) fail('"series" is not a list');
    for (const s of raw.series as unknown[]) {
      if (!isObject(s)) fail('a series is not an object');
      const x = s as RawSeries;
      optionalString(x.name, 'a series name');
      if (x.tags !== undefined) {
        if (!isObject(x.tags)) fail('a series\' "tags" is not an object');
        for (const v of Object.values(x.tags as object)) if (typeof v !== 'string') fail('a tag value is not a string');
      }
      if (x.columns !== undefined) {
        if (!Array.isArray(x.columns)) fail('"columns" is not a list');
        for (const c of x.columns as unknown[]) if (typeof c !== 'string') fail('a column name is not a string');
      }
      if (x.values !== undefined) {
        if (!Array.isArray(x.values)) fail('"values" is not a list');
        for (const r of x.values as unknown[]) if (!Array.isArray(r)) fail('a row is not a list');
      }
    }
  }
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
