/**
 * SHOW MEASUREMENTS / TAG KEYS / TAG VALUES / FIELD KEYS / RETENTION POLICIES / DATABASES (spec §10.1):
 * answered from the catalog, or from stored rows when IOx reads them (TAG VALUES always; MEASUREMENTS
 * and TAG KEYS with a WHERE), with the metadata lookback added when the condition has no time bound.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { Expr, Measurement, OtherStatement } from '../../../shared/influxql';
import { tableRef } from '../store';
import type { DatabaseSchema, MeasurementSchema, SandboxQueryContext } from './context';
import type { Batch } from './response';
import { goRegex, resolveMeasurements } from './select';
import { indexedSeries, indexedTagValues, seriesTags, utf8Sort } from './series-index';
import { conditionSql, qi, qs } from './sql';
import { timeRange } from './time';

const DAY_NS = 86_400_000_000_000n;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The metadata lookback condition (spec §10.1): `time >= now() - 24h` when none is given. */
function rowCondition(cond: Expr | null, m: MeasurementSchema, ctx: SandboxQueryContext): string {
  const parts: string[] = [];
  const r = timeRange(cond, ctx.now());
  if (r.min === null && r.max === null) parts.push(`"time" >= ${ctx.now() - (ctx.metadataCutoffNs ?? DAY_NS)}`);
  if (cond) parts.push(conditionSql(cond, m, ctx.now()));
  return parts.join(' AND ') || 'TRUE';
}

const page = <T>(xs: T[], limit: number | undefined, offset: number | undefined): T[] => {
  const from = offset && offset > 0 ? offset : 0;
  return limit && limit > 0 ? xs.slice(from, from + limit) : xs.slice(from);
};

async function rowsOf(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows() as unknown[][];
}

const series = (name: string, columns: string[], rows: unknown[][]): Batch => ({
  series: { key: name, name, tags: [], columns, untimed: true },
  rows,
});

/** SHOW MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD KEYS over one database; yields untimed series. */
export async function* runShow(s: OtherStatement, db: DatabaseSchema, ctx: SandboxQueryContext): AsyncGenerator<Batch> {
  const all = Object.values(db.measurements).sort((a, b) => byName(a.name, b.name));
  const from = (): MeasurementSchema[] =>
    s.sources && s.sources.length > 0
      ? resolveMeasurements(
          s.sources.filter((x): x is Measurement => x.type === 'Measurement'),
          db,
        )
      : all;
  const cond = s.condition ?? null;
  switch (s.type) {
    case 'ShowMeasurementsStatement': {
      let ms = all;
      const src = s.source;
      if (src?.type === 'Measurement') {
        const re = src.regex !== null ? goRegex(src.regex) : null;
        ms = ms.filter((m) => (re ? re.test(m.name) : m.name === src.name));
      }
      const names: string[] = [];
      for (const m of ms) {
        if (cond === null) names.push(m.name);
        else {
          const indexed = await indexedSeries(cond, m, db, ctx);
          if (indexed !== null) {
            if (indexed.length > 0) names.push(m.name);
            continue;
          }
          const rows = await rowsOf(
            ctx.connection,
            `SELECT 1 FROM ${tableRef(db.name, m.name)} WHERE ${rowCondition(cond, m, ctx)} LIMIT 1`,
          );
          if (rows.length > 0) names.push(m.name);
        }
      }
      const out = page(names, s.limit, s.offset);
      if (out.length > 0)
        yield series(
          'measurements',
          ['name'],
          out.map((n) => [n]),
        );
      return;
    }
    case 'ShowTagKeysStatement': {
      for (const m of from()) {
        let keys = [...m.tags].sort(byName);
        const indexed = cond !== null && keys.length > 0 ? await indexedSeries(cond, m, db, ctx) : null;
        if (indexed !== null) {
          const present = new Set<string>();
          for (const key of indexed) for (const k of seriesTags(key).keys()) present.add(k);
          keys = keys.filter((k) => present.has(k));
        } else if (cond !== null && keys.length > 0) {
          const rows = await rowsOf(
            ctx.connection,
            `SELECT ${keys.map((k) => `count(${qi(k)}) > 0`).join(', ')} FROM ${tableRef(db.name, m.name)} WHERE ${rowCondition(
              cond,
              m,
              ctx,
            )}`,
          );
          const present = rows[0] ?? [];
          keys = keys.filter((_, i) => present[i] === true);
        }
        const out = page(keys, s.limit, s.offset);
        if (out.length > 0)
          yield series(
            m.name,
            ['tagKey'],
            out.map((k) => [k]),
          );
      }
      return;
    }
    case 'ShowTagValuesStatement': {
      const tk = s.tagKey;
      for (const m of from()) {
        const keys = [...m.tags].sort(byName).filter((k) => {
          if (!tk) return false;
          switch (tk.op) {
            case '=':
            case 'IN':
              return tk.keys.includes(k);
            case '!=':
              return !tk.keys.includes(k);
            case '=~':
              return goRegex(tk.regex ?? '').test(k);
            case '!~':
              return !goRegex(tk.regex ?? '').test(k);
          }
          return false;
        });
        if (keys.length === 0) continue;
        const indexed = await indexedTagValues(cond, m, db, ctx, keys);
        if (indexed !== null) {
          const rows = utf8Sort([...keys]).flatMap((k) => (indexed.get(k) ?? []).map((v) => [k, v]));
          const out = page(rows, s.limit, s.offset);
          if (out.length > 0) yield series(m.name, ['key', 'value'], out);
          continue;
        }
        const where = rowCondition(cond, m, ctx);
        const sql = keys
          .map(
            (k) =>
              `SELECT DISTINCT ${qs(k)} AS k, ${qi(k)} AS v FROM ${tableRef(db.name, m.name)} WHERE ${where} AND ${qi(
                k,
              )} IS NOT NULL`,
          )
          .join(' UNION ALL ');
        const rows = await rowsOf(ctx.connection, `SELECT k, v FROM (${sql}) ORDER BY k, v`);
        const out = page(rows, s.limit, s.offset);
        if (out.length > 0) yield series(m.name, ['key', 'value'], out);
      }
      return;
    }
    case 'ShowFieldKeysStatement': {
      for (const m of from()) {
        const keys = Object.entries(m.fields)
          .sort(([a], [b]) => byName(a, b))
          .map(([k, t]) => [k, t === 'uinteger' ? 'unsigned' : t]);
        const out = page(keys, s.limit, s.offset);
        if (out.length > 0) yield series(m.name, ['fieldKey', 'fieldType'], out);
      }
      return;
    }
    default:
      return;
  }
}
