// @vitest-environment node
import http from 'node:http';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { call } from '../support/call';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectSuggestionRowsReadable } from './geometry';
import { dismissHover, hoverUntilShown } from './hover';

/**
 * The InfluxQL explorer end to end in Chromium (browser mode): completion from the real schema of an
 * influxd 1.6, run, table and chart, a multi-statement script with an error in the middle, the schema
 * sidebar, and a 1,000,000-row result from a local fake server scrolled in the virtualized table.
 */

const MILLION = 1_000_000;

/** A fake /query server answering any query with MILLION rows (time in ns, one float). */
async function startMillionRowServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const parts = ['{"results":[{"statement_id":0,"series":[{"name":"big","columns":["time","v"],"values":['];
  for (let i = 0; i < MILLION; i++)
    parts.push(`${i ? ',' : ''}[${1700000000000000000n + BigInt(i) * 1000000000n},${i % 100}]`);
  parts.push(']}]}]}\n');
  const body = parts.join('');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Influxdb-Version': 'fake' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('InfluxQL explorer in Chromium against influxd 1.6', () => {
  let influx: Influxd;
  let fake: Awaited<ReturnType<typeof startMillionRowServer>>;
  let app: E2eApp;
  let page: Page;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE explore');
    const lines: string[] = [];
    for (let i = 0; i < 60; i++)
      lines.push(
        `cpu,host=h${i % 2} usage=${(50 + 30 * Math.sin(i / 6)).toFixed(2)},cores=${4 + (i % 3)}i ${1700000000 + i * 60}`,
      );
    lines.push('disk\\ io,host=h0 used=10i 1700000000');
    const res = await fetch(`${influx.url}/write?db=explore&precision=s`, { method: 'POST', body: lines.join('\n') });
    expect(res.status).toBe(204);
    fake = await startMillionRowServer();
    // The connections are made through the handlers, and each test selects its own (beforeEach), so the
    // tests do not depend on the order they run in.
    app = await startE2eApp({
      name: 'query',
      prepare: async (ctx) => {
        for (const [name, url, db] of [
          ['Local 1.6', influx.url, 'explore'],
          ['Fake million', fake.url, 'big'],
        ] as const) {
          await call(ctx, 'connections:save', {
            connection: { ...DEFAULT_CONNECTION_INPUT, name, url, flavor: '1.x', db, authScheme: 'none' },
            token: { action: 'keep' },
          });
        }
      },
    });
    page = app.page;
  });

  /** Selects a connection and its Query tab, and waits for its schema. */
  async function openQuery(name: 'Local 1.6' | 'Fake million'): Promise<void> {
    await page.getByTestId('connection-item').filter({ hasText: name }).click();
    await page.getByTestId('tab-query').click();
    await editor().waitFor();
  }

  beforeEach(async () => {
    await openQuery('Local 1.6');
    await page.getByTestId('schema-measurement').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await influx?.stop();
  });

  const shot = (name: string) => app.shot(name);
  const editor = () => page.locator('[data-testid="iql-editor"] .monaco-editor');
  const suggestion = (label: string) => page.locator('.suggest-widget .monaco-list-row', { hasText: label }).first();

  async function clearEditor(): Promise<void> {
    await editor().waitFor();
    // Click the first line's start: a suggestion list or hover left open by the last test opens below
    // or beside its line and can cover the middle of the (short) editor, never this corner.
    await editor()
      .locator('.view-lines')
      .click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
  }

  it('completes a measurement and a field from the schema, runs, and shows the table and chart', async () => {
    await clearEditor();
    await page.keyboard.type('SELECT  FROM cp', { delay: 30 });
    await suggestion('cpu').waitFor();
    // Each row is a full line tall with its label inside (an app rule once cut them to 3 px).
    await expectSuggestionRowsReadable(page, editor());
    await shot('30-query-complete-measurement');
    await page.keyboard.press('Enter');
    // Back between SELECT and FROM, then complete a field of cpu (its type is shown).
    await page.keyboard.press('Home');
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('usa', { delay: 30 });
    await suggestion('usage').waitFor();
    await expect(suggestion('usage').textContent()).resolves.toContain('float');
    await expectSuggestionRowsReadable(page, editor());
    await shot('31-query-complete-field');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' WHERE host = ', { delay: 30 });
    await suggestion('h1').waitFor();
    await page.keyboard.type("'h1'", { delay: 10 });
    await page.keyboard.press('Escape');
    const text = await editor().locator('.view-lines').innerText();
    expect(text.replace(/\s+/g, ' ').trim()).toBe("SELECT usage FROM cpu WHERE host = 'h1'");
    await page.getByTestId('run-query').click();
    await expect(page.getByTestId('row-count').textContent({ timeout: 15_000 })).resolves.toContain('30 rows');
    await page.getByTestId('result-table').waitFor();
    await shot('32-query-table');
    await page.getByTestId('chart-toggle').click();
    await page.locator('[data-testid="result-chart"] canvas').first().waitFor();
    await shot('33-query-chart');
  });

  /** The editor's text as shown, whitespace collapsed. */
  const editorText = async (): Promise<string> =>
    (await editor().locator('.view-lines').innerText()).replace(/\s+/g, ' ').trim();

  it('shows live diagnostics, function hover and signature help', async () => {
    await clearEditor();
    await page.keyboard.type('SELECT percentile(', { delay: 30 });
    await page.locator('.parameter-hints-widget').waitFor();
    await shot('34-query-signature-help');
    await expect(page.locator('.parameter-hints-widget').textContent()).resolves.toContain('PERCENTILE(field_key, N)');
    await page.keyboard.press('Escape');
    const query = 'SELECT percentile(usage, 95) FROM cpu GROUP BY time(5m) fill(nul)';
    await page.keyboard.type('usage, 95) FROM cpu GROUP BY time(5m) fill(nul)', { delay: 5 });
    // The hover depends on this state, not on time: all the text is in the editor, the diagnostics of
    // that final text are shown (fill(nul) is a parse error: a marker at influxd's position), and no
    // suggestion or parameter-hint widget is open over the editor.
    await expect.poll(editorText, { timeout: 15_000 }).toBe(query);
    await expect
      .poll(() => page.locator('[data-testid="iql-editor"] .squiggly-error').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // (Monaco 0.57 marks neither widget with a `visible` class: ask whether any box is laid out.)
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.suggest-widget, .parameter-hints-widget')].every(
        (w) => w.getClientRects().length === 0,
      ),
    );
    const name = page.locator('[data-testid="iql-editor"] .view-line').first().getByText('percentile').first();
    await hoverUntilShown(page, name, page.locator('.monaco-hover', { hasText: 'PERCENTILE(field_key, N)' }));
    await shot('35-query-diagnostic');
    await dismissHover(page);
  });

  it('offers nothing where only a new name can go, and Enter after a complete statement adds a line', async () => {
    // `CREATE DATABASE demo` + Enter once became `CREATE DATABASE DOUBLE_EXPONENTIAL_MOVING_AVERAGE()`,
    // `CREATE DATABASE iot` + Enter became `CREATE DATABASE INTO`.
    for (const name of ['demo', 'iot']) {
      await clearEditor();
      await page.keyboard.type(`CREATE DATABASE ${name}`, { delay: 30 });
      // Ask explicitly, so the list's state is known rather than raced.
      await page.keyboard.press('Control+Space');
      await page.locator('.suggest-widget', { hasText: 'No suggestions' }).waitFor();
      expect(await page.locator('.suggest-widget .monaco-list-row').count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.keyboard.type('SHOW DATABASES');
      await expect.poll(editorText).toBe(`CREATE DATABASE ${name} SHOW DATABASES`);
      expect(await editor().locator('.view-line').count()).toBe(2);
    }
    // Only the keywords the grammar allows after CREATE.
    await clearEditor();
    await page.keyboard.type('CREATE ', { delay: 30 });
    await page.keyboard.press('Control+Space');
    await suggestion('DATABASE').waitFor();
    const offered = await page.locator('.suggest-widget .monaco-list-row').allTextContents();
    expect(offered.map((t) => t.trim()).sort()).toEqual([
      'CONTINUOUS',
      'DATABASE',
      'RETENTION',
      'SUBSCRIPTION',
      'USER',
    ]);
    await page.keyboard.press('Escape');
    // `cpu` is offered at the end of a complete statement; Enter does not "accept" it, it adds a line.
    await clearEditor();
    await page.keyboard.type('SELECT usage FROM cpu', { delay: 30 });
    await page.keyboard.press('Control+Space');
    await suggestion('cpu').waitFor();
    await shot('30b-query-complete-statement');
    await page.keyboard.press('Enter');
    await page.keyboard.type('LIMIT 1');
    await expect.poll(editorText).toBe('SELECT usage FROM cpu LIMIT 1');
    expect(await editor().locator('.view-line').count()).toBe(2);
  });

  it('runs a multi-statement script and shows the statement error in the middle', async () => {
    await clearEditor();
    await page.keyboard.insertText(
      'SELECT usage FROM cpu LIMIT 3;\nSELECT * FROM nope.autogen.cpu;\nSELECT count(usage) FROM cpu',
    );
    await page.getByTestId('run-query').click();
    await page.getByRole('tab', { name: /Statement 2/ }).click();
    await expect(page.getByTestId('statement-error').textContent()).resolves.toContain('database not found: nope');
    await shot('36-query-multi-statement-error');
    await page.getByRole('tab', { name: /Statement 1/ }).click();
    await expect(page.getByTestId('row-count').textContent()).resolves.toContain('3 rows');
  });

  it('inserts quoted names from the schema sidebar', async () => {
    await clearEditor();
    await page.keyboard.insertText('SELECT * FROM ');
    await page
      .getByTestId('schema-measurement')
      .filter({ hasText: 'disk io' })
      .getByRole('button', { name: 'disk io' })
      .click();
    const text = await editor().locator('.view-lines').innerText();
    expect(text.replace(/\s+/g, ' ').trim()).toBe('SELECT * FROM "disk io"');
    await page
      .getByTestId('schema-measurement')
      .filter({ hasText: 'cpu' })
      .getByRole('button', { name: 'Expand' })
      .click();
    await page.getByTestId('schema-field').filter({ hasText: 'cores' }).waitFor();
    await shot('37-query-schema-sidebar');
  });

  it(
    'scrolls a 1,000,000-row result smoothly: only the visible rows are in the DOM',
    { timeout: 240_000 },
    async () => {
      await openQuery('Fake million');
      await clearEditor();
      await page.keyboard.insertText('SELECT v FROM big');
      await page.getByTestId('run-query').click();
      try {
        await page.getByTestId('row-count').waitFor({ timeout: 90_000 });
      } finally {
        await shot('38-query-million-rows-top');
      }
      await expect(page.getByTestId('row-count').textContent()).resolves.toContain('1,000,000 rows');
      await shot('38-query-million-rows-top');
      const scroller = page.locator('[data-testid="result-table"] .vt-scroll');
      const frames = await scroller.evaluate(async (el) => {
        const times: number[] = [];
        for (const fraction of [0.25, 0.5, 0.75, 1]) {
          const t = performance.now();
          el.scrollTop = el.scrollHeight * fraction;
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          times.push(performance.now() - t);
        }
        return times;
      });
      const rendered = await page.locator('[data-testid="result-table"] .vt-row').count();
      expect(rendered).toBeLessThan(80);
      const last = await page.locator('[data-testid="result-table"] .vt-row').last().getAttribute('aria-rowindex');
      expect(Number(last)).toBe(MILLION + 1);
      // Each jump renders in a couple of frames, not seconds (generous bound for a loaded CI machine).
      for (const ms of frames) expect(ms).toBeLessThan(500);
      await shot('39-query-million-rows-scrolled');
    },
  );
});
