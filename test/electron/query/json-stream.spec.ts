import { describe, expect, it } from 'vitest';

import { decodeUtf8Native } from '../../../electron/services/utf8';
import { EXACT_INT_MARK, isExactInt, parseExactJson } from '../../../shared/query/exact-json';
import { JsonDocumentStream, type StreamedDocument } from '../../../shared/query/json-stream';
import { mulberry32 } from '../../shared/influxql/mutate';

const X = (digits: string) => EXACT_INT_MARK + digits;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Feeds `bytes` in chunks of `size` (or of the sizes `sizes` yields) and returns every document. */
function feed(
  bytes: Uint8Array,
  size: number | (() => number),
  stream = new JsonDocumentStream(),
): { docs: StreamedDocument[]; stream: JsonDocumentStream } {
  const docs: StreamedDocument[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = typeof size === 'number' ? size : size();
    docs.push(...stream.push(bytes.subarray(i, i + n)));
    i += n;
  }
  return { docs, stream };
}
const values = (docs: StreamedDocument[]) =>
  docs.map((d) => {
    if (d.error !== undefined) throw new Error(`unexpected invalid document: ${d.error}`);
    return d.value;
  });

// --- A generator of JSON texts together with the value they must parse to (an oracle that does not
// --- share code with either parser: exact integers are known from the BigInts that made them).

type Gen = { text: string; value: unknown };
const SAFE = 2n ** 53n - 1n;

function generator(seed: number) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ws = () => (rnd() < 0.15 ? pick([' ', '\n', '\t', '\r\n', '  ']) : '');

  function integer(): Gen {
    const big = pick([
      () => SAFE,
      () => SAFE + 1n,
      () => -SAFE,
      () => -SAFE - 1n,
      () => 1234567890123456n, // 16 digits, safe
      () => 9007199254740993n,
      () => 1_700_000_000_000_000_000n + BigInt(Math.floor(rnd() * 1e9)),
      () => 9_223_372_036_854_775_807n,
      () => -9_223_372_036_854_775_808n,
      () => 18_446_744_073_709_551_615n,
      () => BigInt(Math.floor(rnd() * 1e6)) - 500_000n,
      () => BigInt(`${1 + Math.floor(rnd() * 9)}${'0123456789'.repeat(4).slice(0, Math.floor(rnd() * 30))}`),
    ])();
    const text = big.toString();
    const unsafe = big > SAFE || big < -SAFE;
    return { text, value: unsafe ? { exact: text } : Number(big) };
  }
  function float(): Gen {
    const text = pick([
      '0.30000000000000004',
      '12345678901234567.5',
      '-1.5',
      '1e300',
      '1E+21',
      '-2.5e-308',
      '123456789012345678901234567890.0',
      '1.2345678901234567e-7',
      '95.95',
      '-0',
      '0',
      '100',
    ]);
    return { text, value: Number(text) };
  }
  function string(): Gen {
    const parts: Array<[string, string]> = [];
    const n = Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++) {
      parts.push(
        pick<[string, string]>([
          ['host-7', 'host-7'],
          ['12345678901234567890', '12345678901234567890'],
          ['-9223372036854775808', '-9223372036854775808'],
          ['\\"', '"'],
          ['\\\\', '\\'],
          ['\\\\\\"x\\"', '\\"x"'],
          ['\\u0031234567890123456789', '1234567890123456789'],
          ['\\n', '\n'],
          ['é', 'é'],
          ['中文', '中文'],
          ['😀', '😀'],
          ['}{', '}{'],
          ['[1,2', '[1,2'],
          [' ', ' '],
        ]),
      );
    }
    // Strings that start with NUL and digits: the exact-integer mark once was NUL, and `"\u0000123"`
    // came back as the integer 123.
    if (rnd() < 0.3)
      parts.unshift(
        pick<[string, string]>([
          ['\\u0000', '\u0000'],
          ['\\u0000123', '\u0000123'],
          ['\\u00009223372036854775807', '\u00009223372036854775807'],
          ['\\u0000-12345678901234567890', '\u0000-12345678901234567890'],
          ['\\ufffd99999999999999999', '\ufffd99999999999999999'],
        ]),
      );
    return { text: `"${parts.map((p) => p[0]).join('')}"`, value: parts.map((p) => p[1]).join('') };
  }
  function value(depth: number): Gen {
    const r = rnd();
    if (depth > 3 || r < 0.55) {
      return pick([
        integer,
        integer,
        float,
        string,
        () =>
          pick<Gen>([
            { text: 'true', value: true },
            { text: 'false', value: false },
            { text: 'null', value: null },
          ]),
      ])();
    }
    const n = Math.floor(rnd() * 5);
    const items = Array.from({ length: n }, () => value(depth + 1));
    if (r < 0.8)
      return {
        text: `[${ws()}${items.map((g) => g.text).join(`${ws()},${ws()}`)}${ws()}]`,
        value: items.map((g) => g.value),
      };
    // Keys that are not integer-like, so the object keeps its text order.
    const keys = items.map((_, i) => `k${i}${pick(['', 'é', '1234567890123456789'])}`);
    return {
      text: `{${ws()}${items.map((g, i) => `"${keys[i]}"${ws()}:${ws()}${g.text}`).join(`${ws()},${ws()}`)}${ws()}}`,
      value: Object.fromEntries(items.map((g, i) => [keys[i], g.value])),
    };
  }
  function document(): Gen {
    const inner = value(1);
    return rnd() < 0.5
      ? {
          text: `{"results":[{"statement_id":0,"v":${inner.text}}]}`,
          value: { results: [{ statement_id: 0, v: inner.value }] },
        }
      : { text: `[${inner.text}]`, value: [inner.value] };
  }
  return { rnd, pick, document };
}

/**
 * What a parsed value means to the app: exact integers (told apart by isExactInt, as every consumer
 * does) become `{ exact: digits }` and -0 becomes `{ negativeZero: true }`, so a string that merely
 * looks like a marked cell, or a sign lost on zero, fails the comparison with the oracle.
 */
function meaning(v: unknown, parsed = true): unknown {
  if (typeof v === 'string') return parsed && isExactInt(v) ? { exact: v.slice(1) } : v;
  if (v === 0 && 1 / v < 0) return { negativeZero: true };
  if (Array.isArray(v)) return v.map((x) => meaning(x, parsed));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, meaning(x, parsed)]));
  return v;
}
/** The oracle's values mean what they say: exact integers are already `{ exact }`, strings are strings. */
const oracle = (v: unknown) => meaning(v, false);

describe('JsonDocumentStream', () => {
  it('agrees with an exact oracle on 400 seeded streams, whatever the chunk boundaries', () => {
    const g = generator(20261122);
    for (let round = 0; round < 400; round++) {
      const docs = Array.from({ length: 1 + Math.floor(g.rnd() * 4) }, () => g.document());
      // 1.x: newline after each document; 3.x: back to back; plus stray whitespace.
      const joiner = g.pick(['\n', '', ' \r\n', '\n\n']);
      const text = docs.map((d) => d.text).join(joiner) + g.pick(['', '\n']);
      const bytes = utf8(text);
      const sizes = [1, 2, 3, 7, 64, bytes.length];
      for (const size of [...sizes, () => 1 + Math.floor(g.rnd() * 40)]) {
        const { docs: got, stream } = feed(
          bytes,
          size,
          new JsonDocumentStream(round % 2 === 0 ? undefined : decodeUtf8Native),
        );
        expect(
          got.map((d) => d.error ?? meaning(d.value)),
          `round ${round}, chunk size ${String(size)}: ${JSON.stringify(text)}`,
        ).toEqual(docs.map((d) => oracle(d.value)));
        expect(stream.rest()).toBe('');
      }
      // The string reference agrees with the same oracle.
      for (const d of docs) expect(meaning(parseExactJson(d.text))).toEqual(oracle(d.value));
    }
  });

  it('keeps the exact digits and leaves strings, floats and safe numbers alone (influxd shape)', () => {
    const body =
      '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","s","n","f"],"values":[' +
      '[1700000000123456789,"quote \\" and 12345678901234567890 \\\\",-9223372036854775807,1.5e300],' +
      ('[9007199254740993,"x",9007199254740991,-0.5],[12,"\\\\\\"",1234567890123456,3],' +
        '[9007199254740992,"",12345678901234567.5,0.30000000000000004]]}]}]}\n') +
      '{"results":[{"statement_id":1,"series":[{"name":"m","columns":["n"],"values":[[18446744073709551615]]}]}]}';
    for (const size of [1, 5, 64, body.length]) {
      const [first, second] = values(feed(utf8(body), size).docs) as Array<{
        results: Array<{ series: Array<{ values: unknown[][] }> }>;
      }>;
      const rows = first!.results[0]!.series[0]!.values;
      expect(rows[0]).toEqual([
        X('1700000000123456789'),
        'quote " and 12345678901234567890 \\',
        X('-9223372036854775807'),
        1.5e300,
      ]);
      expect(rows[1]).toEqual([X('9007199254740993'), 'x', 9007199254740991, -0.5]);
      expect(rows[2]).toEqual([12, '\\"', 1234567890123456, 3]);
      expect(rows[3]).toEqual([X('9007199254740992'), '', Number('12345678901234567.5'), 0.30000000000000004]);
      expect(second!.results[0]!.series[0]!.values[0]).toEqual([X('18446744073709551615')]);
    }
  });

  it('splits back-to-back and newline-delimited documents, ignoring what lies between them', () => {
    const s = new JsonDocumentStream();
    expect(values(s.push(utf8('{"a":"}{"}{"b":[1')))).toEqual([{ a: '}{' }]);
    expect(values(s.push(utf8(']}\n{"c":1}\n')))).toEqual([{ b: [1] }, { c: 1 }]);
    expect(values(s.push(utf8('123 junk "x" ] } [2]')))).toEqual([[2]]);
    expect(s.rest()).toBe('');
  });

  it('decodes a UTF-8 character cut at any byte', () => {
    const text = '{"s":"é中😀","n":[12345678901234567890]}';
    const bytes = utf8(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const s = new JsonDocumentStream(decodeUtf8Native);
      const docs = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut))];
      expect(values(docs)).toEqual([{ s: 'é中😀', n: [X('12345678901234567890')] }]);
    }
  });

  it('rejects integers with a leading zero instead of turning them into valid strings', () => {
    const docs = feed(utf8('[00000000000000000001]\n[-00000000000000000001]\n[1]'), 4).docs;
    expect(docs[0]!.error).toMatch(/JSON/);
    expect(docs[1]!.error).toMatch(/JSON/);
    expect(docs[2]!.value).toEqual([1]);
  });

  it('reports an invalid document and goes on with the next one', () => {
    const docs = feed(utf8('{"a":tru}\n{"b":1}\n'), 3).docs;
    expect(docs).toHaveLength(2);
    expect(docs[0]!.error).toBeTruthy();
    expect(docs[1]!.value).toEqual({ b: 1 });
  });

  it('gives back an unfinished document as the server sent it', () => {
    const s = new JsonDocumentStream();
    expect(s.push(utf8('{"a":[12345678901234567890,"x\\"'))).toEqual([]);
    expect(s.rest()).toBe('{"a":[12345678901234567890,"x\\"');
    const t = new JsonDocumentStream();
    t.push(utf8('[1234567890123456789'));
    expect(t.rest()).toBe('[1234567890123456789');
  });

  it('survives a hostile 5 MB run of digits and a 5 MB string', () => {
    const digits = '9'.repeat(5 * 1024 * 1024);
    const str = 'a'.repeat(5 * 1024 * 1024);
    const docs = values(feed(utf8(`[${digits},"${str}",1]`), 65536).docs) as unknown[][];
    expect(docs).toHaveLength(1);
    expect(docs[0]![0]).toBe(X(digits));
    expect((docs[0]![1] as string).length).toBe(str.length);
    expect(docs[0]![2]).toBe(1);
  });
});
