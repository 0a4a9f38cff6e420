import { describe, expect, it } from 'vitest';

import { createLpDocument } from '../../../shared/lp/document';
import type { Flavor } from '../../../shared/lp/flavors';
import { createLpStream, type LpStreamEntry } from '../../../shared/lp/stream';
import { validateLineProtocol } from '../../../shared/lp/validate';
import { BODY_CODES, diagnosticKey as key, fuzzGolden, NOW, rng } from './support';

const golden = fuzzGolden();

function full(text: string, flavor: Flavor): { entries: string[]; diags: string[] } {
  const v = validateLineProtocol(text, { flavor, precision: 's', now: NOW });
  return {
    entries: v.entries.map(
      (e) => `${e.line}-${e.endLine} ${e.kind} ${e.parsed} ${e.ok} ${e.kind === 'point' ? `${e.start}-${e.end}` : ''}`,
    ),
    diags: v.diagnostics
      .filter((d) => !BODY_CODES.has(d.code))
      .map(key)
      .sort(),
  };
}

const LINES = [
  'cpu,host=a usage=0.5,count=3i 1700000000',
  'cpu,host=b usage=1i 1700000001',
  'cpu usage="x" 1700000002',
  'mem,host=a used=10i,host=2 1700000003',
  'multi s="open',
  'close",x=1 1700000004',
  '# comment',
  '',
  'bad line',
  'm v=1\r',
  'm,t=a\\\\b v=1,v=2i 1',
  'disk,path=/ used=5u 1700000005',
];

describe('streaming validator', () => {
  it('delivers the same entries whatever the chunk size (quoted strings across chunk boundaries)', () => {
    const r = rng(42);
    for (const c of golden.cases.slice(0, 300)) {
      const all = c.input + '\n' + c.input;
      const want = validateLineProtocol(all, { flavor: '1.x', precision: 's', now: NOW });
      const wantEntries = want.entries
        .filter((e) => e.kind === 'point')
        .map((e) => [e.line, e.parsed, e.ok, e.diagnostics.map(key).join('|')]);
      for (const size of [1, 2, 3, 7, 1 + Math.floor(r() * 40)]) {
        const got: LpStreamEntry[] = [];
        const s = createLpStream({ flavor: '1.x', precision: 's', now: NOW }, (e) => got.push(e));
        for (let i = 0; i < all.length; i += size) s.write(all.slice(i, i + size));
        const stats = s.end();
        expect(got.map((e) => [e.line, e.parsed, e.ok, e.diagnostics.map(key).join('|')])).toEqual(wantEntries);
        expect(stats.points).toBe(want.summary.points);
      }
    }
  });

  it('reports points when asked and keeps memory to the unfinished entry', () => {
    const got: LpStreamEntry[] = [];
    const s = createLpStream({ flavor: '2.x', points: true, blanks: true }, (e) => got.push(e));
    s.write('cpu,host=a v=1i 1\n\n# c\ncpu s="a');
    expect(got.map((e) => e.kind)).toEqual(['point', 'blank', 'comment']);
    s.write('\nb" 2\n');
    s.end();
    expect(got[3]!.point?.fields[0]?.value).toBe('a\nb');
    expect(got[3]!.line).toBe(4);
  });

  it('cuts an overlong (unbalanced) entry instead of buffering the whole input', () => {
    const got: LpStreamEntry[] = [];
    const s = createLpStream({ flavor: '1.x', maxEntryLength: 1000 }, (e) => got.push(e));
    s.write('m v="never closed ');
    for (let i = 0; i < 50; i++) s.write('x'.repeat(100));
    s.end();
    expect(got[0]?.diagnostics[0]?.code).toBe('LP108');
  });
});

describe('incremental document', () => {
  for (const flavor of ['1.x', 'cloud-dedicated', 'core'] as Flavor[]) {
    it(`matches full re-validation after seeded random edits (${flavor})`, () => {
      const r = rng(flavor.length * 7919);
      const lines = Array.from({ length: 40 }, () => LINES[Math.floor(r() * LINES.length)]!);
      const doc = createLpDocument({ flavor, precision: 's', now: NOW }, lines.join('\n'));
      for (let step = 0; step < 300; step++) {
        const n = doc.lineCount();
        const at = 1 + Math.floor(r() * n);
        const op = r();
        if (op < 0.4) {
          // edit inside one line
          const text = doc.getText().split('\n')[at - 1]!;
          const pos = Math.floor(r() * (text.length + 1));
          const ins = ['"', ' ', ',', '=', 'i', '\\', 'x', '1', ''][Math.floor(r() * 9)]!;
          const del = r() < 0.3 ? 1 : 0;
          doc.update(at, at, [text.slice(0, pos) + ins + text.slice(pos + del)]);
        } else if (op < 0.7) {
          doc.update(at, at - 1, [LINES[Math.floor(r() * LINES.length)]!]);
        } else if (op < 0.85 && n > 1) {
          doc.update(at, Math.min(n, at + Math.floor(r() * 3)), []);
        } else {
          doc.update(at, at, [LINES[Math.floor(r() * LINES.length)]!, LINES[Math.floor(r() * LINES.length)]!]);
        }
        const want = full(doc.getText(), flavor);
        const got = doc.entries();
        expect(
          got.map(
            (e) =>
              `${e.line}-${e.endLine} ${e.kind} ${e.parsed} ${e.ok} ${e.kind === 'point' ? `${e.start}-${e.end}` : ''}`,
          ),
        ).toEqual(want.entries);
        expect(doc.diagnostics().map(key).sort()).toEqual(want.diags);
      }
    });
  }

  it('re-validates only the entries around a one-line edit', () => {
    const text = Array.from(
      { length: 5000 },
      (_, i) => `cpu,host=h${i % 50} usage=${i}.5,n=${i}i ${1700000000 + i}`,
    ).join('\n');
    const doc = createLpDocument({ flavor: '1.x', precision: 's', now: NOW }, text);
    expect(doc.diagnostics()).toEqual([]);
    doc.update(2500, 2500, ['cpu,host=h0 usage=1i 1700000000']);
    expect(doc.lastRevalidated).toBeLessThanOrEqual(3);
    const d = doc.diagnostics();
    expect(d.map((x) => [x.line, x.code])).toEqual([[2500, 'LP300']]);
    expect(doc.pointAt(2500)?.fields[0]).toEqual({ key: 'usage', type: 'integer', value: 1n });
  });
});

describe("the document's batch summary (the editor's, live)", () => {
  for (const flavor of ['1.x', 'cloud-dedicated', 'core'] as Flavor[]) {
    it(`equals a full validation's summary after seeded random edits (${flavor})`, () => {
      const r = rng(flavor.length * 104729);
      const options = { flavor, precision: 's', now: NOW } as const;
      const lines = Array.from({ length: 30 }, () => LINES[Math.floor(r() * LINES.length)]!);
      const doc = createLpDocument(options, lines.join('\n'));
      expect(doc.summary()).toEqual(validateLineProtocol(doc.getText(), options).summary);
      for (let step = 0; step < 60; step++) {
        const at = 1 + Math.floor(r() * doc.lineCount());
        if (r() < 0.5) doc.update(at, at - 1, [LINES[Math.floor(r() * LINES.length)]!]);
        else doc.update(at, at, [`m${step},host=h${step} v=${step} ${1700000000 + step}`]);
        expect(doc.summary()).toEqual(validateLineProtocol(doc.getText(), options).summary);
      }
    });
  }

  it('keeps a byte order mark as part of the first measurement, as the server does', () => {
    const doc = createLpDocument({ flavor: '1.x' }, '\uFEFFcpu,host=a usage=1\ncpu,host=b usage=2');
    expect(Object.keys(doc.summary().fields)).toEqual(['\uFEFFcpu', 'cpu']);
  });
});
