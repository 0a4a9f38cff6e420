import { describe, expect, it } from 'vitest';

import type { LineEdit, LpOptions } from '../../../shared/lp';
import { createLpDocument, orderSafeFixes, planSafeFixes, validateLineProtocol } from '../../../shared/lp';

/** "Apply all safe fixes": the order fixes are tried in, and the re-validation after each. */

function apply(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const l = lines[e.line - 1]!;
    lines[e.line - 1] = l.slice(0, e.startColumn - 1) + e.text + l.slice(e.endColumn - 1);
  }
  return lines.join('\n');
}

function errors(text: string, options: LpOptions): string[] {
  return validateLineProtocol(text, options)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);
}

const TAB_LINE = 'cpu,host=b\tusage=2';

describe('orderSafeFixes', () => {
  it('puts the tab the parser tripped on before the escape of the `=` it led to (1.x, 2.x)', () => {
    for (const flavor of ['1.x', '2.x'] as const) {
      const diags = createLpDocument({ flavor }, TAB_LINE).diagnostics();
      // Both are offered as safe: the invalid tag's escape, and the tab.
      expect(diags.map((d) => [d.code, d.fixes?.find((f) => f.isSafe)?.title])).toEqual([
        ['LP104', 'Escape the equals sign in the tag value'],
        ['LP502', 'Replace the tab with a space'],
      ]);
      expect(orderSafeFixes(diags).map((c) => c.fix.title)).toEqual([
        'Replace the tab with a space',
        'Escape the equals sign in the tag value',
      ]);
    }
  });

  it('keeps position order among fixes of the same rank', () => {
    const diags = createLpDocument({ flavor: '1.x' }, 'm f=1.,g=.5 1').diagnostics();
    const ordered = orderSafeFixes(diags);
    expect(ordered.map((c) => c.fix.title)).toEqual(['Write 1.0', 'Write 0.5']);
  });
});

describe('planSafeFixes', () => {
  it('replaces the tab and leaves the `=` alone: the line becomes valid', () => {
    for (const flavor of ['1.x', '2.x', 'core', 'cloud-dedicated'] as const) {
      const plan = planSafeFixes(TAB_LINE, { flavor });
      expect(plan.applied, flavor).toEqual([{ line: 1, title: 'Replace the tab with a space' }]);
      expect(plan.refused, flavor).toEqual([]);
      expect(plan.edits, flavor).toEqual([{ line: 1, startColumn: 11, endColumn: 12, text: ' ' }]);
      const fixed = apply(TAB_LINE, plan.edits);
      expect(fixed).toBe('cpu,host=b usage=2');
      expect(errors(fixed, { flavor }), flavor).toEqual([]);
    }
  });

  it('refuses a safe fix that leaves a new error, and says which error', () => {
    // With the tab's fix out of the way (a tab inside a parsed string is data: no fix is offered for it),
    // escaping the `=` alone turns "invalid tag format" into "missing fields": not applied.
    const text = 'cpu,host=b\tusage=2';
    const diags = createLpDocument({ flavor: '1.x' }, text).diagnostics();
    const escapeOnly = diags.filter((d) => d.code === 'LP104');
    expect(orderSafeFixes(escapeOnly).map((c) => c.fix.title)).toEqual(['Escape the equals sign in the tag value']);
    const plan = planSafeFixes(text.replace('\t', '\u0001'), { flavor: '1.x' });
    expect(plan.applied).toEqual([]);
    expect(plan.refused).toEqual([
      {
        line: 1,
        title: 'Escape the equals sign in the tag value',
        error: "unable to parse 'cpu,host=b\u0001usage\\=2': missing fields",
      },
    ]);
    expect(plan.edits).toEqual([]);
  });

  it('re-validates across lines: a fix that makes a later line conflict is refused', () => {
    // Line 1 does not parse (tab); replaced, it would write usage as a string before line 2 writes a float.
    const text = 'cpu,host=b\tusage="x"\ncpu usage=2';
    expect(errors(text, { flavor: '1.x' })).toHaveLength(1);
    const plan = planSafeFixes(text, { flavor: '1.x' });
    expect(plan.applied).toEqual([]);
    expect(plan.refused.map((r) => r.title)).toContain('Replace the tab with a space');
    expect(plan.refused.find((r) => r.title === 'Replace the tab with a space')?.error).toMatch(/field type conflict/);
    expect(plan.edits).toEqual([]);
  });

  it('keeps fixes that only work together: both smart quotes of one string', () => {
    const text = 'm s=“hello”\ncpu usage=1';
    const plan = planSafeFixes(text, { flavor: '1.x' });
    expect(plan.refused).toEqual([]);
    expect(plan.applied.map((a) => a.title)).toEqual(['Replace with "', 'Replace with "']);
    expect(apply(text, plan.edits)).toBe('m s="hello"\ncpu usage=1');
  });

  it('fixes several lines at once with minimal edits, and keeps what needs no fix', () => {
    const text = '\uFEFFcpu v=1\r\nok v=2\nm f=1. 1';
    const plan = planSafeFixes(text, { flavor: '1.x' });
    expect(plan.refused).toEqual([]);
    expect(plan.applied.map((a) => a.title).sort()).toEqual([
      'Convert CRLF to LF',
      'Remove the byte order mark',
      'Write 1.0',
    ]);
    expect(apply(text, plan.edits)).toBe('cpu v=1\nok v=2\nm f=1.0 1');
    expect(plan.edits.map((e) => e.line)).toEqual([1, 3]);
  });
});
