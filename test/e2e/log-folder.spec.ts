// @vitest-environment node
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { expectInside, expectNotClipped } from './geometry';

/**
 * "Open log folder" in browser mode: the page cannot open a local folder, so it shows the folder's
 * path (DATA_DIR/logs, where the web server writes influx-workbench.log) with a Copy button.
 */
describe('the log folder in browser mode', () => {
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({ name: 'log-folder' });
    await app.page.getByTestId('mode-badge').waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('the top bar offers it; the path is shown in full, inside the window, with a Copy button', async () => {
    const page = app.page;
    await page.getByTestId('open-log-folder').click();
    const shown = page.getByTestId('log-folder-path');
    await shown.waitFor();
    expect(await shown.textContent()).toBe(path.join(app.dataDir, 'logs'));
    await expectNotClipped(shown, 'log folder path');
    await expectInside(shown, page.locator('.topbar'), 'log folder path');
    const copy = page.getByTestId('copy-log-folder');
    await expectInside(copy, page.locator('.topbar'), 'Copy button');
    await app.shot('log-folder-browser');
    expect(app.pageErrors).toEqual([]);
  });
});
