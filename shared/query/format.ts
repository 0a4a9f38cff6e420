import { type Cell, cellText, EXACT_INT_MARK, isExactInt, unmarkExactIntegers } from './exact-json';
import type { QueryEpoch } from './query-request';
import type { QueryResult, Series } from './result-model';

/** How the time column is shown. */
export type TimeDisplay = 'utc' | 'local' | 'raw';

const NS_PER: Record<Exclude<QueryEpoch, ''>, bigint> = {
  ns: 1n,
  u: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** A time cell as nanoseconds since the epoch (exact), or null when it is not a time. */
export function timeToNs(cell: Cell, epoch: QueryEpoch): bigint | null {
  if (epoch === '') {
    if (typeof cell !== 'string') return null;
    return rfc3339ToNs(cell);
  }
  const digits = isExactInt(cell)
    ? cell.slice(1)
    : typeof cell === 'number' && Number.isInteger(cell)
      ? String(cell)
      : null;
  if (digits === null) return null;
  return BigInt(digits) * NS_PER[epoch];
}

/** Parses RFC3339 (with up to 9 fractional digits) to exact nanoseconds. */
export function rfc3339ToNs(text: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  const frac = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return BigInt(ms) * 1_000_000n + frac;
}

/** Formats nanoseconds as RFC3339 with 9 fractional digits trimmed of trailing zeros (as 1.x does). */
export function nsToRfc3339(ns: bigint, local = false): string {
  const ms = Number(ns / 1_000_000n) - (ns < 0n && ns % 1_000_000n !== 0n ? 1 : 0);
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const d = new Date(ms);
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  if (!local) return `${d.toISOString().slice(0, 19)}${fracText}Z`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const tz = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${fracText}${tz}`;
}

/** Formats a cell for display; the `time` column follows `display`. */
export function formatCell(cell: Cell, isTime: boolean, epoch: QueryEpoch, display: TimeDisplay): string {
  if (isTime && display !== 'raw') {
    const ns = timeToNs(cell, epoch);
    if (ns !== null) return nsToRfc3339(ns, display === 'local');
  }
  return cellText(cell);
}

/** RFC 4180 CSV of one series: tags become leading columns, exact integers keep every digit. */
export function seriesToCsv(series: Series): string {
  return seriesListToCsv([series]);
}

/**
 * RFC 4180 CSV of several series in one table (every series of a GROUP BY statement): the series
 * name, then a column per tag key of any series, then the union of the series' columns, in order of
 * appearance. A series without a tag or a column leaves that cell empty. Exact integers keep every digit.
 */
export function seriesListToCsv(list: readonly Series[]): string {
  let out = '';
  for (const part of csvChunks(list)) out += part;
  return out;
}

/** {@link seriesListToCsv} in parts of at most `rowsPerPart` rows, for output written as it is made. */
export function* csvChunks(list: readonly Series[], rowsPerPart = 5_000): Generator<string> {
  const tagKeys = [...new Set(list.flatMap((s) => Object.keys(s.tags)))];
  const columns = [...new Set(list.flatMap((s) => s.columns))];
  yield csvHeaderOf(tagKeys, columns);
  for (const series of list) {
    for (let i = 0; i < series.rows.length; i += rowsPerPart) {
      yield csvRowsOf(series, tagKeys, columns, i, Math.min(series.rows.length, i + rowsPerPart));
    }
  }
}

/** The CSV header line of one series, for output streamed part by part (see {@link seriesToCsv}). */
export function csvHeader(series: Series): string {
  return csvHeaderOf(Object.keys(series.tags), series.columns);
}

/** The CSV lines of one series' rows, for output streamed part by part (see {@link seriesToCsv}). */
export function csvRows(series: Series): string {
  return csvRowsOf(series, Object.keys(series.tags), series.columns, 0, series.rows.length);
}

function csvHeaderOf(tagKeys: readonly string[], columns: readonly string[]): string {
  return `${[seriesNameColumn([...tagKeys, ...columns]), ...tagKeys, ...columns].map(csvField).join(',')}\r\n`;
}

function csvRowsOf(
  series: Series,
  tagKeys: readonly string[],
  columns: readonly string[],
  from: number,
  to: number,
): string {
  const prefix = [series.name, ...tagKeys.map((k) => series.tags[k] ?? '')].map(csvField).join(',');
  const at = columns.map((c) => series.columns.indexOf(c));
  let out = '';
  for (let r = from; r < to; r++) {
    const row = series.rows[r]!;
    out += `${prefix},${at.map((i) => (i < 0 ? '' : csvField(cellText(row[i] ?? null)))).join(',')}\r\n`;
  }
  return out;
}

/**
 * The header of the series-name column: `name`, or `_name`, `__name`… when the series has a column of
 * that name (SHOW RETENTION POLICIES has one), so the header never names two columns alike.
 */
export function seriesNameColumn(columns: readonly string[]): string {
  let name = 'name';
  while (columns.includes(name)) name = `_${name}`;
  return name;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The result as JSON text, with exact integers written as bare JSON numbers again. */
export function resultToJson(result: QueryResult): string {
  let out = '';
  for (const part of resultJsonChunks(result)) out += part;
  return out;
}

/** Marks where a series' rows go in the skeleton {@link resultJsonChunks} stringifies (a lone surrogate: in no server text). */
const ROWS_SLOT = '\udc01';

/**
 * {@link resultToJson} in parts of at most `rowsPerPart` rows, for output written as it is made: the
 * result without its rows is stringified (indented by 2), and each series' rows are written into
 * their slot in the same layout, so the parts joined are exactly `JSON.stringify(…, 2)` of the whole.
 */
export function* resultJsonChunks(result: QueryResult, rowsPerPart = 2_000): Generator<string> {
  const slots: Series[] = [];
  const skeleton = JSON.stringify(
    {
      statements: result.statements.map((s) => ({
        statement_id: s.statementId,
        ...(s.error ? { error: s.error } : {}),
        ...(s.messages.length ? { messages: s.messages } : {}),
        series: s.series.map((x) => ({
          name: x.name,
          tags: x.tags,
          columns: x.columns,
          values: `${ROWS_SLOT}${slots.push(x) - 1}`,
        })),
      })),
      ...(result.error ? { error: result.error } : {}),
    },
    null,
    2,
  );
  const slot = /( *)"values": "\\udc01(\d+)"/g;
  let at = 0;
  for (let m = slot.exec(skeleton); m; m = slot.exec(skeleton)) {
    const indent = `${m[1]!}  `;
    const series = slots[Number(m[2])]!;
    yield `${skeleton.slice(at, m.index)}${m[1]!}"values": `;
    at = m.index + m[0].length;
    if (series.rows.length === 0) {
      yield '[]';
      continue;
    }
    // No replacer unless a cell is -0 (JSON.stringify writes it as 0): a replacer call per cell is slow
    // on a million rows, and -0 is rare. The replacer marks it like an exact integer, unmarked below.
    const replacer = seriesHasNegativeZero(series) ? negativeZeroReplacer : undefined;
    yield '[';
    for (let i = 0; i < series.rows.length; i += rowsPerPart) {
      let part = '';
      const end = Math.min(series.rows.length, i + rowsPerPart);
      for (let r = i; r < end; r++) {
        const row = JSON.stringify(series.rows[r], replacer, 2).replace(/\n/g, `\n${indent}`);
        part += `${r === 0 ? '' : ','}\n${indent}${row}`;
      }
      yield unmarkExactIntegers(part);
    }
    yield `\n${m[1]!}]`;
  }
  yield skeleton.slice(at);
}

function negativeZeroReplacer(_k: string, v: unknown): unknown {
  return v === 0 && 1 / v < 0 ? `${EXACT_INT_MARK}-0` : v;
}

function seriesHasNegativeZero(s: Series): boolean {
  for (const row of s.rows) {
    for (const c of row) if (c === 0 && 1 / c < 0) return true;
  }
  return false;
}

/** One series (or part of one) as a JSON line for streamed output, exact like {@link resultToJson}. */
export function seriesToJsonLine(statementId: number, s: Series): string {
  const json = JSON.stringify(
    { statement_id: statementId, name: s.name, tags: s.tags, columns: s.columns, values: s.rows },
    seriesHasNegativeZero(s) ? negativeZeroReplacer : undefined,
  );
  return `${unmarkExactIntegers(json)}\n`;
}

/** Field types as SHOW FIELD KEYS reports them. */
export const FIELD_TYPES = ['float', 'integer', 'unsigned', 'string', 'boolean'] as const;
/** One of {@link FIELD_TYPES}. */
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Rows of a series as line protocol: tags from the series (GROUP BY) plus string columns the caller
 * marks as tags, the other non-null columns as fields, `time` as the timestamp in nanoseconds.
 * JSON cannot tell the integer 100 from the float 100.0, so integer fields need `fieldTypes`
 * (from SHOW FIELD KEYS); without it whole numbers are written as floats.
 */
export function seriesToLineProtocol(
  series: Series,
  epoch: QueryEpoch,
  tagColumns: ReadonlySet<string> = new Set(),
  fieldTypes: ReadonlyMap<string, FieldType> = new Map(),
): string {
  let out = '';
  for (const part of lineProtocolChunks(series, epoch, tagColumns, fieldTypes)) out += part;
  return out;
}

/** {@link seriesToLineProtocol} in parts of at most `rowsPerPart` rows (each line ends with a newline). */
export function* lineProtocolChunks(
  series: Series,
  epoch: QueryEpoch,
  tagColumns: ReadonlySet<string> = new Set(),
  fieldTypes: ReadonlyMap<string, FieldType> = new Map(),
  rowsPerPart = 5_000,
): Generator<string> {
  const timeIndex = series.columns.indexOf('time');
  const tagPart = Object.entries(series.tags)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v)}`)
    .join('');
  for (let from = 0; from < series.rows.length; from += rowsPerPart) {
    let out = '';
    const to = Math.min(series.rows.length, from + rowsPerPart);
    for (let r = from; r < to; r++) {
      const row = series.rows[r]!;
      let tags = tagPart;
      const fields: string[] = [];
      series.columns.forEach((col, i) => {
        if (i === timeIndex) return;
        const cell = row[i] ?? null;
        if (cell === null) return;
        if (tagColumns.has(col)) {
          if (cellText(cell) !== '') tags += `,${escapeKey(col)}=${escapeKey(cellText(cell))}`;
          return;
        }
        fields.push(`${escapeKey(col)}=${fieldValue(cell, fieldTypes.get(col))}`);
      });
      if (fields.length === 0) continue;
      const ns = timeIndex >= 0 ? timeToNs(row[timeIndex] ?? null, epoch) : null;
      out += `${escapeMeasurement(series.name)}${tags} ${fields.join(',')}${ns === null ? '' : ` ${ns}`}\n`;
    }
    if (out !== '') yield out;
  }
}

function fieldValue(cell: Cell, type: FieldType | undefined): string {
  if (type === 'integer' || type === 'unsigned') {
    const digits = isExactInt(cell) ? cell.slice(1) : String(cell);
    return `${digits}${type === 'integer' ? 'i' : 'u'}`;
  }
  // A whole float ≥ 2^53 arrives as a bare integer literal (1.x writes 1e20 as 100000000000000000000)
  // and is kept as an exact integer: a known float field must stay a float, or the server rejects
  // `…i` as out of range (or stores an integer into a float field's place).
  if (type === 'float' && (isExactInt(cell) || typeof cell === 'number')) return cellText(cell);
  if (isExactInt(cell)) return `${cell.slice(1)}i`;
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'number') return cellText(cell);
  return `"${String(cell).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function escapeKey(s: string): string {
  return s.replace(/[,= \\]/g, (c) => `\\${c}`);
}

function escapeMeasurement(s: string): string {
  return s.replace(/[, \\]/g, (c) => `\\${c}`);
}
