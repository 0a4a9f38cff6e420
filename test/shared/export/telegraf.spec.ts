import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../../shared/domain/write-request';
import type { ExportRequest } from '../../../shared/export/model';
import { toTelegrafV1, toTelegrafV2, toTelegrafV3 } from '../../../shared/export/telegraf';
import { SEED_TELEGRAF_V1 } from './seed-examples';

function req(
  flavor: ExportRequest['flavor'],
  params: Partial<WriteParams>,
  scheme: ExportRequest['auth']['scheme'] = 'token',
  username = '',
): ExportRequest {
  return {
    baseUrl: 'https://cluster-id.a.influxdb.io',
    flavor,
    params: { ...DEFAULT_WRITE_PARAMS, ...params },
    auth: { scheme, username },
    body: 'm v=1',
  };
}

type Outputs = { outputs: Record<string, Array<Record<string, unknown>>> };

describe('Telegraf output blocks (parsed with a TOML parser)', () => {
  it('[[outputs.influxdb]] matches the seed block and parses to the seed values', () => {
    const r = req('cloud-dedicated', { api: 'v1', db: 'DATABASE_NAME', gzip: true }, 'basic');
    const toml = toTelegrafV1(r, { includeToken: true, token: 'DATABASE_TOKEN' });
    expect(toml).toBe(SEED_TELEGRAF_V1);
    expect(parse(toml)).toEqual(parse(SEED_TELEGRAF_V1));
    const out = (parse(toml) as Outputs).outputs.influxdb![0]!;
    expect(out).toEqual({
      urls: ['https://cluster-id.a.influxdb.io'],
      database: 'DATABASE_NAME',
      skip_database_creation: true,
      retention_policy: '',
      username: 'ignored',
      password: 'DATABASE_TOKEN',
      content_encoding: 'gzip',
    });
  });

  it('uses ${INFLUX_TOKEN} by default, a 1.x user, rp, consistency and identity encoding', () => {
    const r = req('1.x', { api: 'v1', db: 'wb', rp: 'week', consistency: 'one' }, 'basic', 'admin');
    const out = (parse(toTelegrafV1(r)) as Outputs).outputs.influxdb![0]!;
    expect(out.password).toBe('${INFLUX_TOKEN}');
    expect(out.username).toBe('admin');
    expect(out.retention_policy).toBe('week');
    expect(out.write_consistency).toBe('one');
    expect(out.content_encoding).toBe('identity');
    expect(toTelegrafV1(req('1.x', { api: 'v1', db: 'wb' }, 'none'))).not.toMatch(/password/);
  });

  it('escapes TOML strings (quotes, backslashes, control characters)', () => {
    const r = req('cloud-dedicated', { api: 'v1', db: 'we"ird\\db\n\u0001' }, 'token');
    const out = (parse(toTelegrafV1(r, { includeToken: true, token: 'x"\\y' })) as Outputs).outputs.influxdb![0]!;
    expect(out.database).toBe('we"ird\\db\n\u0001');
    expect(out.password).toBe('x"\\y');
  });

  it('[[outputs.influxdb_v2]] has token, organization and bucket for the flavor', () => {
    const v2 = (parse(toTelegrafV2(req('2.x', { api: 'v2', bucket: 'b', org: 'o', gzip: true }))) as Outputs).outputs
      .influxdb_v2![0]!;
    expect(v2).toEqual({
      urls: ['https://cluster-id.a.influxdb.io'],
      token: '${INFLUX_TOKEN}',
      organization: 'o',
      bucket: 'b',
      content_encoding: 'gzip',
    });
    // A v1 target on 1.8+: bucket db/rp, token user:password.
    const one = (parse(toTelegrafV2(req('1.x', { api: 'v1', db: 'wb' }, 'basic', 'admin'))) as Outputs).outputs
      .influxdb_v2![0]!;
    expect(one.bucket).toBe('wb/autogen');
    expect(one.token).toBe('admin:${INFLUX_TOKEN}');
    // Cloud Dedicated: the database is the bucket.
    const cd = (parse(toTelegrafV2(req('cloud-dedicated', { api: 'v1', db: 'DATABASE_NAME' }))) as Outputs).outputs
      .influxdb_v2![0]!;
    expect(cd.bucket).toBe('DATABASE_NAME');
  });

  it('[[outputs.influxdb_v3]] has database, token and sync', () => {
    const v3 = (parse(toTelegrafV3(req('core', { api: 'v3', db: 'd', noSync: true }))) as Outputs).outputs
      .influxdb_v3![0]!;
    expect(v3).toEqual({
      urls: ['https://cluster-id.a.influxdb.io'],
      token: '${INFLUX_TOKEN}',
      database: 'd',
      sync: false,
      content_encoding: 'identity',
    });
    expect(toTelegrafV3(req('cloud-dedicated', { api: 'v1', db: 'd' }))).toMatch(/^# outputs\.influxdb_v3 targets/);
  });
});
