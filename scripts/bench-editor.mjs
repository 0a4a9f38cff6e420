/* global document, DataTransfer, ClipboardEvent -- used inside page.evaluate(), which runs in Chromium */
// Editor benchmark (issue 3): time from a keystroke to updated diagnostics in a 100 000-line
// document, measured in Debian's Chromium through browser mode on the built app. The language
// service records each keystroke→markers interval as a `lp-keystroke` Performance measure.
// Usage: npm run build && npm run bench:editor [-- --lines 100000 --keys 200]
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '100000' }, keys: { type: 'string', default: '200' } },
});
const LINES = Number(values.lines);
const KEYS = Number(values.keys);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
try {
  await fs.access(path.join(root, 'out/web/index.cjs'));
} catch {
  console.error('Run `npm run build` first.');
  process.exit(2);
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-bench-editor-'));
const server = spawn(process.execPath, [path.join(root, 'out/web/index.cjs'), '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /Open: (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', () => reject(new Error('server exited')));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('crash', () => console.error('page crashed'));
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(url);
  await page.getByTestId('new-connection').click();
  await page.locator('input[name="name"]').fill('bench');
  await page.locator('input[name="db"]').fill('db');
  await page.getByTestId('save-connection').click();
  await page.getByTestId('url-preview').waitFor();
  // A realistic batch: 5 measurements, tags, mixed field types, ns timestamps.
  const rows = [];
  for (let i = 0; i < LINES; i++) {
    rows.push(
      `m${i % 5},host=h${i % 97},region=r${i % 7} ` +
        `v=${(i * 0.37).toFixed(2)},n=${i}i,ok=${i % 2 === 0} ${1700000000000000000n + BigInt(i) * 1000000000n}`,
    );
  }
  await page.locator('[data-testid="lp-editor"] .view-lines').first().click();
  await page.keyboard.press('Control+A');
  const t0 = Date.now();
  // Load the document the way a user does: one paste (Monaco applies it as a single edit).
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const target = document.activeElement;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, rows.join('\n'));
  // Ready when the cursor can reach the last line (the paste landed) and the status bar has updated.
  await page.keyboard.press('Control+End');
  await page
    .locator('[data-testid="lp-editor"] .active-line-number')
    .filter({ hasText: new RegExp(`^${LINES}$`) })
    .waitFor({ timeout: 120_000 });
  const loadMs = Date.now() - t0;
  await page.evaluate(() => {
    performance.clearMeasures('lp-keystroke');
    performance.clearMeasures('lp-keystroke-frame');
  });
  // Type at the end of the document: a new line, then a mix of edits that change field types
  // (the cross-line conflict index must be kept up to date) and edits inside values.
  await page.keyboard.press('Enter');
  const text = 'm1,host=h1 v=1i,n=2 1700000000000000000';
  for (let k = 0; k < KEYS; k++) {
    const ch = text[k % text.length];
    await page.keyboard.type(ch);
    if (k % text.length === text.length - 1) await page.keyboard.press('Enter');
  }
  await page.waitForTimeout(300);
  const read = (name) =>
    page.evaluate(
      (n) =>
        performance
          .getEntriesByName(n)
          .map((e) => e.duration)
          .sort((a, b) => a - b),
      name,
    );
  const validation = await read('lp-keystroke');
  const frame = await read('lp-keystroke-frame');
  const errors = await page.getByTestId('lp-errors').textContent();
  const q = (s, p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  console.log(`document: ${LINES} lines, loaded (one paste) and validated in ${loadMs} ms (${errors})`);
  console.log(`keystrokes measured: ${validation.length}`);
  console.log(
    `keystroke → diagnostics updated:     p50 ${q(validation, 0.5).toFixed(2)} ms, ` +
      `p95 ${q(validation, 0.95).toFixed(2)} ms, max ${validation.at(-1).toFixed(2)} ms`,
  );
  console.log(
    `keystroke → next frame (all painted): p50 ${q(frame, 0.5).toFixed(2)} ms, ` +
      `p95 ${q(frame, 0.95).toFixed(2)} ms, max ${frame.at(-1).toFixed(2)} ms`,
  );
  console.log(`p95 (diagnostics) / 16 ms frame budget: ${(q(validation, 0.95) / 16).toFixed(2)}× (goal: under 1.00×)`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await fs.rm(dataDir, { recursive: true, force: true });
}
