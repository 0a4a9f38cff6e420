// @vitest-environment node
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseRejects } from '../../electron/services/file-load/rejects';
import { requireBuilt, ROOT } from '../support/built';
import { generateLp, killOnceCheckpointed, notProgress, THREE_BAD_LINES } from '../support/lp-files';
import { runCli } from '../support/run-node';
import { call, runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * `write FILE` with the streaming loader against the sandbox (Cloud Dedicated profile, v2 API, bearer
 * token): the same round trip, rejects and resume as against influxd, with InfluxDB 3's rules.
 */

describe('write FILE: the streaming loader against the sandbox (Cloud Dedicated)', () => {
  let sb: SandboxProcess;
  let dir: string;
  let tmp: string;
  let token: string;
  const conn = (db: string) => [
    '--url',
    sb.url,
    '--api',
    'v2',
    '--bucket',
    db,
    '--precision',
    's',
    '--auth',
    'bearer',
    '--flavor',
    'cloud-dedicated',
  ];
  const count = async (db: string, q = 'SELECT COUNT(idle) FROM load'): Promise<number> => {
    const r = await call(`${sb.url}/query?db=${db}&q=${encodeURIComponent(q)}`, { token });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { results: Array<{ series?: Array<{ values: unknown[][] }> }> };
    return Number(body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-load-'));
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-load-files-'));
    for (const db of ['big', 'rej', 'resume']) {
      const r = await runSandboxCli(['database', 'create', db, '--data-dir', dir]);
      expect(r.stderr).toBe('');
    }
    const t = await runSandboxCli(['token', 'create', '--data-dir', dir, '--json']);
    expect(t.code).toBe(0);
    token = (JSON.parse(t.stdout) as { token: string }).token;
    sb = await startSandboxProcess(['--data-dir', dir, '--port', '0']);
    expect(sb.profile).toBe('cloud-dedicated');
  });
  afterAll(async () => {
    if (sb) await sb.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('loads a 50 MB file completely and --verify passes', { timeout: 600_000 }, async () => {
    const file = path.join(tmp, 'big.lp');
    const n = 660_000;
    const size = await generateLp(file, n);
    expect(size).toBeGreaterThan(50_000_000);
    const r = await runCli(['write', ...conn('big'), '--verify', '--json', '--gzip', file], {
      env: { INFLUX_TOKEN: token },
    });
    // Without a terminal, progress is a line every few seconds on standard error, and nothing else.
    expect(notProgress(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      accepted: number;
      rejected: number;
      verify: { ok: boolean; rows: Array<{ field: string; expected: number; found: number }> };
    };
    expect(summary).toMatchObject({ accepted: n, rejected: 0 });
    expect(summary.verify.ok).toBe(true);
    expect(summary.verify.rows.map((x) => [x.field, x.expected, x.found])).toEqual([
      ['usage', n, n],
      ['idle', n, n],
      ['msg', n, n],
    ]);
    expect(await count('big')).toBe(n);
  });

  it('a file with 3 bad lines leaves exactly those 3 in the rejects file; the rest land', async () => {
    const file = path.join(tmp, 'bad.lp');
    const bad = THREE_BAD_LINES;
    const n = 10_000;
    await generateLp(file, n, (i) => bad.get(i) ?? null);
    const rejects = path.join(tmp, 'bad.rejects.lp');
    const r = await runCli(['write', ...conn('rej'), '--on-invalid', 'skip', '--rejects', rejects, '--json', file], {
      env: { INFLUX_TOKEN: token },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: n - 3, rejected: 3 });
    const parsed = parseRejects(await fs.readFile(rejects, 'utf8'));
    expect(parsed.map((p) => [p.line, `${p.entry}\n`])).toEqual([...bad].map(([i, text]) => [i + 1, text]));
    expect(await count('rej')).toBe(n - 3);
  });

  it('kill -9 mid-load, then resume: the exact count, no gap', { timeout: 600_000 }, async () => {
    const file = path.join(tmp, 'resume.lp');
    const n = 100_000;
    const size = await generateLp(file, n);
    const ckpt = path.join(tmp, 'resume.ckpt.json');
    const args = ['write', ...conn('resume'), '--batch-lines', '1000', '--checkpoint', ckpt, file];
    const child = spawn(process.execPath, [requireBuilt('bin/influx-workbench.cjs'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', INFLUX_TOKEN: token },
      stdio: 'ignore',
    });
    const offsetAtKill = await killOnceCheckpointed(child, ckpt);
    expect(offsetAtKill).toBeGreaterThan(0);
    expect(offsetAtKill).toBeLessThan(size);
    expect(await count('resume')).toBeLessThan(n);
    const r = await runCli([...args, '--json'], { env: { INFLUX_TOKEN: token } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ checkpoint: { offset: size } });
    expect(await count('resume')).toBe(n);
    expect(await count('resume', 'SELECT SUM(idle) FROM load')).toBe((n * (n - 1)) / 2);
  });
});
