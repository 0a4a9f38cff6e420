import { describe, expect, it, vi } from 'vitest';

import { type Batch, Batcher, type BatcherOptions } from '../../../electron/services/file-load/batcher';
import { createLpStream, type LpStreamEntry } from '../../../shared/lp';

/**
 * The batcher cuts the input at entry boundaries only (a string field spanning lines stays whole),
 * keeps the input's bytes unchanged (CRLF included), honours both limits, and maps every entry back
 * to its source line.
 */

const OPTS: BatcherOptions = {
  flavor: 'core',
  api: 'v1',
  precision: 'ns',
  batchLines: 5000,
  batchBytes: 8 << 20,
  onInvalid: 'stop',
  stamp: null,
  fileStartNs: 1_700_000_000_000_000_000n,
  now: () => 1_700_000_000_000,
  collect: false,
  detectUnstamped: false,
  startOffset: 0,
  startLine: 1,
};

/** Feeds `input` in chunks of the sizes `sizes` yields, and returns the batches. */
function run(
  input: Buffer,
  opts: Partial<BatcherOptions>,
  sizes: () => number = () => 7,
): { batches: Batch[]; b: Batcher } {
  const b = new Batcher({ ...OPTS, ...opts }, opts.precision === 's' ? 's' : 'ns');
  const out: Batch[] = [];
  for (let i = 0; i < input.length;) {
    const n = Math.max(1, sizes());
    // A fresh copy per chunk, as a file stream gives.
    b.write(Buffer.from(input.subarray(i, i + n)));
    out.push(...b.take());
    i += n;
  }
  b.end();
  out.push(...b.take());
  return { batches: out, b };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MULTI = Buffer.from(
  [
    'cpu,host=a v=1 1700000000000000000',
    'log,host=a msg="first line',
    'second line, with = and , inside',
    'third" 1700000000000000001',
    '# a comment',
    '',
    'cpu,host=b v=2 1700000000000000002',
    'log,host=b msg="x\\"y\nz" 1700000000000000003',
    'cpu,host=c v=3 1700000000000000004',
  ].join('\n') + '\n',
);

describe('Batcher', () => {
  it('never cuts a multi-line string, whatever the chunk sizes and limits', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seeded(seed);
      const lines = 1 + Math.floor(r() * 3);
      const { batches } = run(MULTI, { batchLines: lines }, () => 1 + Math.floor(r() * 20));
      // Concatenated bodies are the input, byte for byte.
      expect(Buffer.concat(batches.map((b) => b.body)).equals(MULTI)).toBe(true);
      const starts = batches.flatMap((b) => b.entryLines);
      expect(starts).toEqual([1, 2, 7, 8, 10]);
      expect(batches.flatMap((b) => b.entryEndLines)).toEqual([1, 4, 7, 9, 10]);
      for (const b of batches) {
        expect(b.entryStarts.length).toBeLessThanOrEqual(lines);
        // Every body starts and ends on an entry boundary: it validates on its own.
        const got: LpStreamEntry[] = [];
        const s = createLpStream({ flavor: 'core', precision: 'ns' }, (e) => got.push(e));
        s.write(new Uint8Array(b.body));
        s.end();
        expect(got.every((e) => e.ok)).toBe(true);
        expect(got.length).toBe(b.entryStarts.length);
      }
      // Contiguous source ranges.
      for (let i = 1; i < batches.length; i++) expect(batches[i]!.sourceStart).toBe(batches[i - 1]!.sourceEnd);
      expect(batches.at(-1)!.sourceEnd).toBe(MULTI.length);
    }
  });

  it('keeps CRLF bytes as they are and finishes a last line without a newline', () => {
    // CRLF inside a string value is data; as a line ending every flavor refuses it (the \r is read as
    // part of the entry), so it is reported, never rewritten.
    const input = Buffer.from(
      'm s="a\r\nb" 1700000000000000000\nm v=2 1700000000000000001\r\nm v=3 1700000000000000002',
    );
    for (let size = 1; size <= input.length; size += 3) {
      const { batches } = run(input, { batchLines: 1, onInvalid: 'skip' }, () => size);
      expect(batches.map((b) => b.body.toString('latin1'))).toEqual([
        'm s="a\r\nb" 1700000000000000000\n',
        'm v=3 1700000000000000002',
      ]);
      expect(batches.map((b) => [b.sourceEnd, b.endLine])).toEqual([
        // The skipped entry is covered by the batch before it: a checkpoint moves past it.
        [58, 4],
        [input.length, 4],
      ]);
      const skipped = batches.flatMap((b) => b.skipped);
      expect(skipped.map((r) => [r.line, Buffer.from(r.bytes).toString('latin1')])).toEqual([
        [3, 'm v=2 1700000000000000001\r'],
      ]);
      expect(skipped[0]!.reason).toContain('carriage return (CRLF line ending)');
    }
  });

  it('the smaller of the line and byte limits wins; an oversized entry goes alone', () => {
    const line = (i: number) => `m,t=${String(i).padStart(3, '0')} v=${String(i).padStart(3, '0')} ${1700000000 + i}\n`;
    const input = Buffer.from(Array.from({ length: 100 }, (_, i) => line(i)).join(''));
    const per = line(0).length;
    const byLines = run(input, { batchLines: 10, batchBytes: 1 << 20 }).batches;
    expect(byLines.map((b) => b.entryStarts.length)).toEqual(Array(10).fill(10));
    const byBytes = run(input, { batchLines: 1000, batchBytes: per * 7 + 3 }).batches;
    expect(byBytes.every((b) => b.body.length <= per * 7 + 3)).toBe(true);
    expect(byBytes.slice(0, -1).every((b) => b.entryStarts.length === 7)).toBe(true);
    const huge = Buffer.concat([
      Buffer.from(line(1)),
      Buffer.from(`m s="${'x'.repeat(500)}" 1700000000\n`),
      Buffer.from(line(2)),
    ]);
    const r = run(huge, { batchBytes: 100 });
    expect(r.b.stopped).toBeNull();
    const alone = r.batches;
    expect(alone.map((b) => b.entryStarts.length)).toEqual([1, 1, 1]);
    expect(alone[1]!.body.length).toBeGreaterThan(100);
  });

  it('skip: invalid entries become rejects with their source line; stop: nothing from the first one on', () => {
    const input = Buffer.from('m v=1 1\n# note\nm v= 2\nm v=3 3\nbad line\nm v=5 5\n');
    const skip = run(input, { onInvalid: 'skip', batchLines: 2 });
    expect(skip.batches.flatMap((b) => b.entryLines)).toEqual([1, 4, 6]);
    const rejects = skip.batches.flatMap((b) => b.skipped);
    expect(rejects.map((r) => [r.line, Buffer.from(r.bytes).toString()])).toEqual([
      [3, 'm v= 2'],
      [5, 'bad line'],
    ]);
    expect(rejects[0]!.reason).toMatch(/^LP\d{3} /);
    // Everything but the refused entries, comments included, byte for byte.
    expect(Buffer.concat(skip.batches.map((b) => b.body)).toString()).toBe('m v=1 1\n# note\nm v=3 3\nm v=5 5\n');

    const stop = run(input, { onInvalid: 'stop' });
    expect(stop.b.stopped).toMatchObject({ line: 3, offset: 15 });
    expect(stop.batches.map((b) => b.body.toString())).toEqual(['m v=1 1\n']);
    expect(stop.batches[0]!.sourceEnd).toBe(8);
  });

  it('refuses entries that are not UTF-8 (they would be stored as other characters), whatever the chunking', () => {
    const input = Buffer.concat([
      Buffer.from('m v=1 1\nm,t=caf'),
      Buffer.from([0xe9]),
      Buffer.from(' v=2 2\nm,t=caf\u00e9 v=3 3\n'),
    ]);
    for (let size = 1; size <= input.length; size += 2) {
      const { batches } = run(input, { onInvalid: 'skip', flavor: '1.x', precision: 's' }, () => size);
      expect(batches.flatMap((b) => b.entryLines)).toEqual([1, 3]);
      const skipped = batches.flatMap((b) => b.skipped);
      expect(skipped.map((r) => [r.line, Buffer.from(r.bytes).equals(input.subarray(8, 22))])).toEqual([[2, true]]);
      expect(skipped[0]!.reason).toMatch(/^LP510 not valid UTF-8 \(byte 0xe9 at byte 8 of the entry\)/);
    }
  });

  it('stamps entries without a timestamp in the write precision, before trailing whitespace', () => {
    const input = Buffer.from('m v=1\nm v=2 1700000000\nm,t=a s="a b"  \n');
    const { batches } = run(input, {
      flavor: '1.x',
      stamp: 'file-start',
      precision: 's',
      fileStartNs: 1_700_000_123_456_789_000n,
    });
    expect(batches[0]!.body.toString()).toBe('m v=1 1700000123\nm v=2 1700000000\nm,t=a s="a b" 1700000123  \n');
  });

  it('counts measurements, fields and times for --verify, and offsets resume mid-file', () => {
    const input = Buffer.from('a\\ b,t=1 x=1,y\\,z=2 10\nc v=1\n');
    const { batches, b } = run(input, { collect: true, detectUnstamped: true, startOffset: 100, startLine: 7 });
    expect(batches[0]!.entryInfo).toEqual([
      { measurement: 'a b', fields: ['x', 'y,z'], timeNs: 10n },
      { measurement: 'c', fields: ['v'], timeNs: null },
    ]);
    expect(batches[0]!.entryLines).toEqual([7, 8]);
    expect(batches[0]!.sourceEnd).toBe(100 + input.length);
    expect(b.unstamped).toBe(1);
    expect(b.firstUnstampedLine).toBe(8);
  });
});

describe('Batcher memory', () => {
  it('reuses its batch buffer when bodies are copied out small, and earlier bodies stay intact', () => {
    const input = Buffer.from(Array.from({ length: 2000 }, (_, i) => `m v=${i} ${1_700_000_000 + i}\n`).join(''));
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const { batches } = run(input, { precision: 's', batchLines: 20 }, () => 4096);
      // 100 batches of ~500 bytes in an 8 MiB builder: one builder, not one per batch.
      expect(batches.length).toBe(100);
      expect(alloc.mock.calls.filter(([n]) => n >= 8 << 20).length).toBe(1);
      expect(Buffer.concat(batches.map((b) => b.body)).equals(input)).toBe(true);
    } finally {
      alloc.mockRestore();
    }
  });
});

describe('Batcher guards (input read once: the app)', () => {
  it('each batch keeps the source bytes before its end, whatever the chunking, stamps and batch sizes', () => {
    // 3,000 short entries without timestamps: stamped bodies differ from the source, and a batch of
    // 20 entries is far below the 4 KiB a guard covers, so guards reach back over earlier batches.
    const input = Buffer.from(Array.from({ length: 3000 }, (_, i) => `m,k=${i % 7} v=${i}\n`).join(''));
    for (const [seed, lines] of [
      [1, 20],
      [2, 500],
      [3, 1],
    ] as const) {
      const rnd = seeded(seed);
      const { batches } = run(
        input,
        { flavor: '1.x', precision: 's', stamp: 'now', batchLines: lines, keepGuard: { before: new Uint8Array(0) } },
        () => 1 + Math.floor(rnd() * 9000),
      );
      expect(batches.length).toBe(Math.ceil(3000 / lines));
      for (const b of batches)
        expect(Buffer.from(b.guard!).toString()).toBe(
          input.subarray(Math.max(0, b.sourceEnd - 4096), b.sourceEnd).toString(),
        );
    }
  });

  it('a resumed input starts its guards with the bytes given from before its start', () => {
    const all = Buffer.from(Array.from({ length: 400 }, (_, i) => `m v=${i} ${1_700_000_000 + i}\n`).join(''));
    const start = all.indexOf('m v=300 ');
    const { batches } = run(all.subarray(start), {
      precision: 's',
      batchLines: 10,
      startOffset: start,
      startLine: 301,
      keepGuard: { before: all.subarray(start - 4096, start) },
    });
    expect(batches[0]!.sourceStart).toBe(start);
    for (const b of batches)
      expect(Buffer.from(b.guard!).equals(all.subarray(b.sourceEnd - 4096, b.sourceEnd))).toBe(true);
  });

  it('keeps no guard when the input can be read again (files)', () => {
    const { batches } = run(Buffer.from('m v=1 1\n'), {});
    expect(batches[0]!.guard).toBeNull();
  });
});

describe('LpStream entry offsets', () => {
  it('give each entry its byte range, for any chunking', () => {
    const input = Buffer.from(`${MULTI.toString()}é v="ü" 1\nlast v=1`);
    for (let seed = 1; seed <= 20; seed++) {
      const r = seeded(seed);
      const got: Array<[number, string]> = [];
      const s = createLpStream({ flavor: '1.x' }, (e) =>
        got.push([e.line, input.subarray(e.offset, e.endOffset).toString()]),
      );
      for (let i = 0; i < input.length;) {
        const n = 1 + Math.floor(r() * 30);
        s.write(new Uint8Array(input.subarray(i, i + n)));
        i += n;
      }
      s.end();
      expect(got.map((g) => g[1])).toEqual([
        'cpu,host=a v=1 1700000000000000000',
        'log,host=a msg="first line\nsecond line, with = and , inside\nthird" 1700000000000000001',
        'cpu,host=b v=2 1700000000000000002',
        'log,host=b msg="x\\"y\nz" 1700000000000000003',
        'cpu,host=c v=3 1700000000000000004',
        'é v="ü" 1',
        'last v=1',
      ]);
    }
  });
});
