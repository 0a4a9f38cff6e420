// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call, runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * Database names that InfluxDB 3 accepts and DuckDB holds itself (its schemas `main`, `information_schema`,
 * `pg_catalog`; its catalogs `temp`, `system`, the data file's `data`), names that differ only in case (DuckDB
 * matches identifiers case-insensitively) and the sandbox's own table names as measurements: each is written,
 * read back and listed, over HTTP from the built sandbox, before and after a restart.
 */

const DUCKDB_NAMES = ['main', 'temp', 'system', 'data', 'memory', 'information_schema', 'pg_catalog'];
/** measurements named as the sandbox's own tables */
const OWN_TABLES = ['sandbox_wal_applied', '_sandbox_stage'];

type V1 = { results: { statement_id: number; series?: { name: string; columns: string[]; values: unknown[][] }[] }[] };

describe('sandbox database names DuckDB reserves', () => {
  let dir: string;
  let running: SandboxProcess | undefined;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-names-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) await running.stop();
    running = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  const query = async (db: string, q: string, token: string): Promise<V1> => {
    const r = await call(`${running!.url}/query?db=${encodeURIComponent(db)}&q=${encodeURIComponent(q)}`, { token });
    expect(r.status, r.body).toBe(200);
    return JSON.parse(r.body) as V1;
  };
  const write = async (db: string, body: string, token: string): Promise<void> => {
    const r = await call(`${running!.url}/write?db=${encodeURIComponent(db)}`, { method: 'POST', token, body });
    expect(r.status, `${db}: ${r.body}`).toBe(204);
  };
  /** Each database's measurements and rows, as /query answers them. */
  const readAll = async (names: string[], token: string) => {
    const out: Record<string, unknown> = {};
    for (const db of names) {
      const show = await query(db, 'SHOW MEASUREMENTS', token);
      const ms = (show.results[0]!.series?.[0]?.values ?? []).map((v) => v[0] as string);
      out[db] = {
        measurements: ms,
        rows: await Promise.all(ms.map(async (m) => (await query(db, `SELECT * FROM "${m}"`, token)).results[0])),
      };
    }
    return out;
  };
  /** Two points per measurement, the second older than the first (so the merge path runs too). */
  const lines = (i: number, measurements: string[]) =>
    measurements.flatMap((m) => [`${m},host=h${i} v=${i} 2000000000`, `${m},host=h${i} v=${-i},w="${i}" 1000000000`]);
  const expected = (i: number, measurements: string[]) => ({
    measurements: [...measurements].sort(),
    rows: [...measurements].sort().map((m) => ({
      statement_id: 0,
      series: [
        {
          name: m,
          columns: ['time', 'host', 'v', 'w'],
          values: [
            ['1970-01-01T00:00:01Z', `h${i}`, -i, String(i)],
            ['1970-01-01T00:00:02Z', `h${i}`, i, null],
          ],
        },
      ],
    })),
  });

  it('Cloud Dedicated: each name is created, written, read back and survives a restart', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    const token = running.token!;
    expect(await running.stop()).toBe(0);
    const names = [...DUCKDB_NAMES, 'Foo', 'foo', ...OWN_TABLES];
    for (const db of names) {
      const r = await runSandboxCli(['database', 'create', db, '--data-dir', dir]);
      expect(r.code, r.stderr).toBe(0);
    }
    running = await startSandboxProcess(['--data-dir', dir]);
    const want: Record<string, unknown> = {};
    for (const [i, db] of names.entries()) {
      const ms = ['m', ...OWN_TABLES];
      await write(db, lines(i + 1, ms).join('\n'), token);
      want[db] = expected(i + 1, ms);
    }
    expect(await readAll(names, token)).toEqual(want);
    expect(await running.stop()).toBe(0);

    const list = await runSandboxCli(['database', 'list', '--json', '--data-dir', dir]);
    expect(((JSON.parse(list.stdout) as { name: string }[]).map((d) => d.name) ?? []).sort()).toEqual(
      ['demo', ...names].sort(),
    );
    running = await startSandboxProcess(['--data-dir', dir]);
    expect(await readAll(names, token)).toEqual(want);
    // still writable after the restart, and demo is untouched by all this
    await write('main', 'm,host=h1 v=100 3000000000', token);
    expect((await query('main', 'SELECT count(v) FROM m', token)).results[0]!.series![0]!.values).toEqual([
      ['1970-01-01T00:00:00Z', 3],
    ]);
    expect((await query('demo', 'SHOW MEASUREMENTS', token)).results[0]!.series![0]!.values.length).toBeGreaterThan(0);
  });

  it('Core: SHOW DATABASES lists names DuckDB holds itself, before and after a restart', async () => {
    running = await startSandboxProcess(['--profile', 'core', '--data-dir', dir]);
    const token = running.token!;
    const names = ['main', 'temp', 'information_schema', 'pg_catalog'];
    for (const [i, db] of names.entries()) await write(db, lines(i + 1, ['m']).join('\n'), token);
    const show = async () =>
      ((await query('main', 'SHOW DATABASES', token)).results[0]!.series![0]!.values as string[][]).map((v) => v[0]);
    const before = await show();
    expect(before).toEqual(expect.arrayContaining(names));
    const want = Object.fromEntries(names.map((db, i) => [db, expected(i + 1, ['m'])]));
    expect(await readAll(names, token)).toEqual(want);
    expect(await running.stop()).toBe(0);
    running = await startSandboxProcess(['--profile', 'core', '--data-dir', dir]);
    expect(await show()).toEqual(before);
    expect(await readAll(names, token)).toEqual(want);
  });
});
