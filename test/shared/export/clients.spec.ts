import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

import type { AuthScheme } from '../../../shared/domain/auth';
import type { ServerFlavor } from '../../../shared/domain/flavor';
import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../../shared/domain/write-request';
import { toInfluxctlWrite, toInfluxWrite } from '../../../shared/export/cli';
import {
  toInfluxdb3ClientJs,
  toInfluxdb3Python,
  toInfluxdbClientJs,
  toInfluxdbPython,
  toNodeInflux,
} from '../../../shared/export/clients';
import { shellWords } from '../../../shared/export/curl-import';
import { EXPORT_FORMATS } from '../../../shared/export/formats';
import { parseLpPoints } from '../../../shared/export/lp-points';
import type { ExportRequest } from '../../../shared/export/model';

const BODY = 'home,room=kitchen temp=72,n=3i,ok=t,s="a \\"b\\"" 1641024000\nhome v=1.5 1641024001\n';

function req(
  flavor: ServerFlavor,
  params: Partial<WriteParams>,
  scheme: AuthScheme = 'token',
  username = '',
  baseUrl = 'https://cluster-id.a.influxdb.io',
): ExportRequest {
  return { baseUrl, flavor, params: { ...DEFAULT_WRITE_PARAMS, ...params }, auth: { scheme, username }, body: BODY };
}

const CD_V1 = req('cloud-dedicated', { api: 'v1', db: 'DATABASE_NAME', precision: 's' });
const SECRET = 'sEcReT-tok3n';

describe('every format', () => {
  const requests: ExportRequest[] = [
    CD_V1,
    req(
      '1.x',
      { api: 'v1', db: 'wb', rp: 'autogen', precision: 'ms', gzip: true },
      'basic',
      'admin',
      'http://localhost:8086',
    ),
    req('2.x', { api: 'v2', bucket: 'b', org: 'o', precision: 'us' }, 'token', '', 'http://localhost:8086'),
    req(
      'core',
      { api: 'v3', db: 'd', precision: 'second', noSync: true, acceptPartial: false },
      'bearer',
      '',
      'http://localhost:8181',
    ),
    req('serverless', { api: 'v2', bucket: 'b', org: 'o' }, 'query', 'any'),
  ];

  it('keeps the token out unless asked, and puts it in when asked', () => {
    for (const f of EXPORT_FORMATS) {
      for (const r of requests) {
        expect(f.generate(r, { token: SECRET }), `${f.id} ${r.flavor}`).not.toContain(SECRET);
        expect(f.generate(r, { includeToken: true, token: SECRET }), `${f.id} ${r.flavor}`).toContain(SECRET);
      }
    }
  });

  it('JavaScript snippets are valid JavaScript; shell snippets split into words', () => {
    for (const f of EXPORT_FORMATS) {
      for (const r of requests) {
        const out = f.generate(r);
        if (f.language === 'javascript')
          expect(() => transformSync(out, { loader: 'js', format: 'esm' }), `${f.id} ${r.flavor}`).not.toThrow();
        if (f.language === 'shell') expect(shellWords(out).length, f.id).toBeGreaterThan(3);
      }
    }
  });
});

describe('influx write and influxctl write', () => {
  it('influx write: host, bucket, precision, token, body', () => {
    const words = shellWords(
      toInfluxWrite(
        req('2.x', { api: 'v2', bucket: 'b', org: 'o', precision: 'us' }, 'token', '', 'http://localhost:8086'),
      ),
    );
    expect(words).toEqual([
      'influx',
      'write',
      '--host',
      'http://localhost:8086',
      '--org',
      'o',
      '--bucket',
      'b',
      '--precision',
      'us',
      '--token',
      '$INFLUX_TOKEN',
      BODY,
    ]);
  });

  it('influx write on 1.x: bucket db/rp, token user:password, a note that 1.8+ is needed', () => {
    const out = toInfluxWrite(
      req('1.x', { api: 'v1', db: 'wb', precision: 'u' }, 'basic', 'admin', 'http://localhost:8086'),
    );
    expect(out).toMatch(/^# InfluxDB 1\.8\+ only/);
    const words = shellWords(out);
    expect(words).toContain('wb/autogen');
    expect(words).toContain('admin:$INFLUX_TOKEN');
    expect(words[words.indexOf('--precision') + 1]).toBe('us');
  });

  it('influxctl write: database, token, precision; host from the profile', () => {
    const out = toInfluxctlWrite(CD_V1);
    expect(out).toMatch(/connection profile.*cluster-id\.a\.influxdb\.io/);
    expect(shellWords(out)).toEqual([
      'influxctl',
      'write',
      '--database',
      'DATABASE_NAME',
      '--token',
      '$INFLUX_TOKEN',
      '--precision',
      's',
      BODY,
    ]);
  });
});

describe('client libraries', () => {
  it('node-influx: host/port/protocol/database/username/password as in the seed, points with an integer schema', () => {
    const out = toNodeInflux(req('cloud-dedicated', { api: 'v1', db: 'DATABASE_NAME', precision: 's' }, 'basic', ''));
    expect(out).toContain("const Influx = require('influx')");
    for (const l of [
      "  host: 'cluster-id.a.influxdb.io',",
      '  port: 443,',
      "  protocol: 'https',",
      "  database: 'DATABASE_NAME',",
      "  username: 'ignored',",
      '  password: process.env.INFLUX_TOKEN,',
    ]) {
      expect(out).toContain(l);
    }
    expect(out).toContain('n: Influx.FieldType.INTEGER');
    expect(out).toContain(
      `{ measurement: 'home', tags: { room: 'kitchen' }, fields: { temp: 72, n: 3, ok: true, s: 'a "b"' }, timestamp: '1641024000' }`,
    );
    expect(out).toContain("], { precision: 's' })");
  });

  it('influxdb-python: seed arguments, lines written with protocol=line and time_precision', () => {
    const out = toInfluxdbPython(
      req('cloud-dedicated', { api: 'v1', db: 'DATABASE_NAME', precision: 's' }, 'basic', ''),
    );
    expect(out).toContain('from influxdb import InfluxDBClient');
    for (const l of [
      "  host='cluster-id.a.influxdb.io',",
      '  ssl=True,',
      "  database='DATABASE_NAME',",
      "  username='',",
      "  password=os.environ['INFLUX_TOKEN'],",
      "  headers={'Content-Type': 'text/plain; charset=utf-8'}",
    ]) {
      expect(out).toContain(l);
    }
    // The whole body is one record: a string field may span lines, and its blank lines are data.
    expect(out).toContain(
      `  'home,room=kitchen temp=72,n=3i,ok=t,s="a \\\\"b\\\\"" 1641024000\\nhome v=1.5 1641024001',`,
    );
    expect(out).toContain("], protocol='line', time_precision='s')");
    const bearer = toInfluxdbPython(req('cloud-dedicated', { api: 'v1', db: 'd' }, 'bearer'));
    expect(bearer).toContain("'Authorization': 'Bearer ' + os.environ['INFLUX_TOKEN']");
    // Without None the client's root/root Basic credentials replace the Authorization header.
    expect(bearer).toContain('  username=None,\n  password=None,');
  });

  it('node-influx and influxdb-python split a 1.x v2 bucket db/rp into database and retention policy', () => {
    // They send the database name as given: `db/rp` would be a database that does not exist (404).
    const r = req('1.x', { api: 'v2', bucket: 'wb/week', precision: 's' }, 'basic', 'admin', 'http://localhost:8086');
    const node = toNodeInflux(r);
    expect(node).toContain("  database: 'wb',");
    expect(node).toContain("retentionPolicy: 'week'");
    expect(node).not.toContain('wb/week');
    const py = toInfluxdbPython(r);
    expect(py).toContain("  database='wb',");
    expect(py).toContain("retention_policy='week'");
    expect(py).not.toContain('wb/week');
    // A bucket without a slash is the database on its own, with the server's default policy.
    const plain = req('1.x', { api: 'v2', bucket: 'wb' }, 'basic', 'admin', 'http://localhost:8086');
    expect(toNodeInflux(plain)).not.toContain('retentionPolicy');
    expect(toInfluxdbPython(plain)).not.toContain('retention_policy');
  });

  it('@influxdata/influxdb-client: org, bucket, precision; v1 targets become buckets', () => {
    const out = toInfluxdbClientJs(
      req(
        '2.x',
        { api: 'v2', bucket: 'b', org: 'o', precision: 's', gzip: true },
        'token',
        '',
        'http://localhost:8086',
      ),
    );
    expect(out).toContain("new InfluxDB({ url: 'http://localhost:8086', token: process.env.INFLUX_TOKEN })");
    expect(out).toContain(".getWriteApi('o', 'b', 's', { gzipThreshold: 0 })");
    expect(toInfluxdbClientJs(CD_V1)).toContain(".getWriteApi('', 'DATABASE_NAME', 's')");
  });

  it('@influxdata/influxdb3-client: host, token, database, write options', () => {
    const out = toInfluxdb3ClientJs(
      req(
        'core',
        { api: 'v3', db: 'd', precision: 'millisecond', noSync: true },
        'bearer',
        '',
        'http://localhost:8181',
      ),
    );
    expect(out).toContain("  host: 'http://localhost:8181',");
    expect(out).toContain("  authScheme: 'Bearer',");
    expect(out).toContain(
      "  ], 'd', undefined, { precision: 'ms', noSync: true, gzipThreshold: Number.MAX_SAFE_INTEGER })",
    );
  });

  it('influxdb3-python: host, token, database, precision, gzip and write flags', () => {
    const out = toInfluxdb3Python(
      req(
        'core',
        { api: 'v3', db: 'd', precision: 's', gzip: true, acceptPartial: false },
        'token',
        '',
        'http://localhost:8181',
      ),
    );
    expect(out).toContain('from influxdb_client_3 import InfluxDBClient3, WritePrecision');
    expect(out).toContain("  token=os.environ['INFLUX_TOKEN'],");
    expect(out).toContain('  enable_gzip=True,');
    expect(out).toContain('  write_accept_partial=False,');
    expect(out).toContain('], write_precision=WritePrecision.S)');
    expect(toInfluxdb3Python(req('1.x', { api: 'v1', db: 'x' }))).toMatch(
      /^import os\n# The v3 client libraries target InfluxDB 3/,
    );
  });
});

describe('parseLpPoints', () => {
  it('reads measurement, tags, typed fields and the timestamp, unescaping names and strings', () => {
    const { points, skipped } = parseLpPoints('m\\ x,t\\=k=v\\,1 f=1i,g=-2.5,h="q\\"x",b=F 123\n# c\nbad\n');
    expect(skipped).toEqual([3]);
    expect(points).toEqual([
      {
        line: 1,
        measurement: 'm x',
        tags: [['t=k', 'v,1']],
        fields: [
          { key: 'f', type: 'integer', value: 1, raw: '1' },
          { key: 'g', type: 'float', value: -2.5, raw: '-2.5' },
          { key: 'h', type: 'string', value: 'q"x', raw: 'q"x' },
          { key: 'b', type: 'boolean', value: false, raw: 'F' },
        ],
        timestamp: '123',
      },
    ]);
  });
});
