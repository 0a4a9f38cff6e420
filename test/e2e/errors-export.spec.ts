// @vitest-environment node
import fs from 'node:fs/promises';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';

/**
 * Server errors on the editor's lines, the explanation beside the raw body, "Copy as…" and "Import
 * curl", in Chromium through browser mode against a real influxd 1.6 with auth on.
 */

const SECRET = 'Xr4-errors-export-Secret-91be';
const GOOD_1 = 'ee,host=good value=1 1700000001';
const BAD = 'ee,host=bad value= 1700000002';
const GOOD_2 = 'ee,host=good value=3 1700000003';

// One story on one connection: a partial write's markers are followed through an edit, removed, and the
// request is then copied and imported. Each step starts where the last one left off, so the file keeps its
// order under --sequence.shuffle (shuffle: false).
describe('server errors, explanations and exports in Chromium', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    influx = await startInfluxd({ auth: true, adminPassword: SECRET });
    await influx.query('CREATE DATABASE ee');
    app = await startE2eApp({ name: 'ee' });
    ({ page, pageErrors } = app);
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  const shot = (name: string) => app.shot(name);
  const editorText = () => page.locator('[data-testid="lp-editor"] .view-lines').innerText();

  const typeInEditor = (text: string) => app.setEditorText(text);

  /** Sends; local validation may hold back a body with a bad line, which this test sends on purpose. */
  async function send(): Promise<void> {
    const button = page.getByTestId('send');
    const anyway = page.getByTestId('send-anyway');
    // A crashed page has no Send button: say why instead of timing out.
    if ((await button.count()) === 0) throw new Error(`no Send button; page errors: ${pageErrors.join(' | ')}`);
    // Wait for the state where Send can go: enabled, or held back with "send anyway" offered.
    const ready = () =>
      page.waitForFunction(
        () => {
          const b = document.querySelector<HTMLButtonElement>('[data-testid="send"]');
          const a = document.querySelector<HTMLElement>('[data-testid="send-anyway"]');
          return (b !== null && !b.disabled) || (a !== null && a.offsetParent !== null);
        },
        undefined,
        { timeout: 10_000 },
      );
    await ready();
    if (!(await button.isEnabled())) {
      await anyway.check();
      await page.waitForFunction(
        () => !document.querySelector<HTMLButtonElement>('[data-testid="send"]')?.disabled,
        undefined,
        { timeout: 10_000 },
      );
    }
    await button.click();
  }

  /** Vertical centre of the editor's rendered line containing `text`. */
  async function lineY(text: string): Promise<number> {
    const box = await page.locator('[data-testid="lp-editor"] .view-line').filter({ hasText: text }).boundingBox();
    if (!box) throw new Error(`no rendered line contains ${text}`);
    return box.y + box.height / 2;
  }

  it('creates a 1.x connection with a token', async () => {
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await page.locator('input[name="name"]').fill('Local 1.6');
    await page.locator('input[name="url"]').fill(influx.url);
    await page.locator('select[name="flavor"]').selectOption('1.x');
    await page.locator('input[name="db"]').fill('ee');
    await page.locator('select[name="authScheme"]').selectOption('basic');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="token"]').fill(SECRET);
    await page.getByTestId('save-connection').click();
    await page.getByTestId('url-preview').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('a partial write marks the rejected line in the editor and explains it beside the raw body', async () => {
    await typeInEditor(`${GOOD_1}\n${BAD}\n${GOOD_2}\n`);
    await page.locator('select[name="precision"]').selectOption('s');
    await send();
    await page.getByTestId('status').filter({ hasText: '400' }).waitFor({ timeout: 15_000 });

    // The raw body is still there...
    const raw = await page.getByTestId('response-body').textContent();
    expect(raw).toContain(`partial write: unable to parse '${BAD}': missing field value`);
    // Visible, not squeezed to nothing by the explanation below it.
    const rawBox = (await page.getByTestId('response-body').boundingBox())!;
    expect(rawBox.height).toBeGreaterThan(30);
    // ...and the explanation beside it, with the line number the server did not give.
    const explanation = page.getByTestId('explanation');
    await explanation.waitFor();
    await expect(page.getByTestId('explain-summary').textContent()).resolves.toMatch(
      /^Partial write: 1 line rejected \(line 2\)/,
    );
    await expect(page.getByTestId('rejected-lines').textContent()).resolves.toContain('line 2missing field value');
    const ids = await page
      .getByTestId('explanation-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-explanation-id')));
    expect(ids).toEqual(expect.arrayContaining(['missing-field-value', 'partial-write']));
    await expect(explanation.textContent()).resolves.toContain('Cause:');

    // Exactly one server decoration (line tint and glyph), on the rendered line holding the bad point.
    const lineDecos = page.locator('[data-testid="lp-editor"] .server-error-line');
    const glyphs = page.locator('[data-testid="lp-editor"] .server-error-glyph');
    await glyphs.first().waitFor();
    expect(await lineDecos.count()).toBe(1);
    expect(await glyphs.count()).toBe(1);
    const badY = await lineY('host=bad');
    const decoBox = (await lineDecos.boundingBox())!;
    const glyphBox = (await glyphs.boundingBox())!;
    expect(Math.abs(decoBox.y + decoBox.height / 2 - badY)).toBeLessThan(3);
    expect(Math.abs(glyphBox.y + glyphBox.height / 2 - badY)).toBeLessThan(3);
    expect(Math.abs(glyphBox.y + glyphBox.height / 2 - (await lineY('value=1 ')))).toBeGreaterThan(10);
    await shot('10-partial-write-marked-and-explained');

    // The good lines were written.
    const q = await influx.query("SELECT COUNT(value) FROM ee WHERE host='good'", 'ee');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(2);
  });

  it('the marker follows its line through an edit above it, and the line link reveals it', async () => {
    await page.locator('[data-testid="lp-editor"] .view-line').first().click();
    await page.keyboard.press('Home');
    await page.keyboard.insertText('# note\n');
    // The label follows the edit once the editor has reported it: wait for it rather than read at once.
    await page
      .getByTestId('rejected-lines')
      .locator('[data-testid="reveal-line"]')
      .filter({ hasText: /^line 3$/ })
      .waitFor({ timeout: 5_000 });
    const glyph = page.locator('[data-testid="lp-editor"] .server-error-glyph');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="lp-editor"] .server-error-glyph').length === 1,
    );
    const badY = await lineY('host=bad');
    const g = (await glyph.boundingBox())!;
    expect(Math.abs(g.y + g.height / 2 - badY)).toBeLessThan(3);
    await page.getByTestId('reveal-line').click();
    // Revealing selects the rejected line.
    await page.locator('[data-testid="lp-editor"] .selected-text').first().waitFor();
  });

  it('"Remove rejected lines" leaves the good lines, and the markers go', async () => {
    await page.getByTestId('remove-rejected').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="lp-editor"] .server-error-glyph').length === 0,
    );
    const text = (await editorText()).replace(/\u00a0/g, ' ');
    expect(text).not.toContain('host=bad');
    expect(text).toContain(GOOD_1);
    expect(text).toContain(GOOD_2);
    expect(text).toContain('# note');
    await expect(page.getByTestId('rejected-lines').textContent()).resolves.toContain('(edited)');
  });

  /** Waits until main's saved write draft holds `text` (drafts are saved once typing pauses). */
  async function draftSaved(text: string): Promise<void> {
    const dir = path.join(app.dataDir, 'drafts');
    await vi.waitFor(
      async () => {
        const names = await fs.readdir(dir).catch(() => [] as string[]);
        const bodies = await Promise.all(
          names.filter((n) => n.startsWith('write-')).map((n) => fs.readFile(path.join(dir, n), 'utf8')),
        );
        if (!bodies.some((b) => b.includes(text))) throw new Error(`no saved write draft holds ${text}`);
      },
      { timeout: 15_000, interval: 100 },
    );
  }

  it('"Copy as" curl references $INFLUX_TOKEN, and the real token only when ticked', async () => {
    // Typed, and the dialog opened with no pause: it shows the last keystroke, and the workspace's
    // re-renders that follow (diagnostics, the draft saved) leave the open dialog alone.
    await page.locator('[data-testid="lp-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# typed-last');
    await page.getByTestId('copy-as').click();
    const dialog = page.getByTestId('copy-as-dialog');
    await dialog.waitFor();
    // Every format is offered.
    expect(await dialog.locator('[data-testid^="export-format-"]').count()).toBe(11);
    await expect(page.getByTestId('include-token').isChecked()).resolves.toBe(false);
    await page.getByTestId('export-text').filter({ hasText: 'curl' }).waitFor();
    const curl = (await page.getByTestId('export-text').textContent())!;
    expect(curl).toContain(`curl -i "${influx.url}/write?db=ee&precision=s"`);
    expect(curl).toContain('--user "admin:$INFLUX_TOKEN"');
    expect(curl).toContain('# typed-last');
    expect(curl).not.toContain(SECRET);
    expect(await page.content()).not.toContain(SECRET);
    await shot('11-copy-as-curl');

    // Ticked: the page still never sees the token. Browser mode saves the snippet with the real token
    // to a file only the user can read, and says where.
    await page.getByTestId('include-token').check();
    await expect(page.getByTestId('token-warning').textContent()).resolves.toContain('only your account can read');
    await page.getByRole('button', { name: 'Save with the real token' }).click();
    const saved = (await page
      .getByTestId('export-copied')
      .filter({ hasText: 'Saved with the real token' })
      .textContent())!;
    const file = /to (\/\S+\.txt)/.exec(saved)![1]!;
    expect(file).toBe(path.join(app.dataDir, 'exports', 'copy-with-token-curl.txt'));
    const withToken = await fs.readFile(file, 'utf8');
    expect(withToken).toContain(`--user "admin:${SECRET}"`);
    expect(withToken).toContain('# typed-last');
    // The editor's text reached the saved draft after the click; the message the user reads stays.
    await draftSaved('# typed-last');
    await expect(page.getByTestId('export-copied').textContent()).resolves.toContain('Saved with the real token');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await page.content()).not.toContain(SECRET);
    await page.getByTestId('export-format-telegraf-v1').click();
    await page.getByTestId('export-text').filter({ hasText: '[[outputs.influxdb]]' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Closing forgets the rendered secret, and reopening starts unticked.
    expect(await page.content()).not.toContain(SECRET);
    await page.getByTestId('copy-as').click();
    await expect(page.getByTestId('include-token').isChecked()).resolves.toBe(false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('"Import curl" fills the form; the pasted token is discarded unless the user saves it', async () => {
    await page.getByTestId('import-curl').click();
    await page.getByTestId('import-curl-dialog').waitFor();
    const cmd =
      `curl -i "${influx.url}/write?db=imported&rp=autogen&precision=ms" \\\n  --user ` +
      `"reader:pasted-Secret-123" \\\n  --header "Content-type: text/plain; charset=utf-8" ` +
      `\\\n  --data-binary 'imp,src=curl v=1 1700000000000'`;
    await page.getByTestId('import-command').fill(cmd);
    await page.getByTestId('import-read').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-token').waitFor();
    await expect(page.getByTestId('import-token-discard').isChecked()).resolves.toBe(true);
    await shot('12-import-curl');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-curl-dialog').waitFor({ state: 'detached' });

    await expect(page.locator('input[name="db"]').inputValue()).resolves.toBe('imported');
    await expect(page.locator('input[name="rp"]').inputValue()).resolves.toBe('autogen');
    await expect(page.locator('select[name="precision"]').inputValue()).resolves.toBe('ms');
    await expect(page.locator('select[name="authScheme"]').inputValue()).resolves.toBe('basic');
    await expect(page.locator('input[name="authUsername"]').inputValue()).resolves.toBe('reader');
    await page.locator('[data-testid="lp-editor"] .view-lines').filter({ hasText: 'imp,src=curl' }).waitFor();
    await expect
      .poll(() => page.getByTestId('url-preview').textContent(), { timeout: 5_000 })
      .toBe(`${influx.url}/write?db=imported&rp=autogen&precision=ms`);
    // Discarded: the page no longer holds it, and the connection kept its own token.
    expect(await page.content()).not.toContain('pasted-Secret-123');
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(storage).not.toContain('pasted-Secret-123');
    await expect(page.getByTestId('connection-item').first().textContent()).resolves.toContain('token ••••');
  });

  it('an unreadable command says why, instead of filling anything', async () => {
    await page.getByTestId('import-curl').click();
    await page.getByTestId('import-command').fill(`curl "${influx.url}/query?q=SHOW+DATABASES"`);
    await page.getByTestId('import-read').click();
    await expect(page.getByTestId('import-error').textContent()).resolves.toContain('not a write endpoint');
    await page.keyboard.press('Escape');
  });
});
