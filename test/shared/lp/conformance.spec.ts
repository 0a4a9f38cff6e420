import { describe, expect, it } from 'vitest';

import type { Flavor, WriteApi } from '../../../shared/lp/flavors';
import type { Point, PointField } from '../../../shared/lp/types';
import type { LpValidation } from '../../../shared/lp/validate';
import { validateLineProtocol } from '../../../shared/lp/validate';
import { fixture, NOW } from './support';

/**
 * Conformance against `lp-cases.json` (influx-api.md §13): every vector, for its flavor.
 * Parser-level vectors are compared on the parser verdict (`entry.parsed`) and, where the vector
 * gives it, on the exact error text and the parsed point; write-path vectors (IOx row conversion,
 * Core HTTP) are compared on the whole verdict (no error diagnostic at all).
 */

interface Case {
  input: string;
  precision: string;
  ok: boolean;
  flavor: '1.x' | '2.x' | '3.x' | 'both';
  expect: string;
  source: string;
  note?: string;
}

const cases = JSON.parse(fixture('lp-cases.json')) as Case[];

/**
 * Deliberate disagreements: vectors whose verdict depends on something an offline validator
 * cannot know. Each must be documented by the reference (influx-api.md).
 */
const DISAGREEMENTS: { input: string; flavor: Flavor; reason: string }[] = [
  {
    input: 't0,t0_tag0=initTag t0_f0=0u 2998574930\nt0,t0_tag0=initTag t0_f0=1u 2998574931',
    flavor: 'core',
    reason:
      'The vector is refused only because an earlier request created t0_f0 as integer; the body itself is consistent. ' +
      ('influx-api.md §5 ("field type fixed on first write ... per table, forever") documents ' +
        'that this depends on the server schema, which an offline validator does not have.'),
  },
];

const IOX: Flavor[] = ['cloud-dedicated', 'clustered', 'serverless'];
const RUST: Flavor[] = [...IOX, 'core'];

function run(c: Case, flavor: Flavor, api?: WriteApi): LpValidation {
  const unsigned = c.note?.includes('uint support enabled') === true && !c.note.includes('2.x parser differs');
  return validateLineProtocol(c.input, { flavor, precision: c.precision, api, unsigned, now: NOW, hints: false });
}

function parsedAll(v: LpValidation): boolean {
  return v.entries.every((e) => e.kind !== 'point' || e.parsed);
}

function verdict(v: LpValidation): boolean {
  return v.diagnostics.every((d) => d.severity !== 'error');
}

/** Go's `%v` for float64 (strconv 'g', shortest): exponent form when exp < -4 or exp >= 6. */
function goFloat(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (x === 0) return '0';
  const [mant = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

function goField(f: PointField): string {
  switch (f.type) {
    case 'float':
      return `${f.key}=float64(${goFloat(f.value as number)})`;
    case 'integer':
      return `${f.key}=int64(${String(f.value)})`;
    case 'unsigned':
      return `${f.key}=uint64(${String(f.value)})`;
    case 'string':
      return `${f.key}=string(${String(f.value)})`;
    default:
      return `${f.key}=bool(${String(f.value)})`;
  }
}

/** The corpus' 1.x point description: `measurement="m" tags={...} fields=[...] time=...`. */
function describePoint(p: Point): string {
  let s = `measurement=${JSON.stringify(p.measurement)}`;
  if (p.tags.length > 0) {
    const tags = [...p.tags].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    s += ` tags={${tags.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  }
  const last = new Map<string, PointField>();
  for (const f of p.fields) last.set(f.key, f);
  const fields = [...last.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  s += ` fields=[${fields.map(goField).join(', ')}]`;
  s += ` time=${p.timestampNs === null ? '<server time>' : String(p.timestampNs)}`;
  return s;
}

/** Checks a 1.x (Go parser) expectation string against our result. */
function checkGo(c: Case, expect: string, flavor: Flavor): void {
  const v = run(c, flavor);
  const errors = v.entries
    .filter((e) => e.kind === 'point' && !e.parsed)
    .map((e) => e.diagnostics.find((d) => d.code < 'LP2')?.message);
  for (const m of errors) {
    expectIn(expect, `Err: ${m ?? '?'}`, c);
  }
  const pts = collectPoints(c, flavor);
  if (expect.includes('point(s):')) {
    const body = expect
      .slice(expect.indexOf('point(s):') + 'point(s):'.length)
      .split(' ; Err:')[0]!
      .trim();
    const mine = pts.map(describePoint).join(' | ');
    expectEqual(mine, body, c);
    const n = Number(/(\d+) point\(s\)/.exec(expect)?.[1] ?? '0');
    expectEqual(pts.length, n, c);
  } else if (expect.includes('0 points')) {
    expectEqual(pts.length, 0, c);
  }
}

function collectPoints(c: Case, flavor: Flavor): Point[] {
  const unsigned = c.note?.includes('uint support enabled') === true;
  const v = validateLineProtocol(c.input, {
    flavor,
    precision: c.precision,
    unsigned,
    now: NOW,
    hints: false,
    collectPoints: true,
  });
  return v.points ?? [];
}

function expectIn(haystack: string, needle: string, c: Case): void {
  if (!haystack.includes(needle)) {
    throw new Error(
      `${JSON.stringify(c.input).slice(0, 200)}\n  expected to find: ${needle.slice(0, 300)}\n  in: ${haystack.slice(0, 300)}`,
    );
  }
}

function expectEqual(a: unknown, b: unknown, c: Case): void {
  if (a !== b)
    throw new Error(
      `${JSON.stringify(c.input).slice(0, 200)}\n  got:      ${String(a).slice(0, 400)}\n  expected: ${String(b).slice(0, 400)}`,
    );
}

describe('lp-cases.json conformance', () => {
  it('has the documented number of vectors', () => {
    expect(cases.length).toBe(321);
  });

  for (const [i, c] of cases.entries()) {
    const title = `#${i} [${c.flavor}] ${JSON.stringify(c.input).slice(0, 70)}`;
    if (c.flavor === '1.x') {
      it(title, () => {
        const v = run(c, '1.x');
        expectEqual(parsedAll(v), c.ok, c);
        checkGo(c, c.expect, '1.x');
      });
    } else if (c.flavor === 'both') {
      it(title, () => {
        const [rust = '', go = ''] = c.expect.split(' || ');
        const v1 = run(c, '1.x');
        expectEqual(parsedAll(v1), c.ok, c);
        checkGo(c, go, '1.x');
        for (const f of RUST) {
          const v = run(c, f);
          expectEqual(parsedAll(v), c.ok, c);
          // Single-entry Rust errors are quoted exactly (minus the vector's explanation in parentheses).
          const failed = v.entries.filter((e) => e.kind === 'point' && !e.parsed);
          const m = /^3\.x: Err: (.*)$/.exec(rust);
          if (m !== null && failed.length === 1) {
            const raw = m[1]!;
            const want = (/^(.*`) \(.*\)$/.exec(raw) ?? /^([^`(]*?) \(.*\)$/.exec(raw))?.[1] ?? raw;
            if (!/^[A-Z][a-z]+[A-Z]/.test(want)) {
              const d = failed[0]!.diagnostics[0]!;
              const reason = d.message.replace(/^error parsing line \d+ \(1-based\): /, '');
              expectEqual(reason, want, c);
            }
          }
        }
      });
    } else if (c.flavor === '2.x') {
      it(title, () => {
        const v = run(c, '2.x', 'v2');
        expectEqual(parsedAll(v), c.ok, c);
        if (!c.ok) {
          const msg = v.diagnostics.find((d) => d.severity === 'error')?.message ?? '';
          expectIn(c.expect, msg, c);
        }
      });
    } else {
      const parserLevel = c.source.includes('influxdb_line_protocol');
      const iox = c.source.includes('mutable_batch_lp');
      const flavors: Flavor[] = parserLevel ? RUST : iox ? IOX : ['core'];
      for (const f of flavors) {
        const skip = DISAGREEMENTS.find((d) => d.input === c.input && d.flavor === f);
        it(`${title} on ${f}${skip ? ' (documented disagreement)' : ''}`, () => {
          const api: WriteApi | undefined = f === 'core' ? 'v3' : undefined;
          const v = run(c, f, api);
          const got = parserLevel ? parsedAll(v) : verdict(v);
          if (skip) {
            expect(got).toBe(!c.ok);
            return;
          }
          expectEqual(got, c.ok, c);
          if (c.note?.includes('Core/Enterprise') || c.note?.includes('InfluxDB 3 Core/Enterprise rejects')) {
            // The same body on Core: refused (duplicate field names).
            expect(verdict(run(c, 'core', 'v3'))).toBe(false);
          }
        });
      }
    }
  }
});
