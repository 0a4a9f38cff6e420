import { describe, expect, it } from 'vitest';

import { cellText, EXACT_INT_MARK, parseExactJson } from '../../../shared/query/exact-json';

const X = (digits: string) => EXACT_INT_MARK + digits;

describe('parseExactJson keeps int64 exact', () => {
  it('marks unsafe integers and leaves safe numbers and floats alone', () => {
    const v = parseExactJson(
      '[1700000000123456789, -9223372036854775808, 9007199254740991, 9007199254740992, 1.5, 12345678901234567.5, 1e21]',
    );
    // 12345678901234567.5 parses to an unsafe whole number; it is a float literal, so it stays a number.
    expect(v).toEqual([
      X('1700000000123456789'),
      X('-9223372036854775808'),
      9007199254740991,
      X('9007199254740992'),
      1.5,
      Number('12345678901234567.5'),
      1e21,
    ]);
  });

  it('is not fooled by digit runs inside strings, escapes, or integer-like keys', () => {
    const text =
      '{"a":"12345678901234567890","b":"\\u00311234567890123456789","c":[9223372036854775807,' +
      '"x\\"9223372036854775807"],"10":99999999999999999}';
    const v = parseExactJson(text) as Record<string, unknown>;
    expect(v.a).toBe('12345678901234567890');
    expect(v.b).toBe('11234567890123456789');
    expect(v.c).toEqual([X('9223372036854775807'), 'x"9223372036854775807']);
    expect(v['10']).toBe(X('99999999999999999'));
  });

  it('keeps order across nested objects (influxd results shape)', () => {
    const doc =
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","n"],' +
      '"values":[[1700000000000000001,-1],[1700000000000000002,9223372036854775806]]}]}]}';
    const v = parseExactJson(doc) as { results: Array<{ series: Array<{ values: unknown[][] }> }> };
    const rows = v.results[0]!.series[0]!.values;
    expect(rows.map((r) => r.map((c) => cellText(c as never)))).toEqual([
      ['1700000000000000001', '-1'],
      ['1700000000000000002', '9223372036854775806'],
    ]);
  });
});
