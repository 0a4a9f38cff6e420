import { describe, expect, it } from 'vitest';

import { jsonValue } from '../../electron/sandbox/influxql/format';

describe('sandbox JSON values', () => {
  it('keeps the sign of a stored -0 (influxd 1.6 answers -0; it read back as 0)', () => {
    expect(jsonValue(-0)).toBe('-0');
    expect(jsonValue(0)).toBe('0');
    expect(jsonValue(-1.5)).toBe('-1.5');
    expect(JSON.parse(`[${jsonValue(-0)}]`)[0]).toBe(-0);
  });
});
