// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';

import { initialiseIfNew } from '../../electron/sandbox';
import { SandboxEngine } from '../../electron/sandbox/engine';
import { runInfluxQL } from '../../electron/sandbox/influxql';
import { ident, schemaOf, SERIES_COLUMN, type SeriesSpans, tableRef } from '../../electron/sandbox/store';
import { rebuildSpans } from './sandbox-influxql-db';
import { writeLp } from './sandbox-write-lp';

/** The series index kept on write equals the one rebuilt from DuckDB, whatever order points arrive in. */

const NOW = 1_700_000_000_000_000_000n;

async function rebuilt(engine: SandboxEngine, db: string, m: string): Promise<SeriesSpans> {
  const c = await engine.store.instance.connect();
  try {
    return await rebuildSpans(c, db, m);
  } finally {
    c.closeSync();
  }
}

const sorted = (m: ReadonlyMap<string, bigint>): [string, bigint][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('the sandbox series index', () => {
  const open: SandboxEngine[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });

  /** A fresh sandbox with its demo database, and a write of line protocol (ns) straight to the engine. */
  async function openEngine() {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-series-index-'));
    dirs.push(dataDir);
    const engine = await SandboxEngine.open({ dataDir });
    open.push(engine);
    await initialiseIfNew(engine, () => NOW, false);
    const write = async (lp: string) => expect(await writeLp(engine, 'demo', lp, NOW)).toEqual([]);
    return { engine, dataDir, write };
  }

  it('what queries derive from it (values, spans, extent) follows writes that change it in place', async () => {
    const { engine, write } = await openEngine();
    const query = async (q: string): Promise<unknown> => {
      await engine.settled();
      const connection = await engine.store.instance.connect();
      try {
        const answer = await runInfluxQL(
          { q, db: 'demo', chunked: false, method: 'GET', epoch: 'ns' },
          {
            profile: 'cloud-dedicated',
            connection,
            database: (n) => engine.catalog.database(n),
            databases: () => engine.catalog.databaseNames(),
            canRead: () => true,
            now: () => NOW,
            seriesSpans: (d, m) => engine.store.seriesSpans(d, m),
          },
        );
        let body = '';
        for await (const p of answer.body) body += typeof p === 'string' ? p : Buffer.from(p).toString();
        const series = (JSON.parse(body) as { results: { series?: { values: unknown[][] }[] }[] }).results[0]!.series;
        return series?.flatMap((x) => x.values) ?? [];
      } finally {
        connection.closeSync();
      }
    };
    const hosts = (where: string) => query(`SHOW TAG VALUES FROM m WITH KEY = host WHERE ${where}`);
    const count = (where: string) => query(`SELECT count(v) FROM m WHERE ${where}`);
    await write('m,host=a v=1 100\nm,host=b v=1 200\n');
    expect(await hosts('time >= 100 AND time <= 200')).toEqual([
      ['host', 'a'],
      ['host', 'b'],
    ]);
    expect(await count('time >= 100 AND time <= 200 AND host =~ /a|c/')).toEqual([[100, 1]]);
    await write('m,host=c v=1 150\n'); // a new series
    expect(await hosts('time >= 100 AND time <= 200')).toEqual([
      ['host', 'a'],
      ['host', 'b'],
      ['host', 'c'],
    ]);
    expect(await count('time >= 100 AND time <= 200 AND host =~ /a|c/')).toEqual([[100, 2]]);
    expect(await hosts('time >= 250')).toEqual([]);
    expect(await hosts('time >= 250')).toEqual([]); // answered again from what the index keeps
    await write('m,host=a v=1 300\n'); // the same series, a newer point: the spans change in place
    expect(await hosts('time >= 250')).toEqual([['host', 'a']]);
    expect(await count('time >= 100 AND time <= 200 AND host =~ /a|c/')).toEqual([[100, 2]]);
    expect(await count('time >= 100 AND time <= 300')).toEqual([[100, 4]]);
  });

  it('is kept on write (out of order, duplicates, new series, escaped tags), matches a rebuild and is rebuilt on start', async () => {
    const { engine, dataDir, write } = await openEngine();
    const db = engine.catalog.database('demo')!;
    expect(db).toBeDefined();
    // Before any query: the first write loads the index from DuckDB, later writes keep it.
    await write('m,host=a v=1 100\nm,host=a v=2 50\nm,host=b\\ c,x=1\\,2 v=3 70\nm,host=a v=4 50\n');
    expect(await engine.store.seriesSpans('demo', 'm')).toBeDefined();
    await write('m,host=a v=5 20\nm,host=b\\ c,x=1\\,2 v=6 90\nm v=7 10\nm,host=a v=8 200\nm,host=d v=1 60\n');
    await write('m,host=d v=1 30\nm,host=d v=1 40\nm,host=e v=1 80\nm,host=e v=1 5\n');
    const kept = (await engine.store.seriesSpans('demo', 'm'))!;
    const fresh = await rebuilt(engine, 'demo', 'm');
    expect(sorted(kept.min)).toEqual(sorted(fresh.min));
    expect(sorted(kept.max)).toEqual(sorted(fresh.max));
    expect(sorted(kept.min)).toEqual([
      ['', 10n],
      ['host=a', 20n],
      ['host=b\\ c,x=1\\,2', 70n],
      ['host=d', 30n],
      ['host=e', 5n],
    ]);
    expect(kept.max.get('host=a')).toBe(200n);
    const keptMin = sorted(kept.min);
    const keptMax = sorted(kept.max);
    await engine.close();
    open.length = 0;
    const again = await SandboxEngine.open({ dataDir });
    open.push(again);
    const loaded = (await again.store.seriesSpans('demo', 'm'))!;
    expect(sorted(loaded.min)).toEqual(keptMin);
    expect(sorted(loaded.max)).toEqual(keptMax);
  });

  it('a folder written when the series key column was named _series and the schema as the database opens renamed', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-series-old-'));
    dirs.push(dataDir);
    const engine = await SandboxEngine.open({ dataDir });
    await initialiseIfNew(engine, () => NOW, false);
    expect(await writeLp(engine, 'demo', 'old,host=a v=1 10\nold,host=b v=2 20\n', NOW)).toEqual([]);
    await engine.createDatabase('main');
    expect(await writeLp(engine, 'main', 'old,host=c v=3 30\n', NOW)).toEqual([]);
    await engine.close();
    // The layout before: the schema named as the database (`main`: DuckDB's own), the second column "_series".
    const file = path.join(dataDir, 'sandbox', 'data.duckdb');
    const old = await DuckDBInstance.create(file);
    const c = await old.connect();
    await c.run(`CREATE SCHEMA "demo"`);
    await c.run(`CREATE TABLE "demo"."old" AS SELECT * FROM ${tableRef('demo', 'old')}`);
    await c.run(`DROP SCHEMA ${ident(schemaOf('demo'))} CASCADE`);
    await c.run(`ALTER TABLE "demo"."old" RENAME COLUMN ${ident(SERIES_COLUMN)} TO "_series"`);
    await c.run(`CREATE TABLE "main"."old" AS SELECT * FROM ${tableRef('main', 'old')}`);
    await c.run(`DROP SCHEMA ${ident(schemaOf('main'))} CASCADE`);
    c.closeSync();
    old.closeSync();

    const again = await SandboxEngine.open({ dataDir });
    open.push(again);
    expect(sorted((await again.store.seriesSpans('demo', 'old'))!.max)).toEqual([
      ['host=a', 10n],
      ['host=b', 20n],
    ]);
    const fresh = await rebuilt(again, 'demo', 'old');
    expect(sorted(fresh.min)).toEqual([
      ['host=a', 10n],
      ['host=b', 20n],
    ]);
    expect(sorted((await rebuilt(again, 'main', 'old')).max)).toEqual([['host=c', 30n]]);
    const c2 = await again.store.instance.connect();
    const left = await c2.runAndReadAll(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('main', 'demo')`,
    );
    c2.closeSync();
    expect(left.getRows()).toEqual([['main', 'sandbox_wal_applied']]);
  });
});
