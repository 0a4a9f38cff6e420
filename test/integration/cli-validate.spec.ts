// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../support/run-node';

/** `influx-workbench validate`, run as a user's CI would run it. */

/** `influx-workbench validate ARGS`, its standard input written by `feed`. */
const run = (args: string[], feed?: (stdin: NodeJS.WritableStream) => Promise<void>, nodeArgs: string[] = []) =>
  runCli(['validate', ...args], { stdin: feed, nodeArgs, env: { ...process.env } as Record<string, string> });

describe('influx-workbench validate', () => {
  let dir: string;
  let bad: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-validate-'));
    bad = path.join(dir, 'bad.lp');
    await fs.writeFile(bad, 'cpu,host=a v=1 1700000000000000000\ncpu,host=b v= 1\n# comment\n\ncpu v=1i\r\n');
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('prints file:line:col severity code message and exits 1 on errors', async () => {
    const r = await run(['--flavor', '1.x', '--quiet', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${bad}:2:12 error LP107 unable to parse 'cpu,host=b v= 1': missing field value`,
      `${bad}:5:7 error LP110 unable to parse 'cpu v=1i\r': invalid number`,
      `${bad}:5:9 error LP500 carriage return (CRLF line ending): InfluxDB does not treat \\r as a line end`,
      '',
    ]);
    expect(r.stderr).toBe('');
  });

  it('--json prints one object per entry with the physical start line and the parsed point', async () => {
    const r = await run(['--flavor', '1.x', '--json', '--quiet', bad]);
    const entries = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; ok: boolean; point: { timestampNs: number } | null });
    expect(entries.map((e) => [e.line, e.ok])).toEqual([
      [1, true],
      [2, false],
      [5, false],
    ]);
    // The timestamp is written as an exact JSON number.
    expect(r.stdout).toContain('"timestampNs":1700000000000000000');
  });

  it("reads standard input, exits 0 when clean, and applies the flavor's rules", async () => {
    const ok = await run(['--flavor', 'cloud-dedicated'], async (s) => void s.write('cpu,host=a v=1i 1700000000\n'));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/<stdin>: \d+ lines, 1 points, 0 errors/);
    // A tag and a field with the same name: fine on 1.x, rejected on the 3.x family.
    const clash = 'cpu,host=a host=1 1700000000000000000\n';
    expect((await run(['--flavor', '1.x', '--quiet'], async (s) => void s.write(clash))).code).toBe(0);
    expect((await run(['--flavor', 'cloud-dedicated', '--quiet'], async (s) => void s.write(clash))).code).toBe(1);
  });

  it('exits 2 on bad usage', async () => {
    expect((await run(['--flavor', 'nope', bad])).code).toBe(2);
    expect((await run(['--api', 'v9', bad])).code).toBe(2);
    expect((await run([path.join(dir, 'missing.lp')])).code).toBe(2);
  });

  it('streams: 150 MB through a 48 MB heap', async () => {
    const line = 'weather,station=ST-0042,region=eu-west temperature=21.5,humidity=63i,ok=true 1700000000000000000\n';
    const chunk = line.repeat(Math.floor((1 << 20) / line.length)); // ~1 MiB
    const r = await run(
      ['--flavor', '1.x', '--quiet'],
      async (stdin) => {
        for (let i = 0; i < 150; i++) {
          if (!stdin.write(chunk)) await new Promise((res) => stdin.once('drain', res));
        }
      },
      ['--max-old-space-size=48'],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
