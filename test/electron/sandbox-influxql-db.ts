/**
 * Test support for the sandbox InfluxQL engine: builds an in-memory DuckDB in the storage layout of
 * SANDBOX-CONTRACT.md (schema per database, table per measurement, `time BIGINT`, tag VARCHARs, typed
 * field columns, the series key SERIES_COLUMN), merging points of the same series and time as the sandbox does, and
 * runs `runInfluxQL` against it, collecting the body.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

import type {
  DatabaseSchema,
  SandboxFieldType,
  SandboxQueryContext,
  SandboxQueryRequest,
} from '../../electron/sandbox/influxql';
import { runInfluxQL } from '../../electron/sandbox/influxql';
import { schemaOf, SERIES_COLUMN, type SeriesSpans, tableRef } from '../../electron/sandbox/store';

/** A field value with its line-protocol type. */
export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: bigint }
  | { type: 'uinteger'; value: bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

/** One point. */
export interface TestPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  time: bigint;
}

const SQL_TYPE: Record<SandboxFieldType, string> = {
  float: 'DOUBLE',
  integer: 'BIGINT',
  uinteger: 'UBIGINT',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
};

const qi = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const lit = (v: FieldValue | string | undefined): string => {
  if (v === undefined) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  switch (v.type) {
    case 'float':
      return `CAST(${Object.is(v.value, -0) ? '-0.0' : String(v.value)} AS DOUBLE)`;
    case 'integer':
      return `CAST(${v.value} AS BIGINT)`;
    case 'uinteger':
      return `CAST(${v.value} AS UBIGINT)`;
    case 'string':
      return `'${v.value.replace(/'/g, "''")}'`;
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
  }
};

const escapeKey = (s: string): string => s.replace(/[,= ]/g, (c) => `\\${c}`);
/** Canonical sorted tag set, LP-escaped (the SERIES_COLUMN column). */
export const seriesKey = (tags: Record<string, string>): string =>
  Object.keys(tags)
    .sort()
    .map((k) => `${escapeKey(k)}=${escapeKey(tags[k] as string)}`)
    .join(',');

/** A table's series index as the server rebuilds it from DuckDB on start. */
export async function rebuildSpans(connection: DuckDBConnection, db: string, m: string): Promise<SeriesSpans> {
  const r = await connection.runAndReadAll(
    `SELECT ${qi(SERIES_COLUMN)}, min("time"), max("time") FROM ${tableRef(db, m)} GROUP BY 1`,
  );
  const min = new Map<string, bigint>();
  const max = new Map<string, bigint>();
  for (const [k, lo, hi] of r.getRows() as [string, bigint, bigint][]) {
    min.set(k, lo);
    max.set(k, hi);
  }
  return { min, max };
}

/** An in-memory sandbox store with one or more databases. */
export class TestStore {
  readonly schemas = new Map<string, DatabaseSchema>();
  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async create(): Promise<TestStore> {
    const instance = await DuckDBInstance.create(':memory:');
    return new TestStore(instance, await instance.connect());
  }

  /** Writes points (same series + time: fields merged, the later value wins). */
  async write(db: string, points: readonly TestPoint[]): Promise<void> {
    let schema = this.schemas.get(db);
    if (!schema) {
      schema = { name: db, measurements: {} };
      this.schemas.set(db, schema);
      await this.connection.run(`CREATE SCHEMA ${qi(schemaOf(db))}`);
    }
    const merged = new Map<string, Map<string, TestPoint>>();
    for (const p of points) {
      let m = schema.measurements[p.measurement];
      if (!m) {
        m = { name: p.measurement, tags: [], fields: {} };
        schema.measurements[p.measurement] = m;
      }
      for (const t of Object.keys(p.tags)) if (!m.tags.includes(t)) m.tags.push(t);
      for (const [f, v] of Object.entries(p.fields)) if (m.fields[f] === undefined) m.fields[f] = v.type;
      let byKey = merged.get(p.measurement);
      if (!byKey) merged.set(p.measurement, (byKey = new Map()));
      const key = `${seriesKey(p.tags)}\u0000${p.time}`;
      const prev = byKey.get(key);
      byKey.set(key, prev ? { ...prev, fields: { ...prev.fields, ...p.fields } } : p);
    }
    for (const [name, byKey] of merged) {
      const m = schema.measurements[name];
      if (!m) continue;
      const table = tableRef(db, name);
      const cols = [
        '"time" BIGINT NOT NULL',
        ...m.tags.map((t) => `${qi(t)} VARCHAR`),
        ...Object.entries(m.fields).map(([f, t]) => `${qi(f)} ${SQL_TYPE[t]}`),
        `${qi(SERIES_COLUMN)} VARCHAR`,
      ];
      await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
      await this.connection.run(`CREATE TABLE ${table} (${cols.join(', ')})`);
      const rows = [...byKey.values()].map(
        (p) =>
          `(${[
            String(p.time),
            ...m.tags.map((t) => lit(p.tags[t])),
            ...Object.keys(m.fields).map((f) => lit(p.fields[f])),
            lit(seriesKey(p.tags)),
          ].join(', ')})`,
      );
      for (let i = 0; i < rows.length; i += 500)
        await this.connection.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 500).join(', ')}`);
    }
  }

  context(overrides: Partial<SandboxQueryContext> = {}): SandboxQueryContext {
    return {
      profile: 'cloud-dedicated',
      connection: this.connection,
      database: (n) => this.schemas.get(n),
      databases: () => [...this.schemas.keys()],
      canRead: () => true,
      now: () => 1_700_200_000_000_000_000n,
      // The series index as the server rebuilds it on start (SHOW answers from it).
      seriesSpans: async (db, m) =>
        this.schemas.get(db)?.measurements[m] ? rebuildSpans(this.connection, db, m) : undefined,
      ...overrides,
    };
  }

  /** Runs a query and returns the status and the body documents as written. */
  async query(
    q: string,
    extra: Partial<SandboxQueryRequest> = {},
    ctx: Partial<SandboxQueryContext> = {},
  ): Promise<{ status: number; body: string; parts: string[] }> {
    const res = await runInfluxQL({ q, chunked: false, method: 'GET', ...extra }, this.context(ctx));
    const parts: string[] = [];
    for await (const p of res.body) parts.push(typeof p === 'string' ? p : Buffer.from(p).toString('utf8'));
    return { status: res.status, body: parts.join(''), parts };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
