// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { call } from '../support/call';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';

/**
 * The schema sidebar follows writes: it was loaded on an empty database, and after a write the server
 * stored (a 204, or a partial write's 400) it shows the new measurements without a reload. Points
 * written by another client appear on the sidebar's Refresh.
 */
describe('schema sidebar after a write, against a real influxd 1.6', () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    const created = await influx.query('CREATE DATABASE fresh');
    expect(created.results?.[0]?.error).toBeUndefined();
    app = await startE2eApp({
      name: 'schema-after-write',
      prepare: async (ctx) => {
        await call(ctx, 'connections:save', {
          connection: { ...DEFAULT_CONNECTION_INPUT, name: 'Local 1.6', url: influx.url, flavor: '1.x', db: 'fresh' },
          token: { action: 'keep' },
        });
      },
    });
    page = app.page;
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const sidebar = () => page.getByTestId('schema-sidebar');
  const measurement = (name: string) => sidebar().getByTestId('schema-measurement').filter({ hasText: name });
  const measurementNames = async (): Promise<string[]> =>
    (
      await sidebar().getByTestId('schema-measurement').locator(':scope > .schema-row .schema-name').allTextContents()
    ).sort();

  async function send(text: string, status: string): Promise<void> {
    await page.getByTestId('tab-write').click();
    await page.locator('select[name="precision"]').selectOption('s');
    await app.setEditorText(text);
    // A partial write is sent on purpose: its bad line is sent as it is.
    if (await page.getByTestId('send-anyway').isVisible()) await page.getByTestId('send-anyway').check();
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: status }).waitFor({ timeout: 15_000 });
  }

  // One story (each step builds on the database the one before left), so it keeps its order under shuffle.
  it('shows what a write stored, after a 204 and after a partial write, and on Refresh', async () => {
    await page.getByTestId('connection-item').filter({ hasText: 'Local 1.6' }).click();
    await page.getByTestId('tab-query').click();
    // The sidebar loaded the empty database: that is the cached answer a write must replace.
    await sidebar().getByText('No measurements.').waitFor({ timeout: 15_000 });
    await app.shot('schema-after-write-01-empty');

    await send('cpu,host=a usage=1 1700000000\ncpu,host=b usage=2 1700000001', '204');
    await page.getByTestId('tab-query').click();
    await measurement('cpu').waitFor({ timeout: 15_000 });
    await expect(measurementNames()).resolves.toEqual(['cpu']);
    await app.shot('schema-after-write-02-cpu');

    // A partial write (400, the good lines stored) refreshes too.
    await send('mem used=1 1700000000\nthis is not line protocol', '400');
    const stored = await influx.query('SELECT count(used) FROM mem', 'fresh');
    expect(stored.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(1);
    await page.getByTestId('tab-query').click();
    await measurement('mem').waitFor({ timeout: 15_000 });
    await expect(measurementNames()).resolves.toEqual(['cpu', 'mem']);

    // What another client wrote appears on the sidebar's Refresh.
    const res = await fetch(`${influx.url}/write?db=fresh&precision=s`, {
      method: 'POST',
      body: 'disk free=3 1700000000',
    });
    expect(res.status).toBe(204);
    const refresh = sidebar().getByTestId('schema-refresh');
    await expect(refresh.textContent()).resolves.toContain('Refresh');
    await refresh.click();
    await measurement('disk').waitFor({ timeout: 15_000 });
    await expect(measurementNames()).resolves.toEqual(['cpu', 'disk', 'mem']);
    await app.shot('schema-after-write-03-refreshed');
    expect(app.pageErrors).toEqual([]);
  });
});
