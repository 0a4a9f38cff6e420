import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sameRegex } from '../../electron/sandbox/influxql/series-index';
import { TestStore } from './sandbox-influxql-db';

/** Tag conditions judged per series from the index: the same answers as the row conditions, less work. */

let store: TestStore;
beforeAll(async () => {
  store = await TestStore.create();
  const point = (tags: Record<string, string>, value: number, time: bigint) => ({
    measurement: 'cpu',
    tags,
    fields: { usage: { type: 'float' as const, value } },
    time,
  });
  await store.write('demo', [
    point({ host: 'a', region: 'us' }, 1, 1700000000000000000n),
    point({ host: 'b', region: 'eu' }, 2, 1700000000000000000n),
    point({ host: 'a b', region: 'us' }, 3, 1700000060000000000n),
    point({ region: 'us' }, 4, 1700000060000000000n),
    // UTF-16 and UTF-8 order differ between a surrogate pair (U+1F600) and U+E000: DuckDB sorts by bytes.
    ...['z', '\uE000x', '\u{1F600}', 'é', 'Z'].map((host, i) => ({
      ...point({ host }, i, 1700000000000000000n + BigInt(i)),
      measurement: 'emo',
    })),
  ]);
});
afterAll(() => store.close());

const q = async (text: string, withIndex: boolean): Promise<string> =>
  (await store.query(text, { db: 'demo' }, withIndex ? {} : { seriesSpans: undefined })).body;

describe('tag conditions from the series index', () => {
  const queries = [
    "SELECT usage FROM cpu WHERE host = 'a'",
    "SELECT usage FROM cpu WHERE host != 'a'",
    "SELECT usage FROM cpu WHERE host = ''",
    'SELECT usage FROM cpu WHERE host =~ /^a/ AND region !~ /eu/',
    "SELECT sum(usage) FROM cpu WHERE (host = 'a' OR region = 'eu') AND time > 0 GROUP BY host",
    "SELECT usage FROM cpu WHERE host = 'nope'",
    'SELECT usage FROM cpu WHERE host =~ /^$/',
    "SELECT usage FROM cpu WHERE host !~ /^a$/ OR region = ''",
    "SELECT usage FROM cpu WHERE (host =~ /b/ OR region != 'us') AND usage > 1",
    'SELECT usage FROM cpu WHERE region =~ /./ AND host !~ /./',
    'SHOW TAG VALUES WITH KEY =~ /./ WHERE time > 0',
    "SHOW TAG VALUES WITH KEY = host WHERE time >= '2023-11-14T22:14:00Z'",
    "SHOW TAG VALUES WITH KEY IN (host, region) WHERE time <= '2023-11-14T22:14:20Z' AND time > 0",
    'SHOW TAG VALUES WITH KEY = host WHERE time > now()',
    'SHOW TAG VALUES FROM emo WITH KEY = host WHERE time > 0',
    'SHOW TAG VALUES FROM emo WITH KEY = host WHERE time > 1700000000000000001',
    "SHOW TAG VALUES FROM emo WITH KEY = host WHERE time > 0 AND host != 'z'",
    "SELECT usage FROM cpu WHERE time >= '2023-11-14T22:13:20Z' AND time <= '2023-11-14T22:14:20Z'",
    "SELECT usage FROM cpu WHERE time > '2023-11-14T22:13:20Z' AND host =~ /a/",
    "SELECT count(usage) FROM cpu WHERE time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:20:00Z' GROUP BY time(5m)",
    "SELECT count(usage) FROM cpu WHERE time >= '2023-11-14T22:10:00Z' AND time < '2023-11-14T22:14:00Z' GROUP BY time(1m)",
    'SELECT usage FROM cpu WHERE host =~ /a\\sb/ OR usage > 3',
    "SHOW TAG VALUES WITH KEY = host WHERE region = 'us' AND time > 0",
    "SHOW TAG KEYS WHERE host = 'b' AND time > 0",
    'SHOW MEASUREMENTS WHERE host =~ /^a / AND time > 0',
  ];
  it.each(queries)('%s: same answer with and without the index', async (text) => {
    expect(await q(text, true)).toBe(await q(text, false));
  });

  it('a time bound that every stored series already satisfies is left out of the SQL; a narrower one stays', async () => {
    const plan = async (text: string) => q(`EXPLAIN ${text}`, true);
    const wide = await plan(
      "SELECT usage FROM cpu WHERE time >= '2023-11-14T22:13:20Z' AND time < '2023-11-14T22:14:21Z'",
    );
    expect(wide).not.toContain('\\"time\\" >=');
    expect(wide).not.toContain('\\"time\\" <');
    const narrow = await plan(
      "SELECT usage FROM cpu WHERE time > '2023-11-14T22:13:20Z' AND time < '2023-11-14T22:14:21Z'",
    );
    expect(narrow).toContain('(\\"time\\" > 1700000000000000000)');
    expect(narrow).not.toContain('\\"time\\" <');
  });

  it('a tag regex becomes the list of matching stored values; \\s (RE2 and JS differ) stays a row condition', async () => {
    const plan = async (text: string) => q(`EXPLAIN ${text}`, true);
    const listed = await plan('SELECT usage FROM cpu WHERE host =~ /^a/');
    expect(listed).toContain(`list_contains(['a', 'a b'], COALESCE(\\"host\\", ''))`);
    expect(listed).not.toContain('regexp_matches');
    // '' (the tag absent) matches /^$/; every stored region matches /./ but an absent one does not.
    expect(await plan('SELECT usage FROM cpu WHERE host =~ /^$/')).toContain(
      `list_contains([''], COALESCE(\\"host\\", ''))`,
    );
    expect(await plan('SELECT usage FROM cpu WHERE region =~ /./')).toContain(
      `list_contains(['eu', 'us'], COALESCE(\\"region\\", ''))`,
    );
    expect(await plan("SELECT usage FROM cpu WHERE host = 'a'")).toContain(`(\\"host\\" = 'a')`);
    expect(await plan('SELECT usage FROM cpu WHERE host =~ /a\\sb/')).toContain('regexp_matches');
    expect(sameRegex('a\\sb')).toBeNull();
    expect(sameRegex('(?P<x>a)')).toBeNull();
    expect(sameRegex('(?i)^A.b$')?.test('a b')).toBe(true);
    // Go reads a flag group after the anchor as for the whole pattern; JS cannot compile it in place.
    expect(sameRegex('^(?i)A.b$')?.test('a b')).toBe(true);
    expect(sameRegex('^(?m)a')).toBeNull();
  });

  it('takes a flag group after the leading anchor, as Go does (it was refused: "Invalid regular expression")', async () => {
    expect(await q('SHOW MEASUREMENTS WITH MEASUREMENT =~ /^(?i)CP/', true)).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]}]}',
    );
    for (const withIndex of [true, false])
      expect(await q('SELECT count(usage) FROM /^(?i)CPU$/ WHERE host =~ /^(?i)A$/', withIndex)).toContain(
        '"values":[["1970-01-01T00:00:00Z",1]]',
      );
  });
});
