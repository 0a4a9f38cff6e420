// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { entryEnd, fieldValue, prepareWrite, type WriteRules } from '../../electron/sandbox/write-path';
import { parseRustBlock, rustFieldValue } from '../../shared/lp/parse-rust';
import { EntryScan, scanEntryEnd } from '../../shared/lp/scan';
import { testDatabase as db } from './sandbox-write-lp';

/**
 * The write path's fast paths (entry splitting by native newline search, number decoding without
 * cutting the text out, field keys compared in place, headers cached across requests) against the full
 * scanner and conversions, on the LP corpus (test/fixtures/lp) and on bodies built to hit their edges.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lp');

function corpus(): string[] {
  const bodies: string[] = [];
  for (const f of ['edge.lp', 'multiline.lp']) bodies.push(fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'lp-cases.json'), 'utf8')) as { input: string }[];
  for (const c of cases) bodies.push(c.input);
  const fuzz = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fuzz-golden.json'), 'utf8')) as {
    cases: { input: string }[];
  };
  for (const c of fuzz.cases) bodies.push(c.input);
  bodies.push(
    'a v=1\\\nb v=2\n',
    'a v=1\\\\\nb v=2\n',
    'a s="x\ny",v=1\nb v=2\n',
    'a s="x\\"\ny" 1\nb v=2\\',
    'a,t=x\\\n v=1\\',
    'a v=1\\',
    '\n\n# c\\\n a v=1\n',
    'a v="',
    '"\n"\n',
    'm v=-0.0,w=0.1,x=123456789012345,y=1234567890123456,z=0.000000000000001 1\n',
    'm i=999999999999999i,j=-99999999999999i,k=9999999999999999i,u=123456789012345u,n=-0i\n',
  );
  return bodies;
}

/** Float, integer and unsigned texts around the fast paths' limits, and random ones. */
function numberLines(): string {
  const texts = ['0', '-0', '0.0', '-0.0', '1', '-1', '0.1', '0.3', '1.7976931348623157', '9007199254740993'];
  texts.push('123456789012345', '1234567890123456', '12345678901234.5', '1234567890123.45', '0.000000000000001');
  texts.push('000000000000001.5', '1e10', '1.5e-3', '-2E+5', '18446744073709551615u', '9223372036854775807i');
  texts.push('-9223372036854775808i', '999999999999999i', '-99999999999999i', '1000000000000000i', '0u', '42u');
  let x = 12345;
  const rnd = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let k = 0; k < 2000; k++) {
    const digits = 1 + Math.floor(rnd() * 18);
    let d = '';
    for (let j = 0; j < digits; j++) d += Math.floor(rnd() * 10);
    const dot = Math.floor(rnd() * (digits + 1));
    const sign = rnd() < 0.3 ? '-' : '';
    texts.push(sign + (dot > 0 && dot < digits ? d.slice(0, dot) + '.' + d.slice(dot) : d));
    texts.push(sign + d.slice(0, 16) + 'i');
  }
  return texts.map((t, k) => `m v${k}=${t}`).join('\n');
}

describe('write-path fast paths agree with the full parser', () => {
  it('entryEnd finds the same entry end as scanEntryEnd from every offset of every corpus body', () => {
    let checked = 0;
    for (const body of corpus()) {
      for (let i = 0; i < body.length; i++) {
        let q = body.indexOf('"', i);
        if (q < 0) q = body.length;
        const slow = scanEntryEnd(body, i, body.length, false, true);
        expect(entryEnd(body, i, body.length, q), JSON.stringify([body, i])).toBe(slow < 0 ? body.length : slow);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('fieldValue decodes every accepted field exactly as rustFieldValue does', () => {
    const scan = new EntryScan();
    let fields = 0;
    for (const body of [...corpus(), numberLines()]) {
      let i = 0;
      while (i < body.length) {
        let e = scanEntryEnd(body, i, body.length, false, true);
        if (e < 0) e = body.length;
        if (parseRustBlock(body, i, e, { maxStringBytes: 1_048_576 }, scan)) {
          for (let f = 0; f < scan.nFields; f++) {
            const args = [body, scan.fVS[f]!, scan.fVE[f]!, scan.fType[f]!] as const;
            const fast = fieldValue(...args);
            const full = rustFieldValue(...args);
            // Object.is tells -0 from 0; a bigint compares by value.
            expect(Object.is(fast, full), body.slice(scan.fVS[f]!, scan.fVE[f]!)).toBe(true);
            fields++;
          }
        }
        i = e + 1;
      }
    }
    expect(fields).toBeGreaterThan(4000);
  });
});

const CD: Omit<WriteRules, 'database'> = { core: false, precision: 1n, nowNs: 5_000n, maxTables: 500, maxColumns: 250 };

describe('prepareWrite with warm caches', () => {
  it('gives the same rows, schema and rejections for every corpus body, cold and warm', () => {
    for (const body of corpus()) {
      const cold = prepareWrite(body, { ...CD, database: db() });
      const warm = prepareWrite(body, { ...CD, database: db() });
      expect(warm, JSON.stringify(body)).toEqual(cold);
    }
  });

  it('reads each line’s own field keys when a header repeats with other keys at the same places', () => {
    const p = prepareWrite('m,t=a ab=1,cd=2 1\nm,t=a cd=3,ab=4 2\nm,t=a a\\ b=5 3\nm,t=a a\\=b=6,ef=7 4\n', {
      ...CD,
      database: db(),
    });
    expect(p.errors).toEqual([]);
    const t = p.tables.get('m')!;
    const col = (k: string): unknown[] => t.values[t.columnIndex.get(k)!]!;
    expect(col('ab')).toEqual([1, 4]);
    expect(col('cd')).toEqual([2, 3]);
    expect(col('a b')).toEqual([undefined, undefined, 5]);
    expect(col('a=b')).toEqual([undefined, undefined, undefined, 6]);
    expect(col('ef')).toEqual([undefined, undefined, undefined, 7]);
  });

  it('checks a repeated header and its keys again against another schema (another database, or the stored one)', () => {
    const ints = db();
    ints.measurements = { m: { name: 'm', tags: ['t'], fields: { f: 'integer' } } };
    const floats = db();
    floats.measurements = { m: { name: 'm', tags: ['t'], fields: { f: 'float' } } };
    expect(prepareWrite('m,t=a f=1i 1\nm,t=a f=2i 2\n', { ...CD, database: ints }).errors).toEqual([]);
    expect(prepareWrite('m,t=a f=3i 3\n', { ...CD, database: floats }).errors.map((e) => e.message)).toEqual([
      'error writing line 1 (1-based): Unable to insert iox::column_type::field::integer type into column f ' +
        'with type iox::column_type::field::float',
    ]);
    // the same database after its schema gained a tag named like the field: the line is refused now
    expect(prepareWrite('m,t=a f=4i 4\n', { ...CD, database: ints }).errors).toEqual([]);
    ints.measurements = { m: { name: 'm', tags: ['t', 'g'], fields: { f: 'integer' } } };
    expect(
      prepareWrite('m,t=a f=5i,g=1i 5\nm,t=a f=5i,g=1i 6\n', { ...CD, database: ints }).errors.map((e) => e.line),
    ).toEqual([1, 2]);
  });

  it('rejects a cached bad header again, with the line number of the new request', () => {
    const body = 'cpu,time=x v=1 1\n';
    prepareWrite(body, { ...CD, database: db() });
    const again = prepareWrite('cpu v=1 1\n' + body, { ...CD, database: db() });
    expect(again.errors.map((e) => e.message)).toEqual([
      'error writing line 2 (1-based): input tag "time" on measurement "cpu" is invalid',
    ]);
  });
});
