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

/** One accepted row; `values[i]` belongs to `TableBatch.columns[i]` (undefined = NULL). */
export interface BatchRow {
  time: bigint;
  series: string;
  values: (FieldValue | undefined)[];
}

/** The accepted rows of one measurement, deduplicated on series + time (later fields win). */
export interface TableBatch {
  measurement: string;
  /** tag and field column names, in the order values are stored in rows */
  columns: string[];
  columnIndex: Map<string, number>;
  rows: BatchRow[];
  /** series → index of rows by time, built only when a series' times are not increasing */
  seriesMax: Map<string, bigint>;
  keyIndex: Map<string, number> | null;
}

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
  };
  const scan = new EntryScan();
  const len = body.length;
  const parseOpts = { maxStringBytes: MAX_STRING_FIELD_BYTES };
  const retentionMin = db.retentionPeriod > 0 ? rules.nowNs - BigInt(db.retentionPeriod) : null;
  const maxTables = db.maxTables || rules.maxTables;
  const maxColumns = rules.core ? rules.maxColumns : db.maxColumnsPerTable || rules.maxColumns;
  let i = 0;
  let lineNo = 0;
  const tags: [string, string][] = [];
  const fieldKeys: string[] = [];
  const fieldTypes: SandboxFieldType[] = [];
  const fieldVals: FieldValue[] = [];

  const reject = (stage: LineErrorStage, reason: string, coreReason: string, original: string): void => {
    const message =
      stage === 'overflow'
        ? reason
        : `error ${stage === 'parse' ? 'parsing' : 'writing'} line ${lineNo} (1-based): ${reason}`;
    out.errors.push({ line: lineNo, stage, message, coreReason, original });
  };

  while (i <= len) {
    if (i === len) break;
    let e = scanEntryEnd(body, i, len, false, true);
    if (e < 0) e = len;
    const blockStart = i;
    i = e + 1;
    const ok = parseRustBlock(body, blockStart, e, parseOpts, scan);
    if (scan.kind !== 'point') continue;
    lineNo++;
    out.entries++;
    const original = body.slice(scan.start, e);
    if (!ok) {
      reject('parse', scan.errReason, scan.errReason, original);
      continue;
    }
    // --- decode ---
    const measurement = rustUnescapeIdent(body, scan.measStart, scan.measEnd, true);
    if (utf8Length(measurement, 0, measurement.length) > MAX_NAME_BYTES) {
      reject('parse', 'String is greater than 64KB', 'String is greater than 64KB', original);
      continue;
    }
    tags.length = 0;
    let bad: [string, string] | null = null;
    for (let t = 0; t < scan.nTags; t++) {
      const k = rustUnescapeIdent(body, scan.tagKS[t]!, scan.tagKE[t]!, false);
      const v = rustUnescapeIdent(body, scan.tagVS[t]!, scan.tagVE[t]!, false);
      if (utf8Length(k, 0, k.length) > MAX_NAME_BYTES || utf8Length(v, 0, v.length) > MAX_NAME_BYTES) {
        bad = ['String is greater than 64KB', 'String is greater than 64KB'];
        break;
      }
      tags.push([k, v]);
    }
    if (bad) {
      reject('parse', bad[0], bad[1], original);
      continue;
    }
    fieldKeys.length = 0;
    fieldTypes.length = 0;
    fieldVals.length = 0;
    for (let f = 0; f < scan.nFields; f++) {
      const k = rustUnescapeIdent(body, scan.fKS[f]!, scan.fKE[f]!, false);
      if (utf8Length(k, 0, k.length) > MAX_NAME_BYTES) {
        bad = ['String is greater than 64KB', 'String is greater than 64KB'];
        break;
      }
      fieldKeys.push(k);
      fieldTypes.push(TYPE_BY_TAG[scan.fType[f]!]!);
      fieldVals.push(rustFieldValue(body, scan.fVS[f]!, scan.fVE[f]!, scan.fType[f]!));
    }
    if (bad) {
      reject('parse', bad[0], bad[1], original);
      continue;
    }
    // --- timestamp ---
    let time: bigint;
    if (scan.tsStart >= 0) {
      const raw = BigInt(body.slice(scan.tsStart, scan.tsEnd));
      const mult = rules.precision === 'auto' ? autoMultiplier(raw) : rules.precision;
      time = raw * mult;
      if (time > I64_MAX || time < I64_MIN) {
        reject('overflow', `timestamp overflows i64 on line ${lineNo} (1-based)`, 'timestamp overflows i64', original);
        continue;
      }
    } else if (rules.core && rules.precision !== 'auto') {
      time = rules.nowNs - (((rules.nowNs % rules.precision) + rules.precision) % rules.precision);
    } else {
      time = rules.nowNs;
    }
    // --- per-line kind and type rules, against the batch's schema so far ---
    const current = schema.get(measurement);
    const err = checkLine(measurement, current, tags, fieldKeys, fieldTypes, rules.core);
    if (err) {
      reject('write', err[0], err[1], original);
      continue;
    }
    // `time` as one of several fields is dropped (the only field was refused above).
    // Deduplicate fields: the last occurrence wins (conflicting types were refused above).
    const fields = new Map<string, [SandboxFieldType, FieldValue]>();
    for (let f = 0; f < fieldKeys.length; f++) {
      if (fieldKeys[f] === 'time') continue;
      fields.set(fieldKeys[f]!, [fieldTypes[f]!, fieldVals[f]!]);
    }
    for (const [k, [type, v]] of fields) {
      if (type === 'string' && utf8Length(v as string, 0, (v as string).length) > MAX_STRING_FIELD_BYTES) {
        bad = ['String is greater than 1MB', 'String is greater than 1MB'];
        void k;
        break;
      }
    }
    if (bad) {
      reject('parse', bad[0], bad[1], original);
      continue;
    }
    // --- limits ---
    if (!current && schema.size >= maxTables) {
      const text = `couldn't create new table; namespace contains ${schema.size} existing tables, applying this write would result in ${schema.size + 1} tables, limit is ${maxTables}`;
      reject('limit', text, `Update to schema would exceed number of tables limit of ${maxTables} tables`, original);
      continue;
    }
    let added = 0;
    for (const [k] of tags) if (!kindOf(current, k)) added++;
    for (const k of fields.keys()) if (!kindOf(current, k)) added++;
    const existing = columnCount(current);
    if (added > 0 && existing + added > maxColumns) {
      const text = `couldn't create columns in table \`${measurement}\`; table contains ${existing} existing columns, applying this write would result in ${existing + added} columns, limit is ${maxColumns}`;
      reject(
        'limit',
        text,
        `Update to schema would exceed number of columns per table limit of ${maxColumns - 1} columns`,
        original,
      );
      continue;
    }
    // --- retention ---
    if (retentionMin !== null && time < retentionMin) {
      const text = `data in table ${measurement} is outside of the retention period: minimum acceptable timestamp is ${isoFromNs(retentionMin)}, but observed timestamp ${isoFromNs(time)} is older.`;
      reject('retention', text, text, original);
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
      for (const [k, [type]] of fields) if (!kindOf(m, k)) m.fields[k] = type;
      out.changed = true;
    }
    addRow(out.tables, measurement, time, seriesKey(tags), tags, fields);
    out.accepted++;
  }
  return out;
}

/** The kind/type/reserved-name rules of one line; returns [CD reason, Core reason] when refused. */
function checkLine(
  measurement: string,
  current: MeasurementSchema | undefined,
  tags: [string, string][],
  fieldKeys: string[],
  fieldTypes: SandboxFieldType[],
  core: boolean,
): [string, string] | null {
  const lineKinds = new Map<string, SandboxFieldType | 'tag'>();
  for (const [k] of tags) {
    if (k === 'time') {
      return [`input tag "time" on measurement "${measurement}" is invalid`, "'time' is a reserved column"];
    }
    if (lineKinds.has(k)) {
      return [
        `the tag '${k}' is specified more than once with conflicting values`,
        `the tag '${k}' is specified more than once with conflicting values`,
      ];
    }
    const stored = kindOf(current, k);
    if (stored && stored !== 'tag') {
      return [
        `Unable to insert ${IOX_KIND.tag} type into column ${k} with type ${IOX_KIND[stored]}`,
        `invalid column type for column '${k}', expected ${IOX_KIND[stored]}, got ${IOX_KIND.tag}`,
      ];
    }
    lineKinds.set(k, 'tag');
  }
  let nonTime = 0;
  for (let f = 0; f < fieldKeys.length; f++) if (fieldKeys[f] !== 'time') nonTime++;
  if (nonTime === 0) {
    return [
      `invalid field name: input field "time" on measurement "${measurement}" is invalid`,
      "'time' is a reserved column",
    ];
  }
  if (core && nonTime !== fieldKeys.length) return ["'time' is a reserved column", "'time' is a reserved column"];
  for (let f = 0; f < fieldKeys.length; f++) {
    const k = fieldKeys[f]!;
    if (k === 'time') continue;
    const type = fieldTypes[f]!;
    const inLine = lineKinds.get(k);
    if (inLine === 'tag') {
      return [
        `Unable to insert ${IOX_KIND[type]} type into column ${k} with type ${IOX_KIND.tag}`,
        `invalid column type for column '${k}', expected ${IOX_KIND.tag}, got ${IOX_KIND[type]}`,
      ];
    }
    if (inLine !== undefined) {
      if (core)
        return [
          `invalid line protocol - multiple instances of '${k}' field found`,
          `invalid line protocol - multiple instances of '${k}' field found`,
        ];
      if (inLine !== type) {
        return [
          `the field '${k}' is specified more than once with conflicting types`,
          `the field '${k}' is specified more than once with conflicting types`,
        ];
      }
      continue;
    }
    const stored = kindOf(current, k);
    if (stored && stored !== type) {
      return [
        `Unable to insert ${IOX_KIND[type]} type into column ${k} with type ${IOX_KIND[stored]}`,
        `invalid column type for column '${k}', expected ${IOX_KIND[stored]}, got ${IOX_KIND[type]}`,
      ];
    }
    lineKinds.set(k, type);
  }
  return null;
}

function addRow(
  tables: Map<string, TableBatch>,
  measurement: string,
  time: bigint,
  series: string,
  tags: [string, string][],
  fields: Map<string, [SandboxFieldType, FieldValue]>,
): void {
  let t = tables.get(measurement);
  if (!t) {
    t = { measurement, columns: [], columnIndex: new Map(), rows: [], seriesMax: new Map(), keyIndex: null };
    tables.set(measurement, t);
  }
  const values: (FieldValue | undefined)[] = [];
  const put = (k: string, v: FieldValue): void => {
    let idx = t.columnIndex.get(k);
    if (idx === undefined) {
      idx = t.columns.length;
      t.columns.push(k);
      t.columnIndex.set(k, idx);
    }
    values[idx] = v;
  };
  for (const [k, v] of tags) put(k, v);
  for (const [k, [, v]] of fields) put(k, v);
  const max = t.seriesMax.get(series);
  if (max === undefined || time > max) {
    // Increasing per series (the usual case): no duplicate possible within the batch.
    t.seriesMax.set(series, time);
    t.keyIndex?.set(series + '\u0000' + time, t.rows.length);
    t.rows.push({ time, series, values });
    return;
  }
  if (!t.keyIndex) {
    t.keyIndex = new Map();
    for (let r = 0; r < t.rows.length; r++) t.keyIndex.set(t.rows[r]!.series + '\u0000' + t.rows[r]!.time, r);
  }
  const key = series + '\u0000' + time;
  const at = t.keyIndex.get(key);
  if (at === undefined) {
    t.keyIndex.set(key, t.rows.length);
    t.rows.push({ time, series, values });
    return;
  }
  // Same series and time: one point, fields merged, the later write wins per field.
  const row = t.rows[at]!;
  for (let c = 0; c < values.length; c++) if (values[c] !== undefined) row.values[c] = values[c];
}
