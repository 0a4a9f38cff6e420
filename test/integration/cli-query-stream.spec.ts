// @vitest-environment node
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { requireBuilt, ROOT } from '../support/built';
import { runCli } from '../support/run-node';

/**
 * `influx-workbench query` writes rows as they arrive: an answer far larger than the CLI's heap is
 * printed in full (CSV and JSON lines), and an absurd answer is a clear error.
 */

const ROWS = 2_500_000;
const T0 = 1_700_000_000_000_000_000n;
const row = (i: number) => `[${T0 + BigInt(i)},"host-${i % 7}",${i}]`;

describe('query streams its output in bounded memory', () => {
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (q === 'deep') {
        res.end(`{"results":[{"statement_id":0,"series":[{"name":"m","columns":["v"],"values":[${'['.repeat(200_000)}`);
        return;
      }
      // One document (as influxd sends without chunked=true) of about 110 MB.
      res.write('{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","n"],"values":[');
      let i = 0;
      const pump = (): void => {
        while (i < ROWS) {
          let text = '';
          for (let k = 0; k < 5000 && i < ROWS; k++, i++) text += `${i === 0 ? '' : ','}${row(i)}`;
          if (!res.write(text)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end(']}]}]}\n');
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Runs the CLI under a 48 MB heap; hashes stdout instead of keeping it. */
  function runStreaming(format: string): Promise<{ code: number | null; lines: number; hash: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--max-old-space-size=48',
          requireBuilt('bin/influx-workbench.cjs'),
          'query',
          '--url',
          url,
          '--epoch',
          'ns',
          '--timeout',
          '300000',
          '--format',
          format,
          '--',
          'SELECT * FROM cpu',
        ],
        { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const hash = createHash('sha256');
      let lines = 0;
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        hash.update(d);
        for (const b of d) if (b === 10) lines++;
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, lines, hash: hash.digest('hex'), stderr }));
    });
  }

  it('--format csv: a 110 MB one-document answer through a 48 MB heap, every row exact', async () => {
    requireBuilt('out/cli/index.cjs');
    const r = await runStreaming('csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toBe(ROWS + 1);
    const expected = createHash('sha256');
    expected.update('name,time,host,n\r\n');
    for (let i = 0; i < ROWS; i += 100_000) {
      let text = '';
      for (let k = i; k < Math.min(ROWS, i + 100_000); k++) text += `cpu,${T0 + BigInt(k)},host-${k % 7},${k}\r\n`;
      expected.update(text);
    }
    expect(r.hash).toBe(expected.digest('hex'));
  }, 180_000);

  it('--format jsonl: the same answer as JSON lines, in parts of one series', async () => {
    const r = await runStreaming('jsonl');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toBeGreaterThan(10);
  }, 180_000);

  it('an answer nested 200,000 deep: a clear message and exit 1, no stack trace', async () => {
    const r = await runCli(['query', '--url', url, '--format', 'csv', '--', 'deep']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: HTTP 200: The response nests deeper than 32 levels; no InfluxDB query result does. The server may be misbehaving.\n',
    );
  });
});
