// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * Names that differ only in case are different names in InfluxDB 3; DuckDB matches identifiers
 * case-insensitively. Over HTTP against the built sandbox, before and after a restart.
 */

type Series = { name: string; columns: string[]; values: unknown[][] };
type V1 = { results: { statement_id: number; series?: Series[]; error?: string }[] };

describe('sandbox names that differ only in case', () => {
  let dir: string;
  let running: SandboxProcess | undefined;
  /** printed by the first start only */
  let token = '';
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-case-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) await running.stop();
    running = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  const query = async (q: string): Promise<V1> => {
    const r = await call(`${running!.url}/query?db=demo&q=${encodeURIComponent(q)}`, { token });
    expect(r.status, r.body).toBe(200);
    return JSON.parse(r.body) as V1;
  };
  const write = (body: string) => call(`${running!.url}/write?db=demo`, { method: 'POST', token, body });

  it('cpu2 and CPU2 are two measurements, each read back on its own, before and after a restart', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    token = running.token!;
    expect((await write('cpu2 v=1 1000000000')).status).toBe(204);
    expect((await write('CPU2 v=2 2000000000')).status).toBe(204);
    const read = async () => ({
      lower: await query('SELECT * FROM cpu2'),
      upper: await query('SELECT * FROM "CPU2"'),
      show: await query('SHOW MEASUREMENTS WITH MEASUREMENT =~ /^[cC][pP][uU]2$/'),
    });
    const want = {
      lower: {
        results: [
          {
            statement_id: 0,
            series: [{ name: 'cpu2', columns: ['time', 'v'], values: [['1970-01-01T00:00:01Z', 1]] }],
          },
        ],
      },
      upper: {
        results: [
          {
            statement_id: 0,
            series: [{ name: 'CPU2', columns: ['time', 'v'], values: [['1970-01-01T00:00:02Z', 2]] }],
          },
        ],
      },
      show: {
        results: [
          { statement_id: 0, series: [{ name: 'measurements', columns: ['name'], values: [['CPU2'], ['cpu2']] }] },
        ],
      },
    };
    expect(await read()).toEqual(want);
    expect(await running.stop()).toBe(0);
    running = await startSandboxProcess(['--data-dir', dir]);
    expect(await read()).toEqual(want);
    // both still writable after the restart
    expect((await write('CPU2 v=3 3000000000\ncpu2 v=4 4000000000')).status).toBe(204);
    expect((await query('SELECT count(v) FROM cpu2, "CPU2"')).results[0]!.series).toEqual([
      { name: 'CPU2', columns: ['time', 'count'], values: [['1970-01-01T00:00:00Z', 2]] },
      { name: 'cpu2', columns: ['time', 'count'], values: [['1970-01-01T00:00:00Z', 2]] },
    ]);
  });

  it('columns that differ only in case: the line is refused with a 400 naming both (never acknowledged)', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    token = running.token!;
    const clash = (line: number, col: string, other: string, table: string) =>
      `error writing line ${line} (1-based): the sandbox cannot store column '${col}' beside column '${other}' in ` +
      `table '${table}': they differ only in case, which DuckDB does not tell apart (InfluxDB 3 stores both)`;
    const refused = async (body: string, errors: string[]) => {
      const r = await write(body);
      expect(r.status, r.body).toBe(400);
      expect((JSON.parse(r.body) as { message: string }).message).toBe(
        'failed to parse line protocol: errors encountered on line(s):\n' + errors.join('\n'),
      );
    };
    expect((await write('f v=1 1000000000\nt,host=a x=1 1000000000\ntf,k=a x=1 1000000000')).status).toBe(204);
    await refused('f V=2 2000000000', [clash(1, 'V', 'v', 'f')]);
    await refused('t,HOST=b x=2 2000000000', [clash(1, 'HOST', 'host', 't')]);
    await refused('tf K=2 2000000000', [clash(1, 'K', 'k', 'tf')]);
    // within one line and one body; the good line of a partial write is stored
    await refused('g v=1,V=2 1000000000\ng,Host=a,host=b x=1 1000000000\ng Time=1 1000000000\ng x=3 3000000000', [
      clash(1, 'v', 'V', 'g'),
      clash(2, 'Host', 'host', 'g'),
      clash(3, 'Time', 'time', 'g'),
    ]);
    const read = async () => ({
      f: (await query('SELECT * FROM f')).results[0]!.series,
      t: (await query('SELECT * FROM t')).results[0]!.series,
      tf: (await query('SELECT * FROM tf')).results[0]!.series,
      g: (await query('SELECT * FROM g')).results[0]!.series,
      keys: (await query('SHOW FIELD KEYS FROM f')).results[0]!.series,
    });
    const want = {
      f: [{ name: 'f', columns: ['time', 'v'], values: [['1970-01-01T00:00:01Z', 1]] }],
      t: [{ name: 't', columns: ['time', 'host', 'x'], values: [['1970-01-01T00:00:01Z', 'a', 1]] }],
      tf: [{ name: 'tf', columns: ['time', 'k', 'x'], values: [['1970-01-01T00:00:01Z', 'a', 1]] }],
      g: [{ name: 'g', columns: ['time', 'x'], values: [['1970-01-01T00:00:03Z', 3]] }],
      keys: [{ name: 'f', columns: ['fieldKey', 'fieldType'], values: [['v', 'float']] }],
    };
    expect(await read()).toEqual(want);
    expect(await running.stop()).toBe(0);
    running = await startSandboxProcess(['--data-dir', dir]);
    expect(await read()).toEqual(want);
    // names DuckDB tells apart (only ASCII letters fold) are stored side by side
    expect((await write('u É=1,é=2 1000000000')).status).toBe(204);
    expect((await query('SELECT * FROM u')).results[0]!.series).toEqual([
      { name: 'u', columns: ['time', 'É', 'é'], values: [['1970-01-01T00:00:01Z', 1, 2]] },
    ]);
  });
});
