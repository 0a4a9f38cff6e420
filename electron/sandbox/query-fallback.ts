/**
 * A stand-in for the InfluxQL engine (electron/sandbox/influxql, issue 10) that answers only
 * `SELECT * FROM m`, so the write → read round trip works before the engine lands. Same signature
 * as `runInfluxQL`; removed once the engine exists.
 */

import type { DuckDBConnection } from '@duckdb/node-api';

import type { DatabaseSchema } from './catalog';
import { ident } from './store';

export interface FallbackQueryContext {
  connection: DuckDBConnection;
  database(name: string): DatabaseSchema | undefined;
  canRead(db: string): boolean;
}

/** RFC 3339 with 0, 3, 6 or 9 fractional digits (chrono AutoSi). */
export function rfc3339(ns: bigint): string {
  const sec = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
  const frac = ns - sec * 1_000_000_000n;
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  if (frac === 0n) return base + 'Z';
  const f = frac.toString().padStart(9, '0');
  if (f.endsWith('000000')) return `${base}.${f.slice(0, 3)}Z`;
  if (f.endsWith('000')) return `${base}.${f.slice(0, 6)}Z`;
  return `${base}.${f}Z`;
}

function jsonValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isNaN(v) ? 'null' : JSON.stringify(v);
  return JSON.stringify(v);
}

export async function runFallbackQuery(
  q: string,
  db: string | undefined,
  ctx: FallbackQueryContext,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const headers = { 'content-type': 'application/json' };
  const result = (r: string): { status: number; headers: Record<string, string>; body: string } => ({
    status: 200,
    headers,
    body: `{"results":[${r}]}`,
  });
  if (!db) {
    return result(
      `{"statement_id":0,"error":"must specify a 'db' parameter, or provide the database in the InfluxQL query"}`,
    );
  }
  const m = /^\s*select\s+\*\s+from\s+(?:"((?:[^"\\]|\\.)+)"|([A-Za-z_][\w]*))\s*;?\s*$/i.exec(q);
  if (!m) {
    return result(
      `{"statement_id":0,"error":${JSON.stringify('this sandbox build answers only SELECT * FROM <measurement>')}}`,
    );
  }
  const schema = ctx.database(db);
  if (!schema) return result(`{"statement_id":0,"error":${JSON.stringify(`Database ${db} not found`)}}`);
  const name = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
  const table = schema.measurements[name];
  if (!table) return result(`{"statement_id":0}`);
  const columns = [...table.tags, ...Object.keys(table.fields)].sort();
  const sql =
    `SELECT time, ${columns.map(ident).join(', ')} FROM ${ident(db)}.${ident(name)} ` +
    `ORDER BY time, ${table.tags.length > 0 ? table.tags.map(ident).join(', ') : '_series'}`;
  const reader = await ctx.connection.runAndReadAll(sql);
  const rows = reader.getRows();
  if (rows.length === 0) return result(`{"statement_id":0}`);
  const values = rows.map(
    (row) => `[${JSON.stringify(rfc3339(row[0] as bigint))},${row.slice(1).map(jsonValue).join(',')}]`,
  );
  return result(
    `{"statement_id":0,"series":[{"name":${JSON.stringify(name)},"columns":${JSON.stringify(['time', ...columns])},"values":[${values.join(',')}]}]}`,
  );
}
