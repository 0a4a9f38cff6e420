/**
 * Row storage in DuckDB (spec §12.4): one schema per database ({@link schemaOf}), one table per measurement with
 * `time BIGINT` (ns), one VARCHAR per tag, one typed column per field and the series key
 * ({@link SERIES_COLUMN}). Acknowledged
 * writes are queued ({@link SandboxStore.write}) and stored in groups, one transaction per group, off
 * the request path (their durability is the write-ahead log's, wal.ts); reads wait for the queue
 * ({@link SandboxStore.settled}). Rows newer than their series' newest time are appended in data chunks
 * (the usual, monotonic case); only the others go through a staging table and `MERGE`, which merges
 * fields (`COALESCE(new, old)`) so the same series and time overwrite as InfluxDB does.
 */

import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
  UBIGINT,
  VARCHAR,
} from '@duckdb/node-api';

import type { MeasurementSchema, SandboxFieldType } from './catalog';
import type { TableBatch } from './write-path';

/**
 * The column of each row's canonical series key (its sorted tag set). Its name ends in a newline after a
 * letter, which no tag or field key can (line protocol ends the line there, and a key's newline always
 * follows a backslash), so a user's tag or field `_series` is a column of its own, as in InfluxDB 3.
 */
export const SERIES_COLUMN = '_series\n';

/** Quotes a DuckDB identifier (doubling embedded quotes). */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes a DuckDB string literal (doubling embedded quotes). */
function sqlString(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

/** A name as DuckDB holds it: the name, a colon and its UTF-8 bytes in hex ({@link schemaOf}, {@link tableOf}). */
function encodedName(name: string): string {
  return `${name}:${Buffer.from(name, 'utf8').toString('hex')}`;
}

/** The name {@link encodedName} made this from, or undefined for any other name. */
function decodedName(held: string): string | undefined {
  const colon = held.lastIndexOf(':');
  if (colon < 0) return undefined;
  const name = held.slice(0, colon);
  return held.slice(colon + 1) === Buffer.from(name, 'utf8').toString('hex') ? name : undefined;
}

/**
 * The DuckDB schema of a database ({@link encodedName}). No database name has a colon
 * (both profiles' name rules refuse it), so no schema is one DuckDB has or pre-creates (`main`,
 * `information_schema`, `pg_catalog`) or reads as a catalog (`temp`, `system`, the file's own name, `data`);
 * the hex keeps apart names that differ only in case (DuckDB matches identifiers case-insensitively, InfluxDB
 * does not). Before, the schema was the bare name: a database `main` shared DuckDB's own schema and was
 * skipped on load, `temp`/`system`/`data`/`pg_catalog` could hold no table, `Foo` and `foo` shared one.
 */
export const schemaOf = encodedName;

/** The database whose schema this is ({@link schemaOf}), or undefined for any other schema. */
const databaseOf = decodedName;

/**
 * The DuckDB table of a measurement ({@link encodedName}), so `cpu` and `CPU` (two tables in InfluxDB 3; one name
 * to DuckDB, which matches identifiers case-insensitively) get a table each. Before, the table was the bare name:
 * the second one's CREATE TABLE failed and every later write group with it, so acknowledged writes stayed in the
 * log. A measurement may hold colons: the hex after the last one has none.
 */
export const tableOf = encodedName;

/** The measurement whose table this is ({@link tableOf}), or undefined for any other table. */
const measurementOf = decodedName;

/** A measurement's table, quoted for SQL: the one place that names it ({@link schemaOf}, {@link tableOf}). */
export function tableRef(db: string, measurement: string): string {
  return `${ident(schemaOf(db))}.${ident(tableOf(measurement))}`;
}

const SQL_TYPE: Record<SandboxFieldType | 'tag', string> = {
  tag: 'VARCHAR',
  float: 'DOUBLE',
  integer: 'BIGINT',
  uinteger: 'UBIGINT',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
};

const DUCK_TYPE: Record<string, DuckDBType> = {
  BIGINT,
  DOUBLE,
  UBIGINT,
  VARCHAR,
  BOOLEAN,
};

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/** The DuckDB file could not be opened; the message names it and says it was left unchanged. */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

interface TableState {
  /** column names in DuckDB order (time, SERIES_COLUMN, then tags and fields as they were added) */
  columns: string[];
  types: string[];
  /** newest stored time per series; loaded on first write or query */
  seriesMax: Map<string, bigint> | null;
  /** oldest stored time per series (loaded and kept with seriesMax) */
  seriesMin: Map<string, bigint> | null;
  /** bumped whenever seriesMin/seriesMax change in place, so readers can cache what they derive */
  spansVersion: number;
}

/** The series index of one table: every stored series (its canonical `_series` key) with its time span. */
export interface SeriesSpans {
  readonly min: ReadonlyMap<string, bigint>;
  readonly max: ReadonlyMap<string, bigint>;
  /** Changes whenever the maps change in place (absent: nothing derived from them may be cached). */
  readonly version?: number;
}

/** One acknowledged request's rows, waiting for the next group. */
interface PendingWrite {
  db: string;
  batches: TableBatch[];
  schema: Map<string, MeasurementSchema>;
  /** its write-ahead log record, stored with the group so a restart replays only what DuckDB lacks */
  seq: number | undefined;
}

/** The one-row table that holds the newest write-ahead log record DuckDB has (in `main`, no database's). */
const WAL_APPLIED_TABLE = 'sandbox_wal_applied';
const WAL_APPLIED = `main.${WAL_APPLIED_TABLE}`;

export class SandboxStore {
  private readonly tables = new Map<string, TableState>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: PendingWrite[] = [];
  /** rows queued and not yet committed to DuckDB */
  private pendingRowCount = 0;
  private flushQueued = false;
  /** writes queued minus writes committed (or failed) */
  private unsettled = 0;
  /** a group that could not be stored: reads and writes report it (the log still holds its rows) */
  private failure: Error | null = null;
  /** called after each group commits, with the newest log seq it held */
  onApplied: ((seq: number) => void) | null = null;

  private constructor(
    readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    /** for the InfluxQL engine: reads run beside writes (MVCC) */
    readonly queryConnection: DuckDBConnection,
  ) {}

  /** Opens `file` (or memory when undefined). */
  static async open(file: string | undefined, options: { memoryLimit?: string } = {}): Promise<SandboxStore> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file ?? ':memory:', {
        memory_limit: options.memoryLimit ?? '512MB',
        // One thread per query: DuckDB adds a float sum's parts on its threads in whatever order they finish,
        // so with two a mean or sum over several row groups could differ in the last digit between two runs of
        // one query (the same data must give the same bytes). Ordered aggregates (`sum(x ORDER BY time, …)`)
        // cost 5-9× on grouped means; one thread was no slower on the 2-core bench (README). Queries on other
        // connections still run beside it.
        threads: '1',
        // DuckDB checkpoints inside the COMMIT that crosses this WAL size, stalling that write (16 MB by
        // default: ~6 stalls per 100 MB of line protocol). Commits stay durable through the WAL; a
        // restart after a crash replays at most this much.
        checkpoint_threshold: '128MB',
      });
    } catch (err) {
      const msg = (err as Error).message;
      if (/lock/i.test(msg)) {
        throw new StoreOpenError(
          `the sandbox data file ${file} is in use by another process (${msg}). Stop the other sandbox first.`,
        );
      }
      throw new StoreOpenError(
        `cannot open the sandbox data file ${file}: ${msg}. It was left unchanged: restore it from a backup, ` +
          'or move the data folder away to start an empty sandbox.',
      );
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    const store = new SandboxStore(instance, writer, reader);
    await store.loadTables();
    return store;
  }

  private async loadTables(): Promise<void> {
    await this.moveBareSchemas();
    await this.renameBareTables();
    const r = await this.writer.runAndReadAll(
      `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
       WHERE table_catalog = current_database() ORDER BY table_schema, table_name, ordinal_position`,
    );
    for (const [schema, table, column, type] of r.getRows() as [string, string, string, string][]) {
      const db = databaseOf(schema);
      const measurement = measurementOf(table);
      if (db === undefined || measurement === undefined) continue;
      const key = tableKey(db, measurement);
      let t = this.tables.get(key);
      if (!t) {
        t = { columns: [], types: [], seriesMax: null, seriesMin: null, spansVersion: 0 };
        this.tables.set(key, t);
      }
      t.columns.push(column);
      t.types.push(type);
    }
    // Folders written before the series key had its own name hold it as the second column, `_series`.
    for (const [key, t] of this.tables) {
      if (t.columns[1] !== '_series') continue;
      const [db, table] = key.split('\u0000') as [string, string];
      await this.writer.run(`ALTER TABLE ${tableRef(db, table)} RENAME COLUMN "_series" TO ${ident(SERIES_COLUMN)}`);
      t.columns[1] = SERIES_COLUMN;
    }
  }

  /**
   * Folders from before {@link schemaOf} named each database's schema as the database (a database `main`: DuckDB's
   * own schema, beside the log table). Their tables move to the new schemas in one transaction (DuckDB cannot
   * rename a schema or move a table), columns, types and NOT NULL as they were.
   */
  private async moveBareSchemas(): Promise<void> {
    const r = await this.writer.runAndReadAll(
      `SELECT s.schema_name, t.table_name FROM information_schema.schemata s
       LEFT JOIN information_schema.tables t ON t.table_catalog = s.catalog_name AND t.table_schema = s.schema_name
       WHERE s.catalog_name = current_database() ORDER BY 1, 2`,
    );
    const moves = (r.getRows() as [string, string | null][]).filter(
      ([schema, table]) =>
        databaseOf(schema) === undefined && (schema !== 'main' || (table !== null && table !== WAL_APPLIED_TABLE)),
    );
    if (moves.length === 0) return;
    // Qualified by the catalog: a bare `temp`, `system` or `data` reads as a catalog.
    const catalog = ident(
      ((await this.writer.runAndReadAll('SELECT current_database()')).getRows() as [string][])[0]![0],
    );
    await this.writer.run('BEGIN TRANSACTION');
    try {
      for (const [schema, table] of moves) {
        await this.writer.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schemaOf(schema))}`);
        if (table === null) continue;
        const cols = await this.writer.runAndReadAll(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_catalog = current_database()
           AND table_schema = ${sqlString(schema)} AND table_name = ${sqlString(table)} ORDER BY ordinal_position`,
        );
        const defs = (cols.getRows() as [string, string, string][]).map(
          ([c, ty, nullable]) => `${ident(c)} ${ty}${nullable === 'NO' ? ' NOT NULL' : ''}`,
        );
        const from = `${catalog}.${ident(schema)}.${ident(table)}`;
        // The bare table name: renameBareTables then gives it its own ({@link tableOf}).
        const to = `${ident(schemaOf(schema))}.${ident(table)}`;
        await this.writer.run(`CREATE TABLE ${to} (${defs.join(', ')})`);
        await this.writer.run(`INSERT INTO ${to} SELECT * FROM ${from}`);
        await this.writer.run(`DROP TABLE ${from}`);
      }
      for (const schema of new Set(moves.map(([s]) => s))) {
        if (schema !== 'main') await this.writer.run(`DROP SCHEMA ${catalog}.${ident(schema)}`);
      }
      await this.writer.run('COMMIT');
    } catch (err) {
      await this.writer.run('ROLLBACK');
      throw err;
    }
  }

  /**
   * Folders from before {@link tableOf} named each table as its measurement: such tables are renamed in one
   * transaction, rows, columns and types as they were. Such a folder could not hold two measurements that differ
   * only in case: the table it has is the first one's; the other's writes were acknowledged and kept in the
   * write-ahead log, so the start replays them into a table of its own.
   */
  private async renameBareTables(): Promise<void> {
    const r = await this.writer.runAndReadAll(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_catalog = current_database() ORDER BY 1, 2`,
    );
    const renames = (r.getRows() as [string, string][]).filter(
      ([schema, table]) => databaseOf(schema) !== undefined && measurementOf(table) === undefined,
    );
    if (renames.length === 0) return;
    await this.writer.run('BEGIN TRANSACTION');
    try {
      for (const [schema, table] of renames) {
        await this.writer.run(`ALTER TABLE ${ident(schema)}.${ident(table)} RENAME TO ${ident(tableOf(table))}`);
      }
      await this.writer.run('COMMIT');
    } catch (err) {
      await this.writer.run('ROLLBACK');
      throw err;
    }
  }

  /** Runs `fn` after every earlier write finished (one writer at a time). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Creates what the catalog has and DuckDB lacks (after a crash between the two, or a new database). */
  async reconcile(db: string, measurements: Record<string, MeasurementSchema>): Promise<void> {
    await this.exclusive(async () => {
      await this.writer.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schemaOf(db))}`);
      for (const m of Object.values(measurements)) await this.ensureTable(db, m);
    });
  }

  private async ensureTable(db: string, m: MeasurementSchema): Promise<TableState> {
    const key = tableKey(db, m.name);
    let t = this.tables.get(key);
    const wanted: [string, string][] = [
      ...m.tags.map((c): [string, string] => [c, SQL_TYPE.tag]),
      ...Object.entries(m.fields).map(([c, ty]): [string, string] => [c, SQL_TYPE[ty]]),
    ];
    if (!t) {
      const cols = [
        'time BIGINT NOT NULL',
        `${ident(SERIES_COLUMN)} VARCHAR NOT NULL`,
        ...wanted.map(([c, ty]) => `${ident(c)} ${ty}`),
      ];
      await this.writer.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schemaOf(db))}`);
      await this.writer.run(`CREATE TABLE ${tableRef(db, m.name)} (${cols.join(', ')})`);
      t = {
        columns: ['time', SERIES_COLUMN, ...wanted.map(([c]) => c)],
        types: ['BIGINT', 'VARCHAR', ...wanted.map(([, ty]) => ty)],
        seriesMax: new Map(),
        seriesMin: new Map(),
        spansVersion: 0,
      };
      this.tables.set(key, t);
      return t;
    }
    for (const [c, ty] of wanted) {
      if (t.columns.includes(c)) continue;
      await this.writer.run(`ALTER TABLE ${tableRef(db, m.name)} ADD COLUMN ${ident(c)} ${ty}`);
      t.columns.push(c);
      t.types.push(ty);
    }
    return t;
  }

  /**
   * Queues the batches of one acknowledged request; they are stored with the others queued by then, in
   * one transaction. `schema` is the catalog's schema after the request (already saved), so every column
   * exists before rows arrive. `seq` is the request's write-ahead log record, if any.
   */
  write(db: string, batches: Iterable<TableBatch>, schema: Map<string, MeasurementSchema>, seq?: number): void {
    const list = [...batches];
    for (const b of list) this.pendingRowCount += b.times.length;
    this.pending.push({ db, batches: list, schema, seq });
    this.unsettled++;
    if (!this.flushQueued) {
      this.flushQueued = true;
      void this.exclusive(() => this.flushPending());
    }
  }

  /** Rows acknowledged and not yet in DuckDB (the engine holds new writes back past a bound). */
  get pendingRows(): number {
    return this.pendingRowCount;
  }

  /** Resolves once every write queued before the call is in DuckDB; throws if a group could not be stored. */
  async settled(): Promise<void> {
    if (this.unsettled > 0) await this.exclusive(async () => undefined);
    if (this.failure) throw this.failure;
  }

  /** Throws when an earlier group could not be stored. */
  checkHealthy(): void {
    if (this.failure) throw this.failure;
  }

  private async flushPending(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    this.pendingRowCount = 0;
    this.flushQueued = false;
    if (group.length === 0) return;
    try {
      if (this.failure) throw this.failure;
      await this.writeGroup(group);
    } catch (err) {
      this.failure ??= new Error(
        `the sandbox could not store acknowledged writes in DuckDB (${(err as Error).message}); ` +
          'they are kept in its write-ahead log: restart the sandbox to store them',
      );
    } finally {
      this.unsettled -= group.length;
    }
  }

  /** Stores a group of queued writes in one transaction, in the order they were acknowledged. */
  private async writeGroup(group: PendingWrite[]): Promise<void> {
    const appenders = new Map<TableState, DuckDBAppender>();
    const touched = new Set<TableState>();
    const closeAppender = (t: TableState): void => {
      const a = appenders.get(t);
      if (!a) return;
      appenders.delete(t);
      a.flushSync();
      a.closeSync();
    };
    let newestSeq: number | undefined;
    await this.writer.run('BEGIN TRANSACTION');
    try {
      for (const item of group) {
        if (item.seq !== undefined) newestSeq = item.seq;
        for (const batch of item.batches) {
          const m = item.schema.get(batch.measurement)!;
          const existing = this.tables.get(tableKey(item.db, batch.measurement));
          // An appender holds the table's columns: close it before the table gains one.
          if (existing && lacksColumns(existing, m)) closeAppender(existing);
          const t = await this.ensureTable(item.db, m);
          if (!t.seriesMax) await this.loadSpans(item.db, batch.measurement, t);
          touched.add(t);
          // Rows newer than their series' newest time (stored or earlier in the group) are appended;
          // the others are merged. When each series of the batch starts after its newest time, every row
          // does (the usual case, checked per series instead of per row).
          let merge: number[] | null = null;
          let append: number[] | null = null;
          const n = allNewer(batch, t.seriesMax!) ? 0 : batch.times.length;
          for (let r = 0; r < n; r++) {
            const max = t.seriesMax!.get(batch.series[r]!);
            if (max !== undefined && batch.times[r]! <= max) {
              if (!merge) {
                merge = [];
                append = [];
                for (let p = 0; p < r; p++) append.push(p);
              }
              merge.push(r);
            } else append?.push(r);
          }
          const sources = t.columns.map((c) =>
            c === 'time' || c === SERIES_COLUMN ? -1 : (batch.columnIndex.get(c) ?? -2),
          );
          if (append === null || append.length > 0) {
            let appender = appenders.get(t);
            if (!appender) {
              appender = await this.writer.createAppender(tableOf(batch.measurement), schemaOf(item.db));
              appenders.set(t, appender);
            }
            fillChunks(t, batch, append, sources, (chunk) => appender.appendDataChunk(chunk));
          }
          if (merge) {
            // The merge must see the rows appended before it.
            closeAppender(t);
            await this.mergeRows(item.db, batch.measurement, t, batch, merge, sources);
          }
          t.spansVersion++;
          for (const [series, time] of batch.seriesMax) {
            const max = t.seriesMax!.get(series);
            if (max === undefined || time > max) t.seriesMax!.set(series, time);
          }
          for (const [series, time] of batch.seriesMin) {
            const min = t.seriesMin!.get(series);
            if (min === undefined || time < min) t.seriesMin!.set(series, time);
          }
        }
      }
      for (const t of [...appenders.keys()]) closeAppender(t);
      if (newestSeq !== undefined) await this.writer.run(`UPDATE ${WAL_APPLIED} SET seq = ${newestSeq}`);
      await this.writer.run('COMMIT');
    } catch (err) {
      for (const a of appenders.values()) {
        try {
          a.closeSync();
        } catch {
          // The transaction is rolled back below either way.
        }
      }
      await this.writer.run('ROLLBACK').catch(() => undefined);
      // The spans were advanced row by row: rebuild them from what DuckDB holds.
      for (const t of touched) {
        t.seriesMax = null;
        t.seriesMin = null;
      }
      throw err;
    }
    if (newestSeq !== undefined) this.onApplied?.(newestSeq);
  }

  /** The newest write-ahead log record DuckDB holds (0: none). */
  async walApplied(): Promise<number> {
    return this.exclusive(async () => {
      await this.writer.run(`CREATE TABLE IF NOT EXISTS ${WAL_APPLIED} (seq BIGINT NOT NULL)`);
      const r = await this.writer.runAndReadAll(`SELECT seq FROM ${WAL_APPLIED}`);
      const rows = r.getRows() as [bigint][];
      if (rows.length === 0) {
        await this.writer.run(`INSERT INTO ${WAL_APPLIED} VALUES (0)`);
        return 0;
      }
      return Number(rows[0]![0]);
    });
  }

  private async loadSpans(db: string, table: string, t: TableState): Promise<void> {
    const r = await this.writer.runAndReadAll(
      `SELECT ${ident(SERIES_COLUMN)}, min(time), max(time) FROM ${tableRef(db, table)} GROUP BY 1`,
    );
    const min = new Map<string, bigint>();
    const max = new Map<string, bigint>();
    for (const [s, lo, hi] of r.getRows() as [string, bigint, bigint][]) {
      min.set(s, lo);
      max.set(s, hi);
    }
    t.seriesMin = min;
    t.seriesMax = max;
  }

  /**
   * The series index of a table (for SHOW and tag predicates without scanning rows): kept on write,
   * rebuilt from DuckDB on first use after start or a retention sweep. Undefined: no such table.
   */
  async seriesSpans(db: string, table: string): Promise<SeriesSpans | undefined> {
    await this.settled();
    const t = this.tables.get(tableKey(db, table));
    if (!t) return undefined;
    if (t.seriesMax && t.seriesMin) return { min: t.seriesMin, max: t.seriesMax, version: t.spansVersion };
    return this.exclusive(async () => {
      if (!t.seriesMax || !t.seriesMin) await this.loadSpans(db, table, t);
      return { min: t.seriesMin!, max: t.seriesMax!, version: t.spansVersion };
    });
  }

  private async mergeRows(
    db: string,
    table: string,
    t: TableState,
    batch: TableBatch,
    rows: number[],
    sources: number[],
  ): Promise<void> {
    const stage = '_sandbox_stage';
    const target = tableRef(db, table);
    await this.writer.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT * FROM ${target} LIMIT 0`);
    const appender = await this.writer.createAppender(stage, 'main', 'temp');
    try {
      fillChunks(t, batch, rows, sources, (chunk) => appender.appendDataChunk(chunk));
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const cols = t.columns.map(ident);
    const sets = t.columns
      .slice(2)
      .map((c) => `${ident(c)} = COALESCE(s.${ident(c)}, t.${ident(c)})`)
      .join(', ');
    await this.writer.run(
      `MERGE INTO ${target} t USING ${stage} s ON t.${ident(SERIES_COLUMN)} = s.${ident(SERIES_COLUMN)} AND t.time = s.time ` +
        (sets ? `WHEN MATCHED THEN UPDATE SET ${sets} ` : '') +
        `WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => 's.' + c).join(', ')})`,
    );
    await this.writer.run(`DROP TABLE ${stage}`);
  }

  /** Drops a database's schema and everything in it. */
  async dropDatabase(db: string): Promise<void> {
    await this.exclusive(async () => {
      await this.writer.run(`DROP SCHEMA IF EXISTS ${ident(schemaOf(db))} CASCADE`);
      for (const key of [...this.tables.keys()]) if (key.startsWith(db + '\u0000')) this.tables.delete(key);
    });
  }

  /** Deletes rows older than `minNs` from every table of `db` (retention sweep). */
  async deleteOlderThan(db: string, measurements: string[], minNs: bigint): Promise<void> {
    await this.exclusive(async () => {
      for (const m of measurements) {
        if (!this.tables.has(tableKey(db, m))) continue;
        await this.writer.run(`DELETE FROM ${tableRef(db, m)} WHERE time < ${minNs.toString()}`);
        this.tables.get(tableKey(db, m))!.seriesMax = null;
        this.tables.get(tableKey(db, m))!.seriesMin = null;
      }
    });
  }

  /** Whether DuckDB holds any table (used to refuse a data file whose catalog is missing). */
  hasTables(): boolean {
    return this.tables.size > 0;
  }

  async close(): Promise<void> {
    await this.settled().catch(() => undefined);
    await this.queue;
    try {
      await this.writer.run('CHECKPOINT');
    } catch {
      // A checkpoint is an optimisation: the WAL already holds every committed write.
    }
    this.writer.closeSync();
    this.queryConnection.closeSync();
    this.instance.closeSync();
  }
}

/** Whether every series of the batch starts after the newest time stored (or queued) for it. */
function allNewer(batch: TableBatch, seriesMax: ReadonlyMap<string, bigint>): boolean {
  for (const [series, min] of batch.seriesMin) {
    const max = seriesMax.get(series);
    if (max !== undefined && min <= max) return false;
  }
  return true;
}

/** Whether the table lacks a column of `m` (so an ALTER TABLE is due). */
function lacksColumns(t: TableState, m: MeasurementSchema): boolean {
  for (const c of m.tags) if (!t.columns.includes(c)) return true;
  for (const c in m.fields) if (!t.columns.includes(c)) return true;
  return false;
}

function tableKey(db: string, table: string): string {
  return db + '\u0000' + table;
}

/**
 * Cuts a batch into data chunks in the table's column order. `rows`: the batch rows to take (null =
 * all, in order); `sources[c]`: the batch column for table column c (-1 time/series key, -2 absent).
 */
function fillChunks(
  t: TableState,
  batch: TableBatch,
  rows: number[] | null,
  sources: number[],
  sink: (chunk: DuckDBDataChunk) => void,
): void {
  const types = t.types.map((ty) => DUCK_TYPE[ty] ?? VARCHAR);
  const total = rows ? rows.length : batch.times.length;
  for (let start = 0; start < total; start += CHUNK_ROWS) {
    const n = Math.min(total, start + CHUNK_ROWS) - start;
    // Straight into the chunk's vectors: no intermediate column arrays.
    const chunk = DuckDBDataChunk.create(types, n);
    for (let c = 0; c < t.columns.length; c++) {
      const col = t.columns[c];
      const src: readonly unknown[] | null =
        col === 'time'
          ? batch.times
          : col === SERIES_COLUMN
            ? batch.series
            : sources[c]! >= 0
              ? batch.values[sources[c]!]!
              : null;
      const vector = chunk.getColumnVector(c) as DuckDBVector<DuckDBValue>;
      if (src === null) for (let r = 0; r < n; r++) vector.setItem(r, null);
      else if (rows) for (let r = 0; r < n; r++) vector.setItem(r, (src[rows[start + r]!] ?? null) as DuckDBValue);
      else for (let r = 0; r < n; r++) vector.setItem(r, (src[start + r] ?? null) as DuckDBValue);
      vector.flush();
    }
    sink(chunk);
  }
}
