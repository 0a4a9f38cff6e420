// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { type E2eApp, startE2eApp } from '../support/e2e-app';
import { type Influxd, startInfluxd } from '../support/influxd';
import { expectInside, expectNotClipped, expectNoWindowOverflow, WINDOW_SIZES } from './geometry';

/**
 * "Write file…" in Chromium (browser mode) against a real influxd: the file goes through main's
 * streaming loader; the panel shows progress, pauses and resumes, then the summary, the verify
 * result and the rejected lines, which open in the editor.
 */

const N = 120_000;
const BAD = new Map([
  [10, 'fl,host=x usage= 1700000010\n'],
  [60_000, 'fl,host=x usage=1.5 notatime\n'],
  [119_998, 'fl host=x\n'],
]);

/** Entries of the file the resume test cancels and resumes. */
const R = 300_000;

// One story: the resume test closes the panel the load left open and keeps its precision, and the load's
// history check expects its write alone, so the file keeps its order under --sequence.shuffle (shuffle: false).
describe('Write file… in the app', { shuffle: false }, () => {
  let influx: Influxd;
  let app: E2eApp;
  let page: Page;
  let tmp: string;
  let file: string;
  let resumeFile: string;

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE e2efile');
    await influx.query('CREATE DATABASE e2eresume');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-e2e-file-'));
    file = path.join(tmp, 'telegraf-day.lp');
    const lines: string[] = [];
    for (let i = 0; i < N; i++)
      lines.push(BAD.get(i) ?? `fl,host=h${i % 20} usage=${(i % 100) / 4},count=${i}i ${1_700_000_000 + i}\n`);
    await fs.writeFile(file, lines.join(''));
    resumeFile = path.join(tmp, 'backfill.lp');
    await fs.writeFile(
      resumeFile,
      Array.from({ length: R }, (_, i) => `rs,host=h${i % 10} v=${i}i ${1_700_000_000 + i}\n`).join(''),
    );
    app = await startE2eApp({
      name: 'file-load',
      prepare: async (ctx) => {
        await ctx.handlers['connections:save']({
          connection: { ...DEFAULT_CONNECTION_INPUT, name: 'Local 1.6', url: influx.url, flavor: '1.x', db: 'e2efile' },
          token: { action: 'keep' },
        });
      },
    });
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('takes a dropped file', async () => {
    await page.getByTestId('url-preview').waitFor();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped v=1 1\n'], 'dropped.lp', { type: 'text/plain' }));
      const target = document.querySelector('.workspace')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect(page.getByTestId('file-load-name').textContent()).resolves.toBe('dropped.lp');
    await page.getByTestId('file-load-close').click();
    await page.getByTestId('file-load').waitFor({ state: 'detached' });
  });

  it('loads a file with progress, pause and resume, and shows the summary, verify and the rejects', async () => {
    await page.locator('select[name="precision"]').selectOption('s');
    await page.getByTestId('write-file-input').setInputFiles(file);
    await page.getByTestId('file-load').waitFor();
    await page.locator('input[name="batchLines"]').fill('1000');
    await page.locator('input[name="concurrency"]').fill('1');
    await page.locator('select[name="onInvalid"]').selectOption('skip');
    await app.shot('file-load-01-options');
    await page.getByTestId('file-load-start').click();

    // Some batches acknowledged, not all: pause there.
    await expect
      .poll(
        async () => Number(/^([\d.]+)%/.exec((await page.getByTestId('file-load-stats').textContent()) ?? '')?.[1]),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
    await page.getByTestId('file-load-pause').click();
    await expect.poll(() => page.getByTestId('file-load-stats').textContent()).toContain('paused');
    await page.getByTestId('file-load-resume').waitFor();
    await app.shot('file-load-02-paused');
    await page.getByTestId('file-load-resume').click();

    const summary = page.getByTestId('file-load-summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect(summary.textContent()).resolves.toMatch(
      new RegExp(`^Loaded: ${N - 3} points accepted, 3 rejected, .* in 120 batches`),
    );
    await expect(page.getByTestId('file-load-verify').textContent()).resolves.toContain(
      'the server holds what it acknowledged',
    );
    await expect(page.getByTestId('file-load-rejects').locator('li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^line 11: LP107 unable to parse 'fl,host=x usage= 1700000010': missing field value/),
      expect.stringMatching(/^line 60001: .*bad timestamp/),
      expect.stringMatching(/^line 119999: /),
    ]);
    await app.shot('file-load-03-done');

    // The rejected entries open in the editor, each after its source line and reason.
    await page.getByTestId('file-load-open-rejects').click();
    await expect
      .poll(async () =>
        // Monaco renders spaces as no-break spaces.
        ((await page.locator('[data-testid="lp-editor"] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' '),
      )
      .toContain("# line 11: LP107 unable to parse 'fl,host=x usage= 1700000010': missing field value");
    await app.shot('file-load-04-rejects-in-editor');

    const r = await influx.query('SELECT COUNT(count) FROM fl', 'e2efile');
    expect(r.results?.[0]?.series?.[0]?.values[0]?.[1]).toBe(N - 3);
    // One history entry for the whole load, not one per batch.
    const history = await app.ctx.handlers['history:list']({ limit: 50, offset: 0 });
    expect(history.entries.filter((e) => e.kind === 'write').map((e) => e.summary)).toEqual([
      expect.stringMatching(/^file telegraf-day\.lp: completed, 119997 accepted, 3 rejected, 120 batches, verify OK/),
    ]);
    expect(app.pageErrors).toEqual([]);
  });
  it('a cancelled load is offered again and resumes from its line: the server then holds every point once', async () => {
    await page.getByTestId('file-load-close').click();
    await page.getByTestId('file-load').waitFor({ state: 'detached' });
    await page.locator('input[name="db"]').fill('e2eresume');
    await page.getByTestId('write-file-input').setInputFiles(resumeFile);
    await page.getByTestId('file-load').waitFor();
    await page.locator('input[name="batchLines"]').fill('500');
    await page.locator('input[name="concurrency"]').fill('1');
    await page.getByTestId('file-load-start').click();
    const percent = async () =>
      Number(/^([\d.]+)%/.exec((await page.getByTestId('file-load-stats').textContent()) ?? '')?.[1]);
    await expect.poll(percent, { timeout: 60_000 }).toBeGreaterThan(0);
    // Pause first (no new batch starts), so the load is surely unfinished when cancelled.
    await page.getByTestId('file-load-pause').click();
    await expect.poll(() => page.getByTestId('file-load-stats').textContent()).toContain('paused');
    await page.getByTestId('file-load-cancel').click();
    const summary = page.getByTestId('file-load-summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^Cancelled: \d+ points accepted/);

    // Main kept the checkpoint in the data folder; the panel offers to resume at its line.
    const [ck] = (await fs.readdir(path.join(app.dataDir, 'file-loads'))).filter((f) => f.endsWith('.checkpoint.json'));
    const checkpoint = JSON.parse(await fs.readFile(path.join(app.dataDir, 'file-loads', ck!), 'utf8')) as {
      offset: number;
      line: number;
    };
    expect(checkpoint.line).toBeGreaterThan(1);
    expect(checkpoint.line).toBeLessThan(R);
    const resume = page.getByTestId('file-load-resume-unfinished');
    await expect(resume.textContent()).resolves.toBe(`Resume backfill.lp from line ${checkpoint.line}`);
    await expect(page.getByTestId('file-load-unfinished').textContent()).resolves.toContain(
      'An earlier load of backfill.lp was cancelled after',
    );
    for (const size of WINDOW_SIZES) {
      await page.setViewportSize(size);
      await expectNotClipped(resume, 'the resume button');
      await expectInside(page.getByTestId('file-load-unfinished'), page.getByTestId('file-load'), 'the resume offer');
      await expectNoWindowOverflow(page);
      await app.shot(`file-load-05-resume-offered-${size.width}`);
    }
    const before = await influx.query('SELECT COUNT(v) FROM rs', 'e2eresume');
    expect(before.results?.[0]?.series?.[0]?.values[0]?.[1]).toBeLessThan(R);

    await resume.click();
    await expect
      .poll(() => summary.textContent(), { timeout: 120_000 })
      .toMatch(new RegExp(`^Loaded: \\d+ points accepted, 0 rejected, .* Resumed from line ${checkpoint.line}\\.`));
    await expect(page.getByTestId('file-load-verify').textContent()).resolves.toContain(
      'the server holds what it acknowledged',
    );
    await page.getByTestId('file-load-unfinished').waitFor({ state: 'detached' });
    await app.shot('file-load-06-resumed');
    // Every point exactly once: no gap at the checkpoint, nothing lost to the cancel.
    const r = await influx.query('SELECT COUNT(v), MIN(v), MAX(v), COUNT(DISTINCT(v)) FROM rs', 'e2eresume');
    expect(r.results?.[0]?.series?.[0]?.values[0]?.slice(1)).toEqual([R, 0, R - 1, R]);
    await expect(fs.readdir(path.join(app.dataDir, 'file-loads'))).resolves.toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
