// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeQuery } from '../../electron/services/query-service';
import { fetchSchema } from '../../electron/services/schema-service';
import type { QueryParams } from '../../shared/query/query-request';
import { fieldTypeMap, type SchemaKind, type SchemaRequest } from '../../shared/query/schema';
import { type Influxd, startInfluxd } from '../support/influxd';

/** SHOW statements, GROUP BY time() with fill(), and the schema fetches behind completion, against influxd 1.6.7. */
// Aligned to 2 minutes, so GROUP BY time(1m) and time(2m) buckets start at T.
const T = 1700000040;

describe('schema and aggregation queries against influxd 1.6', () => {
  let influx: Influxd;
  const target = () => ({ baseUrl: influx.url, tls: { caPem: '', skipVerify: false }, timeoutMs: 10_000 });
  const none = { scheme: 'none' as const, username: '' };
  const run = (over: Partial<QueryParams>) =>
    executeQuery(sendHttp, {
      target: target(),
      params: {
        q: '',
        db: 'sdb',
        rp: '',
        epoch: 's',
        chunked: false,
        chunkSize: 0,
        params: {},
        method: 'GET',
        ...over,
      },
      auth: none,
      token: null,
    });
  const schema = (kind: SchemaKind, over: Partial<SchemaRequest> = {}) =>
    fetchSchema(sendHttp, {
      target: target(),
      flavor: '1.x',
      request: { kind, db: 'sdb', rp: '', measurement: '', tagKey: '', ...over },
      auth: none,
      token: null,
    });

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE sdb');
    await influx.query('CREATE RETENTION POLICY "one week" ON sdb DURATION 7d REPLICATION 1');
    // 0, 1, 3 minutes in: minute 2 is missing so fill() has a gap to fill.
    const lines = [
      `cpu,host=a,region=eu usage=1,cores=4i ${T}`,
      `cpu,host=a,region=eu usage=3,cores=4i ${T + 60}`,
      `cpu,host=b,region=us usage=5,cores=8i ${T + 180}`,
      `disk\\ io,host=a,mount\\ point=/ used=10i,ok=true,label="root" ${T}`,
    ];
    const res = await fetch(`${influx.url}/write?db=sdb&precision=s`, { method: 'POST', body: lines.join('\n') });
    expect(res.status).toBe(204);
  });
  afterAll(async () => {
    await influx?.stop();
  });

  it('runs the SHOW family', async () => {
    const m = await run({
      q:
        'SHOW MEASUREMENTS; SHOW TAG KEYS FROM cpu; SHOW FIELD KEYS FROM cpu; SHOW TAG VALUES ' +
        'FROM cpu WITH KEY = host; SHOW SERIES FROM cpu',
    });
    expect(m.result.error).toBeNull();
    const [meas, tagKeys, fieldKeys, tagValues, series] = m.result.statements;
    expect(meas!.series[0]!.rows).toEqual([['cpu'], ['disk io']]);
    expect(tagKeys!.series[0]!.rows).toEqual([['host'], ['region']]);
    expect(fieldKeys!.series[0]!.columns).toEqual(['fieldKey', 'fieldType']);
    expect(fieldKeys!.series[0]!.rows).toEqual([
      ['cores', 'integer'],
      ['usage', 'float'],
    ]);
    expect(tagValues!.series[0]!.rows).toEqual([
      ['host', 'a'],
      ['host', 'b'],
    ]);
    expect(series!.series[0]!.rows).toEqual([['cpu,host=a,region=eu'], ['cpu,host=b,region=us']]);
  });

  it('GROUP BY time() with fill(): null, a number, previous, linear, none', async () => {
    const q = (fill: string) =>
      `SELECT mean(usage) FROM cpu WHERE time >= ${T}s AND time < ${T + 240}s GROUP BY time(1m) fill(${fill})`;
    const rows = async (fill: string) => (await run({ q: q(fill) })).result.statements[0]!.series[0]!.rows;
    expect(await rows('null')).toEqual([
      [T, 1],
      [T + 60, 3],
      [T + 120, null],
      [T + 180, 5],
    ]);
    expect(await rows('-1')).toEqual([
      [T, 1],
      [T + 60, 3],
      [T + 120, -1],
      [T + 180, 5],
    ]);
    expect(await rows('previous')).toEqual([
      [T, 1],
      [T + 60, 3],
      [T + 120, 3],
      [T + 180, 5],
    ]);
    expect(await rows('linear')).toEqual([
      [T, 1],
      [T + 60, 3],
      [T + 120, 4],
      [T + 180, 5],
    ]);
    expect(await rows('none')).toEqual([
      [T, 1],
      [T + 60, 3],
      [T + 180, 5],
    ]);
  });

  it('GROUP BY time() and a tag: one series per tag value', async () => {
    const r = await run({
      q: `SELECT max(cores) FROM cpu WHERE time >= ${T}s AND time < ${T + 240}s GROUP BY time(2m), host fill(0)`,
    });
    const series = r.result.statements[0]!.series;
    expect(series.map((s) => s.tags)).toEqual([{ host: 'a' }, { host: 'b' }]);
    expect(series[0]!.rows).toEqual([
      [T, 4],
      [T + 120, 0],
    ]);
    expect(series[1]!.rows).toEqual([
      [T, 0],
      [T + 120, 8],
    ]);
  });

  it('fetches every schema kind used for completion and the sidebar', async () => {
    const dbs = await schema('databases');
    expect(dbs.error).toBeNull();
    expect(dbs.items).toEqual([{ name: 'sdb' }]); // the test server has the _internal store off
    const rps = await schema('retention-policies');
    expect(rps.items).toEqual([
      { name: 'autogen', isDefault: true },
      { name: 'one week', isDefault: false },
    ]);
    const meas = await schema('measurements');
    expect(meas.statement).toBe('SHOW MEASUREMENTS ON sdb');
    expect(meas.items.map((i) => i.name)).toEqual(['cpu', 'disk io']);
    const fields = await schema('fields', { measurement: 'disk io' });
    expect(fields.statement).toBe('SHOW FIELD KEYS ON sdb FROM "disk io"');
    expect(fields.items).toEqual([
      { name: 'label', type: 'string', measurement: 'disk io' },
      { name: 'ok', type: 'boolean', measurement: 'disk io' },
      { name: 'used', type: 'integer', measurement: 'disk io' },
    ]);
    expect([...fieldTypeMap(fields.items)]).toEqual([
      ['label', 'string'],
      ['ok', 'boolean'],
      ['used', 'integer'],
    ]);
    const allFields = await schema('fields');
    expect(allFields.items.map((i) => `${i.measurement}.${i.name}`)).toEqual([
      'cpu.cores',
      'cpu.usage',
      'disk io.label',
      'disk io.ok',
      'disk io.used',
    ]);
    const tags = await schema('tags', { measurement: 'disk io' });
    expect(tags.items.map((i) => i.name)).toEqual(['host', 'mount point']);
    const values = await schema('tag-values', { measurement: 'cpu', tagKey: 'host' });
    expect(values.statement).toBe('SHOW TAG VALUES ON sdb FROM cpu WITH KEY = host LIMIT 1000');
    expect(values.items.map((i) => i.name)).toEqual(['a', 'b']);
    const quoted = await schema('tag-values', { measurement: 'disk io', tagKey: 'mount point' });
    expect(quoted.items.map((i) => i.name)).toEqual(['/']);
    const inRp = await schema('fields', { rp: 'autogen', measurement: 'cpu' });
    expect(inRp.statement).toBe('SHOW FIELD KEYS ON sdb FROM "autogen".cpu');
    expect(inRp.items.map((i) => i.name)).toEqual(['cores', 'usage']);
  });

  it('reports schema errors from the server, and missing inputs before asking', async () => {
    const missing = await fetchSchema(sendHttp, {
      target: target(),
      flavor: '1.x',
      request: { kind: 'retention-policies', db: 'nope', rp: '', measurement: '', tagKey: '' },
      auth: none,
      token: null,
    });
    expect(missing.error).toBe('database not found: nope');
    expect((await schema('tag-values', { tagKey: '' })).error).toBe('A tag key is required for tag values.');
    expect((await schema('measurements', { db: '' })).error).toBe('Choose a database first.');
  });
});
