// @vitest-environment node
import fs from 'node:fs/promises';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectInside, expectLastColumnVisible, expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * Query results as a new user sees them, against influxd 1.6: a GROUP BY result with five series is
 * exported whole (CSV with the tag column), charted whole (one line per series, a legend that is on
 * screen and toggles lines), the chart fits its box and its y-axis labels are not cut; the table's last
 * column is on screen; the results keep the epoch the query ran with. At 1024×700 and 1440×900.
 */

const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4'];
const T0 = 1_700_000_000;

describe('query results in Chromium against influxd 1.6', () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE fleet');
    const lines: string[] = [];
    // Values up to 200,000: the y-axis labels are seven characters wide.
    for (let i = 0; i < 10; i++)
      HOSTS.forEach((h, k) =>
        lines.push(`load,host=${h} value=${(k + 1) * 40_000 - i * 100},cpus=${k + 1}i ${T0 + i * 60}`),
      );
    lines.push(`notes,host=h0 text="hello" ${T0}`);
    const res = await fetch(`${influx.url}/write?db=fleet&precision=s`, { method: 'POST', body: lines.join('\n') });
    expect(res.status).toBe(204);
    app = await startE2eApp({ name: 'results' });
    page = app.page;
    await page.setViewportSize(WINDOW_SIZES[1]);
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.locator('input[name="name"]').fill('Fleet');
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('select[name="flavor"]').selectOption('1.x');
    await page.locator('input[name="db"]').fill('fleet');
    await page.locator('select[name="authScheme"]').selectOption('none');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('tab-query').click();
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  async function runQuery(q: string, epoch: string): Promise<void> {
    await page.locator('select[name="epoch"]').selectOption(epoch);
    await app.setEditorText(q, 'iql-editor');
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').waitFor({ timeout: 15_000 });
  }

  // Each test starts from the same state (the window at 1440×900, the GROUP BY result in ms, as a
  // table), so the tests do not depend on the order they run in.
  beforeEach(async () => {
    await page.setViewportSize(WINDOW_SIZES[1]);
    await runQuery('SELECT value, cpus FROM load GROUP BY host', 'ms');
    await page.getByRole('button', { name: 'Table', exact: true }).click();
    await page.getByTestId('result-table').waitFor();
  });

  const firstTimeCell = () => page.locator('[data-testid="result-table"] .vt-row').first().locator('.vt-cell').first();

  it('exports every series of a GROUP BY, with the tag column', async () => {
    await runQuery('SELECT value, cpus FROM load GROUP BY host', 'ms');
    await expect(page.getByTestId('row-count').textContent()).resolves.toContain('10 rows (50 in all)');
    // Main writes the whole result (browser mode: into the data folder's exports/) and shows where.
    await page.getByTestId('export-csv').click();
    const csv = await fs.readFile((await page.getByTestId('export-path').textContent({ timeout: 15_000 }))!, 'utf8');
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('name,host,time,value,cpus');
    expect(rows).toHaveLength(1 + 50);
    for (const h of HOSTS) expect(rows.filter((r) => r.startsWith(`load,${h},`))).toHaveLength(10);
    expect(rows[1]).toBe(`load,h0,${T0 * 1000},40000,1`);
    await expect(page.getByTestId('export-csv').textContent()).resolves.toContain('(5 series)');
  });

  it('keeps the epoch the query ran with when the form changes afterwards', async () => {
    const shown = await firstTimeCell().textContent();
    expect(shown).toBe('2023-11-14T22:13:20Z');
    // Not run again: the rows are still milliseconds and must not be read as seconds now.
    await page.locator('select[name="epoch"]').selectOption('s');
    await expect(firstTimeCell().textContent()).resolves.toBe(shown);
    await page.locator('select[name="epoch"]').selectOption('ms');
  });

  const table = () => page.getByTestId('result-table');
  const scroller = () => table().locator('.vt-scroll');

  it('shows the last table column on screen, and nothing overflows the window', async () => {
    await expectLastColumnVisible(page, table(), scroller());
    await expectNoWindowOverflow(page);
    // Wider than the pane at 1440 px: the table scrolls sideways as a whole, head and rows together.
    await runQuery(
      'SELECT value, cpus, value * 2 AS v2, cpus * 2 AS c2, value + 1 AS v3, cpus + 1 AS c3, value - 1 AS last_one FROM load GROUP BY host',
      'ms',
    );
    await expect(table().locator('[role="columnheader"]').last().textContent()).resolves.toBe('last_one');
    await app.shot('60-results-table-1440');
    await expectLastColumnVisible(page, table(), scroller());
    await expectNoWindowOverflow(page);
    await scroller().evaluate((el) => (el.scrollLeft = 0));
    await runQuery('SELECT value, cpus FROM load GROUP BY host', 'ms');
  });

  it('charts every series in its box, with readable axes and a legend on screen that toggles lines', async () => {
    await page.getByTestId('chart-toggle').click();
    const chart = page.getByTestId('result-chart');
    const canvas = chart.locator('canvas').first();
    await canvas.waitFor();
    const entries = chart.locator('.legend-item');
    await expect.poll(() => entries.count()).toBe(10); // value and cpus for each of 5 hosts
    await expect(entries.first().textContent()).resolves.toBe('value {host=h0}');
    for (const size of WINDOW_SIZES) {
      await page.setViewportSize(size);
      // The plot follows its container's width (ResizeObserver): wait for that state, then measure.
      await expect
        .poll(() =>
          page.evaluate(() => {
            const frame = document.querySelector('.chart-frame')!.getBoundingClientRect();
            const plot = document.querySelector('.chart-frame .uplot')!.getBoundingClientRect();
            return Math.abs(frame.width - plot.width) <= 1;
          }),
        )
        .toBe(true);
      // At 1024×700 the chart is below the fold: the user scrolls to it (earlier tests once left it scrolled so).
      await chart.getByTestId('chart-legend').scrollIntoViewIfNeeded();
      await app.shot(`61-results-chart-${size.width}`);
      await expectInside(canvas, chart, `chart canvas at ${size.width}px`);
      await expectInside(chart.getByTestId('chart-legend'), page.locator('main'), `legend at ${size.width}px`);
      const legend = (await chart.getByTestId('chart-legend').boundingBox())!;
      expect(legend.y + legend.height, 'legend above the fold').toBeLessThanOrEqual(size.height);
      await expectNoWindowOverflow(page);
    }
    // The y axis is as wide as "200,000" in its font, plus ticks and gap (uPlot's default 50 px cut it).
    const fit = await page.evaluate(() => {
      const over = document.querySelector('.chart-frame .u-over') as HTMLElement;
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
      return { left: over.offsetLeft, label: ctx.measureText('200,000').width };
    });
    expect(fit.left).toBeGreaterThanOrEqual(fit.label + 15);
    await entries.first().click();
    await expect(entries.first().getAttribute('aria-pressed')).resolves.toBe('false');
    await page.getByTestId('legend-toggle').click();
    await chart.getByTestId('chart-legend').waitFor({ state: 'detached' });
  });

  it('explains a query error from the catalogue, with code shown as code', async () => {
    await runQuery('SELECT mean(text) FROM notes', '');
    await expect(page.getByTestId('statement-error').textContent()).resolves.toContain(
      'unsupported mean iterator type: *query.stringInterruptIterator',
    );
    const card = page.getByTestId('query-explanation').getByTestId('explanation-entry').first();
    await expect(card.locator('h4').textContent()).resolves.toBe('Function not supported for this field type');
    await expect(card.textContent()).resolves.toContain('Function: mean() on a string field.');
    // The catalogue's `backticks` are rendered as code, never shown literally.
    expect(await card.locator('code.inline-code').count()).toBeGreaterThan(0);
    await expect(card.textContent()).resolves.not.toContain('`');
    await app.shot('63-query-error-explained');
    await runQuery('SELECT value, cpus FROM load GROUP BY host', 'ms');
  });

  it('keeps the table inside the window at 1024×700', async () => {
    await page.setViewportSize(WINDOW_SIZES[0]);
    await page.getByRole('button', { name: 'Table' }).click();
    await app.shot('62-results-table-1024');
    await expectLastColumnVisible(page, table(), scroller());
    await expectNoWindowOverflow(page);
    await page.setViewportSize(WINDOW_SIZES[1]);
  });
});
