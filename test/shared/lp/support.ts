import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Diagnostic } from '../../../shared/lp/types';

/** What the stream, document and byte-lane tests share. */

/** The reference time of every validation in these tests. */
export const NOW = Date.UTC(2026, 0, 1);

/** A file of test/fixtures/lp. */
export const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/lp/${name}`, import.meta.url)), 'utf8');

/** One entry as InfluxDB 1.6 judged it (blank and comment entries have no text). */
export interface GoldenVerdict {
  readonly line: number;
  readonly text?: string;
}

/** The 600 fuzzed bodies with InfluxDB 1.6's verdicts. */
export const fuzzGolden = (): { cases: Array<{ input: string; verdicts: GoldenVerdict[] }> } =>
  JSON.parse(fixture('fuzz-golden.json')) as { cases: Array<{ input: string; verdicts: GoldenVerdict[] }> };

/** Codes computed over the whole body, which only validateLineProtocol reports. */
export const BODY_CODES = new Set(['LP400', 'LP402', 'LP403', 'LP207', 'LP304', 'LP600']);

/** A diagnostic as one comparable line. */
export const diagnosticKey = (d: Diagnostic): string =>
  `${d.line}:${d.startColumn}-${d.endLine ?? d.line}:${d.endColumn} ${d.severity} ${d.code} ${d.message}`;

/** xorshift32, as in scripts/gen-lp.mjs. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
