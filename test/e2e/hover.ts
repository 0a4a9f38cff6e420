import type { Locator, Page } from 'playwright-core';

/**
 * Hovers `target` until Monaco shows `hover`. Monaco opens a hover only after the pointer rests on a
 * word, and it closes it when the editor's layout or decorations change under the pointer (a banner
 * arriving above the editor, diagnostics replaced). On a busy machine such a change can land between
 * the move and the hover, so this re-measures the word and moves onto it again until the hover is
 * shown: it waits for the hover's state, with a ceiling, never for a fixed time.
 */
export async function hoverUntilShown(
  page: Page,
  target: Locator,
  hover: Locator,
  options: { timeout?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  for (let attempt = 1; ; attempt++) {
    // The word's element is replaced whenever Monaco re-renders its line: wait until one is shown.
    await target.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    const box = await target.boundingBox();
    if (box === null) continue; // re-rendered between the two calls
    const y = box.y + box.height / 2;
    // Enter the word from outside it, so Monaco sees a fresh mouse-move onto it.
    await page.mouse.move(Math.max(0, box.x - 30), y);
    await page.mouse.move(box.x + Math.min(10, box.width / 2), y, { steps: 3 });
    const left = deadline - Date.now();
    try {
      await hover.first().waitFor({ timeout: Math.max(1, Math.min(3_000 * attempt, left)) });
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw new Error(`no hover after ${attempt} attempts: ${(err as Error).message}`);
    }
  }
}

/**
 * Moves the pointer off the editors and waits until no hover is shown. A hover left open covers the
 * editor's middle, so the next test's click on the editor would land on the hover instead.
 */
export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForFunction(
    () => [...document.querySelectorAll<HTMLElement>('.monaco-hover')].every((h) => h.getClientRects().length === 0),
    undefined,
    { timeout: 15_000 },
  );
}
