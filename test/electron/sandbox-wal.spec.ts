// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';

import { SandboxDataError, SandboxEngine } from '../../electron/sandbox/engine';
import { ident, schemaOf, SERIES_COLUMN, tableOf, tableRef } from '../../electron/sandbox/store';
import { writeLp } from './sandbox-write-lp';

/**
 * The write-ahead log: a write is acknowledged once its log record is on disk, before its rows reach
 * DuckDB. A crash in between loses nothing: the next start stores what DuckDB lacks, exactly as the
 * write was first taken (rejected lines stay out, the same series and time still overwrite).
 */

const NOW = 1_700_000_000_000_000_000n;

const write = (engine: SandboxEngine, lp: string): Promise<string[]> => writeLp(engine, 'w', lp, NOW);

async function rows(engine: SandboxEngine): Promise<unknown[][]> {
  await engine.settled();
  const c = await engine.store.instance.connect();
  try {
    const r = await c.runAndReadAll(
      `SELECT time, ${ident(SERIES_COLUMN)}, host, v, s FROM ${tableRef('w', 'm')} ORDER BY time`,
    );
    return r.getRows();
  } finally {
    c.closeSync();
  }
}

/** What `kill -9` leaves: DuckDB closed without the queued rows, the log as it is on disk. */
function crash(engine: SandboxEngine): void {
  const store = engine.store as unknown as { writer: { closeSync(): void } };
  store.writer.closeSync();
  engine.store.queryConnection.closeSync();
  engine.store.instance.closeSync();
  (engine as unknown as { wal: { close(applied: null): void } }).wal.close(null);
}

/** Holds every write in the queue (DuckDB never gets it), as a crash right after the acknowledgement would. */
function holdQueue(engine: SandboxEngine): void {
  (engine.store as unknown as { writeGroup: () => Promise<void> }).writeGroup = () => new Promise<void>(() => {});
}

const EXPECTED = [
  [10n, 'host=a', 'a', 9n, null],
  [20n, 'host=a', 'a', 2n, null],
  [30n, 'host=b', 'b', 3n, null],
  [50n, 'host=b', 'b', 4n, 'x'],
];

describe('the sandbox write-ahead log', () => {
  const dirs: string[] = [];
  const open: SandboxEngine[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });

  async function crashedFolder(): Promise<string> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-wal-'));
    dirs.push(dataDir);
    const a = await SandboxEngine.open({ dataDir });
    await a.createDatabase('w');
    holdQueue(a);
    expect(await write(a, 'm,host=a v=1i 10\nm,host=a v=2i 20')).toEqual([]);
    // a partial write: line 2 is rejected, lines 1 and 3 are acknowledged (and add the column s)
    expect(await write(a, 'm,host=b v=3i 30\nm v=1.5 40\nm,host=b v=4i,s="x" 50')).toEqual([
      'error writing line 2 (1-based): Unable to insert iox::column_type::field::float type ' +
        'into column v with type iox::column_type::field::integer',
    ]);
    // the same series and time as the first line: it overwrites
    expect(await write(a, 'm,host=a v=9i 10')).toEqual([]);
    crash(a);
    return dataDir;
  }

  it('a start stores the acknowledged writes DuckDB lacked, once, and a clean stop empties the log', async () => {
    const dataDir = await crashedFolder();
    const walDir = path.join(dataDir, 'sandbox', 'wal');
    expect((await fs.readdir(walDir)).length).toBe(1);

    const b = await SandboxEngine.open({ dataDir });
    open.push(b);
    expect(await rows(b)).toEqual(EXPECTED);
    expect(b.catalog.database('w')!.measurements.m!.fields).toEqual({ v: 'integer', s: 'string' });
    const spans = (await b.store.seriesSpans('w', 'm'))!;
    expect([...spans.max].sort()).toEqual([
      ['host=a', 20n],
      ['host=b', 50n],
    ]);
    // writes after the replay go on from there
    expect(await write(b, 'm,host=b v=5i 60')).toEqual([]);
    await b.close();
    open.length = 0;
    expect(await fs.readdir(walDir)).toEqual([]);

    const c = await SandboxEngine.open({ dataDir });
    open.push(c);
    expect(await rows(c)).toEqual([...EXPECTED, [60n, 'host=b', 'b', 5n, null]]);
  });

  it('a record cut short by the crash (never acknowledged) is dropped; the ones before it are kept', async () => {
    const dataDir = await crashedFolder();
    const walDir = path.join(dataDir, 'sandbox', 'wal');
    const [segment] = await fs.readdir(walDir);
    const file = path.join(walDir, segment!);
    const whole = await fs.readFile(file);
    await fs.appendFile(file, whole.subarray(0, 40));

    const b = await SandboxEngine.open({ dataDir });
    open.push(b);
    expect(await rows(b)).toEqual(EXPECTED);
  });

  it('a damaged record stops the start with a message naming the file, which is left unchanged', async () => {
    const dataDir = await crashedFolder();
    const walDir = path.join(dataDir, 'sandbox', 'wal');
    const [segment] = await fs.readdir(walDir);
    const file = path.join(walDir, segment!);
    const bytes = await fs.readFile(file);
    bytes[30] = bytes[30]! ^ 0xff; // inside the first record, which two more follow
    await fs.writeFile(file, bytes);

    const err = await SandboxEngine.open({ dataDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxDataError);
    expect((err as Error).message).toContain(`the sandbox write-ahead log ${file} is damaged at byte 0.`);
    expect(Buffer.compare(await fs.readFile(file), bytes)).toBe(0);
  });

  it('a folder from before tableOf: tables renamed, and the log stores what a case clash held back', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-wal-'));
    dirs.push(dataDir);
    const a = await SandboxEngine.open({ dataDir });
    await a.createDatabase('w');
    expect(await write(a, 'cpu2,host=a v=1i 10\nmem,host=a v=5i 10')).toEqual([]);
    await a.settled();
    // What the bare table names left: CPU2 was acknowledged, then its CREATE TABLE clashed with cpu2's table,
    // so it stayed in the log (here: held in the queue, then a crash).
    holdQueue(a);
    expect(await write(a, 'CPU2,host=b v=2i 20')).toEqual([]);
    crash(a);
    const old = await DuckDBInstance.create(path.join(dataDir, 'sandbox', 'data.duckdb'));
    const c = await old.connect();
    for (const m of ['cpu2', 'mem']) {
      await c.run(`ALTER TABLE ${tableRef('w', m)} RENAME TO ${ident(m)}`);
    }
    c.closeSync();
    old.closeSync();

    const b = await SandboxEngine.open({ dataDir });
    open.push(b);
    await b.settled();
    const conn = await b.store.instance.connect();
    try {
      const read = async (m: string) =>
        (await conn.runAndReadAll(`SELECT time, host, v FROM ${tableRef('w', m)} ORDER BY time`)).getRows();
      expect(await read('cpu2')).toEqual([[10n, 'a', 1n]]);
      expect(await read('CPU2')).toEqual([[20n, 'b', 2n]]);
      expect(await read('mem')).toEqual([[10n, 'a', 5n]]);
      const tables = await conn.runAndReadAll(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schemaOf('w')}' ORDER BY 1`,
      );
      expect(tables.getRows()).toEqual([[tableOf('CPU2')], [tableOf('cpu2')], [tableOf('mem')]]);
    } finally {
      conn.closeSync();
    }
  });
});
