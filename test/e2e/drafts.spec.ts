// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { type E2eApp, startE2eApp } from '../support/e2e-app';

/**
 * Drafts survive a restart of browser mode, which serves the window from a new port (a new origin,
 * so an empty localStorage) each time: the write body and the query come back from main's data
 * folder, a 3 MB paste included, which localStorage could never hold.
 */

// One story across restarts of one data folder: each step restarts the app (or closes the tab) and checks
// what the step before left in the drafts, so the file keeps its order under --sequence.shuffle
// (shuffle: false).
describe('drafts across restarts (browser mode, Chromium)', { shuffle: false }, () => {
  let dataDir: string;
  let run: E2eApp | null = null;
  let connectionId = '';

  /** Starts the app on the shared data folder: a new port, a new browser, an empty localStorage. */
  async function start(): Promise<Page> {
    run = await startE2eApp({ name: 'drafts', dataDir });
    return run.page;
  }
  async function stop(): Promise<void> {
    await run?.close();
    run = null;
  }
  const draftFile = (kind: string) => path.join(dataDir, 'drafts', `${kind}-${connectionId}.json`);
  /** Waits until main's copy of a draft satisfies `test`. */
  async function storedDraft(
    kind: string,
    test: (draft: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    return vi.waitFor(
      async () => {
        const text = await fs.readFile(draftFile(kind), 'utf8').catch(() => '');
        const draft = text ? (JSON.parse(text) as { draft: Record<string, unknown> }).draft : null;
        if (draft === null || !test(draft))
          throw new Error(`the ${kind} draft never reached the data folder: ${text.slice(0, 200)}`);
        return draft;
      },
      { timeout: 15_000, interval: 100 },
    );
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-e2e-drafts-'));
  });
  afterAll(async () => {
    await stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('brings back the write body and the query after a restart on a new port', async () => {
    const page = await start();
    const firstUrl = run!.server.url;
    await page.getByTestId('new-connection').click();
    await page.locator('input[name="name"]').fill('Drafts');
    await page.locator('input[name="url"]').fill('http://127.0.0.1:9');
    await page.getByTestId('save-connection').click();
    await page.getByTestId('url-preview').waitFor();
    const list = await run!.ctx.handlers['connections:list']({});
    connectionId = list.connections[0]!.id;

    const editor = page.locator('[data-testid="lp-editor"] .monaco-editor');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('drafted,host=a value=42 1700000000');
    await page.getByTestId('tab-query').click();
    const iql = page.locator('[data-testid="iql-editor"] .monaco-editor');
    await iql.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELECT mean(value) FROM drafted');
    await storedDraft('write', (d) => d.body === 'drafted,host=a value=42 1700000000');
    await storedDraft('query', (d) => d.q === 'SELECT mean(value) FROM drafted');
    await stop();

    const again = await start();
    expect(run!.server.url).not.toBe(firstUrl); // a new origin: its localStorage is empty
    await again.getByTestId('connection-item').filter({ hasText: 'Drafts' }).click();
    await again
      .locator('[data-testid="lp-editor"] .view-lines')
      .filter({ hasText: 'drafted,host=a value=42 1700000000' })
      .waitFor({ timeout: 10_000 });
    await again.getByTestId('tab-query').click();
    await again
      .locator('[data-testid="iql-editor"] .view-lines')
      .filter({ hasText: 'SELECT mean(value) FROM drafted' })
      .waitFor({ timeout: 10_000 });
    await run!.shot('drafts-01-restored-after-restart');
  });

  it('sends what was typed last, even when Send is clicked right after the last keystroke', async () => {
    const page = run!.page;
    await page.getByTestId('tab-write').click();
    await page.locator('input[name="db"]').fill('d');
    await page.locator('[data-testid="lp-editor"] .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // Typed key by key, and Send clicked with no pause: the editor hands its text over on demand.
    await page.keyboard.type('fast,host=a v=12345');
    await page.getByTestId('send').click();
    await page.getByTestId('network-error').waitFor({ timeout: 15_000 });
    const { entries } = await run!.ctx.handlers['history:list']({ limit: 1, offset: 0 });
    const entry = await run!.ctx.handlers['history:get']({ id: entries[0]!.id });
    expect(entry.request?.body).toBe('fast,host=a v=12345');
  });

  it('keeps the last keystrokes when the tab is closed right after them', async () => {
    const page = run!.page;
    await page.locator('[data-testid="lp-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(',w=6');
    await page.close(); // no pause: inside both the editor's and the draft's debounce
    await storedDraft('write', (d) => d.body === 'fast,host=a v=12345,w=6');
    await stop();
    const again = await start();
    await again.getByTestId('connection-item').filter({ hasText: 'Drafts' }).click();
    await again
      .locator('[data-testid="lp-editor"] .view-lines')
      .filter({ hasText: 'fast,host=a v=12345,w=6' })
      .waitFor({ timeout: 10_000 });
  });

  it('keeps a 3 MB paste, beyond what localStorage holds', async () => {
    const page = run!.page;
    await page.getByTestId('tab-write').click();
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(`big,host=h${i % 50} v=${i}i,s="payload-${i}" ${1700000000 + i}`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(3_000_000);
    await run!.pasteEditorText(text);
    await storedDraft('write', (d) => d.body === text);
    await stop();

    const again = await start();
    await again.getByTestId('connection-item').filter({ hasText: 'Drafts' }).click();
    await again
      .locator('[data-testid="lp-editor"] .view-lines')
      .filter({ hasText: 'big,host=h0 v=0i' })
      .waitFor({ timeout: 15_000 });
    // The whole body is back: the cursor reaches its last line.
    await again.locator('[data-testid="lp-editor"] .view-lines').click();
    await again.keyboard.press('Control+End');
    await again
      .locator('[data-testid="lp-editor"] .active-line-number')
      .filter({ hasText: /^60000$/ })
      .waitFor({ timeout: 15_000 });
    expect(await again.getByTestId('draft-not-kept').count()).toBe(0);
  });
});
