/**
 * Line protocol → rows, with every per-line rule of spec §5.3–§5.8 (Cloud Dedicated) and §6 (Core):
 * the 3.x parser (`shared/lp/parse-rust`), tag/field kinds, types fixed per column within the batch
 * and against the catalog, `time` rules, string limits, column/table limits and retention. Pure
 * computation: nothing is stored here; the caller commits `tables` and the schema additions.
 */

import { parseRustBlock, rustFieldValue, rustUnescapeIdent } from '../../shared/lp/parse-rust';
import { EntryScan, scanEntryEnd, T_BOOL, T_FLOAT, T_INT, T_STRING, T_UINT, utf8Length } from '../../shared/lp/scan';
import type { MeasurementSchema, SandboxFieldType, StoredDatabase } from './catalog';

/** Column kinds as IOx spells them in `Unable to insert …` messages. */
const IOX_KIND: Record<SandboxFieldType | 'tag' | 'timestamp', string> = {
  tag: 'iox::column_type::tag',
  timestamp: 'iox::column_type::timestamp',
  float: 'iox::column_type::field::float',
  integer: 'iox::column_type::field::integer',
  uinteger: 'iox::column_type::field::uinteger',
  string: 'iox::column_type::field::string',
  boolean: 'iox::column_type::field::boolean',
};

const TYPE_BY_TAG: SandboxFieldType[] = [];
TYPE_BY_TAG[T_FLOAT] = 'float';
TYPE_BY_TAG[T_INT] = 'integer';
TYPE_BY_TAG[T_UINT] = 'uinteger';
TYPE_BY_TAG[T_STRING] = 'string';
TYPE_BY_TAG[T_BOOL] = 'boolean';

export type FieldValue = number | bigint | string | boolean;

/**
 * The accepted rows of one measurement, column by column, deduplicated on series + time (later fields
 * win). `values[c][r]` belongs to `columns[c]` and row `r` (undefined = NULL).
 */
export interface TableBatch {
  measurement: string;
  /** tag and field column names, in first-seen order */
  columns: string[];
  columnIndex: Map<string, number>;
  times: bigint[];
  series: string[];
  values: (FieldValue | undefined)[][];
  /** newest time per series in this batch: a row newer than it cannot be a duplicate */
  seriesMax: Map<string, bigint>;
  /** oldest time per series in this batch (the series index's span) */
  seriesMin: Map<string, bigint>;
  /** series + time → row, built only once a series' times stop increasing */
  keyIndex: Map<string, number> | null;
}

/** Measurement and tags of a line, decoded once per distinct `measurement,tags` text in a body. */
interface Header {
  measurement: string;
  tags: [string, string][];
  series: string;
  /** a problem of the tags alone ([CD reason, Core reason], stage), or null */
  problem: { stage: LineErrorStage; reasons: [string, string] } | null;
  /** field keys of the last line with this header, as written and unescaped: the next line's usually match */
  rawKeys: string[];
  keys: string[];
  /**
   * The schema the last accepted line with this header was checked against, with its field keys and
   * types: a line with the same keys and types against the same schema object passes the kind, type and
   * column checks again without redoing them (a schema object only ever gains columns).
   */
  checkedSchema: MeasurementSchema | null;
  checkedKeys: string[];
  checkedTypes: SandboxFieldType[];
}

/**
 * Decoded headers and field keys, shared by all requests: both are functions of their text alone, and a
 * body's series mostly repeat those of the bodies before it. Cleared when full, to bound memory.
 */
const HEADER_CACHE_MAX = 50_000;
const headerCache = new Map<string, Header>();
const FIELD_NAME_CACHE_MAX = 10_000;
const fieldNameCache = new Map<string, string>();

export type LineErrorStage = 'parse' | 'write' | 'limit' | 'retention' | 'overflow';

export interface LineError {
  /** 1-based, counting only entries that are neither blank nor comments (as `mutable_batch_lp` does) */
  line: number;
  stage: LineErrorStage;
  /** Cloud Dedicated text: `error parsing line n (1-based): …`, `error writing line n (1-based): …` */
  message: string;
  /** Core's text for the same rejection */
  coreReason: string;
  /** the entry as sent */
  original: string;
}

export interface WriteRules {
  core: boolean;
  /** ns per unit, or 'auto' (Core v3: per timestamp by magnitude) */
  precision: bigint | 'auto';
  /** the server's receive time */
  nowNs: bigint;
  database: StoredDatabase;
  /** tables per database when the database has none of its own (Core 2000) */
  maxTables: number;
  /** columns per table, `time` included (CD 250; Core 500 + time) */
  maxColumns: number;
  /** lines (numbered as reported) to skip: those rejected when the write was first taken (log replay) */
  skipLines?: ReadonlySet<number>;
}

export interface PreparedWrite {
  tables: Map<string, TableBatch>;
  /** schema after this batch (only the accepted lines' additions) */
  schema: Map<string, MeasurementSchema>;
  /** measurements and columns this batch adds */
  newTables: Set<string>;
  changed: boolean;
  errors: LineError[];
  entries: number;
  accepted: number;
  /** the body and rules it was prepared from (what the write-ahead log records) */
  body: string;
  rules: WriteRules;
}

const MAX_NAME_BYTES = 65_536;
const MAX_STRING_FIELD_BYTES = 1_048_576;
const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

/** Canonical series key: tags sorted by key, `k=v` joined by `,`, with `\ , = space` escaped. */
export function seriesKey(tags: [string, string][]): string {
  if (tags.length === 0) return '';
  const sorted = tags.length > 1 ? [...tags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : tags;
  let out = '';
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0) out += ',';
    out += escapeKey(sorted[i]![0]) + '=' + escapeKey(sorted[i]![1]);
  }
  return out;
}

function escapeKey(s: string): string {
  return /[\\, =]/.test(s) ? s.replace(/[\\, =]/g, (c) => '\\' + c) : s;
}

/** Core `auto`: the unit by magnitude (REF §6.4). */
function autoMultiplier(ts: bigint): bigint {
  const a = ts < 0n ? -ts : ts;
  if (a < 5_000_000_000n) return 1_000_000_000n;
  if (a < 5_000_000_000_000n) return 1_000_000n;
  if (a < 5_000_000_000_000_000n) return 1_000n;
  return 1n;
}

function copySchema(m: MeasurementSchema): MeasurementSchema {
  return { name: m.name, tags: [...m.tags], fields: { ...m.fields } };
}

function kindOf(m: MeasurementSchema | undefined, col: string): SandboxFieldType | 'tag' | undefined {
  if (!m) return undefined;
  if (m.tags.includes(col)) return 'tag';
  return m.fields[col];
}

function columnCount(m: MeasurementSchema | undefined): number {
  return m ? 1 + m.tags.length + Object.keys(m.fields).length : 1;
}

function isoFromNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ns);
}

/** Parses and checks `body`; see the module comment. */
export function prepareWrite(body: string, rules: WriteRules): PreparedWrite {
  const db = rules.database;
  const schema = new Map<string, MeasurementSchema>();
  for (const m of Object.values(db.measurements)) schema.set(m.name, m);
  const copied = new Set<string>();
  const out: PreparedWrite = {
    tables: new Map(),
    schema,
    newTables: new Set(),
    changed: false,
    errors: [],
    entries: 0,
    accepted: 0,
    body,
    rules,
  };
  const skip = rules.skipLines;
  const scan = new EntryScan();
  const len = body.length;
  const parseOpts = { maxStringBytes: MAX_STRING_FIELD_BYTES };
  const retentionMin = db.retentionPeriod > 0 ? rules.nowNs - BigInt(db.retentionPeriod) : null;
  const maxTables = db.maxTables || rules.maxTables;
  const maxColumns = rules.core ? rules.maxColumns : db.maxColumnsPerTable || rules.maxColumns;
  let i = 0;
  let lineNo = 0;
  let lineStart = 0;
  let lineEnd = 0;
  // Bodies repeat a few series many times: measurement and tags are decoded once per distinct text.
  const headers = headerCache;
  const fieldNames = fieldNameCache;
  const fieldKeys: string[] = [];
  const fieldTypes: SandboxFieldType[] = [];
  const fieldVals: FieldValue[] = [];

  const reject = (stage: LineErrorStage, reason: string, coreReason: string): void => {
    const message =
      stage === 'overflow'
        ? reason
        : `error ${stage === 'parse' ? 'parsing' : 'writing'} line ${lineNo} (1-based): ${reason}`;
    out.errors.push({ line: lineNo, stage, message, coreReason, original: body.slice(lineStart, lineEnd) });
  };

  // Where the next `"` is: an entry without one ends at its first newline (see entryEnd).
  let nextQuote = body.indexOf('"');
  if (nextQuote < 0) nextQuote = len;
  while (i < len) {
    if (nextQuote < i) {
      nextQuote = body.indexOf('"', i);
      if (nextQuote < 0) nextQuote = len;
    }
    const e = entryEnd(body, i, len, nextQuote);
    const blockStart = i;
    i = e + 1;
    const ok = parseRustBlock(body, blockStart, e, parseOpts, scan);
    if (scan.kind !== 'point') continue;
    lineNo++;
    out.entries++;
    if (skip?.has(lineNo)) continue;
    lineStart = scan.start;
    lineEnd = e;
    if (!ok) {
      reject('parse', scan.errReason, scan.errReason);
      continue;
    }
    // --- measurement and tags ---
    const headerEnd = scan.nTags > 0 ? scan.tagVE[scan.nTags - 1]! : scan.measEnd;
    const headerText = body.slice(scan.start, headerEnd);
    let header = headers.get(headerText);
    if (!header) {
      header = decodeHeader(body, scan);
      if (headers.size >= HEADER_CACHE_MAX) headers.clear();
      headers.set(headerText, header);
    }
    if (header.problem) {
      reject(header.problem.stage, header.problem.reasons[0], header.problem.reasons[1]);
      continue;
    }
    const measurement = header.measurement;
    const tags = header.tags;
    // --- fields: the last occurrence of a key wins; `time` among other fields is dropped ---
    fieldKeys.length = 0;
    fieldTypes.length = 0;
    fieldVals.length = 0;
    let problem: [string, string] | null = null;
    let timeField = false;
    for (let f = 0; f < scan.nFields; f++) {
      const ks = scan.fKS[f]!;
      const ke = scan.fKE[f]!;
      // Field keys repeat line after line: unescape each distinct spelling once; the keys of the
      // header's last line are compared in place, without cutting the key out of the body.
      let k: string | undefined;
      const seen = header.rawKeys[f];
      if (seen !== undefined && seen.length === ke - ks && body.startsWith(seen, ks)) k = header.keys[f]!;
      else {
        const rawKey = body.slice(ks, ke);
        k = fieldNames.get(rawKey);
        if (k === undefined) {
          k = rustUnescapeIdent(body, ks, ke, false);
          if (fieldNames.size >= FIELD_NAME_CACHE_MAX) fieldNames.clear();
          fieldNames.set(rawKey, k);
        }
        if (f < 64) {
          header.rawKeys[f] = rawKey;
          header.keys[f] = k;
        }
      }
      if (k.length * 3 > MAX_NAME_BYTES && utf8Length(k, 0, k.length) > MAX_NAME_BYTES) {
        problem = ['String is greater than 64KB', 'String is greater than 64KB'];
        break;
      }
      const type = TYPE_BY_TAG[scan.fType[f]!]!;
      const value = fieldValue(body, scan.fVS[f]!, scan.fVE[f]!, scan.fType[f]!);
      if (type === 'string' && (value as string).length * 3 > MAX_STRING_FIELD_BYTES) {
        if (utf8Length(value as string, 0, (value as string).length) > MAX_STRING_FIELD_BYTES) {
          problem = ['String is greater than 1MB', 'String is greater than 1MB'];
          break;
        }
      }
      if (k === 'time') {
        timeField = true;
        continue;
      }
      const at = fieldKeys.indexOf(k);
      if (at >= 0) {
        if (rules.core) {
          problem = [
            `invalid line protocol - multiple instances of '${k}' field found`,
            `invalid line protocol - multiple instances of '${k}' field found`,
          ];
          break;
        }
        if (fieldTypes[at] !== type) {
          problem = [
            `the field '${k}' is specified more than once with conflicting types`,
            `the field '${k}' is specified more than once with conflicting types`,
          ];
          break;
        }
        fieldVals[at] = value;
        continue;
      }
      fieldKeys.push(k);
      fieldTypes.push(type);
      fieldVals.push(value);
    }
    if (problem) {
      reject(problem[0].startsWith('String') ? 'parse' : 'write', problem[0], problem[1]);
      continue;
    }
    if (fieldKeys.length === 0) {
      reject(
        'write',
        `invalid field name: input field "time" on measurement "${measurement}" is invalid`,
        "'time' is a reserved column",
      );
      continue;
    }
    if (timeField && rules.core) {
      reject('write', "'time' is a reserved column", "'time' is a reserved column");
      continue;
    }
    // --- timestamp ---
    let time: bigint;
    if (scan.tsStart >= 0) {
      const raw = BigInt(body.slice(scan.tsStart, scan.tsEnd));
      const mult = rules.precision === 'auto' ? autoMultiplier(raw) : rules.precision;
      time = mult === 1n ? raw : raw * mult;
      if (time > I64_MAX || time < I64_MIN) {
        reject('overflow', `timestamp overflows i64 on line ${lineNo} (1-based)`, 'timestamp overflows i64');
        continue;
      }
    } else if (rules.core && rules.precision !== 'auto') {
      time = rules.nowNs - (((rules.nowNs % rules.precision) + rules.precision) % rules.precision);
    } else {
      time = rules.nowNs;
    }
    // --- kinds and types against the batch's schema so far ---
    const current = schema.get(measurement);
    const known = current !== undefined && header.checkedSchema === current && sameKeys(header, fieldKeys, fieldTypes);
    const err = known
      ? null
      : (checkKinds(current, tags, fieldKeys, fieldTypes) ?? caseClash(measurement, current, tags, fieldKeys));
    if (err) {
      reject('write', err[0], err[1]);
      continue;
    }
    // --- limits ---
    if (!current && schema.size >= maxTables) {
      const text =
        `couldn't create new table; namespace contains ${schema.size} existing tables, applying ` +
        `this write would result in ${schema.size + 1} tables, limit is ${maxTables}`;
      reject('limit', text, `Update to schema would exceed number of tables limit of ${maxTables} tables`);
      continue;
    }
    let added = 0;
    if (!known) {
      for (let t = 0; t < tags.length; t++) if (!kindOf(current, tags[t]![0])) added++;
      for (let f = 0; f < fieldKeys.length; f++) if (!kindOf(current, fieldKeys[f]!)) added++;
    }
    const existing = added > 0 ? columnCount(current) : 0;
    if (added > 0 && existing + added > maxColumns) {
      const text =
        `couldn't create columns in table \`${measurement}\`; table contains ${existing} ` +
        `existing columns, applying this write would result in ${existing + added} columns, ` +
        `limit is ${maxColumns}`;
      reject(
        'limit',
        text,
        `Update to schema would exceed number of columns per table limit of ${maxColumns - 1} columns`,
      );
      continue;
    }
    // --- retention ---
    if (retentionMin !== null && time < retentionMin) {
      const text =
        `data in table ${measurement} is outside of the retention period: minimum acceptable ` +
        `timestamp is ${isoFromNs(retentionMin)}, but observed ` +
        `timestamp ${isoFromNs(time)} is older.`;
      reject('retention', text, text);
      continue;
    }
    // --- accepted: extend the schema, add the row ---
    let m = current;
    if (!m) {
      m = { name: measurement, tags: [], fields: {} };
      schema.set(measurement, m);
      copied.add(measurement);
      out.newTables.add(measurement);
      out.changed = true;
    }
    if (added > 0) {
      if (!copied.has(measurement)) {
        m = copySchema(m);
        schema.set(measurement, m);
        copied.add(measurement);
      }
      for (const [k] of tags) if (!kindOf(m, k)) m.tags.push(k);
      for (let f = 0; f < fieldKeys.length; f++)
        if (!kindOf(m, fieldKeys[f]!)) m.fields[fieldKeys[f]!] = fieldTypes[f]!;
      out.changed = true;
    }
    if (!known) {
      header.checkedSchema = m;
      header.checkedKeys = fieldKeys.slice();
      header.checkedTypes = fieldTypes.slice();
    }
    addRow(out.tables, measurement, time, header, fieldKeys, fieldVals);
    out.accepted++;
  }
  return out;
}

/** Decodes measurement and tags and checks what depends on them alone (names, `time`, duplicates). */
function decodeHeader(body: string, scan: EntryScan): Header {
  const measurement = rustUnescapeIdent(body, scan.measStart, scan.measEnd, true);
  const tags: [string, string][] = [];
  const header: Header = {
    measurement,
    tags,
    series: '',
    problem: null,
    rawKeys: [],
    keys: [],
    checkedSchema: null,
    checkedKeys: [],
    checkedTypes: [],
  };
  const tooLong = (s: string): boolean => s.length * 3 > MAX_NAME_BYTES && utf8Length(s, 0, s.length) > MAX_NAME_BYTES;
  if (tooLong(measurement)) {
    header.problem = { stage: 'parse', reasons: ['String is greater than 64KB', 'String is greater than 64KB'] };
    return header;
  }
  for (let t = 0; t < scan.nTags; t++) {
    const k = rustUnescapeIdent(body, scan.tagKS[t]!, scan.tagKE[t]!, false);
    const v = rustUnescapeIdent(body, scan.tagVS[t]!, scan.tagVE[t]!, false);
    if (tooLong(k) || tooLong(v)) {
      header.problem = { stage: 'parse', reasons: ['String is greater than 64KB', 'String is greater than 64KB'] };
      return header;
    }
    if (k === 'time') {
      header.problem = {
        stage: 'write',
        reasons: [`input tag "time" on measurement "${measurement}" is invalid`, "'time' is a reserved column"],
      };
      return header;
    }
    for (const [seen] of tags) {
      if (seen === k) {
        const text = `the tag '${k}' is specified more than once with conflicting values`;
        header.problem = { stage: 'write', reasons: [text, text] };
        return header;
      }
    }
    tags.push([k, v]);
  }
  header.series = seriesKey(tags);
  return header;
}

/** Whether a line's field keys and types are those its header's last accepted line was checked with. */
function sameKeys(header: Header, keys: string[], types: SandboxFieldType[]): boolean {
  const k = header.checkedKeys;
  if (k.length !== keys.length) return false;
  for (let f = 0; f < keys.length; f++) {
    if (k[f] !== keys[f] || header.checkedTypes[f] !== types[f]) return false;
  }
  return true;
}

/**
 * Kinds and types against the schema so far: a tag where a field is, a field where a tag is (in the
 * line or stored), a field of another type. Returns [CD reason, Core reason] when refused.
 */
function checkKinds(
  current: MeasurementSchema | undefined,
  tags: [string, string][],
  fieldKeys: string[],
  fieldTypes: SandboxFieldType[],
): [string, string] | null {
  for (let t = 0; t < tags.length; t++) {
    const k = tags[t]![0];
    const stored = kindOf(current, k);
    if (stored && stored !== 'tag') {
      return [
        `Unable to insert ${IOX_KIND.tag} type into column ${k} with type ${IOX_KIND[stored]}`,
        `invalid column type for column '${k}', expected ${IOX_KIND[stored]}, got ${IOX_KIND.tag}`,
      ];
    }
  }
  for (let f = 0; f < fieldKeys.length; f++) {
    const k = fieldKeys[f]!;
    const type = fieldTypes[f]!;
    let inLineTag = false;
    for (let t = 0; t < tags.length; t++) if (tags[t]![0] === k) inLineTag = true;
    // Tags are written before fields, so a field named like a tag meets a tag column.
    const stored = inLineTag ? 'tag' : kindOf(current, k);
    if (stored && stored !== type) {
      return [
        `Unable to insert ${IOX_KIND[type]} type into column ${k} with type ${IOX_KIND[stored]}`,
        `invalid column type for column '${k}', expected ${IOX_KIND[stored]}, got ${IOX_KIND[type]}`,
      ];
    }
  }
  return null;
}

/** An identifier as DuckDB matches it: ASCII letters folded (`É` and `é` stay two names, `V` and `v` do not). */
const foldCase = (name: string): string => name.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/**
 * A line's column that DuckDB would take for another of the table (stored, `time`, or in the line) differing only
 * in case. InfluxDB 3 stores both; the sandbox cannot (DuckDB matches column names case-insensitively), so it
 * refuses the line rather than acknowledge a write it could not store. Only new columns can clash: the stored
 * ones were checked when they were added.
 */
function caseClash(
  measurement: string,
  current: MeasurementSchema | undefined,
  tags: [string, string][],
  fieldKeys: string[],
): [string, string] | null {
  const keys = [...tags.map(([k]) => k), ...fieldKeys];
  for (const k of keys) {
    if (kindOf(current, k)) continue;
    const folded = foldCase(k);
    const others = ['time', ...keys, ...(current ? [...current.tags, ...Object.keys(current.fields)] : [])];
    const other = others.find((o) => o !== k && foldCase(o) === folded);
    if (other === undefined) continue;
    const text =
      `the sandbox cannot store column '${k}' beside column '${other}' in table '${measurement}': they differ ` +
      'only in case, which DuckDB does not tell apart (InfluxDB 3 stores both)';
    return [text, text];
  }
  return null;
}

function addRow(
  tables: Map<string, TableBatch>,
  measurement: string,
  time: bigint,
  header: Header,
  fieldKeys: string[],
  fieldVals: FieldValue[],
): void {
  let t = tables.get(measurement);
  if (!t) {
    t = {
      measurement,
      columns: [],
      columnIndex: new Map(),
      times: [],
      series: [],
      values: [],
      seriesMax: new Map(),
      seriesMin: new Map(),
      keyIndex: null,
    };
    tables.set(measurement, t);
  }
  const series = header.series;
  const max = t.seriesMax.get(series);
  let row: number;
  if (max === undefined || time > max) {
    // Increasing per series (the usual case): no duplicate possible within the batch.
    t.seriesMax.set(series, time);
    if (max === undefined) t.seriesMin.set(series, time);
    row = t.times.length;
    t.keyIndex?.set(series + '\u0000' + time, row);
    t.times.push(time);
    t.series.push(series);
  } else {
    if (!t.keyIndex) {
      t.keyIndex = new Map();
      for (let r = 0; r < t.times.length; r++) t.keyIndex.set(t.series[r]! + '\u0000' + t.times[r]!, r);
    }
    if (time < t.seriesMin.get(series)!) t.seriesMin.set(series, time);
    const key = series + '\u0000' + time;
    const at = t.keyIndex.get(key);
    if (at === undefined) {
      row = t.times.length;
      t.keyIndex.set(key, row);
      t.times.push(time);
      t.series.push(series);
    } else {
      // Same series and time: one point, fields merged, the later write wins per field.
      row = at;
    }
  }
  const tags = header.tags;
  for (let i = 0; i < tags.length; i++) putValue(t, row, tags[i]![0], tags[i]![1]);
  for (let f = 0; f < fieldKeys.length; f++) putValue(t, row, fieldKeys[f]!, fieldVals[f]!);
}

function putValue(t: TableBatch, row: number, k: string, v: FieldValue): void {
  let idx = t.columnIndex.get(k);
  if (idx === undefined) {
    idx = t.columns.length;
    t.columns.push(k);
    t.columnIndex.set(k, idx);
    t.values.push([]);
  }
  t.values[idx]![row] = v;
}

/**
 * The end of the entry starting at `i` (as {@link scanEntryEnd} with Rust rules finds it), `nextQuote`
 * being the first `"` at or after `i`. Only a `"` (quote state) or a backslash right before the newline
 * (an escaped newline) can carry an entry past its first newline; other entries end there, found
 * natively instead of char by char.
 */
export function entryEnd(body: string, i: number, len: number, nextQuote: number): number {
  let nl = body.indexOf('\n', i);
  if (nl < 0) nl = len;
  if (nextQuote >= nl && (nl === i || body.charCodeAt(nl - 1) !== 92)) return nl;
  const e = scanEntryEnd(body, i, len, false, true);
  return e < 0 ? len : e;
}

/** Exact powers of ten as doubles (10^22 is the largest one a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number('1e' + k));

/**
 * {@link rustFieldValue} without cutting the text out for the common forms: a float `-?d+(.d+)?` whose
 * digits make an integer below 2^53 is that integer divided by an exact power of ten, which IEEE
 * division rounds exactly as `Number(text)` does (Clinger's fast path); an integer of at most 15 digits
 * converts through a double exactly. Anything else goes to the full conversion.
 */
export function fieldValue(s: string, vs: number, ve: number, type: number): FieldValue {
  if (type === T_FLOAT) {
    let p = vs;
    const neg = s.charCodeAt(p) === 45;
    if (neg) p++;
    let m = 0;
    let digits = 0;
    let frac = -1;
    for (; p < ve; p++) {
      const c = s.charCodeAt(p);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
      } else if (c === 46 && frac < 0) frac = p;
      else break;
    }
    if (p === ve && digits > 0 && digits <= 15 && (frac < 0 || frac < ve - 1)) {
      const scale = frac < 0 ? 0 : ve - frac - 1;
      const v = scale === 0 ? m : m / POW10[scale]!;
      return neg ? -v : v;
    }
  } else if (type === T_INT || type === T_UINT) {
    const end = ve - 1;
    if (end - vs <= 15) {
      let p = vs;
      const neg = s.charCodeAt(p) === 45;
      if (neg) p++;
      let m = 0;
      for (; p < end; p++) m = m * 10 + (s.charCodeAt(p) - 48);
      return BigInt(neg ? -m : m);
    }
  }
  return rustFieldValue(s, vs, ve, type);
}
