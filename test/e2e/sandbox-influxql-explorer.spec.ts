// @vitest-environment node
import fs from 'node:fs/promises';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';

/**
 * The InfluxQL explorer with the built-in sandbox as the connection (issue 10): the schema sidebar,
 * completion of measurements, fields and tag values from the sandbox's SHOW answers, a run with its
 * table, chart and CSV export, and an IOx statement error, all in Chromium against the real sandbox
 * (`npm run web`'s, with its demo data of the last two hours). Screenshots: sandbox-iql-*.png.
 */
describe('the explorer against the sandbox, in Chromium', () => {
  let app: E2eApp;
  let page: Page;
  beforeAll(async () => {
    app = await startE2eApp({ name: 'sandbox-iql', sandbox: true });
    page = app.page;
    await page.getByTestId('sandbox-panel').waitFor();
    await page.getByTestId('tab-query').click();
  });
  afterAll(async () => {
    await app?.close();
  });

  const editor = () => page.locator('[data-testid="iql-editor"] .monaco-editor');
  const suggestion = (label: string) => page.locator('.suggest-widget .monaco-list-row', { hasText: label }).first();

  it('lists the sandbox schema in the sidebar', async () => {
    await page.getByTestId('schema-measurement').filter({ hasText: 'cpu' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('schema-measurement').filter({ hasText: 'home' }).waitFor();
    await page
      .getByTestId('schema-measurement')
      .filter({ hasText: 'cpu' })
      .getByRole('button', { name: 'Expand' })
      .click();
    await page.getByTestId('schema-field').filter({ hasText: 'usage_user' }).waitFor();
    await app.shot('sandbox-iql-01-schema');
  });

  it('completes a measurement, a field and a tag value from the sandbox, runs, and shows table and chart', async () => {
    await app.setEditorText('', 'iql-editor');
    await editor().locator('.view-lines').click();
    await page.keyboard.type('SELECT  FROM cp', { delay: 30 });
    await suggestion('cpu').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('usage_u', { delay: 30 });
    await suggestion('usage_user').waitFor();
    await expect(suggestion('usage_user').textContent()).resolves.toContain('float');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' WHERE host = ', { delay: 30 });
    await suggestion('server01').waitFor({ timeout: 15_000 });
    await app.shot('sandbox-iql-02-tag-value-completion');
    await page.keyboard.type("'server01'", { delay: 10 });
    await page.keyboard.press('Escape');
    const text = (await editor().locator('.view-lines').innerText()).replace(/\s+/g, ' ').trim();
    expect(text).toBe("SELECT usage_user FROM cpu WHERE host = 'server01'");
    await page.getByTestId('run-query').click();
    await page.getByTestId('result-table').waitFor({ timeout: 15_000 });
    const count = Number((await page.getByTestId('row-count').textContent())?.replace(/[^\d]/g, ''));
    // The demo holds one point a minute per host for the last two hours.
    expect(count).toBeGreaterThanOrEqual(100);
    expect(count).toBeLessThanOrEqual(121);
    await page.getByTestId('chart-toggle').click();
    await page.locator('[data-testid="result-chart"] canvas').first().waitFor();
    await app.shot('sandbox-iql-03-table-chart');
  });

  it('exports the result as CSV', async () => {
    // Its own result, so that it does not depend on the test before it.
    await app.setEditorText('SELECT usage_user FROM cpu', 'iql-editor');
    await page.getByTestId('run-query').click();
    await page
      .getByTestId('query-status')
      .filter({ hasText: /\d+ rows/ })
      .waitFor({ timeout: 15_000 });
    await page.getByTestId('chart-toggle').click();
    // Main writes the whole result (browser mode: into the data folder's exports/) and shows where.
    await page.getByTestId('export-csv').click();
    const file = await page.getByTestId('export-path').textContent({ timeout: 15_000 });
    const rows = (await fs.readFile(file!, 'utf8')).trim().split('\r\n');
    expect(rows[0]).toBe('name,time,usage_user');
    expect(rows.length).toBeGreaterThan(100);
    expect(rows[1]).toMatch(/^cpu,\S+,\d+(\.\d+)?$/);
  });

  it('shows the sandbox statement error, statement by statement', async () => {
    await app.setEditorText('SELECT count(usage_user) FROM cpu; SELECT usage_user FROM "nope".."cpu"', 'iql-editor');
    await page.getByTestId('run-query').click();
    await page.getByRole('tab', { name: /Statement 2/ }).click();
    await expect(page.getByTestId('statement-error').textContent()).resolves.toContain('Database nope not found');
    await app.shot('sandbox-iql-04-statement-error');
    await page.getByRole('tab', { name: /Statement 1/ }).click();
    await expect(page.getByTestId('row-count').textContent()).resolves.toContain('1 row');
    expect(app.pageErrors).toEqual([]);
  });
});
