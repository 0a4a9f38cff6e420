// @vitest-environment node
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { call } from '../support/call';
import { type E2eApp, SHOTS, startE2eApp } from '../support/e2e-app';
import { dismissHover, hoverUntilShown } from './hover';

/** The line-protocol language service in the real editor, in Chromium (browser mode). */

describe('line-protocol editor in Chromium', () => {
  let app: E2eApp;
  let page: Page;

  // Two connections, made through the handlers; each test selects one and types its own text, so the
  // tests do not depend on the order they run in.
  beforeAll(async () => {
    app = await startE2eApp({
      name: 'lp',
      prepare: async (ctx) => {
        for (const [name, flavor] of [
          ['OSS 1.x', '1.x'],
          ['Dedicated', 'cloud-dedicated'],
        ] as const) {
          await call(ctx, 'connections:save', {
            connection: { ...DEFAULT_CONNECTION_INPUT, name, url: 'http://127.0.0.1:9', flavor, db: 'db' },
            token: { action: 'keep' },
          });
        }
      },
    });
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
  });

  const BAD = 'm s=“hello”\ncpu,host=a usage=0.5 1700000000\nmy meas v=1';

  /** Selects the connection, sets the precision to the server default and replaces the editor's text. */
  async function open(name: 'OSS 1.x' | 'Dedicated', text: string): Promise<void> {
    await page.getByTestId('connection-item').filter({ hasText: name }).click();
    await page.getByTestId('url-preview').waitFor();
    await page.locator('select[name="precision"]').selectOption('');
    await app.setEditorText(text);
  }

  it("shows live diagnostics in the flavor's words and blocks Send", async () => {
    await open('OSS 1.x', BAD);
    await page.getByTestId('lp-errors').filter({ hasText: '2 errors' }).waitFor();
    await expect(page.locator('[data-testid="lp-editor"] .squiggly-error').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('lp-first-error').textContent()).resolves.toBe(
      "Line 1: unable to parse 'm s=“hello”': invalid boolean",
    );
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, '10-lp-diagnostics.png') });
  });

  it('applies all safe fixes in one step', async () => {
    await open('OSS 1.x', BAD);
    await page.getByTestId('lp-errors').filter({ hasText: '2 errors' }).waitFor();
    await page.getByTestId('fix-all').click();
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    await page.locator('[data-testid="lp-editor"] .view-lines').filter({ hasText: 'm s="hello"' }).waitFor();
  });

  it('offers a quick fix on the line (escape the space) through the code-action menu', async () => {
    await open('OSS 1.x', 'm s="hello"\ncpu,host=a usage=0.5 1700000000\nmy meas v=1');
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    await page.locator('[data-testid="lp-editor"] .view-line').nth(2).click();
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget').getByText('Escape the space before "meas"');
    await item.waitFor();
    await page.screenshot({ path: path.join(SHOTS, '11-lp-quick-fix.png') });
    await item.click();
    await page.getByTestId('lp-errors').filter({ hasText: '0 errors' }).waitFor();
    await page.locator('[data-testid="lp-editor"] .view-lines').filter({ hasText: 'my\\ meas v=1' }).waitFor();
    expect(await page.getByTestId('send').isDisabled()).toBe(false);
  });

  it('warns when timestamps do not fit the precision, and hover decodes the time', async () => {
    await open('OSS 1.x', 'm s="hello"\ncpu,host=a usage=0.5 1700000000\nmy\\ meas v=1');
    // 1700000000 read as nanoseconds is 1970: the precision guard warns and suggests seconds.
    await page
      .getByTestId('lp-warnings')
      .filter({ hasText: /^[1-9]\d* warning/ })
      .waitFor();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'usage' });
    await hoverUntilShown(page, page.locator('[data-testid="lp-editor"] .view-line').nth(1).getByText('usage'), hover);
    await expect(hover.textContent()).resolves.toContain('1970-01-01');
    await page.screenshot({ path: path.join(SHOTS, '12-lp-hover-precision.png') });
    await dismissHover(page);
    await page.locator('select[name="precision"]').selectOption('s');
    await page.getByTestId('lp-warnings').filter({ hasText: '0 warnings' }).waitFor();
  });

  it('shows a batch summary', async () => {
    await open('OSS 1.x', 'm s="hello"\ncpu,host=a usage=0.5 1700000000\nmy\\ meas v=1');
    await page.getByTestId('lp-errors').filter({ hasText: '0 errors' }).waitFor();
    await page.getByTestId('summary-toggle').click();
    const summary = page.getByTestId('lp-summary');
    await summary.filter({ hasText: '3 points' }).waitFor();
    const text = await summary.textContent();
    expect(text).toContain('3 measurements');
    expect(text).toContain('usage: float');
  });

  it('applies the 3.x rules on a Cloud Dedicated connection', async () => {
    await open('Dedicated', 'cpu,host=a host=1i 1700000000');
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    await expect(page.getByTestId('lp-first-error').textContent()).resolves.toContain('error writing line 1 (1-based)');
    await page.screenshot({ path: path.join(SHOTS, '13-lp-cloud-dedicated.png') });
    // The same line is fine on 1.x.
    await open('OSS 1.x', 'cpu,host=a host=1i 1700000000');
    await page.getByTestId('lp-errors').filter({ hasText: '0 errors' }).waitFor();
  });
});
