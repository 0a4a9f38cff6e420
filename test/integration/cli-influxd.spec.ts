// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';
import { runCli } from '../support/run-node';

/** The built CLI (`npx influx-workbench`), run as a user would, against a real influxd with auth on. */

describe('influx-workbench CLI against influxd 1.6 (auth on)', () => {
  let influx: Influxd;
  let tmp: string;
  const env = { INFLUX_TOKEN: ADMIN.password };
  beforeAll(async () => {
    influx = await startInfluxd({ auth: true });
    await influx.query('CREATE DATABASE cli');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-cli-'));
  });
  afterAll(async () => {
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('writes from stdin with Basic auth and exits 0', async () => {
    const r = await runCli(
      ['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin', '--precision', 's'],
      {
        stdin: 'clitest,src=stdin v=1 1700000000\n',
        env,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP 204 No Content {2}[\d.]+ ms \(TTFB [\d.]+ ms\) {2}sent 33 B\n$/);
    const q = await influx.query("SELECT v FROM clitest WHERE src='stdin'", 'cli');
    expect(q.results?.[0]?.series?.[0]?.values).toEqual([[1_700_000_000_000_000_000, 1]]);
  });

  it('writes a FILE with query auth and gzip; --json redacts every credential', async () => {
    const file = path.join(tmp, 'points.lp');
    await fs.writeFile(
      file,
      Array.from({ length: 50 }, (_, i) => `clitest,src=file v=${i} ${1700000000 + i}`).join('\n'),
    );
    const r = await runCli(
      [
        'write',
        '--url',
        influx.url,
        '--api',
        'v1',
        '--db',
        'cli',
        '--precision',
        's',
        '--auth',
        'query',
        '--username',
        'admin',
        '--token-env',
        'MY_TOKEN',
        '--gzip',
        '--json',
        file,
      ],
      { env: { MY_TOKEN: ADMIN.password } },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      request: { url: string; gzip: boolean; wireBytes: number; bodyBytes: number };
    };
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['status', 'ok', 'headers', 'body', 'timing', 'request']));
    expect(out.status).toBe(204);
    expect(out.ok).toBe(true);
    expect(out.request.url).toBe(`${influx.url}/write?db=cli&precision=s&u=admin&p=[REDACTED]`);
    expect(out.request.gzip).toBe(true);
    expect(out.request.wireBytes).toBeLessThan(out.request.bodyBytes);
    expect(r.stdout).not.toContain(ADMIN.password);
    const q = await influx.query("SELECT COUNT(v) FROM clitest WHERE src='file'", 'cli');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(50);
  });

  it('exits 1 on an HTTP error and prints the server body', async () => {
    const r = await runCli(['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin'], {
      stdin: 'clitest,src=bad v=\n',
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HTTP 400 Bad Request');
    expect(r.stdout).toContain("unable to parse 'clitest,src=bad v=': missing field value");
  });

  it('exits 1 on a wrong password (401) and on a refused connection', async () => {
    const wrong = await runCli(
      ['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin'],
      {
        stdin: 'm v=1\n',
        env: { INFLUX_TOKEN: 'nope' },
      },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('authorization failed');
    const refused = await runCli(['write', '--url', 'http://127.0.0.1:9', '--db', 'cli'], { stdin: 'm v=1\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Connection refused by 127.0.0.1:9');
  });

  it('exits 2 on bad usage, and never takes the token from the command line', async () => {
    expect((await runCli(['write', '--url', influx.url])).code).toBe(2);
    expect((await runCli(['write', '--url', influx.url, '--api', 'v2', '--db', 'x'], { stdin: 'm v=1' })).code).toBe(2);
    expect((await runCli(['write', '--url', 'not a url', '--db', 'x'], { stdin: 'm v=1' })).code).toBe(2);
    const noToken = await runCli(['write', '--url', influx.url, '--db', 'cli', '--auth', 'bearer'], { stdin: 'm v=1' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('INFLUX_TOKEN');
    const tokenFlag = await runCli(['write', '--url', influx.url, '--db', 'cli', '--token', 'abc'], { stdin: 'm v=1' });
    expect(tokenFlag.code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('pings: status, version and build', async () => {
    const r = await runCli(['ping', '--url', influx.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HTTP 204 No Content');
    expect(r.stdout).toMatch(/version: 1\.6\.\d/);
    expect(r.stdout).toContain('build: OSS');
    const json = JSON.parse((await runCli(['ping', '--url', influx.url, '--json'])).stdout) as {
      version: string;
      build: string;
      status: number;
    };
    expect(json.status).toBe(204);
    expect(json.build).toBe('OSS');
  });

  it('write --json on a partial write: diagnostics numbered in the body sent, and the explanation', async () => {
    // 1.x names a bad line by its text; the comment and blank line make its number differ from its index among points.
    const body =
      '# batch\nclidiag,src=ok v=1 1700000100\n\nclidiag,src=bad v= 1700000101\nclidiag,src=ok v=2 1700000102\n';
    const r = await runCli(
      [
        'write',
        '--url',
        influx.url,
        '--db',
        'cli',
        '--precision',
        's',
        '--auth',
        'basic',
        '--username',
        'admin',
        '--flavor',
        '1.x',
        '--json',
      ],
      {
        stdin: body,
        env,
      },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      status: number;
      diagnostics: Array<{ line: number | null; message: string; text?: string }>;
      explanation: Array<{ id: string; lines: number[] }>;
    };
    expect(out.status).toBe(400);
    expect(out.diagnostics).toEqual([
      { line: 4, text: 'clidiag,src=bad v= 1700000101', message: 'missing field value' },
    ]);
    const ids = out.explanation.map((e) => e.id);
    expect(ids).toContain('missing-field-value');
    expect(ids).toContain('partial-write');
    expect(out.explanation.find((e) => e.id === 'missing-field-value')?.lines).toEqual([4]);
    const q = await influx.query("SELECT COUNT(v) FROM clidiag WHERE src='ok'", 'cli');
    expect(q.results?.[0]?.series?.[0]?.values?.[0]?.[1]).toBe(2);
  });

  it('prints the explanation after the raw body on an error', async () => {
    const r = await runCli(['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin'], {
      stdin: 'a v=1\nb v=\n',
      env,
    });
    expect(r.code).toBe(1);
    const bodyAt = r.stdout.indexOf("unable to parse 'b v=': missing field value");
    const rejectedAt = r.stdout.indexOf('Rejected lines:\n     2: missing field value');
    expect(bodyAt).toBeGreaterThan(0);
    expect(rejectedAt).toBeGreaterThan(bodyAt);
    expect(r.stdout).toMatch(/\[missing-field-value\]\n {2}Cause: .+\n {2}Fix: {3}.+/);
  });

  it('write --json on a 401: the explanation names the auth failure, with no line diagnostics', async () => {
    const r = await runCli(
      ['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin', '--json'],
      {
        stdin: 'm v=1\n',
        env: { INFLUX_TOKEN: 'wrong-password' },
      },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { status: number; diagnostics: unknown[]; explanation: Array<{ id: string }> };
    expect(out.status).toBe(401);
    expect(out.diagnostics).toEqual([]);
    expect(out.explanation[0]?.id).toBe('auth-failed-1x');
    expect(r.stdout).not.toContain('wrong-password');
  });

  it('write --json on success has empty diagnostics and explanation; a bad --flavor is a usage error', async () => {
    const ok = await runCli(
      ['write', '--url', influx.url, '--db', 'cli', '--auth', 'basic', '--username', 'admin', '--json'],
      { stdin: 'clidiag,src=fine v=1\n', env },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 204, diagnostics: [], explanation: [] });
    expect(
      (await runCli(['write', '--url', influx.url, '--db', 'cli', '--flavor', '4.x'], { stdin: 'm v=1' })).code,
    ).toBe(2);
  });

  it('has --help on every command', async () => {
    for (const args of [['--help'], ['write', '--help'], ['ping', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: influx-workbench/);
    }
  });
});
