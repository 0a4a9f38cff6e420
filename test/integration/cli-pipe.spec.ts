// @vitest-environment node
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requireBuilt, ROOT } from '../support/built';

/** `influx-workbench … | head -2`: the reader closes the pipe early; the CLI exits quietly with 0. */
describe('CLI on a closed stdout pipe', () => {
  let tmp: string;
  let file: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-pipe-'));
    file = path.join(tmp, 'many.lp');
    // About 3 MB of --json output: far beyond a pipe's buffer, so writes go on after the reader left.
    await fs.writeFile(file, Array.from({ length: 20_000 }, (_, i) => `m,host=h${i % 7} v=${i} ${i}\n`).join(''));
  });
  afterAll(async () => {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('validate --json | head: exit 0, nothing on stderr', async () => {
    const child = spawn(
      process.execPath,
      [requireBuilt('bin/influx-workbench.cjs'), 'validate', '--json', '--quiet', file],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close the pipe, as `head` does after its lines.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
