// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * The write form as a new user meets it, against influxd 1.6: a connection created as InfluxDB 3
 * Core starts with a precision its endpoint accepts; after Ping and "Use detected flavor" the form
 * and the request agree (v1 /write, no v3 options); Ping's 204 does not claim a write; Cancel on
 * "+ New" returns to the connection it came from.
 */

// A new user's path through the write form on one connection: start on Core, ping, switch to the detected
// flavor, send, fix the precision. Each step starts where the last one left off, so the file keeps its
// order under --sequence.shuffle (shuffle: false).
describe('write form in Chromium against influxd 1.6', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE iot');
    app = await startE2eApp({ name: 'new-user' });
    page = app.page;
    await page.setViewportSize(WINDOW_SIZES[1]);
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const preview = () => page.getByTestId('url-preview');

  async function createConnection(name: string, flavor: string): Promise<void> {
    if (await page.getByTestId('new-connection').isVisible()) await page.getByTestId('new-connection').click();
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.locator('input[name="name"]').fill(name);
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('select[name="flavor"]').selectOption(flavor);
    await page.locator('input[name="db"]').fill('iot');
    await page.locator('select[name="authScheme"]').selectOption('none');
    await page.getByTestId('save-connection').click();
    await preview().waitFor();
  }

  it('starts a Core connection with a precision its v3 endpoint accepts, and Send is enabled', async () => {
    await createConnection('Maybe Core', 'core');
    await expect(page.locator('select[name="api"]').inputValue()).resolves.toBe('v3');
    await expect(page.locator('select[name="precision"]').inputValue()).resolves.toBe('second');
    await expect(page.locator('select[name="precision"]').textContent()).resolves.not.toContain('not accepted');
    await expect.poll(() => preview().textContent()).toBe(`${influx.url}/api/v3/write_lp?db=iot&precision=second`);
    expect(await page.getByTestId('send').isDisabled()).toBe(false);
    // Switching the endpoint carries the unit over in that endpoint's spelling.
    await page.locator('select[name="api"]').selectOption('v1');
    await expect.poll(() => preview().textContent()).toBe(`${influx.url}/write?db=iot&precision=s`);
    await page.locator('select[name="api"]').selectOption('v3');
    await expect.poll(() => preview().textContent()).toBe(`${influx.url}/api/v3/write_lp?db=iot&precision=second`);
    await expectNoWindowOverflow(page);
    await app.shot('70-new-core-connection');
  });

  it('says a 204 from Ping means the server is up, not that a write was accepted', async () => {
    await page.getByTestId('ping').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('empty-body').textContent()).resolves.toContain('the server is up');
    await expect(page.getByTestId('empty-body').textContent()).resolves.not.toContain('write');
  });

  it('after "Use detected flavor" shows and sends the same request: v1 /write, no v3 options', async () => {
    await page.getByTestId('use-detected-flavor').click();
    await page.getByTestId('use-detected-flavor').waitFor({ state: 'detached' });
    await expect.poll(() => preview().textContent()).toBe(`${influx.url}/write?db=iot&precision=s`);
    await expect(page.locator('select[name="api"]').inputValue()).resolves.toBe('v1');
    expect(await page.getByText('accept_partial').count()).toBe(0);
    expect(await page.getByText('no_sync').count()).toBe(0);
    await app.shot('71-use-detected-flavor');
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    await page.getByRole('tab', { name: 'Request' }).click();
    await expect(page.getByTestId('sent-url').textContent()).resolves.toBe(
      `POST ${influx.url}/write?db=iot&precision=s`,
    );
    await page.getByRole('tab', { name: 'Body' }).click();
    // The sample's second timestamps landed in 2022, not in 1970.
    const q = await influx.query('SELECT temp FROM home', 'iot');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[0]).toBe(1_641_024_000_000_000_000);
  });

  it('sends with Ctrl+Enter from the editor, says how Tab leaves it, and unticks "send anyway" after a send', async () => {
    await app.setEditorText('kbd,via=ctrl_enter v=1 1700000000');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(async () => (await influx.query('SELECT v FROM kbd', 'iot')).results?.[0]?.series?.[0]?.values?.length)
      .toBe(1);
    await expect(page.getByTestId('key-hint').first().textContent()).resolves.toContain('Ctrl+M');
    // Tab indents in the editor; after Ctrl+M it moves the focus out.
    const inEditor = () => page.evaluate(() => document.activeElement?.closest('[data-testid="lp-editor"]') !== null);
    expect(await inEditor()).toBe(true);
    await page.keyboard.press('Control+M');
    await page.keyboard.press('Tab');
    await expect.poll(inEditor).toBe(false);
    // A line the editor rejects, sent anyway once: the next send is checked again.
    await app.setEditorText('kbd,via=anyway v= 1700000001');
    await page.getByTestId('send-anyway').check();
    await page.locator('[data-testid="lp-editor"] .view-lines').click();
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('status').filter({ hasText: '400' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('send-anyway').isChecked()).toBe(false);
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await page.keyboard.press('Control+M');
  });

  it('says prominently when the timestamps only make sense at another precision, offers it, and confirms Send', async () => {
    await page.locator('select[name="precision"]').selectOption('');
    const lines = Array.from({ length: 200 }, (_, i) => `guard,host=h${i % 7} v=${i} ${1_700_000_000 + i}`);
    await app.setEditorText(lines.join('\n'));
    const guard = page.getByTestId('precision-guard');
    await guard.waitFor();
    await expect(guard.textContent()).resolves.toContain('200 timestamps do not fit precision ns');
    await expect(page.getByTestId('precision-fix').textContent()).resolves.toBe('Set precision=s');
    await app.shot('73-precision-guard');
    // Send asks first; declining sends nothing.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId('send').click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('200 timestamps do not fit');
    expect((await influx.query('SELECT count(v) FROM guard', 'iot')).results?.[0]?.series).toBeUndefined();
    // One click fixes it: the banner goes, the request carries precision=s, the points land in 2023.
    await page.getByTestId('precision-fix').click();
    await guard.waitFor({ state: 'detached' });
    await expect.poll(() => preview().textContent()).toBe(`${influx.url}/write?db=iot&precision=s`);
    await page.getByTestId('send').click();
    await expect
      .poll(async () => (await influx.query('SELECT count(v) FROM guard', 'iot')).results?.[0]?.series?.[0]?.values)
      .toEqual([[0, 200]]);
    const first = await influx.query('SELECT first(v) FROM guard', 'iot');
    expect(first.results?.[0]?.series?.[0]?.values?.[0]?.[0]).toBe(1_700_000_000_000_000_000);
  });

  it('returns to the connection it came from when "+ New" is cancelled', async () => {
    await createConnection('Second', '1.x');
    const selected = page.locator('.connection-list li.selected');
    await expect(selected.textContent()).resolves.toContain('Second');
    await page.getByTestId('new-connection').click();
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await preview().waitFor();
    await expect(selected.textContent()).resolves.toContain('Second');
  });
});
