/**
 * The sandbox's data side: the catalog (catalog.json) and the rows (data.duckdb) under
 * `<dataDir>/sandbox/`, or both in memory. Management (databases, tokens) goes through here, from the
 * HTTP server, the CLI and the app alike. Node only, no Electron.
 */

import fs from 'node:fs';
import path from 'node:path';

import {
  Catalog,
  CatalogError,
  type DatabaseSettings,
  type MeasurementSchema,
  type StoredDatabase,
  type TokenInfo,
  type TokenPermission,
} from './catalog';
import type { SandboxProfile } from './errors';
import { SandboxStore } from './store';
import { WalError, type WalRecord, WriteLog } from './wal';
import { type PreparedWrite, prepareWrite } from './write-path';

/** Settings of `sandbox.json` (spec §2); every member has a default. */
export interface SandboxConfig {
  profile: SandboxProfile;
  /** CD: store the accepted lines of a batch with rejected ones (default true) */
  partialWrites: boolean;
  maxRequestBytes: number;
  /** the `X-Influxdb-Version` value */
  version: string;
  /** CD: status for a write to a database that does not exist (400, or 404) */
  unknownDbStatus: 400 | 404;
  /** CD: `/query` request-level errors as `{"code","message"}` (cd) or `{"error"}` (v1) */
  queryErrorShape: 'cd' | 'v1';
}

export const DEFAULT_CONFIG: SandboxConfig = {
  profile: 'cloud-dedicated',
  partialWrites: true,
  maxRequestBytes: 10_485_760,
  version: '3.0.0-sandbox',
  unknownDbStatus: 400,
  queryErrorShape: 'cd',
};

export class SandboxDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxDataError';
  }
}

/** CD namespace rules (`data_types::NamespaceName`): the message for a bad name, or null. */
export function namespaceProblem(name: string): string | null {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes < 1 || bytes > 64) return `namespace name ${name} length must be between 1 and 64 characters`;
  let i = 0;
  for (const ch of name) {
    if (!(/^[\p{L}\p{N}]$/u.test(ch) || ch === '/' || ch === '_' || ch === '-')) {
      return `namespace name '${name}' contains invalid character, character number ${i} is not allowed`;
    }
    i++;
  }
  return null;
}

/** Core database-name rules (REF §3.2): the message, or null. */
export function coreDbProblem(name: string): string | null {
  if (name === '') return 'db name cannot be empty';
  if (Buffer.byteLength(name) > 511) return 'db name too long: max 511';
  if (!/^[A-Za-z0-9]/.test(name)) return 'db name did not start with a number or letter';
  if (!/^[A-Za-z0-9_\-/]*$/.test(name)) {
    return 'invalid character in database or rp name: must be ASCII, containing only letters, numbers, underscores, or hyphens';
  }
  const slashes = name.split('/').length - 1;
  if (slashes > 1 || name.endsWith('/')) {
    return "db name with invalid retention policy, if providing a retention policy name, must be of form '<db_name>/<rp_name>'";
  }
  return null;
}

export interface OpenOptions {
  /** the folder that holds `sandbox/`; undefined = memory only */
  dataDir?: string;
  config?: Partial<SandboxConfig>;
}

/**
 * Acknowledged rows that may wait for DuckDB (a few requests' worth): past it a write waits for the
 * queue, so memory stays bounded when DuckDB falls behind.
 */
const MAX_PENDING_ROWS = 200_000;

export class SandboxEngine {
  private writeQueue: Promise<unknown> = Promise.resolve();
  private appliedSeq = 0;

  private constructor(
    readonly catalog: Catalog,
    readonly store: SandboxStore,
    readonly config: SandboxConfig,
    /** `<dataDir>/sandbox`, or undefined in memory */
    readonly folder: string | undefined,
    /** the write-ahead log (`<folder>/wal/`); none in memory */
    private readonly wal: WriteLog | null,
  ) {
    store.onApplied = (seq) => {
      this.appliedSeq = seq;
      wal?.release(seq);
    };
  }

  /**
   * Opens (or creates) the sandbox data. A corrupt or unreadable file raises an error naming it;
   * nothing is overwritten.
   */
  static async open(options: OpenOptions = {}): Promise<SandboxEngine> {
    let folder: string | undefined;
    let fileConfig: Partial<SandboxConfig> = {};
    let catalog: Catalog;
    let store: SandboxStore;
    if (options.dataDir) {
      folder = path.join(path.resolve(options.dataDir), 'sandbox');
      try {
        fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw new SandboxDataError(`cannot create the sandbox folder ${folder}: ${(err as Error).message}`);
      }
      const configFile = path.join(folder, 'sandbox.json');
      if (fs.existsSync(configFile)) {
        try {
          fileConfig = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Partial<SandboxConfig>;
        } catch (err) {
          throw new SandboxDataError(`the sandbox settings ${configFile} cannot be read: ${(err as Error).message}`);
        }
      }
      const catalogFile = path.join(folder, 'catalog.json');
      const dataFile = path.join(folder, 'data.duckdb');
      const hadData = fs.existsSync(dataFile);
      try {
        catalog = Catalog.load(catalogFile);
      } catch (err) {
        if (err instanceof CatalogError) throw new SandboxDataError(err.message);
        throw err;
      }
      store = await SandboxStore.open(dataFile).catch((err: Error) => {
        throw new SandboxDataError(err.message);
      });
      if (hadData && !fs.existsSync(catalogFile) && store.hasTables()) {
        await store.close();
        throw new SandboxDataError(
          `the sandbox catalog ${catalogFile} is missing but ${dataFile} holds data. Nothing was changed: ` +
            'restore catalog.json, or move the folder away to start an empty sandbox.',
        );
      }
    } else {
      catalog = Catalog.inMemory();
      store = await SandboxStore.open(undefined);
    }
    const config = { ...DEFAULT_CONFIG, ...fileConfig, ...options.config };
    let wal: WriteLog | null = null;
    let replay: WalRecord[] = [];
    let applied = 0;
    if (folder) {
      try {
        applied = await store.walApplied();
        ({ log: wal, records: replay } = WriteLog.open(path.join(folder, 'wal'), applied));
      } catch (err) {
        await store.close();
        if (err instanceof WalError) throw new SandboxDataError(err.message);
        throw err;
      }
    }
    const engine = new SandboxEngine(catalog, store, config, folder, wal);
    engine.appliedSeq = applied;
    for (const db of catalog.listDatabases()) await store.reconcile(db.name, db.measurements);
    await engine.replay(replay.filter((r) => r.header.seq > applied));
    return engine;
  }

  /** Stores the logged writes DuckDB lacks (after a crash), converting each body as it was first. */
  private async replay(records: WalRecord[]): Promise<void> {
    for (const { header: h, body } of records) {
      const db = this.catalog.database(h.db);
      if (!db) continue; // deleted since
      const prepared = prepareWrite(body.toString('utf8'), {
        core: h.core,
        precision: h.precision === 'auto' ? 'auto' : BigInt(h.precision),
        nowNs: BigInt(h.nowNs),
        database: db,
        maxTables: h.maxTables,
        maxColumns: h.maxColumns,
        skipLines: new Set(h.rejected),
      });
      if (prepared.tables.size === 0) continue;
      this.saveSchema(db, prepared);
      this.store.write(db.name, prepared.tables.values(), prepared.schema, h.seq);
      if (this.store.pendingRows > MAX_PENDING_ROWS) await this.store.settled();
    }
    await this.store.settled();
  }

  get profile(): SandboxProfile {
    return this.config.profile;
  }

  // ---- management ----

  /** The problem with a new database name, in the profile's rules, or null. */
  databaseNameProblem(name: string): string | null {
    if (this.catalog.database(name)) return `database ${name} already exists`;
    return this.profile === 'core' ? coreDbProblem(name) : namespaceProblem(name);
  }

  async createDatabase(name: string, settings: Partial<DatabaseSettings> = {}): Promise<StoredDatabase> {
    const problem = this.databaseNameProblem(name);
    if (problem) throw new SandboxDataError(problem);
    const db = this.catalog.addDatabase(name, settings);
    this.catalog.save();
    await this.store.reconcile(name, {});
    return db;
  }

  async deleteDatabase(name: string): Promise<void> {
    if (!this.catalog.database(name)) throw new SandboxDataError(`database ${name} does not exist`);
    await this.store.settled();
    this.catalog.removeDatabase(name);
    this.catalog.save();
    await this.store.dropDatabase(name);
  }

  listDatabases(): StoredDatabase[] {
    return this.catalog.listDatabases();
  }

  /** Creates a token; its secret is returned here once and never stored. */
  createToken(description: string, permissions: TokenPermission[]): { token: TokenInfo; secret: string } {
    if (permissions.length === 0) throw new SandboxDataError('a token needs at least one permission');
    const created = this.catalog.addToken(description, permissions);
    this.catalog.save();
    return created;
  }

  deleteToken(id: string): void {
    if (!this.catalog.removeToken(id)) throw new SandboxDataError(`no token with id ${id}`);
    this.catalog.save();
  }

  listTokens(): TokenInfo[] {
    return this.catalog.listTokens();
  }

  // ---- writes ----

  /**
   * Runs `fn` after every earlier write finished: a write reads the schema, checks its lines against
   * it and commits, and no other write may change the schema in between.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * Takes the accepted rows of a prepared write: saves its schema additions, appends it to the
   * write-ahead log (durable when this resolves: the write may be acknowledged), and queues the rows
   * for DuckDB, which reads wait for ({@link settled}). `bodyBytes`: the body as received (its UTF-8
   * encoding), saving the log an encoding.
   */
  async commit(db: StoredDatabase, prepared: PreparedWrite, bodyBytes?: Buffer): Promise<void> {
    if (prepared.tables.size === 0) return;
    this.store.checkHealthy();
    this.saveSchema(db, prepared);
    let seq: number | undefined;
    if (this.wal) {
      const r = prepared.rules;
      seq = await this.wal.append(
        {
          db: db.name,
          core: r.core,
          precision: String(r.precision),
          nowNs: String(r.nowNs),
          maxTables: r.maxTables,
          maxColumns: r.maxColumns,
          rejected: prepared.errors.map((e) => e.line),
        },
        bodyBytes ?? Buffer.from(prepared.body, 'utf8'),
      );
    }
    this.store.write(db.name, prepared.tables.values(), prepared.schema, seq);
    if (this.store.pendingRows > MAX_PENDING_ROWS) await this.store.settled();
  }

  /** Resolves once every acknowledged write is in DuckDB (reads call it first, so they see them). */
  settled(): Promise<void> {
    return this.store.settled();
  }

  private saveSchema(db: StoredDatabase, prepared: PreparedWrite): void {
    if (!prepared.changed) return;
    const measurements: Record<string, MeasurementSchema> = {};
    for (const [name, m] of prepared.schema) measurements[name] = m;
    db.measurements = measurements;
    this.catalog.save();
  }

  /** Deletes rows outside each database's retention period (hourly and on start, spec §5.8). */
  async sweepRetention(nowNs: bigint): Promise<void> {
    await this.store.settled();
    for (const db of this.catalog.listDatabases()) {
      if (db.retentionPeriod > 0) {
        await this.store.deleteOlderThan(db.name, Object.keys(db.measurements), nowNs - BigInt(db.retentionPeriod));
      }
    }
  }

  async close(): Promise<void> {
    let applied: number | null = null;
    try {
      await this.store.settled();
      applied = this.appliedSeq;
    } catch {
      // Not stored: the log keeps the writes for the next start.
    }
    await this.store.close();
    this.wal?.close(applied);
  }
}
