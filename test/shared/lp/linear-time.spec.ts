import { describe, expect, it } from 'vitest';

import { decodeWriteError } from '../../../shared/errors/decode';
import { createLpStream, validateLineProtocol } from '../../../shared/lp';

/**
 * Linear time on wide lines and long error lists, as a benchmark with generous bounds: before, 40,000
 * fields on one line took 6 s to validate and mapping a 400 naming 40,000 rejected lines took 87 s
 * (quadratic); now both take well under a second here. The bounds are ten times that and more, so a
 * busy machine does not fail them, while the quadratic versions would (they grow ×4 per ×2 input).
 */

const time = (fn: () => void): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

describe('linear time', () => {
  const wide = (n: number) =>
    `m,t=a ${Array.from({ length: n }, (_, i) => `f${i}=${i}`).join(',')} 1700000000000000000\n`;

  it.each(['1.x', 'cloud-dedicated', 'core'] as const)(
    'validate: 50,000 fields on one line (%s), one-shot and streaming',
    (flavor) => {
      const text = wide(50_000);
      let ms = time(() => {
        const v = validateLineProtocol(text, { flavor, precision: 'ns' });
        expect(v.entries).toHaveLength(1);
      });
      expect(ms).toBeLessThan(8_000);
      ms = time(() => {
        let entries = 0;
        const stream = createLpStream({ flavor, precision: 'ns' }, () => entries++);
        stream.write(text);
        stream.end();
        expect(entries).toBe(1);
      });
      expect(ms).toBeLessThan(8_000);
    },
  );

  it('validate: a 1 MB line of fields (100,000 of them)', () => {
    const text = wide(100_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(time(() => validateLineProtocol(text, { flavor: '1.x', precision: 'ns' }))).toBeLessThan(15_000);
  });

  it('a 400 naming 100,000 rejected lines maps every one to its line number', () => {
    const n = 100_000;
    const lines = Array.from({ length: n }, (_, i) => `cpu,host=h${i} value=${i}x`);
    const body = `${lines.join('\n')}\n`;
    const error = lines.map((l) => `unable to parse '${l}': invalid number`).join('\n');
    let decoded: ReturnType<typeof decodeWriteError> | null = null;
    const ms = time(() => {
      decoded = decodeWriteError({
        status: 400,
        body: JSON.stringify({ error }),
        contentType: 'application/json',
        flavor: '1.x',
        requestBody: body,
      });
    });
    expect(ms).toBeLessThan(10_000);
    const got = decoded!.lines;
    expect(got).toHaveLength(n);
    expect(got[0]).toMatchObject({ line: 1, message: 'invalid number' });
    expect(got[n - 1]).toMatchObject({ line: n, text: lines[n - 1] });
    expect(got.every((l, i) => l.line === i + 1)).toBe(true);
  });

  it('identical rejected lines are taken in body order', () => {
    const body = 'a v=x\nb v=1\na v=x\n';
    const error =
      "partial write: unable to parse 'a v=x': invalid number\nunable to parse 'a v=x': invalid number dropped=2";
    const d = decodeWriteError({
      status: 400,
      body: JSON.stringify({ error }),
      contentType: 'application/json',
      flavor: '1.x',
      requestBody: body,
    });
    expect(d.lines.map((l) => l.line)).toEqual([1, 3]);
  });
});
