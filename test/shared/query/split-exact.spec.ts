import { describe, expect, it } from 'vitest';
import { JsonDocumentSplitter, parseExactJson, parseSplitDocument } from '../../../shared/query/exact-json';

/** The splitter finds unsafe integers in its own pass, whatever the chunk boundaries. */
describe('JsonDocumentSplitter.pushDocuments + parseSplitDocument', () => {
  const body =
    '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","s","n","f"],"values":[' +
    '[1700000000123456789,"quote \\" and 12345678901234567890 \\\\",-9223372036854775807,1.5e300],' +
    '[9007199254740993,"x",9007199254740991,-0.5],[12,"\\\\\\"",1234567890123456,3]]}]}]}\n' +
    '{"results":[{"statement_id":1,"series":[{"name":"m","columns":["n"],"values":[[18446744073709551615]]}]}]}';

  const viaSplitter = (size: number): unknown[] => {
    const sp = new JsonDocumentSplitter();
    const out: unknown[] = [];
    for (let i = 0; i < body.length; i += size) for (const d of sp.pushDocuments(body.slice(i, i + size))) out.push(parseSplitDocument(d));
    expect(sp.rest()).toBe('');
    return out;
  };

  it('agrees with parseExactJson for every chunk size, 1 character included', () => {
    const expected = body
      .split('\n')
      .map((doc) => parseExactJson(doc));
    for (const size of [1, 2, 3, 7, 16, 17, 64, body.length]) expect(viaSplitter(size)).toEqual(expected);
  });

  it('keeps the exact digits and leaves strings and safe numbers alone', () => {
    const [first, second] = viaSplitter(5) as Array<{ results: Array<{ series: Array<{ values: unknown[][] }> }> }>;
    const rows = first!.results[0]!.series[0]!.values;
    expect(rows[0]).toEqual(['\u00001700000000123456789', 'quote " and 12345678901234567890 \\', '\u0000-9223372036854775807', 1.5e300]);
    expect(rows[1]).toEqual(['\u00009007199254740993', 'x', 9007199254740991, -0.5]);
    expect(rows[2]).toEqual([12, '\\"', 1234567890123456, 3]);
    expect(second!.results[0]!.series[0]!.values[0]).toEqual(['\u000018446744073709551615']);
  });
});
