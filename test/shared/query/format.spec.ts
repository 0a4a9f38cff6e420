import { describe, expect, it } from 'vitest';

import { cellText, parseExactJson } from '../../../shared/query/exact-json';
import { type FieldType, resultToJson, seriesToCsv, seriesToLineProtocol } from '../../../shared/query/format';
import { emptyQueryResult, mergeQueryDocument, type QueryResult } from '../../../shared/query/result-model';

/** A result as the query service builds it from influxd's JSON text. */
function result(json: string): QueryResult {
  const r = emptyQueryResult();
  mergeQueryDocument(r, parseExactJson(json));
  return r;
}

describe('query output keeps the server values', () => {
  const doc =
    '{"results":[{"statement_id":0,"series":[{"name":"z","columns":["time","f","big","s"],"values":[' +
    '[1,-0,100000000000000000000,"\\u0000123"],[2,0,1e+21,"x"]]}]}]}';

  it('prints -0 as -0 in text, CSV and JSON', () => {
    const r = result(doc);
    const series = r.statements[0]!.series[0]!;
    expect(cellText(series.rows[0]![1]!)).toBe('-0');
    expect(cellText(series.rows[1]![1]!)).toBe('0');
    expect(seriesToCsv(series).split('\r\n')[1]).toBe('z,1,-0,100000000000000000000,\u0000123');
    const json = resultToJson(r);
    expect(json).toContain('-0,');
    // The JSON export is the server's JSON, value for value (NUL-leading strings stay strings).
    expect(JSON.parse(json)).toEqual({
      statements: [
        {
          statement_id: 0,
          series: [
            {
              name: 'z',
              tags: {},
              columns: ['time', 'f', 'big', 's'],
              values: [
                [1, -0, 100000000000000000000, '\u0000123'],
                [2, 0, 1e21, 'x'],
              ],
            },
          ],
        },
      ],
    });
    expect(json).toMatch(/\[\s*1,\s*-0,\s*100000000000000000000,\s*"\\u0000123"\s*\]/);
  });

  it('writes whole floats of 2^53 and more as floats in line protocol when the field type is float', () => {
    const series = result(doc).statements[0]!.series[0]!;
    const types = new Map<string, FieldType>([
      ['f', 'float'],
      ['big', 'float'],
      ['s', 'string'],
    ]);
    expect(seriesToLineProtocol(series, 'ns', new Set(), types)).toBe(
      'z f=-0,big=100000000000000000000,s="\u0000123" 1\nz f=0,big=1e+21,s="x" 2\n',
    );
    // Without types an unsafe whole number can only be guessed to be an integer.
    expect(seriesToLineProtocol(series, 'ns').split('\n')[0]).toBe('z f=-0,big=100000000000000000000i,s="\u0000123" 1');
  });

  it('names the series-name CSV column so that it cannot clash with a column', () => {
    const r = result(
      '{"results":[{"statement_id":0,"series":[{"columns":["name","duration","_name"],"values":[["autogen","0s","x"]]}]}]}',
    );
    const csv = seriesToCsv(r.statements[0]!.series[0]!);
    expect(csv.split('\r\n')[0]).toBe('__name,name,duration,_name');
    expect(csv.split('\r\n')[1]).toBe(',autogen,0s,x');
  });
});
