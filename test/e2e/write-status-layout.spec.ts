// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { call } from '../support/call';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { expectFullyShown, expectNotClipped, expectNoWindowOverflow, expectOneLine, WINDOW_SIZES } from './geometry';

/**
 * The Write tab's status bar under the editor, at both window sizes: counts, "Apply all safe fixes",
 * the key hint and the summary toggle each stay on one line and show their whole label (at 1024×700
 * "1 error" used to wrap onto two lines and "Apply all safe fixes (4)" onto three).
 */
describe('Write status bar layout', () => {
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    app = await startE2eApp({
      name: 'lp-status-layout',
      prepare: async (ctx) => {
        await call(ctx, 'connections:save', {
          connection: {
            ...DEFAULT_CONNECTION_INPUT,
            name: 'OSS 1.x',
            url: 'http://127.0.0.1:9',
            flavor: '1.x',
            db: 'db',
          },
          token: { action: 'keep' },
        });
      },
    });
    page = app.page;
  });
  afterAll(async () => {
    await app?.close();
  });

  // Four lines with typographic quotes: four errors, each with a safe fix; the first error's row shows too.
  const TEXT = ['m s=“a”', 'm s=“b”', 'm s=“c”', 'm s=“d”', 'cpu,host=a usage=0.5'].join('\n');

  for (const size of WINDOW_SIZES) {
    it(`lays out on one line per item at ${size.width}×${size.height}`, async () => {
      await page.setViewportSize(size);
      await page.getByTestId('connection-item').filter({ hasText: 'OSS 1.x' }).click();
      await page.getByTestId('url-preview').waitFor();
      await app.setEditorText(TEXT);
      await page.getByTestId('lp-errors').filter({ hasText: '4 errors' }).waitFor();
      await page.getByTestId('fix-all').waitFor();
      await page.getByTestId('lp-first-error').waitFor();
      await app.shot(`lp-status-layout-${size.width}`);

      const status = page.getByTestId('lp-status');
      // Every item of the bar: counts, buttons, the key hint, "send anyway".
      const items = status.locator('.lp-status-row > :not([data-testid="lp-first-error"])');
      await expectOneLine(items, 'status bar item');
      await expectNotClipped(items, 'status bar item');
      // The first error is cut with an ellipsis by design, on one line, with its whole text as a tooltip.
      const firstError = page.getByTestId('lp-first-error');
      await expectOneLine(firstError, 'first error');
      expect(await firstError.getAttribute('title')).toBe(await firstError.textContent());
      // The whole bar, first error and "send anyway" included, is on screen: the editor gives way to it.
      await expectFullyShown(page, status, 'the status bar');
      await expectNoWindowOverflow(page);
    });
  }
});
