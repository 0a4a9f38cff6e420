// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { expectInside, expectNotClipped, expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * First launch with the built-in sandbox (as `npm run web` starts it), no InfluxDB installed: the
 * sandbox connection comes first and the guided demo runs through: a 204, a 400 mapped onto the
 * editor, a query with its table and chart. Screenshots in test-results/screenshots/sandbox-*.png.
 */

// The guided demo's steps in order (step 2 edits what step 1 wrote, step 3 queries it), then the management
// panel: one story, so the file keeps its order under --sequence.shuffle (shuffle: false).
describe('first launch with the sandbox, in Chromium', { shuffle: false }, () => {
  let app: E2eApp;
  let page: Page;
  beforeAll(async () => {
    app = await startE2eApp({ name: 'sandbox', sandbox: true });
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the sandbox connection first, selected, with the guided demo', async () => {
    await page.getByTestId('sandbox-panel').waitFor();
    await expect(page.getByTestId('connection-item').first().textContent()).resolves.toContain(
      'Sandbox (Cloud Dedicated)',
    );
    await expect(page.getByTestId('sandbox-state').textContent()).resolves.toContain('running at http://127.0.0.1:');
    await page.getByTestId('sandbox-guide').waitFor();
    // Its flavor is known without a ping: the profile it runs.
    await expect(page.locator('.workspace-detected').getByTestId('detected-flavor').textContent()).resolves.toBe(
      'sandbox: InfluxDB 3 Cloud Dedicated',
    );
    await app.shot('sandbox-01-first-launch');
  });

  it('step 1: writes a line and gets 204', async () => {
    await page.getByTestId('guide-write').click();
    await expect
      .poll(
        async () =>
          // Monaco renders spaces as no-break spaces
          (await page.locator('[data-testid="lp-editor"] .view-lines').innerText()).replace(/\u00a0/g, ' '),
        { timeout: 10_000 },
      )
      .toMatch(/^home,room=kitchen temp=21\.5,hum=35\.9 \d{10}/);
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    await app.shot('sandbox-02-write-204');
  });

  it('step 2: a broken line gets the Cloud Dedicated 400, mapped onto the editor', async () => {
    await page.getByTestId('guide-break').click();
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('send-anyway').check();
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '400' }).waitFor({ timeout: 15_000 });
    const body = await page.getByTestId('response-body').textContent();
    expect(body).toContain('failed to parse line protocol: errors encountered on line(s):');
    expect(body).toContain('error parsing line 2 (1-based): No fields were provided');
    await page.getByTestId('rejected-lines').waitFor();
    await expect(page.getByTestId('rejected-lines').textContent()).resolves.toContain('2');
    await app.shot('sandbox-03-write-400');
  });

  it('step 3: runs a query over the demo data and shows the table and the chart', async () => {
    await page.getByTestId('guide-query').click();
    await page.getByTestId('run-query').waitFor();
    await page.getByTestId('run-query').click();
    await page.getByTestId('result-table').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('row-count').textContent()).resolves.toMatch(/\d+ rows/);
    await page.getByTestId('chart-toggle').click();
    await page.locator('[data-testid="result-chart"] canvas').first().waitFor();
    await app.shot('sandbox-04-query-chart');
    expect(app.pageErrors).toEqual([]);
  });

  it('with the guide open, the chart is above the fold at 1440×900 and reachable at 1024×700', async () => {
    const canvas = page.locator('[data-testid="result-chart"] canvas').first();
    const panel = page.locator('.results-panel');
    const bottomOf = async (l: typeof canvas) => {
      const b = (await l.boundingBox())!;
      return b.y + b.height;
    };
    await page.setViewportSize(WINDOW_SIZES[1]);
    await page.getByTestId('sandbox-guide').waitFor();
    await app.shot('sandbox-07-guide-chart-1440');
    await expectInside(canvas, panel, 'chart');
    expect(await bottomOf(canvas)).toBeLessThanOrEqual(WINDOW_SIZES[1].height);
    await expectNoWindowOverflow(page);
    await app.shot('sandbox-07-guide-chart-1440');

    await page.setViewportSize(WINDOW_SIZES[0]);
    await expectNotClipped(page.getByTestId('sandbox-guide'), 'guided demo', { horizontalOnly: true });
    await expectNoWindowOverflow(page);
    // The results (and the workspace) scroll with the wheel, as a user does, until the whole chart is in
    // view: the results pane is never shorter than the chart, and never cuts it off.
    const p = (await panel.boundingBox())!;
    await page.mouse.move(p.x + p.width / 2, Math.min(p.y + 40, WINDOW_SIZES[0].height - 20));
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 300);
        const c = (await canvas.boundingBox())!;
        const q = (await panel.boundingBox())!;
        return c.y >= q.y - 1 && c.y + c.height <= Math.min(q.y + q.height, WINDOW_SIZES[0].height) + 1;
      })
      .toBe(true);
    await expectInside(canvas, panel, 'chart');
    await app.shot('sandbox-08-guide-chart-1024');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('the management panel lists demo and creates a database', async () => {
    await page.getByTestId('sandbox-manage').click();
    await page.getByTestId('sandbox-management').waitFor();
    await page.getByLabel('New database name').fill('mine');
    await page.getByRole('button', { name: 'Create database' }).click();
    await page.getByTestId('sandbox-management').locator('code', { hasText: 'mine' }).waitFor();
    await app.shot('sandbox-05-manage');
  });

  it('a write to a database the sandbox does not have offers Create database (its own way), then Send again', async () => {
    await page.getByTestId('tab-write').click();
    await page.getByTestId('guide-write').click();
    await page.locator('input[name="db"]').fill('ghostw');
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '400' }).waitFor({ timeout: 15_000 });
    const missing = page.locator('.workspace').getByTestId('missing-database');
    await expect(missing.textContent()).resolves.toContain('Database ghostw does not exist on this server.');
    await missing.getByTestId('create-database').click();
    await missing.getByTestId('database-created').waitFor({ timeout: 15_000 });
    await page.getByTestId('sandbox-management').locator('code', { hasText: 'ghostw' }).waitFor();
    await missing.getByTestId('resend-after-create').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
  });

  it('the schema sidebar says a database does not exist and creates it in the sandbox', async () => {
    await page.getByTestId('tab-query').click();
    await page.locator('input[name="queryDb"]').fill('ghostq');
    const node = page.getByTestId('schema-db').filter({ hasText: 'ghostq' });
    await expect.poll(() => node.locator('.schema-badge').first().textContent()).toBe('does not exist');
    await node.getByTestId('create-database').click();
    await page.getByTestId('sandbox-management').locator('code', { hasText: 'ghostq' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => node.locator('.schema-badge').count()).toBe(0);
    await node.getByText('No measurements.').waitFor({ timeout: 15_000 });
    await app.shot('sandbox-06-sidebar-created');
    expect(app.pageErrors).toEqual([]);
  });
});
