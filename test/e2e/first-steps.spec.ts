// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * A new user's first steps against influxd 1.6 with auth on: the connection form shows the targets the
 * chosen flavor uses; the Query tab has its own auth picker and the exact URL it will send (token
 * redacted), and what it sends follows the picker.
 */

// A distinctive secret (the admin password) so any leak onto the page is unambiguous.
const SECRET = 'first-steps-Secret-7c1d9e';

// One story: the first test needs the fresh app's New connection form, the second saves that same form,
// so the file keeps its order under --sequence.shuffle (shuffle: false).
describe('first steps in Chromium against influxd 1.6 (auth on)', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true, adminPassword: SECRET });
    await influx.query('CREATE DATABASE first');
    await influx.query('CREATE DATABASE first');
    app = await startE2eApp({ name: 'first-steps' });
    page = app.page;
    await page.setViewportSize(WINDOW_SIZES[1]);
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const targetFields = () =>
    page
      .locator('form.connection-form input[name="db"], input[name="rp"], input[name="bucket"], input[name="org"]')
      .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).name));

  it('shows the default targets each flavor uses, and keeps a set one visible', async () => {
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    const flavor = page.locator('select[name="flavor"]');
    const expected: Record<string, string[]> = {
      '1.x': ['db', 'rp'],
      '2.x': ['bucket', 'org', 'db'],
      serverless: ['bucket', 'org', 'db'],
      'cloud-dedicated': ['db'],
      clustered: ['db'],
      core: ['db'],
    };
    for (const [f, fields] of Object.entries(expected)) {
      await flavor.selectOption(f);
      await expect.poll(targetFields).toEqual(fields);
    }
    await app.shot('first-steps-01-core-form');
    // A value the new flavor ignores stays visible (and so can be cleared) rather than hidden but saved.
    await flavor.selectOption('1.x');
    await page.locator('input[name="rp"]').fill('autogen');
    await flavor.selectOption('core');
    await expect.poll(targetFields).toEqual(['db', 'rp']);
    await page.locator('input[name="rp"]').fill('');
    await expect.poll(targetFields).toEqual(['db']);
  });

  it('the Query tab shows its auth and the URL it sends, never the token, and sends what it shows', async () => {
    await page.locator('select[name="flavor"]').selectOption('1.x');
    await page.locator('input[name="name"]').fill('Local 1.6');
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('input[name="db"]').fill('first');
    await page.locator('select[name="authScheme"]').selectOption('basic');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="token"]').fill(SECRET);
    await page.getByTestId('save-connection').click();
    await page.getByTestId('tab-query').click();
    const preview = page.getByTestId('query-url-preview');
    const auth = page.locator('select[name="queryAuthScheme"]');
    // The connection's default scheme, shown, with the username it uses.
    await expect(auth.inputValue()).resolves.toBe('basic');
    await expect(page.locator('input[name="queryAuthUsername"]').inputValue()).resolves.toBe('admin');
    await expect
      .poll(() => preview.textContent())
      .toBe(`${influx.url}/query?q=SHOW%20MEASUREMENTS&db=first&chunked=true&chunk_size=10000`);
    await expect(page.getByTestId('query-method').textContent()).resolves.toBe('GET');
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').filter({ hasText: 'HTTP 200' }).waitFor({ timeout: 15_000 });

    // Query-string auth: u and p in the URL, p redacted; the request goes out with the real one.
    await auth.selectOption('query');
    await expect
      .poll(() => preview.textContent())
      .toBe(`${influx.url}/query?q=SHOW%20MEASUREMENTS&db=first&chunked=true&chunk_size=10000&u=admin&p=[REDACTED]`);
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').filter({ hasText: 'HTTP 200' }).waitFor({ timeout: 15_000 });
    await expectNoWindowOverflow(page);
    await app.shot('first-steps-02-query-auth-preview');

    // None: influxd with auth on refuses, which proves the picker, not the connection, decides.
    await auth.selectOption('none');
    await expect(page.locator('input[name="queryAuthUsername"]').count()).resolves.toBe(0);
    await expect.poll(() => preview.textContent()).not.toContain('u=admin');
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').filter({ hasText: 'HTTP 401' }).waitFor({ timeout: 15_000 });

    // A write statement is POSTed: the preview says so and keeps the query out of the URL.
    await auth.selectOption('basic');
    await app.setEditorText('CREATE DATABASE second', 'iql-editor');
    await expect.poll(() => page.getByTestId('query-method').textContent()).toBe('POST');
    await expect.poll(() => preview.textContent()).toBe(`${influx.url}/query`);
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').filter({ hasText: 'HTTP 200' }).waitFor({ timeout: 15_000 });
    const dbs = await influx.query('SHOW DATABASES');
    expect(dbs.results?.[0]?.series?.[0]?.values?.flat()).toContain('second');

    expect(await page.content()).not.toContain(SECRET);
    expect(app.pageErrors).toEqual([]);
  });
});
