import { describe, expect, it } from 'vitest';

import { decodeUtf8Native } from '../../../electron/services/utf8';
import { EXACT_INT_MARK } from '../../../shared/query/exact-json';
import { JsonDocumentStream } from '../../../shared/query/json-stream';
import { MAX_QUERY_DEPTH, QueryRechunker, QueryStreamError } from '../../../shared/query/rechunk';
import { emptyQueryResult, mergeQueryDocument, type QueryResult } from '../../../shared/query/result-model';
import { mulberry32 } from '../../shared/influxql/mutate';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Merges a byte stream the way the query service does, optionally through the rechunker. */
function run(
  text: string,
  opts: { cut?: number; chunk?: () => number } = {},
): { result: QueryResult; docs: number; largest: number } {
  const bytes = utf8(text);
  const stream = new JsonDocumentStream(decodeUtf8Native);
  const re = opts.cut === undefined ? null : new QueryRechunker(opts.cut);
  const result = emptyQueryResult();
  const state = { continuing: false };
  let docs = 0;
  let largest = 0;
  let current = 0;
  for (let i = 0; i < bytes.length;) {
    const n = opts.chunk ? opts.chunk() : 65536;
    const chunk = bytes.subarray(i, i + n);
    i += n;
    for (const piece of re ? re.push(chunk) : [chunk]) {
      current += piece.length;
      for (const doc of stream.push(piece)) {
        if (doc.error !== undefined) throw new Error(doc.error);
        docs++;
        largest = Math.max(largest, current);
        current = 0;
        mergeQueryDocument(result, doc.value, state);
      }
    }
  }
  expect(stream.rest()).toBe('');
  return { result, docs, largest };
}

function answer(rnd: () => number): string {
  const cell = (): string => {
    const r = rnd();
    if (r < 0.2) return String(Math.floor(rnd() * 1e6));
    if (r < 0.3) return `${9_007_199_254_740_993n + BigInt(Math.floor(rnd() * 1e9))}`;
    if (r < 0.5) return JSON.stringify(`s[{"\\,]}${Math.floor(rnd() * 100)}é😀`);
    if (r < 0.6) return 'null';
    if (r < 0.7) return rnd() < 0.5 ? 'true' : 'false';
    return String(rnd() * 100);
  };
  const statements: string[] = [];
  for (let s = 0; s < 3; s++) {
    const series: string[] = [];
    for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
      const rows = Array.from({ length: Math.floor(rnd() * 400) }, () => `[${[cell(), cell(), cell()].join(',')}]`);
      series.push(
        `{"name":"m]${k}","tags":{"values":"[x"},"columns":["time","a","b"],"values":[${rows.join(rnd() < 0.5 ? ',' : ', ')}]}`,
      );
    }
    const messages = s === 1 ? ',"messages":[{"level":"warning","text":"deprecated"}]' : '';
    const error = s === 2 ? ',"error":"boom"' : '';
    statements.push(`{"statement_id":${s},"series":[${series.join(',')}]${messages}${error}}`);
  }
  return `{"results":[${statements.join(',')}]}\n`;
}

describe('QueryRechunker', () => {
  it('cuts one large document into small ones that merge into the same result, rows byte-exact', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = mulberry32(seed);
      const text = answer(rnd);
      const whole = run(text);
      const sizes = mulberry32(seed + 1000);
      const cut = run(text, { cut: 512, chunk: () => 1 + Math.floor(sizes() * 700) });
      expect(cut.result).toEqual(whole.result);
      if (text.length > 4096) expect(cut.docs).toBeGreaterThan(whole.docs);
      // A document ends at the first row boundary past the cut size (plus the reopened headers).
      expect(cut.largest).toBeLessThan(512 + 600);
    }
  });

  it('keeps exact integers and 1.x chunked answers (already partial) as they are', () => {
    const big = '1700000000123456789';
    const chunked =
      `{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],` +
      `"values":[[${big},1],[${big},2]],"partial":true}],"partial":true}]}\n` +
      `{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],"values":[[${big},3]]}]}]}\n`;
    const a = run(chunked);
    const b = run(chunked, { cut: 10, chunk: () => 7 });
    expect(b.result).toEqual(a.result);
    expect(b.result.statements[0]!.series).toHaveLength(1);
    expect(b.result.statements[0]!.series[0]!.rows).toEqual([
      [EXACT_INT_MARK + big, 1],
      [EXACT_INT_MARK + big, 2],
      [EXACT_INT_MARK + big, 3],
    ]);
  });

  it('a statement error or message after the series is kept once', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `[${i},"v"]`).join(',');
    const text =
      `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],` +
      `"values":[${rows}]}],"messages":[{"level":"warning","text":"w"}],"error":"e"}]}`;
    const { result, docs } = run(text, { cut: 256, chunk: () => 50 });
    expect(docs).toBeGreaterThan(5);
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.error).toBe('e');
    expect(result.statements[0]!.messages).toEqual([{ level: 'warning', text: 'w' }]);
    expect(result.rowCount).toBe(200);
  });

  it.each([MAX_QUERY_DEPTH + 1, 200_000])('an answer nested %i deep stops with a clear error', (depth) => {
    const re = new QueryRechunker();
    const text = `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["v"],"values":[${'['.repeat(depth)}`;
    expect(() => re.push(utf8(text))).toThrow(QueryStreamError);
    expect(() => new QueryRechunker().push(utf8(text))).toThrow(/nests deeper than 32 levels/);
  });

  it('nesting up to the limit passes through untouched', () => {
    const re = new QueryRechunker();
    const deep = `${'['.repeat(MAX_QUERY_DEPTH - 1)}${']'.repeat(MAX_QUERY_DEPTH - 1)}`;
    const text = utf8(`{"x":${deep}}`);
    expect(Buffer.concat(re.push(text)).toString()).toBe(`{"x":${deep}}`);
  });
});
