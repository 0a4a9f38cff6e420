// @vitest-environment node
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import type { Logger } from '../../electron/app/logger';
import { runCli } from '../../electron/cli';
import { AUTH_SCHEMES } from '../../shared/domain/auth';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { call } from '../support/call';

/**
 * A hostile server that echoes every credential it receives (the Authorization header, `u`/`p`,
 * the whole URL) into bodies, headers, JSON rows, column names and error text. No channel may hand
 * any form of the token back: not the app's (write, ping, query, schema, probe, history, history.json)
 * and not the CLI's (query in every format, write and ping --json).
 *
 * The token contains `"`, `\`, `+`, `/` and `=`, so its raw, JSON-escaped, URL-encoded and
 * form-encoded forms all differ, and `base64(user:token)` is the Basic form.
 */

const TOKEN = 'tok"en\\with+sl/ash=Secret-8e7d';
const USER = 'admin';
const log: Logger = { info: () => {}, error: () => {} };

/** Every form the test looks for, written out here independently of the code under test. */
const FORMS = [
  TOKEN,
  JSON.stringify(TOKEN).slice(1, -1),
  encodeURIComponent(TOKEN),
  new URLSearchParams({ p: TOKEN }).toString().slice(2),
  Buffer.from(`${USER}:${TOKEN}`).toString('base64'),
  Buffer.from(`:${TOKEN}`).toString('base64'),
];

function leaks(text: string): string[] {
  return FORMS.filter((f) => text.includes(f));
}

let server: http.Server;
let url: string;
/** How many requests carried the token in some form: proves the echo had something to echo. */
let credentialed = 0;

function echoOf(req: http.IncomingMessage): string {
  const u = new URL(req.url ?? '/', 'http://x');
  const auth = req.headers.authorization ?? '';
  const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
  const echo = `auth=${auth} basic=${basic} p=${u.searchParams.get('p') ?? ''} url=${req.url ?? ''}`;
  if (leaks(echo).length > 0) credentialed++;
  return echo;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const echo = echoOf(req);
    req.resume();
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      // A header value may not hold every character of the echo; its base64 and URL forms can.
      res.setHeader('X-Echo', encodeURIComponent(echo));
      res.setHeader('X-Echo-Auth', req.headers.authorization ?? 'none');
      res.setHeader('X-Influxdb-Version', '1.8.10');
      if (u.pathname === '/query') {
        const q = u.searchParams.get('q') ?? '';
        const body = q.includes('fail')
          ? { results: [{ statement_id: 0, error: `statement failed: ${echo}` }] }
          : {
              results: [
                {
                  statement_id: 0,
                  series: [
                    {
                      name: echo,
                      tags: { who: echo },
                      columns: ['time', echo],
                      values: [
                        ['2026-01-01T00:00:00Z', echo],
                        ['2026-01-01T00:00:01Z', JSON.stringify({ nested: echo })],
                      ],
                    },
                  ],
                  messages: [{ level: 'warning', text: echo }],
                },
              ],
            };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
        return;
      }
      if (u.pathname === '/ping') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: `unauthorized: ${echo}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('an echoing server gets no credential back through the app', () => {
  let ctx: AppContext;
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-echo-'));
    ctx = await createAppContext({ mode: 'browser', version: 't', dataDir: dir, cipher: null, log });
  });
  afterAll(async () => {
    ctx.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(AUTH_SCHEMES)('with auth %s: write, ping, query, schema, probe and history', async (scheme) => {
    const before = credentialed;
    const c = await call(ctx, 'connections:save', {
      connection: {
        ...DEFAULT_CONNECTION_INPUT,
        name: `echo ${scheme}`,
        url,
        db: 'db',
        username: USER,
        authScheme: scheme,
      },
      token: { action: 'set', value: TOKEN, keep: 'session', allowWeak: false },
    });
    const auth = { scheme, username: USER };
    const responses: unknown[] = [
      await call(ctx, 'write:send', {
        requestId: `w-${scheme}`,
        connectionId: c.id,
        params: { ...DEFAULT_WRITE_PARAMS, db: 'db' },
        auth,
        body: 'm f=1',
      }),
      await call(ctx, 'server:ping', { requestId: `p-${scheme}`, connectionId: c.id, auth }),
    ];
    const runQuery = (id: string, q: string) =>
      call(ctx, 'query:run', {
        requestId: `${id}-${scheme}`,
        connectionId: c.id,
        auth,
        q,
        db: 'db',
        rp: '',
        epoch: '',
        chunked: false,
        chunkSize: 0,
        params: {},
        method: 'GET',
      });
    const query = await runQuery('q', 'SELECT * FROM m');
    const failed = await runQuery('qf', 'SELECT fail FROM m');
    responses.push(query, failed);
    responses.push(
      await call(ctx, 'schema:get', {
        connectionId: c.id,
        kind: 'measurements',
        db: 'db',
        rp: '',
        measurement: '',
        tagKey: '',
      }),
    );
    responses.push(await call(ctx, 'server:probe', { requestId: `pr-${scheme}`, connectionId: c.id }));
    const list = await call(ctx, 'history:list', { limit: 100, offset: 0 });
    responses.push(list);
    for (const e of list.entries) responses.push(await call(ctx, 'history:get', { id: e.id }));
    await ctx.flush();
    const onDisk = await fs.readFile(path.join(dir, 'history.json'), 'utf8');

    if (scheme !== 'none') expect(credentialed).toBeGreaterThan(before); // the server did see the token
    const text = JSON.stringify(responses);
    expect(text).toContain('[REDACTED]'); // and echoed it: the scrub had work to do
    expect(leaks(text)).toEqual([]);
    expect(leaks(onDisk)).toEqual([]);
    if (scheme !== 'none') {
      // The rows, column names and error really went through the scrub (not just the body preview).
      expect(JSON.stringify(query.result)).toContain('[REDACTED]');
      expect(failed.result.error ?? JSON.stringify(failed.result)).toContain('[REDACTED]');
    }
  });
});

describe('an echoing server gets no credential back through the CLI', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const code = await runCli({
      argv: args,
      env: { INFLUX_TOKEN: TOKEN },
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        out += t;
      },
      readStdin: async () => 'm f=1\n',
    });
    return { code, out };
  }
  const authArgs = (scheme: string): string[] => ['--url', url, '--auth', scheme, '--username', USER];

  it.each(AUTH_SCHEMES.filter((s) => s !== 'none'))(
    'with auth %s: query (table, csv, json), write and ping',
    async (scheme) => {
      const outputs: string[] = [];
      for (const format of ['table', 'csv', 'json']) {
        outputs.push(
          (await cli(['query', ...authArgs(scheme), '--db', 'db', '--format', format, 'SELECT * FROM m'])).out,
        );
        outputs.push(
          (await cli(['query', ...authArgs(scheme), '--db', 'db', '--format', format, 'SELECT fail FROM m'])).out,
        );
      }
      outputs.push((await cli(['write', ...authArgs(scheme), '--db', 'db', '--json'])).out);
      outputs.push((await cli(['write', ...authArgs(scheme), '--db', 'db'])).out);
      outputs.push((await cli(['ping', ...authArgs(scheme), '--json'])).out);
      const text = outputs.join('\n');
      expect(text).toContain('[REDACTED]');
      expect(leaks(text)).toEqual([]);
    },
  );
});
