/**
 * Cross-line rules of one request body, applied in document order: a column keeps the type (and,
 * on InfluxDB 3, the tag/field kind) of its first occurrence; later occurrences with another type
 * are refused. Also counts columns and tables against the flavor's limits.
 */

import {
  type ColumnFact,
  type EngineConfig,
  ioxColumnType as ioxType,
  KIND_TAG,
  makeDiagnostic,
  type PositionMapper,
} from './engine';
import { FIELD_TYPE_NAMES } from './scan';
import type { Diagnostic } from './types';

/** Human type name of a field type index or {@link KIND_TAG}. */
export function typeName(t: number): string {
  return t === KIND_TAG ? 'tag' : (FIELD_TYPE_NAMES[t] ?? 'float');
}

/**
 * The diagnostic for a column whose type differs from the type it was first seen with.
 * `ordinal` is the 3.x line number of the entry (non-blank entries counted).
 */
export function conflictDiagnostic(
  cfg: EngineConfig,
  pm: PositionMapper,
  fact: ColumnFact,
  firstType: number,
  firstLine: number,
  ordinal: number,
): Diagnostic {
  const rules = cfg.rules;
  const t = fact.type;
  const kind = t === KIND_TAG || firstType === KIND_TAG;
  let msg: string;
  if (rules.engine === 'tsm') {
    msg =
      `partial write: field type conflict: input field "${fact.column}" on measurement ` +
      `"${fact.measurement}" is type ${typeName(t)}, already exists as ` +
      `type ${typeName(firstType)} dropped=1`;
  } else if (rules.engine === 'iox') {
    msg =
      `error writing line ${ordinal} (1-based): Unable to insert ${ioxType(t)} type into ` +
      `column ${fact.column} with type ${ioxType(firstType)}`;
  } else {
    msg = `invalid column type for column '${fact.column}', expected ${ioxType(firstType)}, got ${ioxType(t)}`;
  }
  msg += ` (first written as ${typeName(firstType)} on line ${firstLine})`;
  return makeDiagnostic(pm, fact.start, fact.end, 'error', kind ? 'LP301' : 'LP300', msg);
}

interface ColumnRecord {
  type: number;
  line: number;
}

/** Forward-only batch state for one-shot and streaming validation. Memory grows with the schema, not the data. */
export class BatchState {
  private readonly cfg: EngineConfig;
  private readonly tables = new Map<string, Map<string, ColumnRecord>>();
  private readonly overLimit = new Set<string>();
  private tableLimitReported = false;
  /** Cap on tracked tables: beyond it, new tables are no longer checked (bounded memory). */
  static readonly MAX_TABLES = 100_000;

  constructor(cfg: EngineConfig) {
    this.cfg = cfg;
  }

  /** Number of distinct measurements seen. */
  get tableCount(): number {
    return this.tables.size;
  }

  /** Applies the facts of one accepted entry; returns new diagnostics (possibly none). */
  apply(facts: readonly ColumnFact[], line: number, ordinal: number, pm: PositionMapper): Diagnostic[] | null {
    let out: Diagnostic[] | null = null;
    const rules = this.cfg.rules;
    for (const f of facts) {
      let cols = this.tables.get(f.measurement);
      if (cols === undefined) {
        if (this.tables.size >= BatchState.MAX_TABLES) continue;
        cols = new Map();
        this.tables.set(f.measurement, cols);
        if (rules.maxTables !== null && this.tables.size > rules.maxTables && !this.tableLimitReported) {
          this.tableLimitReported = true;
          (out ??= []).push(
            makeDiagnostic(
              pm,
              f.start,
              f.end,
              'warning',
              'LP303',
              `this body writes more than ${rules.maxTables} tables (measurements); ${rules.label} allows ${rules.maxTables} by default`,
            ),
          );
        }
      }
      const rec = cols.get(f.column);
      if (rec === undefined) {
        cols.set(f.column, { type: f.type, line });
        const limit = rules.maxColumns;
        if (limit !== null) {
          const n = cols.size + (rules.columnsIncludeTime ? 1 : 0);
          if (n > limit && !this.overLimit.has(f.measurement)) {
            this.overLimit.add(f.measurement);
            const msg =
              rules.engine === 'core'
                ? `Update to schema would exceed number of columns per table limit of ${limit} columns`
                : `couldn't create columns in table \`${f.measurement}\`; applying this write would result ` +
                  `in ${n} columns, limit is ${limit}`;
            (out ??= []).push(makeDiagnostic(pm, f.start, f.end, 'error', 'LP302', msg));
          }
        }
        continue;
      }
      if (rec.type !== f.type && rec.line !== line) {
        (out ??= []).push(conflictDiagnostic(this.cfg, pm, f, rec.type, rec.line, ordinal));
      }
    }
    return out;
  }

  /** The columns seen per measurement with their first type (for summaries). */
  schema(): Map<string, Map<string, string>> {
    const out = new Map<string, Map<string, string>>();
    for (const [m, cols] of this.tables) {
      const c = new Map<string, string>();
      for (const [k, r] of cols) c.set(k, typeName(r.type));
      out.set(m, c);
    }
    return out;
  }
}
