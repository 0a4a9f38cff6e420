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
});
