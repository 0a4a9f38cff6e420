/**
 * When to retry a write, and how long to wait: exponential backoff with jitter, and never less than
 * the server's `Retry-After`. Pure (the random source and the clock are parameters) so the policy
 * is tested without waiting.
 */

/** What to do with a write's answer. */
export type WriteOutcome = 'ok' | 'retry' | 'split' | 'rejected' | 'fatal';

/** Retry tuning. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly retries: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** Longest `Retry-After` honoured (a server asking for an hour is treated as a failure). */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 5 retries, 0.5 s doubling up to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

/**
 * Classifies a status (`null`: no response: connection refused, reset, timeout). 429 and 5xx are
 * transient; 413 means the body must shrink; 400 names rejected lines; every other 4xx would fail
 * the same way for every batch, so it ends the load.
 */
export function classifyStatus(status: number | null): WriteOutcome {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429 || status >= 500) return 'retry';
  if (status === 413) return 'split';
  if (status === 400) return 'rejected';
  return 'fatal';
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `nowMs`; null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const when = Date.parse(v);
  if (Number.isNaN(when)) return null;
  return Math.max(0, when - nowMs);
}

/**
 * Delay before retry number `attempt` (1 = the first retry): full-range jitter over the upper half
 * of the exponential step (so concurrent loaders spread out but never retry immediately), and at
 * least `retryAfterMs` when the server gave one. Returns null when the server asks for longer than
 * the policy allows.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
): number | null {
  if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) return null;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = step / 2 + (step / 2) * random();
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
