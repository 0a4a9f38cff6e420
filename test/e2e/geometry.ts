import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Geometry assertions for e2e specs: what the user sees, not what is in the DOM. A suggestion row
 * 3 px tall, a chart wider than its box or a table column past the window edge is "in the DOM" and
 * passes a DOM test; these measure the laid-out boxes instead. Each helper waits for the element to be
 * visible, then measures once (layout is synchronous), so they are safe on a busy machine.
 */

/** A laid-out box in CSS pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

// Sub-pixel rounding of fractional layouts.
const EPSILON = 1;

async function boxOf(locator: Locator, what: string): Promise<Box> {
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  if (box === null) throw new Error(`${what} has no box (not rendered)`);
  return box;
}

/** `inner` lies entirely inside `outer` (e.g. the chart canvas inside its container). */
export async function expectInside(inner: Locator, outer: Locator, what = 'element'): Promise<void> {
  const a = await boxOf(inner, what);
  const b = await boxOf(outer, `${what}'s container`);
  const overflow = {
    left: b.x - a.x,
    top: b.y - a.y,
    right: a.x + a.width - (b.x + b.width),
    bottom: a.y + a.height - (b.y + b.height),
  };
  const out = Object.entries(overflow).filter(([, px]) => px > EPSILON);
  expect(out.map(([side, px]) => `${what} sticks out ${px.toFixed(1)}px on the ${side}`)).toEqual([]);
}

/**
 * The element's text is not clipped: its content fits its box (`scrollWidth <= clientWidth` and, unless
 * `horizontalOnly`, `scrollHeight <= clientHeight`). For widgets whose text must fit.
 */
export async function expectNotClipped(
  locator: Locator,
  what = 'element',
  options: { horizontalOnly?: boolean } = {},
): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
  const sizes = await locator.evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => ({
        text: (el.textContent ?? '').slice(0, 60),
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      })),
  );
  expect(sizes.length).toBeGreaterThan(0);
  const clipped = sizes
    .filter(
      (s) =>
        s.scrollWidth > s.clientWidth + EPSILON ||
        (!options.horizontalOnly && s.scrollHeight > s.clientHeight + EPSILON),
    )
    .map(
      (s) => `${what} "${s.text}" is clipped: ${s.scrollWidth}×${s.scrollHeight} in ${s.clientWidth}×${s.clientHeight}`,
    );
  expect(clipped).toEqual([]);
}

/**
 * Each visible element's text sits on one line: a label that wraps inside a button or a badge ("1" over
 * "error") makes its box taller than one line. The laid-out boxes of the element's text (a Range over
 * each text node; a checkbox beside the text does not count) must all share one line: no text box
 * starts below the bottom of the line before it.
 */
export async function expectOneLine(locator: Locator, what = 'element'): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
  const measured = await locator.evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => {
        const rects: DOMRect[] = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(n);
          rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0));
        }
        rects.sort((a, b) => a.top - b.top);
        // A text box that starts at or below the bottom of the line before it begins a further line.
        let lines = 0;
        let bottom = -Infinity;
        for (const r of rects) {
          if (r.top >= bottom - 1) lines++;
          bottom = Math.max(bottom, r.bottom);
        }
        return {
          text: (el.textContent ?? '').slice(0, 60),
          lines,
          height: rects.length === 0 ? 0 : Math.max(...rects.map((r) => r.bottom)) - rects[0]!.top,
          line: rects[0]?.height ?? 0,
        };
      })
      // An element without text (a spacer) has no label to wrap.
      .filter((m) => m.lines > 0),
  );
  expect(measured.length).toBeGreaterThan(0);
  const wrapped = measured
    .filter((m) => m.lines > 1)
    .map(
      (m) => `${what} "${m.text}" takes ${m.lines} lines (${m.height.toFixed(0)}px for a ${m.line.toFixed(0)}px line)`,
    );
  expect(wrapped).toEqual([]);
}

/**
 * Every visible row of Monaco's suggestion list is at least one editor line tall, and its label is
 * fully shown inside the row (not cut off by padding or overflow from outside rules).
 */
export async function expectSuggestionRowsReadable(page: Page, editor: Locator): Promise<void> {
  const rows = page.locator('.suggest-widget .monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  const lineHeight = await editor
    .locator('.view-line')
    .first()
    .evaluate((el) => el.getBoundingClientRect().height);
  expect(lineHeight).toBeGreaterThan(10);
  const measured = await rows.evaluateAll((els) =>
    els.map((row) => {
      const r = row.getBoundingClientRect();
      const label = row.querySelector('.label-name') ?? row.querySelector('.monaco-icon-label');
      const l = label?.getBoundingClientRect();
      const main = row.querySelector('.main');
      return {
        text: (row.textContent ?? '').slice(0, 40),
        rowHeight: r.height,
        labelInside: l !== undefined && l.height > 0 && l.top >= r.top - 1 && l.bottom <= r.bottom + 1,
        labelHeight: l?.height ?? 0,
        mainClipped: main !== null && main.scrollHeight > main.clientHeight + 1,
      };
    }),
  );
  expect(measured.length).toBeGreaterThan(0);
  const bad = measured
    .filter((m) => m.rowHeight < lineHeight - EPSILON || !m.labelInside || m.mainClipped || m.labelHeight < 10)
    .map((m) => `row "${m.text}": ${m.rowHeight}px tall, label ${m.labelHeight}px, inside=${m.labelInside}`);
  expect(bad).toEqual([]);
}

/**
 * The last column of a table can be seen: after scrolling the table's scroller (if any) fully to the
 * right, the last header cell and the last cell of the first row lie inside the table's box and the
 * window. A head that does not scroll with the rows, or a pane that cuts the table off, fails.
 */
export async function expectLastColumnVisible(page: Page, table: Locator, scroller?: Locator): Promise<void> {
  if (scroller) await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  const viewport = page.viewportSize()!;
  const cells = [
    table.locator('[role="columnheader"]').last(),
    table.locator('[role="row"][aria-rowindex]').first().locator('[role="cell"]').last(),
  ];
  for (const [i, cell] of cells.entries()) {
    const what = i === 0 ? 'last column header' : 'last cell of the first row';
    const box = await boxOf(cell, what);
    expect(box.x + box.width, `${what}: right edge vs window width`).toBeLessThanOrEqual(viewport.width + EPSILON);
    await expectInside(cell, table, what);
  }
}

/**
 * Nothing overflows the window: the page does not scroll sideways, and the app's main pane has no
 * horizontal overflow (a too-wide element there would be cut off or need a sideways scroll).
 */
export async function expectNoWindowOverflow(page: Page): Promise<void> {
  const m = await page.evaluate(() => {
    const doc = document.documentElement;
    const main = document.querySelector('main');
    const offenders: string[] = [];
    if (main) {
      const right = main.getBoundingClientRect().right;
      for (const el of Array.from(main.querySelectorAll<HTMLElement>('*'))) {
        // Third-party widgets lay out their own (virtual) content; their containers are checked instead.
        if (el.closest('.monaco-editor, .uplot')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 1 && el.closest('.vt-scroll, .url-preview, pre') === null)
          offenders.push(
            `${el.tagName.toLowerCase()}.${el.className} right=${r.right.toFixed(0)} > ${right.toFixed(0)}`,
          );
      }
    }
    return {
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      scrollWidth: doc.scrollWidth,
      scrollHeight: doc.scrollHeight,
      mainOverflowX: main ? main.scrollWidth - main.clientWidth : 0,
      offenders: offenders.slice(0, 5),
    };
  });
  expect(m.scrollWidth, 'page width').toBeLessThanOrEqual(m.innerWidth);
  expect(m.scrollHeight, 'page height').toBeLessThanOrEqual(m.innerHeight);
  expect(m.offenders).toEqual([]);
  expect(m.mainOverflowX, 'main pane horizontal overflow').toBeLessThanOrEqual(EPSILON);
}

/**
 * A floating widget (a menu, a hover) is fully shown: its box lies inside the window, and the page
 * paints it at its corners and centre (`elementFromPoint` hits it), so no ancestor's overflow or an
 * editor's edge cuts it off. A menu clipped by its container still has its full box in the DOM.
 */
export async function expectFullyShown(page: Page, locator: Locator, what = 'widget'): Promise<void> {
  const box = await boxOf(locator, what);
  const viewport = page.viewportSize()!;
  const outside = {
    left: -box.x,
    top: -box.y,
    right: box.x + box.width - viewport.width,
    bottom: box.y + box.height - viewport.height,
  };
  expect(
    Object.entries(outside)
      .filter(([, px]) => px > EPSILON)
      .map(([side, px]) => `${what} is ${px.toFixed(1)}px past the window's ${side} edge`),
  ).toEqual([]);
  const inset = 3;
  const points = [
    [box.x + inset, box.y + inset],
    [box.x + box.width - inset, box.y + inset],
    [box.x + inset, box.y + box.height - inset],
    [box.x + box.width - inset, box.y + box.height - inset],
    [box.x + box.width / 2, box.y + box.height / 2],
  ] as const;
  const hidden = await locator.evaluate(
    (el, pts) =>
      pts
        .filter(([x, y]) => {
          const hit = document.elementFromPoint(x, y);
          return hit === null || !(hit === el || el.contains(hit));
        })
        .map(([x, y]) => `${Math.round(x)},${Math.round(y)}`),
    points as unknown as Array<[number, number]>,
  );
  expect(hidden.map((p) => `${what} is not painted at ${p} (clipped or covered)`)).toEqual([]);
}

/** The two window sizes the layout is checked at. */
export const WINDOW_SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
