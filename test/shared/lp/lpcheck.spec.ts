import { describe, expect, it } from 'vitest';

import type { LpEntry, Point } from '../../../shared/lp/types';
import { validateLineProtocol } from '../../../shared/lp/validate';
import { fixture } from './support';

/**
 * Differential conformance with InfluxDB 1.6's own parser. The verdicts were produced by
 * `lpcheck` (../shared/tools/lpcheck, built on models.ParsePointsWithPrecision):
 * - edge / multiline: the corpus files, copied as they are;
 * - fuzz-golden.json: `node scripts/gen-lp.mjs fuzz 20251122 600 <lpcheck>` — seeded mutations of
 *   valid lines (stray quotes, backslashes, newlines, CR, tabs, NUL, NBSP...), whole bodies, so
 *   line splitting is compared too.
 * Every entry must agree: where it starts, accepted or not, the exact error text, and the point.
 * There are no known disagreements.
 */

interface Verdict {
  line: number;
  ok: boolean;
  skip?: 'blank' | 'comment';
  error?: string;
  measurement?: string;
  tags?: Record<string, string>;
  fields?: Record<string, { type: string; value: unknown }>;
  time?: number | null;
}

const ndjson = (name: string): Verdict[] =>
  fixture(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Verdict & { summary?: boolean })
    .filter((v) => !('summary' in v));

function compareFields(p: Point, v: Verdict): void {
  const mine = new Map<string, { type: string; value: unknown }>();
  for (const f of p.fields) mine.set(f.key, { type: f.type, value: f.value });
  expect([...mine.keys()].sort()).toEqual(Object.keys(v.fields ?? {}).sort());
  for (const [k, want] of Object.entries(v.fields ?? {})) {
    const got = mine.get(k)!;
    expect(got.type).toBe(want.type);
    if (typeof want.value === 'number' && typeof got.value === 'bigint') expect(Number(got.value)).toBe(want.value);
    else if (want.type === 'integer' || want.type === 'unsigned') expect(String(got.value)).toBe(String(want.value));
    else if (want.type === 'float') expect(Object.is(got.value, want.value) || got.value === want.value).toBe(true);
    else expect(got.value).toEqual(want.value);
  }
}

/** Compares our entries with lpcheck's verdicts; `all` when the verdicts include blank/comment lines. */
function compare(input: string, verdicts: Verdict[], all: boolean): void {
  const v = validateLineProtocol(input, { flavor: '1.x', precision: 's', hints: false, collectPoints: true });
  const points = v.points ?? [];
  let pi = 0;
  const entries = v.entries.filter((e: LpEntry) => all || e.kind === 'point');
  // lpcheck reports an empty block (an empty line) as blank only with -all; we always report it.
  expect(entries.map((e) => e.line)).toEqual(verdicts.map((x) => x.line));
  for (let i = 0; i < verdicts.length; i++) {
    const want = verdicts[i]!;
    const e = entries[i]!;
    const ctx = `line ${want.line} of ${JSON.stringify(input).slice(0, 300)}`;
    if (want.skip !== undefined) {
      expect(e.kind, ctx).toBe(want.skip);
      continue;
    }
    expect(e.kind, ctx).toBe('point');
    expect(e.parsed, ctx).toBe(want.ok);
    if (!want.ok) {
      expect(e.diagnostics[0]?.message, ctx).toBe(want.error);
      continue;
    }
    const p = points[pi++]!;
    expect(p.measurement, ctx).toBe(want.measurement);
    expect(Object.fromEntries(p.tags), ctx).toEqual(want.tags);
    compareFields(p, want);
    expect(p.timestampNs === null ? null : Number(p.timestampNs), ctx).toBe(want.time ?? null);
  }
}

describe('InfluxDB 1.6 parser verdicts (lpcheck)', () => {
  it('edge.lp (precision s)', () => {
    compare(fixture('edge.lp'), ndjson('edge.s.expected.ndjson'), false);
  });

  it('multiline.lp: strings spanning lines, comments, blank lines, CRLF', () => {
    compare(fixture('multiline.lp'), ndjson('multiline.s.expected.ndjson'), true);
  });

  const golden = JSON.parse(fixture('fuzz-golden.json')) as { cases: { input: string; verdicts: Verdict[] }[] };
  it(`fuzz-golden.json: ${golden.cases.length} mutated bodies agree entry by entry`, () => {
    for (const c of golden.cases) compare(c.input, c.verdicts, true);
  });
});
