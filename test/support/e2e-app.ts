import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { createLogger } from '../../electron/app/logger';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { launchChromium } from './browser';
import { requireBuilt, ROOT } from './built';

/** Where every e2e test saves its screenshots. */
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

/**
 * The app as e2e tests drive it: the built renderer and the real handlers in browser mode, in a
 * fresh data folder, opened in Debian's Chromium.
 */
export interface E2eApp {
  readonly ctx: AppContext;
  readonly server: WebServer;
  /** The app's data folder (connections, history, drafts). */
  readonly dataDir: string;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught page errors (a crashed component shows as a blank pane, not as a failure). */
  readonly pageErrors: string[];
  shot(name: string): Promise<void>;
  /** Replaces the text of a Monaco editor (by its container's test id). */
  setEditorText(text: string, testId?: string): Promise<void>;
  /** Replaces the text of a Monaco editor by a paste (a real paste event, as from the clipboard). */
  pasteEditorText(text: string, testId?: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the app; `prepare` may seed data through the handlers before the page opens. */
export async function startE2eApp(options: {
  name: string;
  prepare?: (ctx: AppContext) => Promise<void>;
  /** Runs before the page opens (e.g. to record every response from the first one). */
  beforeOpen?: (page: Page) => void;
  /** A data folder to reuse (a restart); it is then left in place by close(). A fresh one otherwise. */
  dataDir?: string;
  /** Start the built-in sandbox as `npm run web` does (off by default so other tests see a fresh app). */
  sandbox?: boolean;
}): Promise<E2eApp> {
  const staticDir = path.dirname(requireBuilt('out/renderer/index.html'));
  const dataDir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), `iwb-e2e-${options.name}-`)));
  const ctx = await createAppContext({
    mode: 'browser',
    version: 'e2e',
    dataDir,
    cipher: null,
    noCipherReason: 'Browser mode keeps tokens in memory only.',
    log: createLogger(() => {}),
    sandbox: options.sandbox === true,
  });
  await options.prepare?.(ctx);
  const server = await startWebServer({ ctx, staticDir });
  await fs.mkdir(SHOTS, { recursive: true });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  options.beforeOpen?.(page);
  await page.goto(server.url);
  return {
    ctx,
    server,
    dataDir,
    browser,
    page,
    pageErrors,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
    async setEditorText(text, testId = 'lp-editor') {
      const editor = page.locator(`[data-testid="${testId}"] .monaco-editor`);
      await editor.waitFor();
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(text);
    },
    async pasteEditorText(text, testId = 'lp-editor') {
      await page.locator(`[data-testid="${testId}"] .view-lines`).click();
      await page.keyboard.press('Control+A');
      await page.evaluate((t) => {
        const data = new DataTransfer();
        data.setData('text/plain', t);
        document.activeElement!.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }, text);
    },
    async close() {
      await browser.close();
      await server.close();
      if (options.dataDir === undefined) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
