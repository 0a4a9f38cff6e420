import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { explainCommand } from '../../../electron/cli/explain';
import { type CliIo, UsageError } from '../../../electron/cli/io';
import { fixture } from '../../shared/errors/fixtures';

function io(argv: string[], stdin: string | null = null): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    argv,
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readStdin: async () => stdin,
    out,
    err,
  };
}

describe('influx-workbench explain', () => {
  it('explains a body given as an argument and exits 0', async () => {
    const f = fixture('seed-namespace-length');
    const x = io([]);
    expect(await explainCommand(['--flavor', 'cloud-dedicated', f.body], x)).toBe(0);
    const text = x.out.join('');
    expect(text).toContain('HTTP 400: namespace name length must be between 1 and 64 characters');
    expect(text).toContain('[missing-db-namespace]');
    expect(text).toMatch(/Fix: +Add `\?db=DATABASE_NAME`/);
  });

  it('reads the body from stdin, numbers lines with --lines, prints JSON with --json', async () => {
    const f = fixture('1x-partial-several');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-explain-'));
    try {
      const lp = path.join(dir, 'batch.lp');
      await fs.writeFile(lp, f.requestBody!);
      const x = io([], f.body);
      expect(await explainCommand(['--json', '--lines', lp], x)).toBe(0);
      const j = JSON.parse(x.out.join('')) as {
        decoded: { lines: Array<{ line: number }> };
        explanations: Array<{ id: string; lines: number[] }>;
      };
      expect(j.decoded.lines.map((l) => l.line)).toEqual([2, 3, 4]);
      expect(j.explanations.map((e) => e.id)).toContain('partial-write');
      const text = io([], f.body);
      await explainCommand(['--lines', lp], text);
      expect(text.out.join('')).toMatch(/ {3}2: invalid field format\n {8}"bad line here"/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('passes --status and --retry-after through', async () => {
    const x = io([]);
    expect(await explainCommand(['--status', '429', '--flavor', 'serverless', '--retry-after', '12', ''], x)).toBe(0);
    expect(x.out.join('')).toContain('Retry-After: wait 12 seconds');
    const y = io([]);
    expect(await explainCommand(['--status', '403', '--flavor', 'core', ''], y)).toBe(0);
    expect(y.out.join('')).toContain('[forbidden-403-core, by status]');
  });

  it('exits 1 when nothing matches', async () => {
    const x = io([]);
    expect(await explainCommand(['--status', '418', '{"error":"I am a teapot"}'], x)).toBe(1);
    expect(x.out.join('')).toContain('No explanation');
  });

  it('bad usage throws UsageError (the dispatcher exits 2); --help exits 0', async () => {
    await expect(explainCommand(['--flavor', 'oracle', 'x'], io([]))).rejects.toThrow(UsageError);
    await expect(explainCommand(['--status', 'abc', 'x'], io([]))).rejects.toThrow(/--status/);
    await expect(explainCommand([], io([], null))).rejects.toThrow(/no error body/);
    await expect(explainCommand(['a', 'b'], io([]))).rejects.toThrow(UsageError);
    await expect(explainCommand(['--nope'], io([]))).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    const h = io([]);
    expect(await explainCommand(['--help'], h)).toBe(0);
    expect(h.out.join('')).toMatch(/^Usage: influx-workbench explain/);
  });
});
