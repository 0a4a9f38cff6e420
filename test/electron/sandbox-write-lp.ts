import { DEFAULT_DATABASE_SETTINGS, type StoredDatabase } from '../../electron/sandbox/catalog';
import type { SandboxEngine } from '../../electron/sandbox/engine';
import { prepareWrite } from '../../electron/sandbox/write-path';

/**
 * Takes a line-protocol body into one of the engine's databases as the server's Cloud Dedicated write
 * does (ns precision, the given receive time, CD limits) and returns the rejected lines' messages.
 */
export function writeLp(engine: SandboxEngine, database: string, lp: string, nowNs: bigint): Promise<string[]> {
  return engine.exclusive(async () => {
    const db = engine.catalog.database(database)!;
    const prepared = prepareWrite(lp, {
      core: false,
      precision: 1n,
      nowNs,
      database: db,
      maxTables: 500,
      maxColumns: 250,
    });
    await engine.commit(db, prepared);
    return prepared.errors.map((e) => e.message);
  });
}

/** A database as the catalog stores it, with the default limits, for the write path's unit tests. */
export function testDatabase(overrides: Partial<StoredDatabase> = {}): StoredDatabase {
  return {
    name: 'demo',
    measurements: {},
    ...DEFAULT_DATABASE_SETTINGS,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
