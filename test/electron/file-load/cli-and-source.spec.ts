// @vitest-environment node
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/index';
import { progressBar, progressLine } from '../../../electron/cli/write-file';
import { PushedSource } from '../../../electron/services/file-load/pushed-source';
import type { LoadProgress } from '../../../shared/domain/file-load';

/** The loader's CLI surface (bad usage exits 2, progress text) and the app's pushed input. */

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli({
    argv,
    env: {},
    stdout: () => {},
    stderr: (t) => (err += t),
    readStdin: () => Promise.resolve('m v=1 1\n'),
    stdinBytes: () => (async function* () {})(),
  });
  return { code, err };
}

describe('write load options', () => {
  it.each([
    [['--on-invalid', 'ignore'], /--on-invalid must be stop or skip/],
    [['--stamp', 'later'], /--stamp must be now or file-start/],
    [['--batch-lines', '0'], /--batch-lines must be at least 1/],
    [['--batch-bytes', 'lots'], /--batch-bytes must be a whole number/],
    [['--concurrency', '100'], /--concurrency must be at most 64/],
    [['--checkpoint', 'ck.json'], /--checkpoint needs a FILE/],
  ])('%j is bad usage (exit 2)', async (flags, message) => {
    const r = await cli(['write', '--url', 'http://127.0.0.1:9', '--db', 'x', ...flags]);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });
});

const P: LoadProgress = {
  bytesRead: 60 << 20,
  bytesDone: 50 << 20,
  totalBytes: 200 << 20,
  pointsSent: 700_000,
  accepted: 650_000,
  rejected: 3,
  batches: 130,
  retries: 2,
  inFlight: 2,
  elapsedMs: 10_000,
  bytesPerSecond: 5 << 20,
  pointsPerSecond: 65_000,
  etaMs: 30_000,
  paused: false,
  lastRetry: 'HTTP 429, retry 1/5 in 7.0 s',
};

describe('progress display', () => {
  it('a bar on a terminal: bytes, points, rate, ETA, rejected and retries', () => {
    expect(progressBar(P)).toBe(
      '[######..................]  25.0% 50.0 MiB/200.0 MiB  650000 pts  5.0 MiB/s  ETA 00:30  rejected 3  retries 2',
    );
  });
  it('a line without a terminal, with the last retry', () => {
    expect(progressLine({ ...P, totalBytes: null })).toBe(
      'progress: 50.0 MiB, 650000 points accepted, 3 rejected, 2 retries, 5.0 MiB/s, ETA 00:30; last retry: HTTP 429, retry 1/5 in 7.0 s',
    );
  });
});

describe('PushedSource', () => {
  it('answers each piece once the loader took it, and tells the sender to stop when it stops reading', async () => {
    const src = new PushedSource();
    const it = src.read()[Symbol.asyncIterator]();
    const first = src.push(0, new Uint8Array([1, 2]), false);
    let firstSettled = false;
    void first.then(() => (firstSettled = true));
    await Promise.resolve();
    expect(firstSettled).toBe(false); // not taken yet: the sender waits
    expect((await it.next()).value).toEqual(new Uint8Array([1, 2]));
    await expect(first).resolves.toBe(true);
    await expect(src.push(5, new Uint8Array([3]), false)).rejects.toThrow(/expected the bytes at 2, got 5/);
    const second = src.push(2, new Uint8Array([3]), false);
    await it.return?.(); // the loader stopped reading
    await expect(second).resolves.toBe(false);
    await expect(src.push(3, new Uint8Array([4]), true)).resolves.toBe(false);
  });

  it('ends the input after the last piece', async () => {
    const src = new PushedSource();
    const got: number[] = [];
    const reading = (async () => {
      for await (const b of src.read()) got.push(...b);
    })();
    await expect(src.push(0, new Uint8Array([7]), false)).resolves.toBe(true);
    await expect(src.push(1, new Uint8Array([8]), true)).resolves.toBe(false);
    await reading;
    expect(got).toEqual([7, 8]);
  });
});

describe('write loader connections', () => {
  it('keeps connections alive across batches: at most one per request in flight', async () => {
    let connections = 0;
    let requests = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(204);
        res.end();
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-keepalive-'));
    try {
      const file = path.join(dir, 'in.lp');
      await fs.writeFile(file, Array.from({ length: 40 }, (_, i) => `m v=${i} ${1_700_000_000 + i}\n`).join(''));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await cli(['write', '--url', url, '--db', 'x', '--precision', 's', '--batch-lines', '4', file]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(requests).toBe(10);
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(connections).toBeLessThanOrEqual(2); // --concurrency 2 (the default)
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
