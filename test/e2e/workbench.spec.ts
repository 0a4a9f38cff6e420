// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { base64Utf8 } from '../../shared/domain/auth';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';

/**
 * End to end in Debian's Chromium through browser mode: the built renderer, the real handlers over
 * the loopback bridge, a real influxd with auth on. Screenshots go to test-results/screenshots/.
 */

// A distinctive secret so any leak is unambiguous. It is the admin password of this influxd.
const SECRET = 'Zq7-e2e-Secret-Token-4f9c1a';

// One user's session, step by step: create a connection, write (204), read the request as sent, write a bad
// line (400), a refused connection, edit and ping, delete; the last test checks everything the page received
// on the way. Each step starts where the last one left off, so the file keeps its order under
// --sequence.shuffle (shuffle: false); the other files' tests are independent.
describe('workbench in Chromium (browser mode) against influxd 1.6', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;
  const apiBodies: string[] = [];

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true, adminPassword: SECRET });
    await influx.query('CREATE DATABASE e2e');
    app = await startE2eApp({
      name: 'workbench',
      beforeOpen: (p) =>
        p.on('response', (res) => {
          if (res.url().includes('/api/invoke/'))
            void res.text().then(
              (t) => apiBodies.push(t),
              () => {},
            );
        }),
    });
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const shot = (name: string) => app.shot(name);
  const typeInEditor = (text: string) => app.setEditorText(text);

  it('opens on the new-connection form and says tokens stay in memory', async () => {
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await expect(page.getByTestId('mode-badge').textContent()).resolves.toContain('Browser mode');
    await expect(page.getByTestId('vault-notice').textContent()).resolves.toContain('memory only');
    // The one-time key left the address bar: the session is a cookie now.
    expect(new URL(page.url()).search).toBe('');
  });

  it('creates a connection with a token', async () => {
    await page.locator('input[name="name"]').fill('Local 1.6 (auth)');
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('select[name="flavor"]').selectOption('1.x');
    await page.locator('input[name="db"]').fill('e2e');
    await page.locator('select[name="authScheme"]').selectOption('basic');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="token"]').fill(SECRET);
    await shot('01-new-connection');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('url-preview').waitFor();
    await expect(page.getByTestId('connection-item').first().textContent()).resolves.toContain('token ••••');
  });

  it('writes a line and shows 204 with the timing', async () => {
    await typeInEditor('e2e,host=browser value=42 1700000000');
    await page.locator('select[name="precision"]').selectOption('s');
    await expect
      .poll(() => page.getByTestId('url-preview').textContent(), { timeout: 5_000 })
      .toBe(`${influx.url}/write?db=e2e&precision=s`);
    await page.getByTestId('send').click();
    await expect(page.getByTestId('status').textContent({ timeout: 15_000 })).resolves.toContain('204 No Content');
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor();
    await expect(page.getByTestId('timing-total').textContent()).resolves.toMatch(/^\d+\.\d ms$/);
    await shot('02-write-204');
    const q = await influx.query("SELECT value FROM e2e WHERE host='browser'", 'e2e');
    expect(q.results?.[0]?.series?.[0]?.values).toEqual([[1_700_000_000_000_000_000, 42]]);
  });

  it('shows the request as sent, with the credential redacted', async () => {
    await page.getByRole('tab', { name: 'Request' }).click();
    await expect(page.getByTestId('sent-url').textContent()).resolves.toContain('/write?db=e2e&precision=s');
    await expect(page.locator('.tab-body').textContent()).resolves.toContain('Basic [REDACTED]');
    await shot('03-request-redacted');
    await page.getByRole('tab', { name: 'Body' }).click();
  });

  it('writes a bad line and shows the 400 body', async () => {
    await typeInEditor('e2e,host=good value=1 1700000001\ne2e,host=bad value= 1700000002');
    // Local validation catches it first and blocks Send; "send anyway" reproduces the server's answer.
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await expect(page.getByTestId('lp-first-error').textContent()).resolves.toContain(
      "Line 2: unable to parse 'e2e,host=bad value= 1700000002': missing field value",
    );
    await page.getByTestId('send-anyway').check();
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '400' }).waitFor({ timeout: 15_000 });
    const body = await page.getByTestId('response-body').textContent();
    expect(body).toContain('partial write');
    expect(body).toContain("unable to parse 'e2e,host=bad value= 1700000002'");
    await shot('04-write-400');
    const q = await influx.query("SELECT COUNT(value) FROM e2e WHERE host='good'", 'e2e');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(1);
  });

  it('shows a refused connection as a message, not a blank pane', async () => {
    await page.getByTestId('new-connection').click();
    await page.locator('input[name="name"]').fill('Nothing listens here');
    await page.locator('input[name="url"]').fill('http://127.0.0.1:9');
    await page.locator('input[name="db"]').fill('e2e');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('url-preview').waitFor();
    await page.getByTestId('send').click();
    await page.getByTestId('network-error').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('network-error').textContent()).resolves.toContain(
      'Connection refused by 127.0.0.1:9',
    );
    // The status line names the failure in words; the machine code stays an attribute for tests and logs.
    await expect(page.getByTestId('status').textContent()).resolves.toBe('Connection refused');
    await expect(page.getByTestId('status').getAttribute('data-kind')).resolves.toBe('connection-refused');
    await shot('05-connection-refused');
  });

  it('edits a connection (the stored token is kept) and pings the server', async () => {
    await page.getByRole('button', { name: 'Edit Local 1.6 (auth)' }).click();
    await page.getByRole('heading', { name: /Edit/ }).waitFor();
    // The token field is write-only: it comes back empty, with only the masked hint beside it.
    await expect(page.locator('input[name="token"]').inputValue()).resolves.toBe('');
    await page.locator('input[name="name"]').fill('Local 1.6');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('url-preview').waitFor();
    await expect(page.getByTestId('connection-item').first().textContent()).resolves.toContain('Local 1.6');
    // What was typed last survived leaving the workspace right after sending (the draft is flushed).
    await page
      .locator('[data-testid="lp-editor"] .view-lines')
      .filter({ hasText: 'host=bad' })
      .waitFor({ timeout: 5_000 });
    await page.getByTestId('ping').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('inspector').textContent()).resolves.toContain('InfluxDB 1.6.7');
    await shot('06-ping');
  });

  it('deletes a connection', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Edit Nothing listens here' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('url-preview').waitFor();
    await expect(page.getByTestId('connection-item').count()).resolves.toBe(1);
  });

  it('never lets the token reach the page, its storage or any IPC response', async () => {
    const basic = base64Utf8(`admin:${SECRET}`);
    const html = await page.content();
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
    );
    expect(apiBodies.length).toBeGreaterThan(5);
    for (const haystack of [html, storage, ...apiBodies]) {
      expect(haystack).not.toContain(SECRET);
      expect(haystack).not.toContain(basic);
    }
    // Reload: what the page gets back from main on start-up has no token either.
    await page.reload();
    await page.getByTestId('url-preview').waitFor();
    expect(await page.content()).not.toContain(SECRET);
  });
});
