// @vitest-environment node
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseRejects } from '../../electron/services/file-load/rejects';
import { requireBuilt, ROOT } from '../support/built';
import { type Influxd, startInfluxd } from '../support/influxd';
import {
  BASE_S,
  generatedEntry,
  generateLp,
  killOnceCheckpointed,
  notProgress,
  THREE_BAD_LINES,
} from '../support/lp-files';
import { runCli } from '../support/run-node';

/**
 * `influx-workbench write FILE` with the streaming loader, run as a user runs it, against a real
 * influxd 1.6.7 (and, for what a real server will not do on demand, a hostile local one).
 */

async function count(influx: Influxd, db: string, q = 'SELECT COUNT(idle) FROM load'): Promise<number> {
  const r = await influx.query(q, db);
  return Number(r.results?.[0]?.series?.[0]?.values[0]?.[1] ?? 0);
}

describe('write FILE: the streaming loader against influxd 1.6.7', () => {
  let influx: Influxd;
  let tmp: string;
  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-load-'));
  });
  afterAll(async () => {
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('loads a 50 MB file completely and --verify passes', { timeout: 300_000 }, async () => {
    await influx.query('CREATE DATABASE big');
    const file = path.join(tmp, 'big.lp');
    const n = 660_000;
    const size = await generateLp(file, n);
    expect(size).toBeGreaterThan(50_000_000);
    const r = await runCli([
      'write',
      '--url',
      influx.url,
      '--db',
      'big',
      '--precision',
      's',
      '--verify',
      '--json',
      '--gzip',
      file,
    ]);
    // Without a terminal, progress is a line every few seconds on standard error, and nothing else.
    expect(notProgress(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown> & {
      verify: { ok: boolean; rows: Array<{ measurement: string; field: string; expected: number; found: number }> };
    };
    expect(summary).toMatchObject({ status: 'completed', bytes: size, pointsSent: n, accepted: n, rejected: 0 });
    expect(summary.batches).toBe(Math.ceil(n / 5000));
    expect(summary.verify.ok).toBe(true);
    expect(summary.verify.rows).toEqual([
      { measurement: 'load', field: 'usage', expected: n, found: n },
      { measurement: 'load', field: 'idle', expected: n, found: n },
      { measurement: 'load', field: 'msg', expected: n, found: n },
    ]);
    expect(await count(influx, 'big')).toBe(n);
  });

  it('--verify fails when the server kept fewer points than it acknowledged', async () => {
    // A second load of the same series and times overwrites instead of adding: the server holds
    // 3 points where the load was acknowledged for 4. Verify must say so and exit 1.
    await influx.query('CREATE DATABASE dup');
    const file = path.join(tmp, 'dup.lp');
    await fs.writeFile(
      file,
      'd,h=a v=1 1700000000\nd,h=a v=2 1700000001\nd,h=a v=3 1700000002\nd,h=a v=4 1700000002\n',
    );
    const r = await runCli(['write', '--url', influx.url, '--db', 'dup', '--precision', 's', '--verify', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verify: MISMATCH');
    expect(r.stdout).toMatch(/! d\.v: accepted 4, found 3/);
  });

  it('a file with 3 bad lines leaves exactly those 3 in the rejects file; the rest land', async () => {
    await influx.query('CREATE DATABASE rej');
    const file = path.join(tmp, 'bad.lp');
    const bad = THREE_BAD_LINES;
    const n = 10_000;
    await generateLp(file, n, (i) => bad.get(i) ?? null);
    const rejects = path.join(tmp, 'bad.rejects.lp');
    const r = await runCli([
      'write',
      '--url',
      influx.url,
      '--db',
      'rej',
      '--precision',
      's',
      '--on-invalid',
      'skip',
      '--rejects',
      rejects,
      '--json',
      file,
    ]);
    expect(r.code).toBe(1); // something was rejected
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: n - 3, rejected: 3 });
    const parsed = parseRejects(await fs.readFile(rejects, 'utf8'));
    expect(parsed.map((p) => [p.line, `${p.entry}\n`])).toEqual([...bad].map(([i, text]) => [i + 1, text]));
    expect(await count(influx, 'rej')).toBe(n - 3);

    // Fixed and sent again as it is, the rejects file completes the data.
    const fixed = (await fs.readFile(rejects, 'utf8'))
      .split('\n')
      .map((l) =>
        l.startsWith('#')
          ? l
          : l
              .replace('usage= ', 'usage=1 ')
              .replace('idle=notanumber', 'idle=2500i')
              .replace(/^load host=x$/, generatedEntry(7777).trimEnd()),
      )
      .join('\n');
    await fs.writeFile(rejects, fixed);
    const again = await runCli(['write', '--url', influx.url, '--db', 'rej', '--precision', 's', rejects]);
    expect(again.stdout).toMatch(/^HTTP 204/);
    expect(again.code).toBe(0);
    expect(await count(influx, 'rej', 'SELECT COUNT(usage) FROM load')).toBe(n - 1); // 2500's fix has no usage
  });

  it('the server rejecting lines (400 partial write) puts exactly those in the rejects file', async () => {
    await influx.query('CREATE DATABASE schema');
    // The server already holds idle as a float: three lines writing it as an integer are refused by
    // influxd, not by the pre-flight (which cannot know the server's schema).
    const seed = await fetch(`${influx.url}/write?db=schema&precision=s`, {
      method: 'POST',
      // Same shard group as the file's points: 1.x keeps field types per shard.
      body: `typed idle=1.5 ${BASE_S - 10}\n`,
    });
    expect(seed.status).toBe(204);
    const file = path.join(tmp, 'typed.lp');
    const lines = Array.from({ length: 30 }, (_, i) =>
      [4, 17, 25].includes(i) ? `typed,n=${i} idle=${i}i ${BASE_S + i}\n` : `typed,n=${i} other=${i}.5 ${BASE_S + i}\n`,
    );
    await fs.writeFile(file, lines.join(''));
    const rejects = path.join(tmp, 'typed.rejects.lp');
    const r = await runCli([
      'write',
      '--url',
      influx.url,
      '--db',
      'schema',
      '--precision',
      's',
      '--batch-lines',
      '8',
      '--rejects',
      rejects,
      '--json',
      file,
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 27, rejected: 3, batches: 4 });
    const parsed = parseRejects(await fs.readFile(rejects, 'utf8'));
    expect(parsed.map((p) => p.line)).toEqual([5, 18, 26]);
    expect(parsed[0]!.reason).toContain('field type conflict');
    expect(await count(influx, 'schema', 'SELECT COUNT(other) FROM typed')).toBe(27);
    expect(await count(influx, 'schema', 'SELECT COUNT(idle) FROM typed')).toBe(1);
  });

  it('kill -9 mid-load, then resume: the exact count, no gap', { timeout: 300_000 }, async () => {
    await influx.query('CREATE DATABASE resume');
    const file = path.join(tmp, 'resume.lp');
    const n = 200_000;
    const size = await generateLp(file, n);
    const ckpt = path.join(tmp, 'resume.ckpt.json');
    const args = [
      requireBuilt('bin/influx-workbench.cjs'),
      'write',
      '--url',
      influx.url,
      '--db',
      'resume',
      '--precision',
      's',
      '--batch-lines',
      '1000',
      '--checkpoint',
      ckpt,
      file,
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    const offsetAtKill = await killOnceCheckpointed(child, ckpt);
    expect(offsetAtKill).toBeGreaterThan(0);
    expect(offsetAtKill).toBeLessThan(size);
    const landedBefore = await count(influx, 'resume');
    expect(landedBefore).toBeLessThan(n);

    const r = await runCli(args.slice(1).concat(['--json']));
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { resumedFrom: number; checkpoint: { offset: number }; accepted: number };
    const ck = JSON.parse(await fs.readFile(ckpt, 'utf8')) as { offset: number; accepted: number };
    expect(summary.resumedFrom).toBeGreaterThanOrEqual(offsetAtKill);
    expect(summary.checkpoint.offset).toBe(size);
    expect(ck.offset).toBe(size);
    // Exact: every entry once (re-sent in-flight batches overwrite themselves), none missing.
    expect(await count(influx, 'resume')).toBe(n);
    const idle = await influx.query('SELECT SUM(idle) FROM load', 'resume');
    expect(idle.results?.[0]?.series?.[0]?.values[0]?.[1]).toBe((n * (n - 1)) / 2);
  });
});

describe('write FILE against a hostile server', () => {
  let server: http.Server;
  let url: string;
  let tmp: string;
  const received: string[] = [];
  let requests = 0;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-hostile-'));
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests++;
        const body = Buffer.concat(chunks).toString();
        const lines = body.split('\n').filter((l) => l !== '').length;
        if (requests === 1) {
          res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
          res.end('{"error":"slow down"}');
        } else if (requests === 3) {
          res.writeHead(503);
          res.end('overloaded');
        } else if (lines > 300) {
          res.writeHead(413, { 'Content-Type': 'application/json' });
          res.end('{"error":"Request Entity Too Large"}');
        } else {
          received.push(body);
          res.writeHead(204);
          res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('survives 429 with Retry-After, 503 and 413, and delivers every entry once, in order', async () => {
    const file = path.join(tmp, 'hostile.lp');
    await generateLp(file, 3000);
    const r = await runCli([
      'write',
      '--url',
      url,
      '--db',
      'x',
      '--precision',
      's',
      '--batch-lines',
      '1000',
      '--concurrency',
      '1',
      '--json',
      file,
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { accepted: number; retries: number; batches: number };
    expect(s).toMatchObject({ accepted: 3000, retries: 2, batches: 3 });
    expect(received.join('')).toBe(await fs.readFile(file, 'utf8'));
  });
});

describe('write FILE memory', () => {
  let server: http.Server;
  let url: string;
  let tmp: string;
  let bytes = 0;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-mem-'));
    // A sink that acknowledges everything: what is measured is the loader, not a server.
    server = http.createServer((req, res) => {
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('loads a 300 MB file under 200 MB peak RSS', { timeout: 300_000 }, async () => {
    const file = path.join(tmp, 'huge.lp');
    const size = await generateLp(file, 3_900_000);
    expect(size).toBeGreaterThan(300_000_000);
    const probe = path.join(tmp, 'maxrss.cjs');
    await fs.writeFile(
      probe,
      "process.on('exit', () => require('node:fs').writeSync(2, `MAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const r = await runCli(['write', '--url', url, '--db', 'x', '--precision', 's', '--json', file], {
      nodeArgs: ['--require', probe],
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bytes: size, accepted: 3_900_000 });
    expect(bytes).toBe(size);
    const kb = Number(/MAXRSS_KB (\d+)/.exec(r.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    console.info(`write FILE of ${size} bytes: peak RSS ${(kb / 1024).toFixed(0)} MiB`);
    expect(kb * 1024).toBeLessThan(200 * 1024 * 1024);
  });
});
