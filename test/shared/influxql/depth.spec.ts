import { describe, expect, it } from 'vitest';

import { MAX_EXPR_DEPTH, parseQuery } from '../../../shared/influxql/parser';
import { validateQuery } from '../../../shared/influxql/validate';
import { autoQueryMethod } from '../../../shared/query/script';

/**
 * Deep expressions: influxd accepts a WHERE of 8,000 ORs; the local parser must answer with a clear
 * message (never a stack overflow), and running the query must not depend on it.
 */

const ors = (n: number) =>
  `SELECT * FROM cpu WHERE ${Array.from({ length: n }, (_, i) => `host='h${i}'`).join(' OR ')}`;

describe('expression depth', () => {
  it.each([
    ['8,000 ORs', ors(8000)],
    ['5,000 nested parentheses', `SELECT * FROM cpu WHERE ${'('.repeat(5000)}a=1${')'.repeat(5000)}`],
    ['3,000 nested calls', `SELECT ${'abs('.repeat(3000)}v${')'.repeat(3000)} FROM cpu`],
    ['2,000 nested subqueries', `SELECT v FROM ${'(SELECT v FROM '.repeat(2000)}cpu${')'.repeat(2000)}`],
  ])('%s: a clear parse error, not a crash', (_name, q) => {
    const parsed = parseQuery(q);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(
      /^the expression nests more than 1000 levels deep, beyond what the workbench checks locally/,
    );
    const v = validateQuery(q);
    expect(v.diagnostics[0]?.message).toMatch(/nests more than 1000 levels/);
  });

  it(`just under the limit (${MAX_EXPR_DEPTH - 1} terms) parses, validates and passes every flavor check`, () => {
    const q = ors(MAX_EXPR_DEPTH - 1);
    expect(parseQuery(q).ok).toBe(true);
    for (const flavor of ['1.x', '2.x', 'cloud-dedicated', 'core'] as const)
      expect(validateQuery(q, { flavor }).diagnostics).toEqual([]);
  });

  it('the query path does not depend on the local parser: method auto still decides', () => {
    expect(autoQueryMethod(ors(8000))).toBe('GET');
    expect(autoQueryMethod(`SELECT * INTO x FROM cpu WHERE ${'('.repeat(5000)}a=1${')'.repeat(5000)}`)).toBe('POST');
  });
});
