// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { extractCoreToken, extractToken } from '../../electron/sandbox/auth';
import { coreDbProblem, namespaceProblem } from '../../electron/sandbox/engine';
import { utf8Problem } from '../../electron/sandbox/http-body';
import { prepareWrite, seriesKey, type WriteRules } from '../../electron/sandbox/write-path';
import { testDatabase as db } from './sandbox-write-lp';

/** The write path's per-line rules (spec §5.3–§5.8, §6) and the transport helpers, without HTTP. */

const CD: Omit<WriteRules, 'database'> = { core: false, precision: 1n, nowNs: 5_000n, maxTables: 500, maxColumns: 250 };

describe('prepareWrite (Cloud Dedicated rules)', () => {
  it('numbers lines without blank and comment lines, and keeps accepted lines of a partial batch', () => {
    const p = prepareWrite('\n# c\ncpu,host=a val=1 123\n\ncpu,host=a val= 124\n', { ...CD, database: db() });
    expect(p.entries).toBe(2);
    expect(p.accepted).toBe(1);
    expect(p.errors).toEqual([
      {
        line: 2,
        stage: 'parse',
        message: 'error parsing line 2 (1-based): No fields were provided',
        coreReason: 'No fields were provided',
        original: 'cpu,host=a val= 124',
      },
    ]);
    const t = p.tables.get('cpu')!;
    expect(t.times).toEqual([123n]);
    expect(t.columns).toEqual(['host', 'val']);
    expect(t.values).toEqual([['a'], [1]]);
    expect([...p.schema.get('cpu')!.tags]).toEqual(['host']);
    expect(p.schema.get('cpu')!.fields).toEqual({ val: 'float' });
  });

  it('a line without a timestamp gets the receive time; precision multiplies; overflow is refused', () => {
    const p = prepareWrite('a v=1\na v=2 3\na v=3 9223372036854775807', {
      ...CD,
      precision: 1_000_000_000n,
      database: db(),
    });
    expect(p.tables.get('a')!.times).toEqual([5_000n, 3_000_000_000n]);
    expect(p.errors.map((e) => e.message)).toEqual(['timestamp overflows i64 on line 3 (1-based)']);
  });

  it('the same series and time in one batch is one row with merged fields', () => {
    const p = prepareWrite('m,b=2,a=1 x=1,y=1 10\nm,a=1,b=2 x=2 10\nm,a=1,b=3 x=9 10', { ...CD, database: db() });
    const t = p.tables.get('m')!;
    expect(t.series).toEqual(['a=1,b=2', 'a=1,b=3']);
    expect(t.columns).toEqual(['b', 'a', 'x', 'y']);
    expect(t.values).toEqual([
      ['2', '3'],
      ['1', '1'],
      [2, 9],
      [1], // absent in the second row: NULL
    ]);
  });

  it('kinds and types are fixed within a batch and against the stored schema', () => {
    const stored = db({ measurements: { m: { name: 'm', tags: ['t'], fields: { f: 'integer' } } } });
    const p = prepareWrite('m f=1\nm t=1i\nm,f=x g=1\nm g="s"\nm g=2', { ...CD, database: stored });
    expect(p.errors.map((e) => e.message)).toEqual([
      'error writing line 1 (1-based): Unable to insert iox::column_type::field::float type ' +
        'into column f with type iox::column_type::field::integer',
      'error writing line 2 (1-based): Unable to insert iox::column_type::field::integer type ' +
        'into column t with type iox::column_type::tag',
      'error writing line 3 (1-based): Unable to insert iox::column_type::tag type into column ' +
        'f with type iox::column_type::field::integer',
      // line 3 was refused, so line 4 creates g as a string and line 5's float is refused
      'error writing line 5 (1-based): Unable to insert iox::column_type::field::float type ' +
        'into column g with type iox::column_type::field::string',
    ]);
    // the stored schema object is not changed in place (the catalog commits it after the rows)
    expect(stored.measurements.m!.fields).toEqual({ f: 'integer' });
    expect(p.schema.get('m')!.fields).toEqual({ f: 'integer', g: 'string' });
  });

  it('string limits: 64 KiB for names and tag values, 1 MiB for string fields', () => {
    const long = 'x'.repeat(65_537);
    const p = prepareWrite(
      `m,t=${long} v=1\nm ${long}=1\nm s="${'y'.repeat(1_048_577)}"\nm s="${'y'.repeat(70_000)}"`,
      {
        ...CD,
        database: db(),
      },
    );
    expect(p.errors.map((e) => e.message)).toEqual([
      'error parsing line 1 (1-based): String is greater than 64KB',
      'error parsing line 2 (1-based): String is greater than 64KB',
      'error parsing line 3 (1-based): String is greater than 1MB',
    ]);
    expect(p.accepted).toBe(1);
  });

  it('retention: points older than now − period are refused per line', () => {
    const p = prepareWrite('m v=1 4000\nm v=1 1000', { ...CD, database: db({ retentionPeriod: 2_000 }) });
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]!.stage).toBe('retention');
    expect(p.errors[0]!.message).toMatch(
      /^error writing line 2 \(1-based\): data in table m is outside of the retention period: minimum acceptable timestamp is /,
    );
  });
});

describe('prepareWrite (Core rules)', () => {
  const CORE: Omit<WriteRules, 'database'> = {
    core: true,
    precision: 'auto',
    nowNs: 5_000n,
    maxTables: 2000,
    maxColumns: 501,
  };
  it('auto precision by magnitude, duplicate fields and time refused with Core texts', () => {
    const p = prepareWrite('m v=1 1700000000\nm v=1,v=2\nm v=1,time=2\nm,t=1 v=1\nm t=1i', { ...CORE, database: db() });
    expect(p.tables.get('m')!.times).toEqual([1_700_000_000_000_000_000n, 5_000n]);
    expect(p.errors.map((e) => [e.line, e.coreReason])).toEqual([
      [2, "invalid line protocol - multiple instances of 'v' field found"],
      [3, "'time' is a reserved column"],
      [5, "invalid column type for column 't', expected iox::column_type::tag, got iox::column_type::field::integer"],
    ]);
  });
  it('a missing timestamp is truncated to the precision (not with auto)', () => {
    const p = prepareWrite('m v=1', { ...CORE, precision: 1_000n, nowNs: 123_456n, database: db() });
    expect(p.tables.get('m')!.times).toEqual([123_000n]);
  });
});

describe('series keys, names, tokens, UTF-8', () => {
  it('the series key is the sorted, escaped tag set', () => {
    expect(
      seriesKey([
        ['z', 'a b'],
        ['a', 'x,y=z'],
      ]),
    ).toBe('a=x\\,y\\=z,z=a\\ b');
    expect(seriesKey([])).toBe('');
  });

  it('namespace and Core database names', () => {
    expect(namespaceProblem('')).toBe('namespace name  length must be between 1 and 64 characters');
    expect(namespaceProblem('a'.repeat(65))).toBe(
      `namespace name ${'a'.repeat(65)} length must be between 1 and 64 characters`,
    );
    expect(namespaceProblem('dé/mo_-1')).toBeNull();
    expect(namespaceProblem('a b')).toBe(
      "namespace name 'a b' contains invalid character, character number 1 is not allowed",
    );
    expect(coreDbProblem('-x')).toBe('db name did not start with a number or letter');
    expect(coreDbProblem('a/b/c')).toBe(
      "db name with invalid retention policy, if providing a retention policy name, must be of form '<db_name>/<rp_name>'",
    );
  });

  it('token extraction follows authz::extract_token', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(extractToken('Bearer abc')).toBe('abc');
    expect(extractToken('Token abc')).toBe('abc');
    expect(extractToken(`Basic ${b64('user:pa:ss')}`)).toBe('pa:ss');
    expect(extractToken(`Basic ${b64('nocolon')}`)).toBeUndefined();
    expect(extractToken(`Basic ${b64('user:')}`)).toBeUndefined();
    expect(extractToken('Basic !!!')).toBeUndefined();
    for (const h of ['Bearer', 'Bearer ', 'Token', 'bearer abc', 'Digest abc', undefined]) {
      expect(extractToken(h)).toBeUndefined();
    }
    expect(extractCoreToken('Foo abc')).toBe('malformed');
    expect(extractCoreToken('Bearer')).toBe('malformed');
    expect(extractCoreToken(undefined)).toBeUndefined();
  });

  it("UTF-8 errors in Rust's words", () => {
    expect(utf8Problem(Buffer.from('héllo'))).toBeNull();
    expect(utf8Problem(Buffer.from([0x61, 0xff]))).toBe('invalid utf-8 sequence of 1 bytes from index 1');
    expect(utf8Problem(Buffer.from([0x61, 0xe2, 0x82]))).toBe('incomplete utf-8 byte sequence from index 1');
    expect(utf8Problem(Buffer.from([0xe2, 0x28, 0xa1]))).toBe('invalid utf-8 sequence of 1 bytes from index 0');
    expect(utf8Problem(Buffer.from([0xed, 0xa0, 0x80]))).toBe('invalid utf-8 sequence of 1 bytes from index 0');
  });
});
