import { describe, expect, it } from 'vitest';

import {
  classifyStatus,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelay,
} from '../../../electron/services/file-load/retry';

describe('retry policy', () => {
  it('retries 429, 5xx and network failures; splits 413; records 400; ends the load on other 4xx', () => {
    expect([204, 429, 500, 503, null, 413, 400, 401, 403, 404].map(classifyStatus)).toEqual([
      'ok',
      'retry',
      'retry',
      'retry',
      'retry',
      'split',
      'rejected',
      'fatal',
      'fatal',
      'fatal',
    ]);
  });

  it('backs off exponentially with jitter in the upper half of each step, capped', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4].map((a) => retryDelay(p, a, null, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((a) => retryDelay(p, a, null, () => 0.999999))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelay(p, 20, null, () => 1)).toBe(30_000);
  });

  it('waits at least Retry-After (seconds or an HTTP date), and refuses absurd waits', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(retryDelay(DEFAULT_RETRY_POLICY, 1, 12_000, () => 0.5)).toBe(12_000);
    expect(retryDelay(DEFAULT_RETRY_POLICY, 5, 1_000, () => 0.5)).toBe(6_000);
    expect(retryDelay(DEFAULT_RETRY_POLICY, 1, 3_600_000, () => 0.5)).toBeNull();
  });
});
