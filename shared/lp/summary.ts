/**
 * The batch summary shown above the editor and printed by the CLI: counts, schema and time range,
 * plus a warning for tag values that look high-cardinality (each distinct tag value makes a new
 * series, and UUIDs, timestamps or long numbers in tags usually mean a field was meant).
 */

import type { FieldType, Point } from './types';

/** One tag key whose values look high-cardinality. */
export interface CardinalityWarning {
  measurement: string;
  tagKey: string;
  /** What the values look like. */
  pattern: 'uuid' | 'timestamp' | 'long-number';
  /** Distinct values seen (capped). */
  distinctValues: number;
  /** One example value. */
  example: string;
  message: string;
}

/** Summary of one batch. */
export interface LpSummary {
  /** Physical lines of the text. */
  lines: number;
  /** Accepted points. */
  points: number;
  /** Entries with at least one error. */
  errors: number;
  /** Distinct measurements. */
  measurements: number;
  /** Distinct series (measurement + tag set). */
  series: number;
  /** Field types per measurement: `{ cpu: { usage: ['float'] } }` (more than one type = conflict). */
  fields: Record<string, Record<string, FieldType[]>>;
  /** Smallest and largest timestamp in ns (points without timestamp are not counted). */
  minTimeNs: bigint | null;
  maxTimeNs: bigint | null;
  /** Points that carry no timestamp (the server's clock decides). */
  pointsWithoutTimestamp: number;
  highCardinality: CardinalityWarning[];
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const TIMESTAMP_RE = /^(?:\d{10}|\d{13}|\d{16}|\d{19})$|^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const LONG_NUMBER_RE = /^-?\d{8,}(?:\.\d+)?$/;
/** Distinct values per tag key tracked before we stop counting (bounded memory). */
const DISTINCT_CAP = 10_000;
/** A pattern must hold for this many distinct values before we warn. */
const MIN_DISTINCT = 3;

function pattern(v: string): CardinalityWarning['pattern'] | null {
  if (UUID_RE.test(v)) return 'uuid';
  if (TIMESTAMP_RE.test(v)) return 'timestamp';
  if (LONG_NUMBER_RE.test(v)) return 'long-number';
  return null;
}

/** Incremental summary builder: feed points, then call {@link SummaryBuilder.finish}. */
export class SummaryBuilder {
  private points = 0;
  private errors = 0;
  private noTs = 0;
  private minTs: bigint | null = null;
  private maxTs: bigint | null = null;
  private readonly series = new Set<string>();
  private readonly fields = new Map<string, Map<string, Set<FieldType>>>();
  private readonly tagValues = new Map<
    string,
    { values: Set<string>; pattern: CardinalityWarning['pattern'] | null; mixed: boolean; example: string }
  >();

  /** Counts one entry with errors. */
  addError(): void {
    this.errors++;
  }

  /** Adds one accepted point. */
  addPoint(p: Point): void {
    this.points++;
    const tagKey = p.tags
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(',');
    if (this.series.size < 1_000_000) this.series.add(`${p.measurement}\u0000${tagKey}`);
    let f = this.fields.get(p.measurement);
    if (f === undefined) {
      f = new Map();
      this.fields.set(p.measurement, f);
    }
    for (const field of p.fields) {
      let t = f.get(field.key);
      if (t === undefined) {
        t = new Set();
        f.set(field.key, t);
      }
      t.add(field.type);
    }
    if (p.timestampNs === null) this.noTs++;
    else {
      if (this.minTs === null || p.timestampNs < this.minTs) this.minTs = p.timestampNs;
      if (this.maxTs === null || p.timestampNs > this.maxTs) this.maxTs = p.timestampNs;
    }
    for (const [k, v] of p.tags) {
      const id = `${p.measurement}\u0000${k}`;
      let rec = this.tagValues.get(id);
      if (rec === undefined) {
        rec = { values: new Set(), pattern: null, mixed: false, example: v };
        this.tagValues.set(id, rec);
      }
      if (rec.mixed || rec.values.size >= DISTINCT_CAP || rec.values.has(v)) continue;
      rec.values.add(v);
      const pt = pattern(v);
      if (pt === null || (rec.pattern !== null && rec.pattern !== pt)) rec.mixed = true;
      else if (rec.pattern === null) {
        rec.pattern = pt;
        rec.example = v;
      }
    }
  }

  /** The summary; `lines` is the physical line count of the text. */
  finish(lines: number): LpSummary {
    const fields: LpSummary['fields'] = {};
    for (const [m, f] of this.fields) {
      const o: Record<string, FieldType[]> = {};
      for (const [k, t] of f) o[k] = [...t];
      fields[m] = o;
    }
    const highCardinality: CardinalityWarning[] = [];
    for (const [id, rec] of this.tagValues) {
      if (rec.mixed || rec.pattern === null || rec.values.size < MIN_DISTINCT) continue;
      const [measurement = '', tagKey = ''] = id.split('\u0000');
      const what = rec.pattern === 'uuid' ? 'UUIDs' : rec.pattern === 'timestamp' ? 'timestamps' : 'long numbers';
      highCardinality.push({
        measurement,
        tagKey,
        pattern: rec.pattern,
        distinctValues: rec.values.size,
        example: rec.example,
        message:
          `tag "${tagKey}" on "${measurement}" holds ${what} ` +
          `(${rec.values.size}${rec.values.size >= DISTINCT_CAP ? '+' : ''} distinct values, ` +
          `e.g. ${rec.example}): every value creates a new series; store it as a field instead`,
      });
    }
    return {
      lines,
      points: this.points,
      errors: this.errors,
      measurements: this.fields.size,
      series: this.series.size,
      fields,
      minTimeNs: this.minTs,
      maxTimeNs: this.maxTs,
      pointsWithoutTimestamp: this.noTs,
      highCardinality,
    };
  }
}

/** Characters that do not show: control and format characters (the BOM, zero-width spaces, bidi marks). */
const INVISIBLE_RE = /[\p{Cc}\p{Cf}]/gu;

function codePoint(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A name with its invisible characters spelled out (`⟨U+FEFF⟩cpu`), so two names that differ only by them look different. */
export function visibleName(name: string): string {
  return name.replace(INVISIBLE_RE, (c) => `⟨${codePoint(c)}⟩`);
}

/** Measurements that differ from another only by invisible characters (a pasted BOM): the server keeps both. */
export interface LookalikeMeasurement {
  /** The name with the invisible characters. */
  readonly name: string;
  /** The name it looks like. */
  readonly looksLike: string;
  /** The invisible characters, spelled out (`U+FEFF`). */
  readonly characters: string[];
}

/** See {@link LookalikeMeasurement}; `names` in summary order. */
export function lookalikeMeasurements(names: readonly string[]): LookalikeMeasurement[] {
  const byBare = new Map<string, string[]>();
  for (const n of names) {
    const bare = n.replace(INVISIBLE_RE, '');
    byBare.set(bare, [...(byBare.get(bare) ?? []), n]);
  }
  const out: LookalikeMeasurement[] = [];
  for (const [bare, group] of byBare) {
    if (group.length < 2) continue;
    for (const name of group) {
      if (name === bare) continue;
      const characters = [...new Set(name.match(INVISIBLE_RE) ?? [])].map(codePoint);
      out.push({ name, looksLike: group.find((g) => g === bare) ?? group.find((g) => g !== name)!, characters });
    }
  }
  return out;
}
