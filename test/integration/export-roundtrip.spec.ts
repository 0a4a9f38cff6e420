// @vitest-environment node
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeWrite } from '../../electron/services/write-service';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { shellWords } from '../../shared/export/curl-import';
import { EXPORT_FORMATS } from '../../shared/export/formats';
import { createSnippetRunner, type SnippetRunner } from '../support/export-snippets';
import { type Influxd, startInfluxd } from '../support/influxd';
import { runCli } from '../support/run-node';
import { storedText, TRICKY_BODY, TRICKY_LINES, type TrickyLine } from '../support/tricky-bodies';

const run = promisify(execFile);

/**
 * Export round trip: for each "Copy as" format that can run here, `influx-workbench export` prints the
 * snippet, the snippet runs unedited (bash, node, Debian's /usr/bin/python3 with python3-influxdb),
 * and what influxd 1.6.7 stores is compared, series keys included, with the workbench's own send of
 * the same tricky body. The v2/v3 client libraries write through a logging server that forwards
 * /api/v2/write to influxd's /write (bucket db/rp → db, rp). Formats that cannot run here are
 * checked by the request fields their snippets spell out.
 */

interface Logged {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A logging server in front of influxd: records each request, forwards writes as /write. */
async function startProxy(influxUrl: string): Promise<{ url: string; log: Logged[]; close: () => Promise<void> }> {
  const log: Logged[] = [];
  const V1_PRECISION: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's', nanosecond: 'n' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      log.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const u = new URL(req.url ?? '/', 'http://proxy');
      const q = new URLSearchParams();
      if (u.pathname === '/write') {
        for (const k of ['db', 'rp', 'precision']) if (u.searchParams.has(k)) q.set(k, u.searchParams.get(k)!);
      } else {
        const target = u.searchParams.get('bucket') ?? u.searchParams.get('db') ?? '';
        const [db, rp] = target.split('/');
        q.set('db', db!);
        if (rp) q.set('rp', rp);
        const p = u.searchParams.get('precision');
        if (p && V1_PRECISION[p]) q.set('precision', V1_PRECISION[p]);
      }
      void fetch(`${influxUrl}/write?${q}`, { method: 'POST', body }).then(
        async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
        (err: Error) => res.writeHead(502).end(err.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, log, close: () => new Promise((r) => server.close(() => r())) };
}

describe('export round trip against influxd 1.6.7', () => {
  let influx: Influxd;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let tmp: string;
  let bodyFile: string;
  const env = { INFLUX_TOKEN: 's3cr&t+#!' };

  let snippets: SnippetRunner;
  const exportSnippet = (format: string, args: readonly string[], file = bodyFile) =>
    snippets.exportSnippet(format, args, file);
  const runSnippet: SnippetRunner['runSnippet'] = (kind, snippet) => snippets.runSnippet(kind, snippet);
  const reference = (lines?: readonly TrickyLine[]) => storedText(influx.url, 'rt_ref', '', lines);

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    for (const db of ['rt_ref', 'rt_curl', 'rt_node', 'rt_py', 'rt_cjs', 'rt_v3', 'rt_auth'])
      await influx.query(`CREATE DATABASE ${db}`);
    proxy = await startProxy(influx.url);
    snippets = await createSnippetRunner(env);
    tmp = snippets.dir;
    bodyFile = path.join(tmp, 'tricky.lp');
    await fs.writeFile(bodyFile, TRICKY_BODY);
    const sent = await executeWrite(sendHttp, {
      target: { baseUrl: influx.url, tls: { caPem: '', skipVerify: false }, timeoutMs: 10_000 },
      params: { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'rt_ref' },
      auth: { scheme: 'none', username: '' },
      token: null,
      body: TRICKY_BODY,
    });
    expect(sent.response?.status).toBe(204);
  });
  afterAll(async () => {
    await proxy?.close();
    await influx?.stop();
    await snippets?.dispose();
  });

  it('curl (NUL piped from printf, CRs and blank lines kept) stores what the workbench stores', async () => {
    const snippet = await exportSnippet('curl', ['--url', influx.url, '--db', 'rt_curl']);
    expect(snippet).toContain("printf '%b'");
    await runSnippet('bash', snippet);
    expect(await storedText(influx.url, 'rt_curl')).toBe(await reference());
  });

  it('influxdb-python (Debian python3-influxdb) stores what the workbench stores', async () => {
    await runSnippet('py', await exportSnippet('influxdb-python', ['--url', influx.url, '--db', 'rt_py']));
    expect(await storedText(influx.url, 'rt_py')).toBe(await reference());
  });

  it('@influxdata/influxdb-client (.mjs) sends the exact body to /api/v2/write', async () => {
    const snippet = await exportSnippet('influxdb-client-js', [
      '--url',
      proxy.url,
      '--api',
      'v2',
      '--bucket',
      'rt_cjs/autogen',
      '--org',
      'o',
      '--flavor',
      '2.x',
      '--auth',
      'token',
    ]);
    expect(snippet.split('\n')[0]).toMatch(/write\.mjs/);
    const before = proxy.log.length;
    await runSnippet('mjs', snippet);
    const seen = proxy.log.slice(before);
    expect(seen.map((r) => r.url)).toEqual(['/api/v2/write?org=o&bucket=rt_cjs%2Fautogen&precision=ns']);
    expect(seen[0]!.headers.authorization).toBe(`Token ${env.INFLUX_TOKEN}`);
    expect(seen[0]!.body.toString('utf8')).toBe(TRICKY_BODY.replace(/\n$/, ''));
    expect(await storedText(influx.url, 'rt_cjs')).toBe(await reference());
  });

  it('@influxdata/influxdb3-client (.mjs) sends the exact body', async () => {
    const snippet = await exportSnippet('influxdb3-client-js', [
      '--url',
      proxy.url,
      '--api',
      'v3',
      '--db',
      'rt_v3',
      '--flavor',
      'core',
    ]);
    const before = proxy.log.length;
    await runSnippet('mjs', snippet);
    const seen = proxy.log.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/api/v2/write?bucket=rt_v3&precision=ns');
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.body.toString('utf8')).toBe(TRICKY_BODY.replace(/\n$/, ''));
    expect(await storedText(influx.url, 'rt_v3')).toBe(await reference());
  });

  it('node-influx (.cjs) stores what the workbench stores, or refuses the line and says why', async () => {
    const refused = new Map<string, string>();
    const carried: TrickyLine[] = [];
    for (const line of TRICKY_LINES) {
      const file = path.join(tmp, `${line.id}.lp`);
      await fs.writeFile(file, `${line.lp}\n`);
      const r = await runCli(['export', '--format', 'node-influx', '--url', influx.url, '--db', 'rt_node', file], {
        env,
      });
      if (r.code === 1) {
        expect(r.stdout).toBe('');
        refused.set(line.id, r.stderr);
        continue;
      }
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/write\.cjs/);
      await runSnippet('cjs', r.stdout);
      carried.push(line);
    }
    expect([...refused.keys()]).toEqual(['int64-edges', 'negative-zero']);
    expect(refused.get('int64-edges')).toContain('beyond ±2^53');
    expect(refused.get('negative-zero')).toContain('-0');
    expect(await storedText(influx.url, 'rt_node', '', carried)).toBe(await reference(carried));
  });

  it('a node-influx snippet exits 1 when the write fails', async () => {
    const file = path.join(tmp, 'nodb.lp');
    await fs.writeFile(file, 'm v=1 1\n');
    const snippet = await exportSnippet('node-influx', ['--url', influx.url, '--db', 'no_such_db'], file);
    await expect(runSnippet('cjs', snippet)).rejects.toMatchObject({ code: 1 });
  });

  it('influxdb-python with Token auth sends the token, not root/root Basic', async () => {
    const file = path.join(tmp, 'one.lp');
    await fs.writeFile(file, 'auth_py v=1 1\n');
    for (const scheme of ['token', 'bearer'] as const) {
      const before = proxy.log.length;
      await runSnippet(
        'py',
        await exportSnippet('influxdb-python', ['--url', proxy.url, '--db', 'rt_auth', '--auth', scheme], file),
      );
      const seen = proxy.log.slice(before);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.authorization).toBe(`${scheme === 'token' ? 'Token' : 'Bearer'} ${env.INFLUX_TOKEN}`);
    }
  });

  it('curl with query auth sends a password with & + # ! intact, from the variable and as a literal', async () => {
    const file = path.join(tmp, 'one.lp');
    await fs.writeFile(file, 'auth_curl v=1 1\n');
    const args = ['--url', proxy.url, '--db', 'rt_auth', '--auth', 'query', '--username', 'ad min'];
    for (const extra of [[], ['--include-token']]) {
      const r = await runCli(['export', '--format', 'curl', ...args, ...extra, file], { env });
      expect(r.code, r.stderr).toBe(0);
      const before = proxy.log.length;
      // An interactive shell, where `!` in double quotes would be history expansion.
      await run('bash', ['-i', '-c', r.stdout], { cwd: tmp, env: { PATH: process.env.PATH ?? '', ...env } });
      const seen = proxy.log.slice(before);
      expect(seen).toHaveLength(1);
      const q = new URL(seen[0]!.url, 'http://x').searchParams;
      expect(q.get('p')).toBe(env.INFLUX_TOKEN);
      expect(q.get('u')).toBe('ad min');
    }
  });

  it('formats that cannot run here spell out the same request', async () => {
    // Telegraf v1 with a 1.x-compatible v2 bucket: database and retention policy, not "db/rp".
    const tv1 = await exportSnippet('telegraf-v1', ['--url', influx.url, '--api', 'v2', '--bucket', 'rt/autogen']);
    expect(tv1).toContain('database = "rt"');
    expect(tv1).toContain('retention_policy = "autogen"');
    // influx write / influxctl write take the body as an argument: exact, or refused for a NUL.
    const noNul = path.join(tmp, 'no-nul.lp');
    const body = TRICKY_LINES.filter((l) => l.id !== 'nul')
      .map((l) => `${l.lp}\n`)
      .join('');
    await fs.writeFile(noNul, body);
    const iw = await exportSnippet(
      'influx-write',
      ['--url', influx.url, '--api', 'v2', '--bucket', 'b', '--org', 'o', '--precision', 's'],
      noNul,
    );
    const words = shellWords(iw);
    expect(words.slice(0, 2)).toEqual(['influx', 'write']);
    expect(words[words.indexOf('--bucket') + 1]).toBe('b');
    expect(words[words.indexOf('--precision') + 1]).toBe('s');
    expect(words[words.length - 1]).toBe(body);
    const ctl = shellWords(await exportSnippet('influxctl-write', ['--url', influx.url, '--db', 'd'], noNul));
    expect(ctl[ctl.length - 1]).toBe(body);
    for (const id of ['influx-write', 'influxctl-write']) {
      const r = await runCli(['export', '--format', id, '--url', influx.url, '--db', 'd', bodyFile], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('NUL character on line 3');
    }
    // influxdb3-python: Python itself reads back the record it would send.
    const py = path.join(tmp, 'v3.py');
    await fs.writeFile(py, await exportSnippet('influxdb3-python', ['--url', influx.url, '--api', 'v3', '--db', 'd']));
    const read = await run('/usr/bin/python3', [
      '-c',
      'import ast,sys,json\nt=ast.parse(open(sys.argv[1]).read())\nfor n in ast.walk(t):\n  if ' +
        'isinstance(n,ast.Call):\n    for k in n.keywords:\n      if k.arg=="record": ' +
        'print(json.dumps(ast.literal_eval(k.value)))',
      py,
    ]);
    expect(JSON.parse(read.stdout)).toEqual([TRICKY_BODY.replace(/\n$/, '')]);
    // Every format the app offers is listed by --list.
    const list = await runCli(['export', '--list']);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    ).toEqual(EXPORT_FORMATS.map((f) => f.id));
  });
});
