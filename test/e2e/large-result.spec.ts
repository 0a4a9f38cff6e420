// @vitest-environment node
import fs from 'node:fs/promises';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * A 200,000-row result from a real influxd 1.6, in Chromium (browser mode): main keeps the rows, the
 * page receives small answers (measured: the bytes of every bridge response the page gets), the
 * table scrolls to the last row with its exact int64, the chart draws a sample it says is a sample,
 * and the CSV export has every row. The connection form's query limits then end a result cleanly.
 */

const ROWS = 200_000;

/** The part of a `query:run` bridge answer this spec reads. */
interface ResultIdBody {
  data: { result: { resultId: string } };
}
const T0 = 1_600_000_000;
const LAST_V = '9223372036854775807';

// One story on one 200,000-row result: the chart and export use the result the first test ran, and the
// limits test counts it as the first of two, so the file keeps its order under --sequence.shuffle (shuffle: false).
describe('a 200,000-row result in Chromium against influxd 1.6', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;
  /** Every bridge response the page received: channel and body bytes. */
  const received: Array<{ channel: string; bytes: number }> = [];
  /** The result ids `query:run` handed the page, in order. */
  const resultIds: string[] = [];

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE big');
    for (let start = 0; start < ROWS; start += 50_000) {
      const lines: string[] = [];
      for (let i = start; i < start + 50_000; i++)
        lines.push(`m,host=h${i % 4} v=${i === ROWS - 1 ? LAST_V : i}i,f=${(i % 1000) / 8},s="r${i}" ${T0 + i}`);
      const res = await fetch(`${influx.url}/write?db=big&precision=s`, { method: 'POST', body: lines.join('\n') });
      expect(res.status).toBe(204);
    }
    app = await startE2eApp({
      name: 'large-result',
      beforeOpen: (p) =>
        p.on('response', (res) => {
          const m = /\/api\/invoke\/([a-z]+:[a-z]+)/.exec(res.url());
          if (m)
            void res.body().then(
              (b) => {
                received.push({ channel: m[1]!, bytes: b.byteLength });
                if (m[1] === 'query:run')
                  resultIds.push((JSON.parse(b.toString()) as ResultIdBody).data.result.resultId);
              },
              () => {},
            );
        }),
    });
    page = app.page;
    await page.setViewportSize(WINDOW_SIZES[1]);
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.locator('input[name="name"]').fill('Big');
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('select[name="flavor"]').selectOption('1.x');
    await page.locator('input[name="db"]').fill('big');
    await page.locator('select[name="authScheme"]').selectOption('none');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('tab-query').click();
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const table = () => page.getByTestId('result-table');
  const bytesOf = (channel: string) => received.filter((r) => r.channel === channel).map((r) => r.bytes);

  it('scrolls to the last row; every answer the page receives stays small', { timeout: 240_000 }, async () => {
    await page.locator('select[name="epoch"]').selectOption('ns');
    await app.setEditorText('SELECT v, f, s FROM m', 'iql-editor');
    await page.getByTestId('run-query').click();
    await page.getByTestId('row-count').waitFor({ timeout: 180_000 });
    await expect(page.getByTestId('row-count').textContent()).resolves.toContain('200,000 rows');
    const scroller = table().locator('.vt-scroll');
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const lastRow = table().locator(`.vt-row[aria-rowindex="${ROWS + 1}"]`);
    // The last row arrives from main as a page: its int64 is exact (9223372036854775807 is not a double).
    await expect.poll(() => lastRow.textContent(), { timeout: 30_000 }).toContain(LAST_V);
    expect(await lastRow.textContent()).toContain(`r${ROWS - 1}`);
    await app.shot('70-large-result-last-row');
    // And back to the middle: rows come again, as pages.
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await expect.poll(() => table().locator('.vt-row[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);

    const run = bytesOf('query:run');
    const pages = bytesOf('query:page');
    expect(run).toHaveLength(1);
    expect(pages.length).toBeGreaterThan(0);
    // query:run: the overview with 200 rows plus a 64 KiB body preview. A page: 500 rows.
    expect(run[0]!).toBeLessThan(160 * 1024);
    expect(Math.max(...pages)).toBeLessThan(64 * 1024);
    const total = received.reduce((n, r) => n + r.bytes, 0);
    // The whole result as JSON is about 9 MB; the page got a small fraction of it.
    expect(total).toBeLessThan(1024 * 1024);
    console.info(
      `large-result: query:run ${run[0]} B, ${pages.length} query:page answers (max ${Math.max(...pages)} B), ` +
        `all bridge answers ${total} B`,
    );
  });

  it('the chart draws a sample of real rows and says so', { timeout: 120_000 }, async () => {
    await page.getByTestId('chart-toggle').click();
    await page.locator('[data-testid="result-chart"] canvas').first().waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('chart-sampled').textContent()).resolves.toMatch(/of 200,000 rows/);
    const chart = bytesOf('query:chart');
    expect(chart).toHaveLength(1);
    expect(chart[0]!).toBeLessThan(4 * 1024 * 1024);
    await app.shot('71-large-result-chart');
    await page.getByRole('button', { name: 'Table' }).click();
  });

  it('exports every row (main writes the file)', { timeout: 120_000 }, async () => {
    await page.getByTestId('export-csv').click();
    const file = await page.getByTestId('export-path').textContent({ timeout: 60_000 });
    const lines = (await fs.readFile(file!, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe('name,time,v,f,s');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1]).toBe(`m,${T0}000000000,0,0,r0`);
    expect(lines[ROWS]).toBe(`m,${T0 + ROWS - 1}000000000,${LAST_V},${((ROWS - 1) % 1000) / 8},r${ROWS - 1}`);
    await expect(page.getByTestId('result-notice').textContent()).resolves.toContain('200,000 rows');
  });

  it("the connection's query limits end a result cleanly, saying how to narrow it", { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Edit Big' }).click();
    await page.locator('input[name="queryMaxRows"]').fill('50000');
    await app.shot('72-connection-query-limits');
    await expectNoWindowOverflow(page);
    await page.getByTestId('save-connection').click();
    await page.getByTestId('tab-query').click();
    await page.getByTestId('run-query').click();
    await expect(page.getByTestId('query-error').textContent({ timeout: 60_000 })).resolves.toMatch(
      /stopped at 50,000 rows.*Narrow the query.*edit "Big" → Query result limits/,
    );
    await expect(page.getByTestId('row-count').textContent()).resolves.toContain('50,000 rows');
    // The first result's view is gone: main freed its rows. The new one is kept.
    expect(resultIds).toHaveLength(2);
    const page0 = (resultId: string) =>
      app.ctx.handlers['query:page']({ resultId, statement: 0, series: 0, offset: 0, limit: 1 });
    await expect
      .poll(() =>
        page0(resultIds[0]!).then(
          () => 'kept',
          (e: Error) => e.message,
        ),
      )
      .toMatch(/no longer kept/);
    expect((await page0(resultIds[1]!)).rows).toHaveLength(1);
    expect(app.pageErrors).toEqual([]);
  });
});
