// @vitest-environment node
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dispatch } from '../../electron/app/dispatch';
import { createLogger } from '../../electron/app/logger';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectFullyShown, WINDOW_SIZES } from './geometry';

/**
 * What the Write tab does with the user's text, in Chromium against a real influxd 1.6: "apply all
 * safe fixes" picks the fix for what the parser saw and refuses one that leaves an error; the batch
 * summary follows typing and shows a pasted BOM (sent as it is); a history Reopen can be undone; the
 * quick-fix menu is not cut off by the editor's edge; the Probe legend says what "skipped" means.
 */

const log = createLogger(() => {});
const editorLines = (page: Page) => page.locator('[data-testid="lp-editor"] .view-lines');
const editorText = async (page: Page) => ((await editorLines(page).textContent()) ?? '').replace(/\u00a0/g, ' ');

// One story on one app and one server: the summary's write is what the Reopen tests reopen, and the
// Reopen of a query needs the History filter left as it was, so the file keeps its order under
// --sequence.shuffle (shuffle: false).
describe('the Write tab keeps the user in control of their text', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE trust');
    app = await startE2eApp({
      name: 'trust',
      prepare: async (c) => {
        const saved = await dispatch(
          c.handlers,
          'connections:save',
          {
            connection: { ...DEFAULT_CONNECTION_INPUT, name: 'Local 1.6', url: influx.url, flavor: '1.x', db: 'trust' },
            token: { action: 'keep' },
          },
          log,
        );
        if (!saved.ok) throw new Error(saved.error.message);
      },
    });
    page = app.page;
    await page.getByTestId('url-preview').waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
  });

  it('"Apply all safe fixes" replaces the tab the parser saw, not the `=` after it', async () => {
    await app.setEditorText('cpu,host=b\tusage=2');
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    await page.getByTestId('fix-all').click();
    await page.getByTestId('lp-errors').filter({ hasText: '0 errors' }).waitFor();
    expect(await editorText(page)).toBe('cpu,host=b usage=2');
    await expect(page.getByTestId('fix-report').textContent()).resolves.toMatch(/^Applied 1 safe fix/);
    await expect(page.getByTestId('fix-refused').count()).resolves.toBe(0);
    await app.shot('trust-01-safe-fixes');
  });

  it('refuses a safe fix that would leave an error, says so, and leaves the text alone', async () => {
    // A control character where the tab was: the parser fails the same way, and only the `=` escape is offered.
    await app.setEditorText('cpu,host=b\u0001usage=2');
    await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
    await page.getByTestId('fix-all').click();
    await page.getByTestId('fix-refused').waitFor();
    await expect(page.getByTestId('fix-report').textContent()).resolves.toContain('No fix applied.');
    await expect(page.getByTestId('fix-refused').textContent()).resolves.toContain(
      'Not applied: line 1, “Escape the equals sign in the tag value”: it would leave an error',
    );
    expect(await editorText(page)).not.toContain('\\=');
    await app.shot('trust-02-fix-refused');
    await page.getByTestId('fix-report-dismiss').click();
  });

  it('the batch summary follows typing, and shows a pasted BOM that makes a second "cpu" (sent as is)', async () => {
    await app.pasteEditorText('\uFEFFcpu,host=a usage=1 1700000000\ncpu,host=b usage=2 1700000001');
    await page.locator('select[name="precision"]').selectOption('s');
    await page.getByTestId('summary-toggle').click();
    const summary = page.getByTestId('lp-summary');
    await summary.filter({ hasText: '2 measurements' }).waitFor();
    await expect(summary.locator('th').allTextContents()).resolves.toEqual(['⟨U+FEFF⟩cpu', 'cpu']);
    await expect(page.getByTestId('lp-summary-lookalike').textContent()).resolves.toContain(
      '“⟨U+FEFF⟩cpu” and “cpu” look alike but are two measurements for the server: U+FEFF is a byte order mark',
    );
    // Typing updates the open summary (no toggling).
    await editorLines(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\nmem,host=c used=3 1700000002');
    await summary.filter({ hasText: '3 points · 3 measurements' }).waitFor();
    await app.shot('trust-03-summary-bom');
    await page.getByTestId('send').click();
    await page.getByTestId('status').filter({ hasText: '204' }).waitFor({ timeout: 15_000 });
    // The BOM went out as the user pasted it: the server made it part of the first measurement.
    const shown = await influx.query('SHOW MEASUREMENTS', 'trust');
    expect(shown.results?.[0]?.series?.[0]?.values?.map((v) => v[0]).sort()).toEqual(['cpu', 'mem', '\uFEFFcpu']);
  });

  it('Reopen from history replaces the draft with a notice; Ctrl+Z and Undo bring the draft back', async () => {
    const sent = await editorText(page);
    const draft = 'draft,unsent=yes v=1';
    await app.setEditorText(draft);
    await page.locator('select[name="precision"]').selectOption('ms');
    const reopen = async () => {
      await page.getByTestId('open-history').click();
      await page.getByTestId('history-row').first().click();
      await page.getByTestId('history-reopen').click();
      await page.getByTestId('reopen-notice').waitFor();
      await expect.poll(() => editorText(page)).toBe(sent);
    };
    await reopen();
    await expect(page.getByTestId('url-preview').textContent()).resolves.toBe(
      `${influx.url}/write?db=trust&precision=s`,
    );
    await app.shot('trust-04-reopen-notice');
    // One undo step in the editor brings back the unsent draft.
    await editorLines(page).click();
    await page.keyboard.press('Control+Z');
    await expect.poll(() => editorText(page)).toBe(draft);
    await page.getByTestId('reopen-notice').waitFor({ state: 'detached' });

    // The notice's Undo brings back the text and the form (Ctrl+Z above undid the text only).
    await page.locator('select[name="precision"]').selectOption('ms');
    await reopen();
    await page.getByTestId('reopen-undo').click();
    await expect.poll(() => editorText(page)).toBe(draft);
    await expect
      .poll(() => page.getByTestId('url-preview').textContent())
      .toBe(`${influx.url}/write?db=trust&precision=ms`);
    await page.getByTestId('reopen-notice').waitFor({ state: 'detached' });
    await app.shot('trust-05-reopen-undone');
  });

  it("Reopen of a query is undoable too: Ctrl+Z in the InfluxQL editor, and the notice's Undo", async () => {
    const iql = page.locator('[data-testid="iql-editor"] .view-lines');
    const iqlText = async () => ((await iql.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await page.getByTestId('tab-query').click();
    await app.setEditorText('SHOW MEASUREMENTS', 'iql-editor');
    await page.getByTestId('run-query').click();
    await page.getByTestId('query-status').waitFor({ timeout: 15_000 });
    const draft = 'SELECT used FROM mem';
    const reopen = async () => {
      await page.getByTestId('open-history').click();
      await page.locator('select[name="historyKind"]').selectOption('query');
      await page.getByTestId('history-row').first().click();
      await page.getByTestId('history-reopen').click();
      await page.getByTestId('reopen-notice').waitFor();
      await expect.poll(iqlText).toBe('SHOW MEASUREMENTS');
    };
    await app.setEditorText(draft, 'iql-editor');
    await reopen();
    await app.shot('trust-05b-query-reopen-notice');
    await iql.click();
    await page.keyboard.press('Control+Z');
    await expect.poll(iqlText).toBe(draft);
    await page.getByTestId('reopen-notice').waitFor({ state: 'detached' });
    await reopen();
    await page.getByTestId('reopen-undo').click();
    await expect.poll(iqlText).toBe(draft);
    await page.getByTestId('reopen-notice').waitFor({ state: 'detached' });
    await page.getByTestId('open-history').click();
    await page.locator('select[name="historyKind"]').selectOption('');
    await page.getByTestId('open-history').click();
    await page.getByTestId('tab-write').click();
  });

  for (const size of WINDOW_SIZES) {
    it(`the quick-fix menu is shown whole, not cut off by the editor's edge (${size.width}×${size.height})`, async () => {
      await page.setViewportSize(size);
      const menu = page.locator('.context-view > .action-widget');
      const openAt = async (line: 'first' | 'last', shot: string) => {
        // Focus the editor inside its visible box: the centre of a 61-line document's lines can lie
        // outside the editor (under the form above it) when the editor is short, as at 1024×700.
        await page.locator('[data-testid="lp-editor"] .monaco-editor').click({ position: { x: 120, y: 8 } });
        await page.keyboard.press(line === 'first' ? 'Control+Home' : 'Control+End');
        await page.keyboard.press('Control+.');
        await menu.getByText('Replace with "').first().waitFor();
        await app.shot(shot);
        await expectFullyShown(page, menu, `quick-fix menu (${line} line)`);
        // Every row of the list is inside the menu's box (none hidden under its edge).
        const rows = await menu.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return Array.from(el.querySelectorAll('.monaco-list-row')).map((r) => {
            const b = r.getBoundingClientRect();
            return { text: r.textContent ?? '', inside: b.top >= box.top - 1 && b.bottom <= box.bottom + 1 };
          });
        });
        expect(rows.filter((r) => !r.inside).map((r) => `row "${r.text}" is cut off`)).toEqual([]);
        expect(rows.length).toBeGreaterThanOrEqual(4);
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'hidden' });
      };
      const faulty = 'm s=“hello”,t=“a b” 1';
      // A short document (the menu is taller than what is left of the editor below the line), then a long
      // one whose faulty line is at the editor's bottom edge.
      await app.setEditorText(faulty);
      await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
      await openAt('first', `trust-06-quick-fix-short-${size.width}`);
      const lines = Array.from({ length: 60 }, (_, i) => `ok,n=${i} v=${i}`);
      await app.setEditorText([...lines, faulty].join('\n'));
      await page.getByTestId('lp-errors').filter({ hasText: '1 error' }).waitFor();
      await openAt('last', `trust-06-quick-fix-bottom-${size.width}`);
    });
  }

  it('the Probe legend says what "skipped" means', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('tab-probe').click();
    await page.getByTestId('run-probe').click();
    await page.getByTestId('probe-matrix').waitFor({ timeout: 20_000 });
    // No token is stored: every scheme but "none" is skipped.
    await expect(page.getByTestId('probe-write-v1-bearer').textContent()).resolves.toBe('skipped');
    await expect(page.getByTestId('probe-legend-skipped').textContent()).resolves.toBe(
      'skipped not sent: the scheme needs a token and this connection has none stored (add one in its settings)',
    );
    await expect(page.getByTestId('probe-legend').textContent()).resolves.toMatch(
      /accepted 2xx · rejected .* · not found no such endpoint \(404\) · network error no answer · skipped not sent/,
    );
    await app.shot('trust-07-probe-legend');
  });
});
