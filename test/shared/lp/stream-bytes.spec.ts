import { describe, expect, it } from 'vitest';

import { decodeUtf8 } from '../../../shared/lp/fast-bytes';
import type { Flavor } from '../../../shared/lp/flavors';
import { createLpStream, type LpStreamEntry } from '../../../shared/lp/stream';
import { validateLineProtocol } from '../../../shared/lp/validate';
import { BODY_CODES, diagnosticKey as key, fuzzGolden, NOW, rng } from './support';

/**
 * The byte lane of the stream (a fast recogniser for unremarkable entries plus the exact engine
 * for everything else) must deliver exactly what the one-shot string validator says.
 */

const golden = fuzzGolden();

let fastTotal = 0;

function viaBytes(text: string, flavor: Flavor, sizes: () => number): LpStreamEntry[] {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const got: LpStreamEntry[] = [];
  const s = createLpStream({ flavor, precision: 's', now: NOW }, (e) => got.push(e));
  for (let i = 0; i < bytes.length;) {
    const n = sizes();
    s.write(bytes.subarray(i, i + n));
    i += n;
  }
  fastTotal += s.end().fastEntries;
  return got;
}

function expected(text: string, flavor: Flavor): string[] {
  const v = validateLineProtocol(text, { flavor, precision: 's', now: NOW });
  return v.entries
    .filter((e) => e.kind === 'point')
    .map(
      (e) =>
        `${e.line} ${e.parsed} ${e.ok} ${e.diagnostics
          .filter((d) => !BODY_CODES.has(d.code))
          .map(key)
          .join(' | ')}`,
    );
}

const show = (es: LpStreamEntry[]): string[] =>
  es.map((e) => `${e.line} ${e.parsed} ${e.ok} ${e.diagnostics.map(key).join(' | ')}`);

/** Telegraf-like lines with repeating shapes, escapes, strings and the occasional surprise. */
function sample(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1_700_000_000 + i;
    const k = r();
    if (k < 0.3)
      out.push(
        `cpu,host=h${i % 7}\\ x,region=eu\\,1 usage=${(r() * 100).toFixed(2)},idle=${(r() * 10).toExponential(2)} ${t}`,
      );
    else if (k < 0.5)
      out.push(`mem,host=h${i % 5} used=${Math.floor(r() * 1e9)}i,ok=${r() < 0.5 ? 't' : 'FALSE'} ${t}`);
    else if (k < 0.65) out.push(`log,host=h1 msg="said \\"hi\\", then left=${i}",code=${i}i ${t}`);
    else if (k < 0.7)
      out.push(`mem,host=h1 used=${(r() * 5).toFixed(1)} ${t}`); // type conflict with the integer
    else if (k < 0.73) out.push(`cpu usage=1. ${t}`);
    else if (k < 0.76)
      out.push(`cpu usage=1 ${t * 1000}`); // precision guard
    else if (k < 0.78) out.push(`t,time=x v=1 ${t}`);
    else if (k < 0.8) out.push(`note s="é – ü" ${t}`);
    else if (k < 0.82) out.push(`bad line`);
    else if (k < 0.84) out.push(`m v=1,v=2 ${t}`);
    else if (k < 0.86) out.push(`multi s="a`, `b" ${t}`);
    else if (k < 0.88) out.push('');
    else if (k < 0.9) out.push(`cpu usage=2 ${t}\r`);
    else if (k < 0.91)
      out.push(`cpu,host=a host=1 ${t}`); // tag and field with one name
    else if (k < 0.92)
      out.push(`cpu usage=3 `); // trailing space, no timestamp
    else if (k < 0.93)
      out.push(`cpu,host=x,host=y usage=4 ${t}`); // duplicate tag
    else out.push(`disk,path=/ used=${Math.floor(r() * 1e12)}i,free=${i}u ${t}`);
  }
  return out.join('\n') + (r() < 0.5 ? '\n' : '');
}

describe('byte lane of the streaming validator', () => {
  for (const flavor of ['1.x', '2.x', 'cloud-dedicated', 'core'] as Flavor[]) {
    it(`agrees with the one-shot validator on generated data (${flavor})`, () => {
      const r = rng(flavor.length * 13 + 5);
      for (let round = 0; round < 20; round++) {
        const text = sample(r, 200);
        const want = expected(text, flavor);
        expect(show(viaBytes(text, flavor, () => 1 + Math.floor(r() * 300)))).toEqual(want);
        expect(show(viaBytes(text, flavor, () => 1 << 20))).toEqual(want);
      }
      // The comparison means something only if the fast lane did most of the work.
      expect(fastTotal).toBeGreaterThan(2000);
      fastTotal = 0;
    });
  }

  for (const flavor of ['1.x', 'cloud-dedicated', 'core'] as Flavor[]) {
    it(`agrees on every fuzz body, in one chunk and byte by byte (${flavor})`, () => {
      for (const c of golden.cases) {
        const want = expected(c.input, flavor);
        expect(show(viaBytes(c.input, flavor, () => 1 << 20))).toEqual(want);
        expect(show(viaBytes(c.input, flavor, () => 1))).toEqual(want);
      }
      fastTotal = 0;
    });
  }

  it('decodes UTF-8 without TextDecoder', () => {
    const text = 'aé€😀z';
    expect(decodeUtf8(new Uint8Array(Buffer.from(text)), 0, Buffer.byteLength(text))).toBe(text);
    expect(decodeUtf8(new Uint8Array([0x61, 0xc3, 0x62, 0xff]), 0, 4)).toBe('a\ufffdb\ufffd');
  });
});
