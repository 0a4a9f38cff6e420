// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectNotClipped, expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * A new user's first write to a fresh influxd 1.6 (auth off, no databases), counting the user's
 * actions: Save tests the connection and offers to create the missing database; a write to a missing
 * database offers "Create database" then "Send again"; the schema sidebar says a database does not
 * exist instead of showing it empty. Saving a server that is down still saves.
 */

// One story on one fresh app: the first test saves the only connection the later ones write, query and list
// history with, so the file keeps its order under --sequence.shuffle (shuffle: false).
describe('first write in Chromium against a fresh influxd 1.6', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    app = await startE2eApp({ name: 'first-write' });
    page = app.page;
    await page.setViewportSize(WINDOW_SIZES[1]);
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const databases = async (): Promise<unknown[]> =>
    (await influx.query('SHOW DATABASES')).results?.[0]?.series?.[0]?.values?.flat() ?? [];

  it('writes a first line in 6 actions: name, URL, db, Save, Create database, Send', async () => {
    let actions = 0;
    const act = async (step: Promise<unknown>): Promise<void> => {
      await step;
      actions++;
    };
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await act(page.locator('input[name="name"]').fill('Fresh 1.6'));
    await act(page.locator('input[name="url"]').fill(influx.url));
    await act(page.locator('input[name="db"]').fill('iot'));
    await act(page.getByTestId('save-connection').click());
    // Save tested the server: it answered, and the database is missing.
    await expect
      .poll(() => page.getByTestId('connection-test-result').textContent(), { timeout: 15_000 })
      .toMatch(/^Connected: \/ping answered 204 from InfluxDB 1\.6\.7/);
    const missing = page.getByTestId('connection-test').getByTestId('missing-database');
    await expect(missing.textContent()).resolves.toContain('Database iot does not exist on this server.');
    await expectNoWindowOverflow(page);
    await app.shot('first-write-01-saved-db-missing');
    await act(missing.getByTestId('create-database').click());
    await missing.getByTestId('database-created').waitFor({ timeout: 15_000 });
    expect(await databases()).toContain('iot');
    await act(page.getByTestId('send').click());
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    const q = await influx.query('SELECT count(temp) FROM home', 'iot');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(2);
    expect(actions).toBe(6);
    await app.shot('first-write-02-first-204');
  });

  it('a write to a database that does not exist offers Create database, then Send again', async () => {
    await page.locator('input[name="db"]').fill('later');
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '404' }).waitFor({ timeout: 15_000 });
    const missing = page.locator('.workspace').getByTestId('missing-database');
    await expect(missing.textContent()).resolves.toContain('Database later does not exist on this server.');
    await app.shot('first-write-03-404-create');
    await missing.getByTestId('create-database').click();
    await missing.getByTestId('database-created').waitFor({ timeout: 15_000 });
    await missing.getByTestId('resend-after-create').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    await missing.waitFor({ state: 'detached' });
    const q = await influx.query('SELECT count(temp) FROM home', 'later');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(2);
  });

  it('the schema sidebar says a database does not exist (not "No measurements") and creates it', async () => {
    await page.getByTestId('tab-query').click();
    await page.locator('input[name="queryDb"]').fill('ghost');
    const node = page.getByTestId('schema-db').filter({ hasText: 'ghost' });
    await expect.poll(() => node.locator('.schema-badge').first().textContent()).toBe('does not exist');
    expect(await node.getByText('No measurements.').count()).toBe(0);
    await app.shot('first-write-04-sidebar-missing');
    await node.getByTestId('create-database').click();
    // Created: the node is an ordinary (empty) database now.
    await node.getByText('No measurements.').waitFor({ timeout: 15_000 });
    expect(await node.locator('.schema-badge').count()).toBe(0);
    expect(await databases()).toContain('ghost');
  });

  it('saves a server that is down, and says it did not answer', async () => {
    await page.getByTestId('new-connection').click();
    await page.locator('input[name="name"]').fill('Offline');
    await page.locator('input[name="url"]').fill('http://127.0.0.1:9');
    await page.getByTestId('save-connection').click();
    await expect
      .poll(() => page.getByTestId('connection-test-result').textContent(), { timeout: 15_000 })
      .toContain('Saved, but the server did not answer: Connection refused by 127.0.0.1:9');
    await expect(page.getByTestId('connection-item').filter({ hasText: 'Offline' }).count()).resolves.toBe(1);
    await page.getByTestId('connection-test').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('connection-test').waitFor({ state: 'detached' });
    expect(app.pageErrors).toEqual([]);
  });

  it('history rows at 1024×700 can be told apart: each shows its request, status and time unclipped', async () => {
    await page.setViewportSize(WINDOW_SIZES[0]);
    await page.getByTestId('open-history').click();
    const rows = page.getByTestId('history-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);
    // What tells two rows apart is shown whole: the request's path and query (not a clipped origin),
    // and a short statement such as CREATE DATABASE "later" vs "ghost".
    await expectNotClipped(page.locator('.history-path'), 'history path', { horizontalOnly: true });
    const paths = await page.locator('.history-path').allTextContents();
    expect(paths).toContain('/write?db=later');
    expect(paths).toContain('/write?db=iot');
    await expectNotClipped(
      rows.filter({ hasText: 'CREATE DATABASE' }).locator('.history-summary'),
      'history statement',
      { horizontalOnly: true },
    );
    await expect(rows.filter({ hasText: 'CREATE DATABASE "ghost"' }).count()).resolves.toBe(0);
    await expect(rows.filter({ hasText: 'CREATE DATABASE ghost' }).count()).resolves.toBe(1);
    await expectNoWindowOverflow(page);
    await app.shot('first-write-05-history-1024');
  });
});
