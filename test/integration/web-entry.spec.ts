// @vitest-environment node
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { requireBuilt } from '../support/built';
import { runNode } from '../support/run-node';

/** `npm run web` as a newcomer runs it: bad or busy ports get a sentence that says what to do. */
const runWeb = (args: string[]) => runNode(requireBuilt('out/web/index.cjs'), args);

describe('npm run web: start-up errors', () => {
  it('explains a port that is already in use', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-web-'));
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await runWeb(['--port', String(port), '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `Port ${port} on 127.0.0.1 is already in use. Pick another with --port N, or leave --port out for a free one.\n`,
      );
    } finally {
      busy.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a port that is not a number', async () => {
    const r = await runWeb(['--port', 'abc', '--data-dir', os.tmpdir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('--port must be 0-65535, not abc\n');
  });
});
