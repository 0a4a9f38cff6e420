// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { call, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * The same query on the same data gives the same bytes every time: float aggregates over enough rows for
 * DuckDB to read them on several threads (several 122,880-row groups) are added in a fixed order.
 */

const ROWS = 400_000;
const RUNS = 20;
/** the rows' times: 2023-11-14T22:13:20Z and the next 400 s */
const RANGE = "time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T23:00:00Z'";

describe('sandbox float aggregates are deterministic', () => {
  let sb: SandboxProcess;
  let token: string;
  beforeAll(async () => {
    sb = await startSandboxProcess(['--memory']);
    token = sb.token!;
    // Values with every bit of the mantissa in use, so the order of additions shows in the last digits.
    const lines = Array.from(
      { length: ROWS },
      (_, i) => `agg,host=h${i % 7} v=${Math.sin(i) * 100},n=${i % 1000}i ${1_700_000_000_000 + i}`,
    );
    for (let i = 0; i < ROWS; i += 100_000) {
      const r = await call(`${sb.url}/write?db=demo&precision=ms`, {
        method: 'POST',
        token,
        body: lines.slice(i, i + 100_000).join('\n'),
      });
      expect(r.status, r.body).toBe(204);
    }
    const count = await call(`${sb.url}/query?db=demo&q=${encodeURIComponent('SELECT count(v) FROM agg')}`, { token });
    expect(
      (JSON.parse(count.body) as { results: [{ series: [{ values: unknown }] }] }).results[0].series[0].values,
    ).toEqual([['1970-01-01T00:00:00Z', ROWS]]);
  }, 120_000);
  afterAll(async () => {
    if (sb) expect(await sb.stop()).toBe(0);
  });

  it.each([
    'SELECT mean(v), sum(v), stddev(v), stddev(n) FROM agg',
    'SELECT mean(v), sum(v) FROM agg GROUP BY host',
    `SELECT mean(v) FROM agg WHERE ${RANGE} GROUP BY time(1m)`,
    `SELECT sum(m) FROM (SELECT mean(v) AS m FROM agg WHERE ${RANGE} GROUP BY time(10s), host) WHERE ${RANGE}`,
  ])('%s: the same bytes in every run', async (q) => {
    const bodies = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const r = await call(`${sb.url}/query?db=demo&q=${encodeURIComponent(q)}`, { token });
      expect(r.status, r.body).toBe(200);
      bodies.add(r.body);
    }
    expect(bodies.size, [...bodies].join('\n')).toBe(1);
    expect([...bodies][0]).toContain('"series"');
  });
});
