import { describe, expect, it } from 'vitest';

import { resolvePrecision } from '../../../shared/lp/flavors';
import { checkPrecision, formatNs } from '../../../shared/lp/precision';
import { parseLpPoint, validateLineProtocol } from '../../../shared/lp/validate';
import { NOW } from './support';

describe('precision guard', () => {
  it('accepts timestamps that fit', () => {
    expect(checkPrecision([1_700_000_000_000_000_000n], 'ns', NOW).ok).toBe(true);
    expect(checkPrecision([1_700_000_000n], 's', NOW).ok).toBe(true);
  });

  it('suggests seconds for second timestamps sent as ns (lands in 1970)', () => {
    const g = checkPrecision([1_700_000_000n, 1_700_000_001n], 'ns', NOW);
    expect(g.ok).toBe(false);
    expect(g.reason).toBe('before-1971');
    expect(g.suggestion).toBe('s');
    expect(g.suggestionDecoded).toBe('2023-11-14T22:13:20Z');
    expect(g.message).toContain('did you mean precision=s');
  });

  it('flags ns timestamps sent as ms (after 2262) and far-future ones', () => {
    expect(checkPrecision([1_700_000_000_000_000_000n], 'ms', NOW).reason).toBe('after-2262');
    const future = checkPrecision([1_900_000_000n], 's', NOW);
    expect(future.reason).toBe('future');
    expect(future.decoded).toBe('2030-03-17T17:46:40Z');
  });

  it('decodes nanoseconds to UTC', () => {
    expect(formatNs(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
  });

  it('puts a warning on the timestamp in the editor', () => {
    const v = validateLineProtocol('cpu v=1 1700000000\n', { flavor: '2.x', now: NOW });
    const d = v.diagnostics.find((x) => x.code === 'LP401');
    expect(d).toMatchObject({ line: 1, startColumn: 9, endColumn: 19, severity: 'warning' });
  });
});

describe('precision parameter per endpoint', () => {
  it('knows which values each endpoint accepts', () => {
    expect(resolvePrecision('1.x', 'v1', 'us')).toEqual({
      ok: false,
      message: 'invalid precision "us" (use n, u, ms, s, m or h)',
    });
    expect(resolvePrecision('1.x', 'v1', 'h')).toEqual({ ok: true, unit: 'h' });
    expect(resolvePrecision('core', 'v3', undefined)).toEqual({ ok: true, unit: 'auto' });
    expect(resolvePrecision('cloud-dedicated', 'v2', 'm').ok).toBe(false);
    expect(resolvePrecision('2.x', 'v1', 'u')).toMatchObject({ ok: true, unit: 'ns' });
  });

  it('reports an invalid precision as a body diagnostic', () => {
    const v = validateLineProtocol('cpu v=1 1\n', { flavor: 'core', api: 'v2', precision: 'h' });
    expect(v.diagnostics[0]?.code).toBe('LP400');
  });
});

describe('batch summary', () => {
  it('counts lines, points, measurements, series, fields and time range', () => {
    const text = [
      'cpu,host=a v=1 1700000000',
      'cpu,host=b v=2 1700000001',
      'cpu,host=a v=3i 1700000002',
      'mem free=1i',
      '# x',
      'bad',
    ].join('\n');
    const v = validateLineProtocol(text, { flavor: '1.x', precision: 's', now: NOW });
    expect(v.summary).toMatchObject({
      lines: 6,
      points: 4,
      errors: 2,
      measurements: 2,
      series: 3,
      pointsWithoutTimestamp: 1,
    });
    expect(v.summary.fields).toEqual({ cpu: { v: ['float', 'integer'] }, mem: { free: ['integer'] } });
    expect(v.summary.minTimeNs).toBe(1_700_000_000_000_000_000n);
    expect(v.summary.maxTimeNs).toBe(1_700_000_002_000_000_000n);
    expect(v.diagnostics.find((d) => d.code === 'LP300')?.line).toBe(3);
  });

  it('warns about high-cardinality tag values', () => {
    const ids = [
      '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f',
      '7a1b2c3d-4e5f-4a6b-9c8d-0e1f2a3b4c5d',
      'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
    ];
    const text = ids.map((id, i) => `req,id=${id} ms=${i}`).join('\n');
    const v = validateLineProtocol(text, { flavor: '2.x' });
    expect(v.summary.highCardinality[0]).toMatchObject({ tagKey: 'id', pattern: 'uuid', distinctValues: 3 });
    expect(v.diagnostics.find((d) => d.code === 'LP600')).toMatchObject({ line: 1, startColumn: 5, endColumn: 7 });
  });
});

describe('flavor rules and quick fixes', () => {
  it('rejects a tag and a field with the same name on 3.x only, with a rename fix', () => {
    const line = 'm1,v=1i v=1i 0';
    expect(validateLineProtocol(line, { flavor: '1.x' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const d = validateLineProtocol(line, { flavor: 'core' }).diagnostics.find((x) => x.code === 'LP202');
    expect(d?.message).toBe(
      "invalid column type for column 'v', expected iox::column_type::tag, got iox::column_type::field::integer",
    );
    expect(d?.fixes?.[0]?.edits[0]).toEqual({ line: 1, startColumn: 9, endColumn: 10, text: 'v_field' });
  });

  it('treats duplicate fields per flavor', () => {
    const codes = (f: 'core' | 'clustered' | '1.x', t: string) =>
      validateLineProtocol(t, { flavor: f })
        .diagnostics.filter((d) => d.code === 'LP201')
        .map((d) => d.severity);
    expect(codes('core', 'm v=1,v=2')).toEqual(['error']);
    expect(codes('clustered', 'm v=1,v=2')).toEqual(['info']);
    expect(codes('clustered', 'm v=1,v=2i')).toEqual(['error']);
    expect(codes('1.x', 'm v=1,v=2')).toEqual(['warning']);
  });

  it('offers safe fixes for CRLF and BOM, and an escape for an unescaped space', () => {
    const v = validateLineProtocol('\ufeffcpu v=1 1\r\nmy meas v=1 2\n', { flavor: '1.x' });
    const crlf = v.diagnostics.find((d) => d.code === 'LP500');
    expect(crlf?.fixes?.[0]).toMatchObject({
      isSafe: true,
      edits: [{ line: 1, startColumn: 11, endColumn: 12, text: '' }],
    });
    expect(v.diagnostics.find((d) => d.code === 'LP501')?.fixes?.[0]?.isSafe).toBe(true);
    const space = v.diagnostics.find((d) => d.line === 2 && d.code === 'LP109');
    expect(space?.message).toBe("unable to parse 'my meas v=1 2': invalid field format");
    expect(space?.fixes?.[0]?.edits[0]).toEqual({ line: 2, startColumn: 3, endColumn: 4, text: '\\ ' });
  });

  it("speaks each flavor's language for the same error", () => {
    const msg = (f: 'core' | 'serverless' | '1.x') =>
      validateLineProtocol('cpu,host=a val= 124', { flavor: f }).diagnostics[0]?.message;
    expect(msg('1.x')).toBe("unable to parse 'cpu,host=a val= 124': missing field value");
    expect(msg('serverless')).toBe('error parsing line 1 (1-based): No fields were provided');
    expect(msg('core')).toBe('No fields were provided');
  });

  it('parses one entry into a point', () => {
    expect(
      parseLpPoint('cpu,b=2,a=1 v=1i,s="x\\"y",u=3u,f=1.5,ok=T 1700000000', {
        flavor: 'core',
        precision: 's',
        api: 'v3',
      }),
    ).toEqual({
      measurement: 'cpu',
      tags: [
        ['b', '2'],
        ['a', '1'],
      ],
      fields: [
        { key: 'v', type: 'integer', value: 1n },
        { key: 's', type: 'string', value: 'x"y' },
        { key: 'u', type: 'unsigned', value: 3n },
        { key: 'f', type: 'float', value: 1.5 },
        { key: 'ok', type: 'boolean', value: true },
      ],
      timestampNs: 1_700_000_000_000_000_000n,
    });
    expect(parseLpPoint('cpu v=1u', { flavor: '1.x' })).toBeNull();
  });
});

describe('InfluxDB 3 parser port: error context and longest-match values', () => {
  // Derived from the Rust parser's code (influx-api.md §6.5: context cut to 10 characters + `...`;
  // nom takes the longest value it can and leaves the rest as trailing content).
  const T = 'Could not parse entire line. Found trailing content: ';
  const cases: [string, string][] = [
    ['zz v=1 abcdefghi', `${T}\` abcdefghi\``],
    ['zz v=1 abcdefghij', `${T}\` abcdefghi...\``],
    ['zz v=1 5 abcdefghijklmnop', `${T}\`abcdefghij...\``],
    ['zz v=1,wwwwwwwwww', `${T}\`wwwwwwwwww\``],
    ['zz v=1,w=2,xxxxxxxxxxxxx', `${T}\`,xxxxxxxxx...\``],
    ['zz v=1 ééééééééééé', `${T}\` ééééééééé...\``],
    ['zz,t= abcdefghijklmnop v=1 5', 'Expected tag value, got ` abcdefghi...`'],
    ['zz,=abcdefghijklmnop v=1 5', 'Expected tag key, got `=abcdefghi...`'],
    ['zz,t=1,uuuuuuuuuuuuuuuuuuuuu v=1', 'Tag set malformed: could not find equals sign in `t=1,uuuuuu...`'],
    ['zz\tabcdefghijklmnop v=1', 'Expected at least one space character, got `\tabcdefghijklmnop v=1`'],
    ['zz v=5.', `${T}\`.\``],
    ['zz v=1e', `${T}\`e\``],
    ['zz v=0x10', `${T}\`x10\``],
    ['zz v=1.5.5', `${T}\`.5\``],
    ['zz v=1ii', `${T}\`i\``],
    ['zz v=tRUE', `${T}\`RUE\``],
    ['zz v=1 ', `${T}\` \``],
    ['zz\\ v=1', 'Expected at least one space character, got end of input'],
    ['zz,t=a\\\\ v=1', 'Measurements, tag keys and values, and field keys may not end with a backslash'],
  ];
  for (const [line, want] of cases) {
    it(JSON.stringify(line), () => {
      expect(
        validateLineProtocol(line, { flavor: 'core' }).diagnostics.find((d) => d.severity === 'error')?.message,
      ).toBe(want);
    });
  }
});
