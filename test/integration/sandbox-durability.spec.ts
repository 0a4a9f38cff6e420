// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { call, runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';

/**
 * Durability and the data folder: a write that got 204 survives `kill -9` and a restart; a corrupt
 * or unreadable folder gives a message naming the file and is left byte for byte unchanged; the
 * management commands work on the folder.
 */

describe('sandbox data folder', () => {
  let dir: string;
  let running: SandboxProcess | undefined;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-sandbox-dur-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) await running.stop();
    running = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('first start prints a token and creates demo with recent data; a 204 write survives kill -9', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    const token = running.token!;
    expect(token).toMatch(/^iwsb_[A-Za-z0-9_-]{43}$/);
    // demo holds recent sample data (within the last two hours)
    const demo = await call(
      `${running.url}/query?db=demo&epoch=ms&q=${encodeURIComponent('SELECT last(usage_user) FROM cpu')}`,
      { token },
    );
    const lastMs = (JSON.parse(demo.body) as { results: [{ series: [{ values: [[number, number]] }] }] }).results[0]
      .series[0].values[0][0];
    expect(Date.now() - lastMs).toBeLessThan(2 * 3600_000);

    const lines = Array.from({ length: 3000 }, (_, i) => `dur,host=h${i % 3} v=${i}i ${1_700_000_000_000 + i}`);
    for (let i = 0; i < lines.length; i += 1000) {
      const r = await call(`${running.url}/write?db=demo&precision=ms`, {
        method: 'POST',
        token,
        body: lines.slice(i, i + 1000).join('\n'),
      });
      expect(r.status).toBe(204);
    }
    // a colliding write (merge path) and a new column, both acknowledged before the kill
    expect(
      (
        await call(`${running.url}/write?db=demo&precision=ms`, {
          method: 'POST',
          token,
          body: `dur,host=h0 v=-1i,extra="x" 1700000000000`,
        })
      ).status,
    ).toBe(204);
    await running.kill9();

    running = await startSandboxProcess(['--data-dir', dir]);
    expect(running.token).toBeNull(); // printed once, when it was created
    const r = await call(`${running.url}/query?db=demo&epoch=ms&q=${encodeURIComponent('SELECT count(v) FROM dur')}`, {
      token,
    });
    expect(JSON.parse(r.body)).toEqual({
      results: [{ statement_id: 0, series: [{ name: 'dur', columns: ['time', 'count'], values: [[0, 3000]] }] }],
    });
    const first = await call(
      `${running.url}/query?db=demo&epoch=ms&q=${encodeURIComponent("SELECT * FROM dur WHERE host='h0' LIMIT 1")}`,
      { token },
    );
    expect(JSON.parse(first.body)).toEqual({
      results: [
        {
          statement_id: 0,
          series: [{ name: 'dur', columns: ['time', 'extra', 'host', 'v'], values: [[1700000000000, 'x', 'h0', -1]] }],
        },
      ],
    });
    // the type fixed before the kill is still enforced
    const conflict = await call(`${running.url}/write?db=demo`, { method: 'POST', token, body: 'dur v=1.5' });
    expect(JSON.parse(conflict.body)).toMatchObject({
      message:
        'failed to parse line protocol: errors encountered on line(s):\nerror writing line 1 ' +
        '(1-based): Unable to insert iox::column_type::field::float type into column v with type ' +
        'iox::column_type::field::integer',
    });
    expect(await running.stop()).toBe(0);
  });

  it('a corrupt catalog.json stops the start with a message naming it, and is left unchanged', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    expect(await running.stop()).toBe(0);
    const catalog = path.join(dir, 'sandbox', 'catalog.json');
    const damaged = (await fs.readFile(catalog, 'utf8')).slice(0, 40);
    await fs.writeFile(catalog, damaged);
    const r = await runSandboxCli(['--data-dir', dir, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the sandbox catalog ${catalog} is corrupt (`);
    expect(r.stderr).toContain('It was left unchanged');
    expect(await fs.readFile(catalog, 'utf8')).toBe(damaged);
  });

  it('a corrupt data.duckdb stops the start with a message naming it, and is left unchanged', async () => {
    running = await startSandboxProcess(['--data-dir', dir]);
    expect(await running.stop()).toBe(0);
    const data = path.join(dir, 'sandbox', 'data.duckdb');
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    await fs.writeFile(data, garbage);
    const r = await runSandboxCli(['--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot open the sandbox data file ${data}: `);
    expect(r.stderr).toContain('It was left unchanged');
    expect(Buffer.compare(await fs.readFile(data), garbage)).toBe(0);
  });

  it('an unreadable catalog.json names the file', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file: make it a directory instead, which no one can read as a file
      await fs.mkdir(path.join(dir, 'sandbox', 'catalog.json'), { recursive: true });
    } else {
      await fs.mkdir(path.join(dir, 'sandbox'), { recursive: true });
      await fs.writeFile(path.join(dir, 'sandbox', 'catalog.json'), '{}', { mode: 0o000 });
    }
    const r = await runSandboxCli(['--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read the sandbox catalog ${path.join(dir, 'sandbox', 'catalog.json')}`);
  });

  it('sandbox.json switches the documented alternatives (unknown database 404, v1 query error bodies)', async () => {
    await fs.mkdir(path.join(dir, 'sandbox'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'sandbox', 'sandbox.json'),
      JSON.stringify({ unknownDbStatus: 404, queryErrorShape: 'v1', version: '3.1.0-test' }),
    );
    running = await startSandboxProcess(['--data-dir', dir]);
    const token = running.token!;
    const w = await call(`${running.url}/write?db=nope`, { method: 'POST', token, body: 'm v=1' });
    expect(w).toMatchObject({ status: 404, body: '{"code":"not found","message":"database not found: nope"}' });
    const q = await call(`${running.url}/query?db=demo&q=${encodeURIComponent('SELECT * FROM cpu')}`);
    expect(q).toMatchObject({ status: 401, body: '{"error":"unauthorized access"}' });
    // a request error raised by the InfluxQL engine takes the same shape
    const epoch = await call(`${running.url}/query?db=demo&epoch=n&q=${encodeURIComponent('SELECT * FROM cpu')}`, {
      token,
    });
    expect(epoch.status).toBe(400);
    expect(JSON.parse(epoch.body)).toEqual({
      error:
        'error decoding params from url: unknown variant `n`, expected one of `ns`, `u`, `µ`, `ms`, `s`, `m`, `h`, `d`, `w`',
    });
    expect((await call(`${running.url}/ping`)).headers.get('x-influxdb-version')).toBe('3.1.0-test');
  });

  it('database and token management commands', async () => {
    const run = async (args: string[]) => {
      const r = await runSandboxCli([...args, '--data-dir', dir]);
      return r;
    };
    expect(await run(['database', 'create', 'metrics', '--retention', '30d'])).toMatchObject({
      code: 0,
      stdout: 'created database metrics\n',
    });
    expect(await run(['database', 'create', 'metrics'])).toMatchObject({
      code: 1,
      stderr: 'influx-workbench: database metrics already exists\n',
    });
    expect(await run(['database', 'create', 'bad.name'])).toMatchObject({
      code: 1,
      stderr:
        "influx-workbench: namespace name 'bad.name' contains invalid character, character number 3 is not allowed\n",
    });
    const list = await run(['database', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'metrics', maxTables: 500, maxColumnsPerTable: 250, retentionPeriod: 2_592_000_000_000_000, tables: [] },
    ]);
    const created = await run(['token', 'create', '--write', 'metrics', '--description', 'ci writer', '--json']);
    const token = JSON.parse(created.stdout) as { id: string; token: string; permissions: unknown };
    expect(token.permissions).toEqual([{ action: 'write', resource: 'metrics' }]);
    const tokens = JSON.parse((await run(['token', 'list', '--json'])).stdout) as { id: string }[];
    expect(tokens.map((t) => t.id)).toEqual([token.id]);
    // the secret is never listed, and catalog.json holds only its hash
    expect(JSON.stringify(tokens)).not.toContain(token.token);
    expect(await fs.readFile(path.join(dir, 'sandbox', 'catalog.json'), 'utf8')).not.toContain(token.token);

    running = await startSandboxProcess(['--data-dir', dir]);
    const now = Date.now();
    const w = await call(`${running.url}/write?db=metrics&precision=ms`, {
      method: 'POST',
      token: token.token,
      body: `ret v=1 ${now}\nret v=2 ${now - 31 * 86_400_000}`,
    });
    expect(w.status).toBe(400);
    expect(JSON.parse(w.body).message).toMatch(
      /^failed to parse line protocol: errors encountered on line\(s\):\nerror writing line 2 \(1-based\): data in table ret is outside of the retention period: minimum acceptable timestamp is .*, but observed timestamp .* is older\.$/,
    );
    const allOld = await call(`${running.url}/write?db=metrics&precision=ms`, {
      method: 'POST',
      token: token.token,
      body: `ret v=2 ${now - 31 * 86_400_000}`,
    });
    expect(allOld.status).toBe(422);
    expect(JSON.parse(allOld.body).code).toBe('unprocessable entity');
    // management needs the folder to itself while a sandbox serves it
    const locked = await run(['database', 'delete', 'metrics']);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('in use by another process');
    expect(await running.stop()).toBe(0);
    running = undefined;

    expect(await run(['token', 'delete', token.id])).toMatchObject({ code: 0, stdout: `deleted token ${token.id}\n` });
    expect(await run(['database', 'delete', 'metrics'])).toMatchObject({
      code: 0,
      stdout: 'deleted database metrics\n',
    });
    expect(JSON.parse((await run(['database', 'list', '--json'])).stdout)).toEqual([]);
  });
});
