// @vitest-environment node
import fs from 'node:fs/promises';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { dispatch } from '../../electron/app/dispatch';
import { createLogger } from '../../electron/app/logger';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';

/**
 * End to end in Chromium (browser mode) against a real influxd 1.6 with auth on: the compatibility
 * probe's matrix, flavor detection and "use detected flavor", then a write that shows up in history,
 * is found by search, and is reopened into the Write tab. Screenshots go to test-results/screenshots/.
 */

const SECRET = 'Hp7-e2e-History-Secret-3c2b1a';
const log = createLogger(() => {});

// One story: probe, switch to the detected flavor, write, find the write in history, reopen it and resend
// it. Each step starts where the last one left off, so the file keeps its order under --sequence.shuffle
// (shuffle: false).
describe('history and probe in Chromium against influxd 1.6 (auth on)', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let ctx: AppContext;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true, adminPassword: SECRET });
    await influx.query('CREATE DATABASE e2eh');
    app = await startE2eApp({
      name: 'history',
      prepare: async (c) => {
        // Configured as 2.x on purpose: detection must say 1.x and offer to switch.
        const saved = await dispatch(
          c.handlers,
          'connections:save',
          {
            connection: {
              ...DEFAULT_CONNECTION_INPUT,
              name: 'Local 1.6 (auth)',
              url: influx.url,
              flavor: '2.x',
              db: 'e2eh',
              bucket: 'e2eh',
              authScheme: 'basic',
              username: ADMIN.user,
            },
            token: { action: 'set', value: SECRET, keep: 'session', allowWeak: false },
          },
          log,
        );
        if (!saved.ok) throw new Error(saved.error.message);
      },
    });
    ctx = app.ctx;
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const shot = (name: string) => app.shot(name);
  const typeInEditor = (text: string) => app.setEditorText(text);

  it('probes the server and shows the matrix with the detected flavor', async () => {
    await page.getByTestId('tab-probe').click();
    await page.getByTestId('run-probe').click();
    await page.getByTestId('probe-matrix').waitFor({ timeout: 20_000 });
    const text = async (id: string) => (await page.getByTestId(id).textContent()) ?? '';
    expect(await text('probe-write-v1-basic')).toMatch(/accepted\s*204/);
    expect(await text('probe-write-v1-query')).toMatch(/accepted\s*204/);
    expect(await text('probe-write-v1-bearer')).toMatch(/rejected\s*401\s*bearer auth disabl/);
    expect(await text('probe-write-v2-basic')).toMatch(/not found\s*404/);
    expect(await text('probe-write-v3-none')).toMatch(/not found\s*404/);
    expect(await text('probe-query-databases-basic')).toMatch(/accepted\s*200/);
    expect(await page.getByTestId('probe-write-v1-bearer').getAttribute('title')).toContain(
      'Server: bearer auth disabl',
    );
    const detected = page.locator('.probe-summary [data-testid="detected-flavor"]');
    await expect(detected.textContent()).resolves.toMatch(/detected 1\.x 1\.6\.\d.*≠ configured 2\.x/);
    await shot('history-probe-01-matrix');
    // Nothing was written by the empty-body writes.
    expect((await influx.query('SHOW SERIES', 'e2eh')).results?.[0]?.series).toBeUndefined();
  });

  it('"Use detected flavor" switches the connection to 1.x', async () => {
    await page.locator('.probe-summary').getByTestId('use-detected-flavor').click();
    await page.getByTestId('connection-item').filter({ hasText: 'InfluxDB OSS 1.x' }).waitFor();
    await page.locator('.probe-summary').getByTestId('use-detected-flavor').waitFor({ state: 'detached' });
    await expect(page.locator('.workspace-detected').textContent()).resolves.toMatch(/detected 1\.x/);
    await shot('history-probe-02-flavor-applied');
  });

  it('writes, and the write appears in history, searchable, with the redacted request', async () => {
    await page.getByTestId('tab-write').click();
    await typeInEditor('historyprobe,host=chromium value=7 1700000000');
    await page.locator('select[name="api"]').selectOption('v1');
    await page.locator('select[name="precision"]').selectOption('s');
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });

    await page.getByTestId('open-history').click();
    await page.getByTestId('history-panel').waitFor();
    // The retention rule arrives with the first page of the list.
    await expect
      .poll(async () => page.getByTestId('history-retention').textContent(), { timeout: 5_000 })
      .toMatch(/newest 500 requests and at most 32 MiB/);
    // The probe and the write (and nothing else) so far.
    await page.getByTestId('history-row').nth(1).waitFor();
    await page.locator('input[name="historySearch"]').fill('historyprobe chromium');
    await expect.poll(async () => page.getByTestId('history-row').count(), { timeout: 5_000 }).toBe(1);
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-detail').waitFor();
    await expect(page.getByTestId('history-outcome').textContent()).resolves.toContain('204');
    await expect
      .poll(() => page.getByTestId('history-request-body').textContent(), { timeout: 5_000 })
      .toBe('historyprobe,host=chromium value=7 1700000000');
    await expect(page.getByTestId('history-detail').textContent()).resolves.toContain('Basic [REDACTED]');
    await expect(page.getByTestId('history-detail').textContent()).resolves.not.toContain(SECRET);
    await shot('history-probe-03-history-search');

    await page.locator('input[name="historySearch"]').fill('no-such-thing-anywhere');
    await page.getByText('Nothing matches.').waitFor();
    await page.locator('input[name="historySearch"]').fill('');
  });

  it('reopens the write into the Write tab, replacing what the editor holds', async () => {
    // Change the draft first, so the reopen visibly restores the old one.
    await page.getByTestId('open-history').click();
    await page.getByTestId('tab-write').click();
    await typeInEditor('something,else=entirely v=1');
    await page.getByTestId('open-history').click();
    await page.locator('input[name="historySearch"]').fill('historyprobe');
    await expect.poll(async () => page.getByTestId('history-row').count(), { timeout: 5_000 }).toBe(1);
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-reopen').click();
    await page.getByTestId('url-preview').waitFor();
    await expect(page.getByTestId('tab-write').getAttribute('aria-selected')).resolves.toBe('true');
    await expect
      .poll(
        async () =>
          (await page.locator('[data-testid="lp-editor"] .view-lines').textContent())?.replace(/\u00a0/g, ' '),
        { timeout: 5_000 },
      )
      .toContain('historyprobe,host=chromium value=7 1700000000');
    await expect
      .poll(() => page.getByTestId('url-preview').textContent(), { timeout: 5_000 })
      .toBe(`${influx.url}/write?db=e2eh&precision=s`);
    await shot('history-probe-04-reopened');
  });

  it('resends from history: a new entry, and the point is in the database', async () => {
    await page.getByTestId('open-history').click();
    await page.locator('input[name="historySearch"]').fill('historyprobe');
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-resend').click();
    await expect.poll(async () => page.getByTestId('history-row').count(), { timeout: 10_000 }).toBe(2);
    const q = await influx.query("SELECT value FROM historyprobe WHERE host='chromium'", 'e2eh');
    expect(q.results?.[0]?.series?.[0]?.values).toEqual([[1_700_000_000_000_000_000, 7]]);
    await shot('history-probe-05-resent');
    // The probe is in history too, with its matrix.
    await page.locator('input[name="historySearch"]').fill('');
    await page.locator('select[name="historyKind"]').selectOption('probe');
    await expect.poll(async () => page.getByTestId('history-row').count(), { timeout: 5_000 }).toBe(1);
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-detail').getByTestId('probe-matrix').waitFor();
    await expect(page.getByTestId('history-outcome').textContent()).resolves.toMatch(
      /6 accepted, 9 rejected, 10 not-found/,
    );
    await shot('history-probe-06-probe-entry');
    await ctx.flush();
    const stored = await fs.readFile(path.join(app.dataDir, 'history.json'), 'utf8');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(Buffer.from(`${ADMIN.user}:${SECRET}`).toString('base64'));
  });
});
