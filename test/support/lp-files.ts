import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';

/** Generated line protocol for the file-loader tests, written without holding it in memory. */

/** Timestamps (seconds) start here: one per entry, so every entry is its own point. */
export const BASE_S = 1_700_000_000;

/** Entry `i`: 50 hosts, 7 regions, three fields (a string with a space), a unique time. */
export function generatedEntry(i: number): string {
  return `load,host=h${i % 50},region=r${i % 7} usage=${(i % 1000) / 10},idle=${i}i,msg="entry ${i}" ${BASE_S + i}\n`;
}

/** Three entries every flavor refuses, by the index of the entry they replace (source line = index + 1). */
export const THREE_BAD_LINES: ReadonlyMap<number, string> = new Map([
  [100, 'load,host=x usage= 1700000100\n'],
  [2500, 'load,host=x idle=notanumber 1700002500\n'],
  [7777, 'load host=x\n'],
]);

/** Writes `n` entries to `file` (`at(i)` may replace one) and returns the size in bytes. */
export async function generateLp(file: string, n: number, at?: (i: number) => string | null): Promise<number> {
  const out = createWriteStream(file);
  let size = 0;
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += at?.(i) ?? generatedEntry(i);
    if (buf.length > 1 << 20) {
      size += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  size += Buffer.byteLength(buf);
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return size;
}

/**
 * Waits for the state "the checkpoint records some acknowledged bytes", then kills the loader with
 * SIGKILL; returns the offset it had recorded (0 when the loader exited first).
 */
export async function killOnceCheckpointed(child: ChildProcess, checkpoint: string): Promise<number> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let offset = 0;
  for (;;) {
    const m = /"offset": (\d+)/.exec(await fs.readFile(checkpoint, 'utf8').catch(() => ''));
    if (m && Number(m[1]) > 0) {
      child.kill('SIGKILL');
      offset = Number(m[1]);
      break;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setImmediate(r));
  }
  await exited;
  return offset;
}

/** The lines of a loader's standard error that are not its periodic progress lines (for a clean run: none). */
export function notProgress(stderr: string): string[] {
  const line =
    /^progress: [\d.]+ (MiB|KiB|B) \([\d.]+%\), \d+ points accepted, 0 rejected, \d+ retries, [\d.]+ (MiB|KiB|B)\/s, ETA [\d:-]+$/;
  return stderr.split('\n').filter((l) => l !== '' && !line.test(l));
}
