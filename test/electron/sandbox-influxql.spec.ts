import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TestStore } from './sandbox-influxql-db';

// Spec §10.3 E1–E20: database `demo` with three points.
let store: TestStore;
beforeAll(async () => {
  store = await TestStore.create();
  await store.write('demo', [
    {
      measurement: 'cpu',
      tags: { host: 'a', region: 'us' },
      fields: { usage: { type: 'float', value: 0.5 } },
      time: 1700000000000000000n,
    },
    {
      measurement: 'cpu',
      tags: { host: 'b', region: 'us' },
      fields: { usage: { type: 'float', value: 0.7 } },
      time: 1700000000000000000n,
    },
    {
      measurement: 'cpu',
      tags: { host: 'a', region: 'us' },
      fields: { usage: { type: 'float', value: 0.9 } },
      time: 1700000060000000000n,
    },
  ]);
});
afterAll(() => store.close());

const q = (text: string, extra = {}): Promise<{ status: number; body: string; parts: string[] }> =>
  store.query(text, { db: 'demo', ...extra });

describe('spec §10.3 expected outputs (CD profile)', () => {
  it('E1 SELECT *', async () => {
    expect((await q('SELECT * FROM cpu')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","region",' +
        '"usage"],"values":[["2023-11-14T22:13:20Z","a","us",0.5],["2023-11-14T22:13:20Z","b",' +
        '"us",0.7],["2023-11-14T22:14:20Z","a","us",0.9]]}]}]}',
    );
  });
  it('E2 mean GROUP BY host', async () => {
    expect((await q('SELECT mean(usage) FROM cpu GROUP BY host')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},' +
        '"columns":["time","mean"],"values":[["1970-01-01T00:00:00Z",0.7]]},{"name":"cpu",' +
        '"tags":{"host":"b"},"columns":["time","mean"],' +
        '"values":[["1970-01-01T00:00:00Z",0.7]]}]}]}',
    );
  });
  const e3 =
    "SELECT count(usage) FROM cpu WHERE time >= '2023-11-14T22:13:00Z' AND time < '2023-11-14T22:16:00Z' GROUP BY time(1m) fill(0)";
  it('E3 GROUP BY time fill(0)', async () => {
    expect((await q(e3)).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","count"],' +
        '"values":[["2023-11-14T22:13:00Z",2],["2023-11-14T22:14:00Z",1],' +
        '["2023-11-14T22:15:00Z",0]]}]}]}',
    );
  });
  it('E4 epoch=s', async () => {
    expect((await q(e3, { epoch: 's' })).body).toContain('"values":[[1699999980,2],[1700000040,1],[1700000100,0]]');
  });
  it('E5 chunked, chunk_size=1', async () => {
    const r = await q("SELECT usage FROM cpu WHERE host='a'", { chunked: true, chunkSize: 1 });
    expect(r.parts).toEqual([
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","usage"],' +
        '"values":[["2023-11-14T22:13:20Z",0.5]],"partial":true}],"partial":true}]}',
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","usage"],"values":[["2023-11-14T22:14:20Z",0.9]]}]}]}',
    ]);
  });
  it('E6 LIMIT and the SLIMIT refusal', async () => {
    expect((await q("SELECT usage FROM cpu WHERE host='a' LIMIT 1; SELECT usage FROM cpu SLIMIT 1")).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","usage"],' +
        '"values":[["2023-11-14T22:13:20Z",0.5]]}]},{"statement_id":1,"error":"datafusion ' +
        'error: rewriting statement\\ncaused by\\nThis feature is not implemented: SLIMIT or ' +
        'SOFFSET"}]}',
    );
  });
  it('E7–E9 SHOW from the schema', async () => {
    expect((await q('SHOW MEASUREMENTS')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]}]}',
    );
    expect((await q('SHOW TAG KEYS')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]}]}]}',
    );
    expect((await q('SHOW FIELD KEYS')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["fieldKey","fieldType"],"values":[["usage","float"]]}]}]}',
    );
  });
  it('E10–E11 SHOW TAG VALUES and the metadata lookback', async () => {
    expect((await q('SHOW TAG VALUES WITH KEY = "host"')).body).toBe('{"results":[{"statement_id":0}]}');
    expect((await q('SHOW TAG VALUES WITH KEY = "host" WHERE time > 0')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"],["host","b"]]}]}]}',
    );
  });
  it('E12 SHOW RETENTION POLICIES', async () => {
    expect((await q('SHOW RETENTION POLICIES')).body).toBe(
      '{"results":[{"statement_id":0,"series":[{"name":"retention_policies","columns":["name",' +
        '"duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s",' +
        '"168h0m0s",1,true]]}]}]}',
    );
  });
  it('E13 SHOW DATABASES without db', async () => {
    expect((await store.query('SHOW DATABASES')).body).toBe(
      `{"results":[{"statement_id":0,"error":"must specify a 'db' parameter, or provide the database in the InfluxQL query"}]}`,
    );
  });
  it('E14 unknown database', async () => {
    expect((await store.query('SELECT * FROM cpu', { db: 'nope' })).body).toBe(
      '{"results":[{"statement_id":0,"error":"Database nope not found"}]}',
    );
  });
  it('E15–E18 refusals', async () => {
    expect((await q('SHOW SERIES')).body).toBe(
      '{"results":[{"statement_id":0,"error":"error in InfluxQL statement: parsing error: ' +
        'invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG ' +
        'VALUES, or RETENTION POLICIES following SHOW at pos 5"}]}',
    );
    expect((await q('DROP DATABASE demo')).body).toContain(
      '"error":"error in InfluxQL statement: parsing error: invalid DROP statement, expected MEASUREMENT at pos 5"',
    );
    expect((await q('CREATE DATABASE x')).body).toContain(
      '"error":"datafusion error: This feature is not implemented: CREATE DATABASE"',
    );
    expect((await q('SELECT * INTO x FROM cpu')).body).toContain(
      '"error":"error in InfluxQL statement: parsing error: invalid InfluxQL statement at pos ' +
        '0. Parsing Error: Nom(\\"SELECT * INTO x FROM cpu\\", Tag)"',
    );
  });
  it('E20 epoch=n is a request error', async () => {
    const r = await q('SELECT usage FROM cpu', { epoch: 'n' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({
      code: 'invalid',
      message:
        'error decoding params from url: unknown variant `n`, expected one of `ns`, `u`, `µ`, `ms`, `s`, `m`, `h`, `d`, `w`',
    });
  });
});
