import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type TestPoint, TestStore } from './sandbox-influxql-db';

// A small data set whose answers were checked against influxd 1.6 by hand (and, where 1.6 and IOx
// differ, against spec §9–§10): m has series h=a and h=b; t is in seconds.
const S = 1_000_000_000n;
const POINTS: [number, string, number, number][] = [
  [1, 'a', 5, 3],
  [2, 'a', 2, 9],
  [2, 'b', 9, 1],
  [3, 'a', 7, 4],
  [3, 'b', 1, 2],
  [4, 'a', 5, 3],
  [5, 'b', 9, 1],
  [6, 'b', 5, 1],
  [7, 'a', 8, 4],
];

let store: TestStore;
beforeAll(async () => {
  store = await TestStore.create();
  const points: TestPoint[] = POINTS.map(([t, h, v, i]) => ({
    measurement: 'm',
    tags: { h },
    fields: {
      v: { type: 'float', value: v },
      i: { type: 'integer', value: BigInt(i) },
      s: { type: 'string', value: `s,${t}` },
    },
    time: BigInt(t) * S,
  }));
  await store.write('probe', points);
  await store.write('other', [
    { measurement: 'x', tags: {}, fields: { u: { type: 'uinteger', value: 18446744073709551615n } }, time: 1n },
  ]);
});
afterAll(() => store.close());

const body = async (q: string, extra = {}): Promise<string> =>
  (await store.query(q, { db: 'probe', epoch: 's', ...extra })).body;
const values = async (q: string, extra = {}): Promise<unknown> => {
  const doc = JSON.parse(await body(q, extra)) as { results: { series?: { values: unknown }[]; error?: string }[] };
  const r = doc.results[0];
  return r?.error ?? r?.series?.map((s) => s.values);
};

describe('selectors and aggregates (values as influxd 1.6 gives them)', () => {
  it('top/bottom pick the N best points at their own times, in time order', async () => {
    expect(await values('SELECT top(v, 3) FROM m')).toEqual([
      [
        [2, 9],
        [5, 9],
        [7, 8],
      ],
    ]);
    expect(await values('SELECT top(v, h, 2) FROM m')).toEqual([
      [
        [2, 9, 'b'],
        [7, 8, 'a'],
      ],
    ]);
    expect(await values('SELECT bottom(v, 2) FROM m')).toEqual([
      [
        [2, 2],
        [3, 1],
      ],
    ]);
    expect(await values('SELECT top(v, 2) FROM m WHERE time >= 0s AND time < 10s GROUP BY time(4s)')).toEqual([
      [
        [2, 9],
        [3, 7],
        [5, 9],
        [7, 8],
      ],
    ]);
  });
  it('a selector brings the fields and tags of its point', async () => {
    expect(await values('SELECT max(v), h, i FROM m')).toEqual([[[2, 9, 'b', 1]]]);
    expect(await values('SELECT max(v), i FROM m WHERE time >= 0s AND time < 10s GROUP BY time(4s)')).toEqual([
      [
        [0, 9, 1],
        [4, 9, 1],
        [8, null, null],
      ],
    ]);
  });
  it('first/last break equal times by the greater value; mode takes the most frequent, then the smallest', async () => {
    expect(await values('SELECT first(v) FROM m WHERE time >= 2s')).toEqual([[[2, 9]]]);
    expect(await values('SELECT last(v) FROM m WHERE time <= 3s')).toEqual([[[3, 7]]]);
    expect(await values('SELECT mode(v), mode(i) FROM m')).toEqual([[[0, 5, 1]]]);
  });
  it('count fills with 0 under fill(null); fill(N) takes the column type', async () => {
    expect(await values('SELECT count(v) FROM m WHERE time >= 0s AND time < 10s GROUP BY time(2s)')).toEqual([
      [
        [0, 1],
        [2, 4],
        [4, 2],
        [6, 2],
        [8, 0],
      ],
    ]);
    expect(
      await values("SELECT min(i) FROM m WHERE h = 'a' AND time >= 0s AND time < 6s GROUP BY time(2s) fill(-1.5)"),
    ).toEqual([
      [
        [0, 3],
        [2, 4],
        [4, 3],
      ],
    ]);
    expect(
      await values("SELECT min(i) FROM m WHERE h = 'a' AND time >= 8s AND time < 10s GROUP BY time(1s) fill(-1.5)"),
    ).toEqual(undefined);
  });
  it('integral: trapezium rule, a segment crossing a window end split there by linear interpolation', async () => {
    // a: (1,5) (2,2) (3,7) (4,5) (7,8)
    expect(await values("SELECT integral(v) FROM m WHERE h = 'a'")).toEqual([[[0, 3.5 + 4.5 + 6 + 19.5]]]);
    expect(
      await values("SELECT integral(v) FROM m WHERE h = 'a' AND time >= 0s AND time < 8s GROUP BY time(4s)"),
    ).toEqual([
      [
        // [0,4): 3.5 + 4.5 + 0.5*(7+5)*1 = 14; [4,8): 0.5*(5+8)*3 = 19.5
        [0, 14],
        [4, 19.5],
      ],
    ]);
  });
  it('distinct, percentile, spread, median, stddev, sum of integers stays integer', async () => {
    expect(await values("SELECT distinct(v) FROM m WHERE h = 'b'")).toEqual([
      [
        [0, 9],
        [0, 1],
        [0, 5],
      ],
    ]);
    expect(await values('SELECT percentile(v, 50), spread(v), median(v), sum(i) FROM m')).toEqual([[[0, 5, 8, 5, 28]]]);
  });
  it('transformations: derivative, difference, cumulative_sum, moving_average, elapsed', async () => {
    expect(
      await values("SELECT derivative(v), difference(v), cumulative_sum(v), elapsed(v, 1s) FROM m WHERE h = 'b'"),
    ).toEqual([
      [
        [2, null, null, 9, null],
        [3, -8, -8, 10, 1],
        [5, 4, 8, 19, 2],
        [6, -4, -4, 24, 1],
      ],
    ]);
    expect(await values("SELECT moving_average(v, 2) FROM m WHERE h = 'a'")).toEqual([
      [
        [2, 3.5],
        [3, 4.5],
        [4, 6],
        [7, 6.5],
      ],
    ]);
  });
});

describe('large raw results are read in time slices', () => {
  it('gives the same answer slice by slice, in both orders', async () => {
    for (const q of ['SELECT v, s FROM m', 'SELECT * FROM m WHERE v > 1 ORDER BY time DESC', 'SELECT i FROM m']) {
      const whole = await store.query(q, { db: 'probe', epoch: 'ns' });
      const sliced = await store.query(q, { db: 'probe', epoch: 'ns' }, { sliceRows: 2 });
      expect(sliced.body).toBe(whole.body);
      expect(JSON.parse(whole.body).results[0].series[0].values.length).toBeGreaterThan(3);
    }
  });
});

describe('subqueries', () => {
  it('the outer query reads the inner rows, the inner GROUP BY tags as tags', async () => {
    expect(
      await values(
        'SELECT max(mean) FROM (SELECT mean(v) FROM m WHERE time >= 0s AND time < 8s GROUP BY time(4s), h) GROUP BY h',
      ),
    ).toEqual([[[4, 6.5]], [[4, 7]]]); // a single selector keeps its row's time
    expect(await values("SELECT v FROM (SELECT v, i FROM m WHERE h = 'b') WHERE i < 2")).toEqual([
      [
        [2, 9],
        [5, 9],
        [6, 5],
      ],
    ]);
  });
});

describe('SELECT refusals and planning errors (spec §10.2)', () => {
  it('gives the IOx texts', async () => {
    expect(await values('SELECT sample(v, 2) FROM m')).toBe(
      'datafusion error: This feature is not implemented: sample selector function',
    );
    expect(await values('SELECT mean(v), i FROM m')).toBe(
      'datafusion error: rewriting statement\ncaused by\ngather information about select ' +
        'statement\ncaused by\nError during planning: mixing aggregate and non-aggregate columns ' +
        'is not supported',
    );
    expect(await values('SELECT v FROM m GROUP BY time(1m)')).toBe(
      'datafusion error: Error during planning: GROUP BY requires at least one aggregate function',
    );
    expect(await values('SELECT mean(v, i) FROM m')).toBe(
      'datafusion error: Error during planning: invalid number of arguments for mean, expected 1, got 2',
    );
    expect(await values('SELECT v FROM m WHERE v > now()')).toBe(
      'datafusion error: This feature is not implemented: now',
    );
    expect(await values('DELETE FROM m')).toBe('datafusion error: This feature is not implemented: DELETE');
    expect(await values('DROP MEASUREMENT m')).toBe(
      'datafusion error: This feature is not implemented: DROP MEASUREMENT',
    );
  });
  it('several statements: one result each, errors per statement', async () => {
    expect(await body("SELECT v FROM m WHERE h = 'a' LIMIT 1; SELECT nope FROM nope; SHOW FIELD KEYS ON other")).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,' +
        '5]]}]},{"statement_id":1},{"statement_id":2,"series":[{"name":"x","columns":["fieldKey",' +
        '"fieldType"],"values":[["u","unsigned"]]}]}]}',
    );
    expect(await body('SELECT v FROM "other".."m", "probe".."m"')).toBe(
      '{"results":[{"statement_id":0,"error":"error in InfluxQL statement: can only perform queries on a single database"}]}',
    );
  });
});

describe('the response (spec §9.3–§9.5)', () => {
  it('series split by GROUP BY tags, tags sorted, times in AutoSi RFC 3339 and under tz()', async () => {
    expect(await store.query('SELECT v FROM m WHERE time <= 2s GROUP BY h', { db: 'probe' }).then((r) => r.body)).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time",' +
        '"v"],"values":[["1970-01-01T00:00:01Z",5],["1970-01-01T00:00:02Z",2]]},{"name":"m",' +
        '"tags":{"h":"b"},"columns":["time","v"],"values":[["1970-01-01T00:00:02Z",9]]}]}]}',
    );
    expect(
      await store.query("SELECT v FROM m WHERE time = 1s tz('Asia/Kolkata')", { db: 'probe' }).then((r) => r.body),
    ).toContain('"values":[["1970-01-01T05:30:01+05:30",5]]');
  });
  it('epoch units', async () => {
    const at = async (epoch: string): Promise<unknown> => values('SELECT v FROM m WHERE time = 7s', { epoch });
    expect(await at('ns')).toEqual([[[7_000_000_000, 8]]]);
    expect(await at('u')).toEqual([[[7_000_000, 8]]]);
    expect(await at('µ')).toEqual([[[7_000_000, 8]]]);
    expect(await at('ms')).toEqual([[[7000, 8]]]);
    expect(await at('m')).toEqual([[[0, 8]]]);
  });
  it('chunked: at most chunk_size rows and one series per document, partial flags, a document per statement', async () => {
    const r = await store.query("SELECT v FROM m WHERE time <= 3s GROUP BY h; SELECT v FROM m WHERE h = 'x'", {
      db: 'probe',
      epoch: 's',
      chunked: true,
      chunkSize: 2,
    });
    expect(r.parts).toEqual([
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time",' +
        '"v"],"values":[[1,5],[2,2]],"partial":true}],"partial":true}]}',
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","v"],"values":[[3,7]]}],"partial":true}]}',
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"b"},"columns":["time","v"],"values":[[2,9],[3,1]]}]}]}',
      '{"results":[{"statement_id":1}]}',
    ]);
  });
  it('pretty=true is serde_json pretty printing', async () => {
    expect(await body('SELECT v FROM m WHERE time = 7s', { pretty: true })).toBe(
      '{\n  "results": [\n    {\n      "statement_id": 0,\n      "series": [\n        ' +
        '{\n          "name": "m",\n          "columns": [\n            "time",\n            ' +
        '"v"\n          ],\n          "values": [\n            [\n              ' +
        '7,\n              8\n            ]\n          ]\n        }\n      ]\n    }\n  ]\n}',
    );
  });
  it('CSV: one header per statement, tags as k=v, quoted cells, integer times, statement errors dropped', async () => {
    // A parse error makes the whole request one statement error, which CSV drops: an empty body.
    const bad = await store.query('SELECT v FROM m WHERE x = OR', { db: 'probe', format: 'csv' });
    expect(bad).toMatchObject({ status: 200, body: '' });
    const ok = await store.query('SELECT v, s FROM m WHERE time <= 2s GROUP BY h; SELECT v FROM nope; SHOW TAG KEYS', {
      db: 'probe',
      format: 'csv',
    });
    expect(ok.body).toBe(
      'name,tags,time,v,s\nm,h=a,1000000000,5,"s,1"\nm,h=a,2000000000,2,"s,2"\nm,h=b,2000000000,9,"s,2"\n\nname,tags,tagKey\nm,,h\n',
    );
  });
  it('unsigned integers beyond 2^53 are exact JSON numbers', async () => {
    expect(await store.query('SELECT u FROM x', { db: 'other', epoch: 'ns' }).then((r) => r.body)).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"x","columns":["time","u"],"values":[[1,18446744073709551615]]}]}]}',
    );
  });
  it('bound parameters', async () => {
    expect(await values('SELECT v FROM m WHERE h = $h AND v > $min', { params: { h: 'b', min: 4 } })).toEqual([
      [
        [2, 9],
        [5, 9],
        [6, 5],
      ],
    ]);
  });
  it('a database the token may not read makes the whole request 401', async () => {
    const r = await store.query(
      'SELECT v FROM m; SELECT u FROM "other".."x"',
      { db: 'probe' },
      { canRead: (d) => d !== 'other' },
    );
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ code: 'unauthorized', message: 'unauthorized access' });
  });
});

describe('Core profile differences (spec §9.2, §10.1)', () => {
  const core = { profile: 'core' as const };
  it('SHOW DATABASES and SHOW RETENTION POLICIES answer; unknown database text', async () => {
    expect((await store.query('SHOW DATABASES', {}, core)).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["other"],["probe"]]}]}]}',
    );
    expect((await store.query('SHOW RETENTION POLICIES', { db: 'probe' }, core)).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"retention_policies","columns":["name",' +
        '"duration","default"],"values":[["probe","0s",true]]}]}]}',
    );
    expect((await store.query('SELECT v FROM m', { db: 'nope' }, core)).body).toBe(
      '{"results":[{"statement_id":0,"error":"Cannot retrieve database: External error: database not found: nope"}]}',
    );
    expect(JSON.parse((await store.query('SELECT v FROM m', { db: 'probe', epoch: 'x' }, core)).body)).toEqual({
      error:
        'error decoding params from url: unknown variant `x`, expected one of `ns`, `u`, `µ`, `ms`, `s`, `m`, `h`, `d`, `w`',
    });
  });
  it('EXPLAIN answers with the DuckDB SQL the sandbox would run', async () => {
    const doc = JSON.parse(await body('EXPLAIN SELECT mean(v) FROM m GROUP BY h')) as {
      results: { series: { name: string; columns: string[]; values: string[][] }[] }[];
    };
    const s = doc.results[0]?.series[0];
    expect(s?.columns).toEqual(['plan_type', 'plan']);
    expect(s?.values[0]?.[0]).toBe('sandbox_sql m');
    expect(s?.values[0]?.[1]).toContain('FROM "probe:70726f6265"."m:6d"');
  });
  it('CD: SHOW DATABASES with a db is not implemented', async () => {
    expect(await values('SHOW DATABASES')).toBe('datafusion error: This feature is not implemented: SHOW DATABASES');
  });
});
