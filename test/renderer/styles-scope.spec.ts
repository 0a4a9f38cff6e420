import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

/**
 * The app's stylesheet must not reach into third-party widgets: a generic `.main { padding; overflow }`
 * once matched Monaco's own `.main` inside every suggestion row and cut the rows to a few pixels.
 * Every rule lives in one `@scope` that stops at Monaco and uPlot, except the page basics and the app's
 * own decoration classes inside them.
 */

const CSS = fs.readFileSync(path.join(__dirname, '..', '..', 'renderer', 'src', 'styles.css'), 'utf8');

/** Top-level blocks of a stylesheet: prelude (selector or at-rule) and body. */
function topLevelBlocks(css: string): Array<{ prelude: string; body: string }> {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: Array<{ prelude: string; body: string }> = [];
  let depth = 0;
  let start = 0;
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) {
        out.push({ prelude: text.slice(start, open).trim(), body: text.slice(open + 1, i) });
        start = i + 1;
      }
    }
  }
  expect(depth).toBe(0);
  return out;
}

const PAGE_BASICS = new Set([':root', 'html,\nbody,\n#root', 'body']);
const LIMITS = ['.monaco-editor', '.monaco-aria-container', '.context-view', '.quick-input-widget', '.uplot'];
// Rules that style the app's own decoration classes inside Monaco.
const OWN_CLASSES_IN_WIDGETS = /^\.monaco-editor \.server-error-(?:line|glyph)(?:::before)?$/;

describe('styles.css scoping', () => {
  const blocks = topLevelBlocks(CSS);

  it('keeps every app rule inside one @scope that stops at Monaco and uPlot', () => {
    const scopes = blocks.filter((b) => b.prelude.startsWith('@scope'));
    expect(scopes).toHaveLength(1);
    const prelude = scopes[0]!.prelude;
    expect(prelude).toMatch(/^@scope \(#root\) to \(/);
    for (const limit of LIMITS) expect(prelude).toContain(limit);
    // The scope holds the bulk of the stylesheet (a guard against an empty scope and rules moved out).
    expect(scopes[0]!.body.split('}').length).toBeGreaterThan(200);
  });

  it('has no unscoped rule except the page basics and the app classes inside widgets', () => {
    const unscoped = blocks
      .filter((b) => !b.prelude.startsWith('@scope'))
      .map((b) => b.prelude)
      .filter((p) => !PAGE_BASICS.has(p) && !p.split(',').every((s) => OWN_CLASSES_IN_WIDGETS.test(s.trim())));
    expect(unscoped).toEqual([]);
  });
});
