import { describe, expect, it } from 'vitest';

import { parseExactJson, unmarkExactIntegers } from '../../../shared/query/exact-json';
import {
  csvChunks,
  lineProtocolChunks,
  resultJsonChunks,
  resultToJson,
  seriesListToCsv,
} from '../../../shared/query/format';
import { emptyQueryResult, mergeQueryDocument, type QueryResult } from '../../../shared/query/result-model';
import { chartSample, FIRST_PAGE_ROWS, overviewOf } from '../../../shared/query/result-page';

/** A result as the query service builds it from a server's JSON text. */
function result(json: string): QueryResult {
  const r = emptyQueryResult();
  mergeQueryDocument(r, parseExactJson(json));
  return r;
}

/** The JSON export as it was before it was written in parts: one JSON.stringify(…, 2) of the whole result. */
function wholeJson(r: QueryResult): string {
  const json = JSON.stringify(
    {
      statements: r.statements.map((s) => ({
        statement_id: s.statementId,
        ...(s.error ? { error: s.error } : {}),
        ...(s.messages.length ? { messages: s.messages } : {}),
        series: s.series.map((x) => ({ name: x.name, tags: x.tags, columns: x.columns, values: x.rows })),
      })),
      ...(r.error ? { error: r.error } : {}),
    },
    (_k, v: unknown) => (v === 0 && 1 / v < 0 ? '\udc00-0' : v),
    2,
  );
  return unmarkExactIntegers(json);
}

const TRICKY =
  '{"results":[' +
  '{"statement_id":0,"series":[{"name":"z","tags":{"host":"a\\"b"},"columns":["time","f","big","s"],"values":[' +
  '[1,-0,100000000000000000000,"\\u0000123"],[2,0,-9223372036854775808,"values\\": \\"\\\\udc010\\""],[3,1.5,null,""]]},' +
  '{"name":"empty","columns":["time","v"],"values":[]},{"name":"norows","columns":["x"]}]},' +
  '{"statement_id":1,"error":"not executed","messages":[{"level":"warning","text":"deprecated"}]},' +
  '{"statement_id":2,"series":[{"name":"r","columns":["a"],"values":[[[1,2]],[{}],[[]]]}]}' +
  '],"error":"partial"}';

describe('whole-result exports written in parts', () => {
  const r = result(TRICKY);

  it.each([1, 2, 1000])(
    'JSON in parts of %i rows is exactly the whole JSON (exact ints, -0, NUL, a fake slot)',
    (n) => {
      const parts = [...resultJsonChunks(r, n)];
      expect(parts.join('')).toBe(wholeJson(r));
      expect(resultToJson(r)).toBe(wholeJson(r));
      expect(parts.join('')).toContain('-9223372036854775808');
      // A part never holds more than n rows of one series.
      expect(Math.max(...parts.map((p) => (p.match(/^ {12}\[/gm) ?? []).length))).toBeLessThanOrEqual(n);
    },
  );

  it('JSON of an empty result and of a result with only an error', () => {
    const empty = emptyQueryResult();
    expect(resultToJson(empty)).toBe(wholeJson(empty));
    const failed = result('{"error":"boom"}');
    expect(resultToJson(failed)).toBe(wholeJson(failed));
  });

  it('CSV and line protocol in parts join to the one-piece text', () => {
    const series = r.statements[0]!.series;
    const parts = [...csvChunks(series, 1)];
    expect(parts.length).toBe(1 + 3); // the header, then one part per row
    expect(parts.join('')).toBe(seriesListToCsv(series));
    const lp = [...lineProtocolChunks(series[0]!, 'ns', new Set(), new Map(), 2)];
    expect(lp).toHaveLength(2);
    expect(lp.join('')).toBe(
      'z,host=a"b f=-0,big=100000000000000000000i,s="\u0000123" 1\n' +
        'z,host=a"b f=0,big=-9223372036854775808i,s="values\\": \\"\\\\udc010\\"" 2\n' +
        'z,host=a"b f=1.5,s="" 3\n',
    );
  });
});

describe('result overview and chart sample', () => {
  const rows = (n: number, at = (i: number) => i) =>
    Array.from({ length: n }, (_, i) => `[${1_700_000_000_000 + i},${at(i)},"h${i % 3}"]`).join(',');
  const big = (n: number, at?: (i: number) => number) =>
    result(
      `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v","host"],"values":[${rows(n, at)}]}]}]}`,
    );

  it('the overview has the counts, numeric columns and only the first page of rows', () => {
    const o = overviewOf(big(5_000), 'id-1');
    const s = o.statements[0]!.series[0]!;
    expect(o).toMatchObject({ resultId: 'id-1', rowCount: 5_000, error: null });
    expect(s.rowCount).toBe(5_000);
    expect(s.firstRows).toHaveLength(FIRST_PAGE_ROWS);
    expect(s.numericColumns).toEqual([1]);
    expect(JSON.stringify(o).length).toBeLessThan(20_000);
  });

  it('a column whose first numbers come after the first page is still numeric', () => {
    const r = result(
      `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[${Array.from(
        { length: 1_000 },
        (_, i) => `[${i},${i < 900 ? 'null' : i}]`,
      ).join(',')}]}]}]}`,
    );
    expect(overviewOf(r, 'x').statements[0]!.series[0]!.numericColumns).toEqual([1]);
  });

  it('short series are charted with every row, projected to time and numeric columns', () => {
    const [s] = chartSample(big(1_000).statements[0]!.series);
    expect(s!.columns).toEqual(['time', 'v']);
    expect(s!.rows).toHaveLength(1_000);
    expect(s!.rowCount).toBe(1_000);
    expect(s!.rows[999]).toEqual([1_700_000_000_999, 999]);
  });

  it('long series keep the first, last, lowest and highest rows of each slice, values unchanged', () => {
    // A spike and a dip hidden among 100,000 rows must survive the sample.
    const at = (i: number) => (i === 83_457 ? 1e9 : i === 54_321 ? -1e9 : i % 100);
    const r = big(100_000, at);
    const [s] = chartSample(r.statements[0]!.series, 40_000);
    expect(s!.rowCount).toBe(100_000);
    expect(s!.rows.length).toBeLessThanOrEqual(40_000);
    expect(s!.rows.length).toBeGreaterThan(5_000);
    const values = s!.rows.map((row) => row[1]);
    expect(values).toContain(1e9);
    expect(values).toContain(-1e9);
    expect(s!.rows[0]).toEqual([1_700_000_000_000, 0]);
    expect(s!.rows.at(-1)).toEqual([1_700_000_099_999, 99]);
    // Every kept row is a server row, in order.
    const source = new Map(r.statements[0]!.series[0]!.rows.map((row) => [row[0], row[1]]));
    const wrong = s!.rows.filter(([t, v], i) => source.get(t!) !== v || (i > 0 && !(t! > s!.rows[i - 1]![0]!)));
    expect(wrong).toEqual([]);
  });

  it('RFC3339 times and exact integers are sampled by their order too', () => {
    const n = 60_000;
    const r = result(
      `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[${Array.from(
        { length: n },
        (_, i) =>
          `["${new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace('.000Z', '.000000001Z')}",${
            i === 777 ? '9223372036854775807' : i % 10
          }]`,
      ).join(',')}]}]}]}`,
    );
    const [s] = chartSample(r.statements[0]!.series, 10_000);
    expect(s!.rows.length).toBeLessThan(n);
    expect(s!.rows.map((row) => row[1])).toContain('\udc009223372036854775807');
  });
});
