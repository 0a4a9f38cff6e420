// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../electron/cli';

/**
 * The CLI's one flavor rule: `--flavor` when given, else detected from the server where there is
 * one, else the strictest rules. Observed on a local server that says which flavor it is on /ping
 * (or says nothing) and counts the /query requests a script takes.
 */

let server: http.Server;
let url: string;
let pingAs: 'oss-1' | 'cloud2' | 'anonymous' = 'oss-1';
const queries: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const u = new URL(req.url ?? '/', 'http://x');
    if (pingAs === 'oss-1') res.setHeader('X-Influxdb-Version', '1.8.10');
    if (pingAs === 'cloud2') res.setHeader('X-Influxdb-Build', 'cloud2');
    if (u.pathname === '/ping') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (u.pathname === '/query') {
      queries.push(u.searchParams.get('q') ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ results: [{ statement_id: 0 }] }));
      return;
    }
    // A write: 1.x's answer to a field type conflict.
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        error:
          'partial write: field type conflict: input field "v" on measurement "m" is type float, already exists as type integer dropped=1',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli({
    argv: args,
    env: {},
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    readStdin: async () => 'm v=1.5\n',
  });
  return { code, out };
}

describe('CLI --flavor', () => {
  const script = 'SHOW DATABASES; SHOW MEASUREMENTS';

  it.each([
    ['a 1.x server (detected from /ping): one request for the script', 'oss-1', [], 1],
    ['a 3.x server (detected from /ping): one request per statement', 'cloud2', [], 2],
    ['a server that does not say: the strictest rules, one request per statement', 'anonymous', [], 2],
    ['--flavor 1.x given: no detection needed, one request', 'cloud2', ['--flavor', '1.x'], 1],
  ] as const)('query without --flavor on %s', async (_name, as, extra, requests) => {
    pingAs = as;
    queries.length = 0;
    const r = await cli(['query', '--url', url, '--db', 'db', ...extra, script]);
    expect(r.code).toBe(0);
    expect(queries).toHaveLength(requests);
  });

  it('write without --flavor explains the error with the flavor its answer names', async () => {
    pingAs = 'oss-1';
    const r = await cli(['write', '--url', url, '--db', 'db', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as { explanation: Array<{ id: string }> };
    expect(out.explanation.length).toBeGreaterThan(0);
  });

  it('refuses an unknown flavor the same way in every command', async () => {
    for (const command of ['query', 'validate', 'validate-query', 'explain', 'write']) {
      const networked = command === 'query' || command === 'write';
      const r = await cli([command, '--flavor', 'oracle', ...(networked ? ['--url', url, '--db', 'db'] : [])]);
      expect(r.code).toBe(2);
      expect(r.out).toContain('--flavor must be one of cloud-dedicated, clustered, serverless, core, 1.x, 2.x');
    }
  });
});
