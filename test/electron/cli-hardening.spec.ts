// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../electron/cli/index';
import type { CliIo } from '../../electron/cli/io';
import { trustedCas } from '../../electron/services/http-client';
import { escapeControls } from '../../shared/domain/format';

/**
 * The CLI against a hostile server and odd input: control characters never reach the terminal raw
 * (--json stays exact), garbage-shaped /query answers fail, huge --timeout values are refused, an
 * empty validate-query is an error, and --ca adds to the trust store instead of replacing it.
 */

const ESC = '\u001b]0;pwned\u0007\u001b[2J';

let server: Server;
let url = '';
const answers: Record<string, { status: number; body: string; type?: string }> = {
  '/ping': { status: 204, body: '' },
  garbage: { status: 200, body: '{"results":[{"series":[{"name":5}]}]}' },
  nothing: { status: 200, body: '{"foo":1}' },
  hostile: {
    status: 200,
    body: JSON.stringify({
      results: [
        { statement_id: 0, series: [{ name: `m${ESC}`, columns: ['time', 'v'], values: [[1, `a${ESC}\u0000b`]] }] },
      ],
    }),
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const a = u.pathname === '/query' ? answers[u.searchParams.get('q') ?? ''] : answers[u.pathname];
    if (u.pathname === '/write') {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`bad line${ESC}\u0000 end`);
      return;
    }
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(a.status, { 'Content-Type': a.type ?? 'application/json', 'X-Influxdb-Version': '1.8\u009b2J' });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(argv: string[], stdin: string | null = null): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    argv,
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => stdin,
  };
  const code = await runCli(io);
  return { code, out, err };
}

describe('control characters in human output', () => {
  it('escapeControls makes ESC, NUL, CR and C1 visible and keeps newlines, tabs and text', () => {
    expect(escapeControls(`a${ESC}\u0000\r\u009b\tb\nc é😀`)).toBe(
      'a\\x1b]0;pwned\\x07\\x1b[2J\\x00\\r\\x9b\tb\nc é😀',
    );
  });

  it('write: the server body is escaped in text output and exact with --json', async () => {
    const text = await run(['write', '--url', url, '--db', 'd'], 'm v=1\n');
    expect(text.code).toBe(1);
    expect(text.out).toContain('bad line\\x1b]0;pwned\\x07\\x1b[2J\\x00 end');
    expect(text.out + text.err).not.toContain('\u0000');
    expect(text.out + text.err).not.toContain('\u001b');
    const json = await run(['write', '--url', url, '--db', 'd', '--json'], 'm v=1\n');
    expect((JSON.parse(json.out) as { body: string }).body).toBe(`bad line${ESC}\u0000 end`);
  });

  it('ping: headers are escaped', async () => {
    const r = await run(['ping', '--url', url]);
    // Node refuses C0 characters in header values; a C1 CSI (0x9b) gets through, as latin1.
    expect(r.out).toContain('version: 1.8\\x9b2J');
    expect(r.out).not.toContain('\u009b');
  });

  it('query: table output is escaped, csv stays exact', async () => {
    const table = await run(['query', '--url', url, '--', 'hostile']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('name: m\\x1b]0;pwned');
    expect(table.out).toContain('a\\x1b]0;pwned\\x07\\x1b[2J\\x00b');
    expect(table.out).not.toContain('\u0000');
    expect(table.out).not.toContain('\u001b');
    const csv = await run(['query', '--url', url, '--format', 'csv', '--', 'hostile']);
    expect(csv.out).toContain(`a${ESC}\u0000b`);
  });
});

describe('garbage-shaped /query answers', () => {
  it.each(['garbage', 'nothing'])('%s: exit 1 with the reason, nothing printed as a result', async (q) => {
    const r = await run(['query', '--url', url, '--', q]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^error: HTTP 200: A response document is not an InfluxDB query result: /);
  });
});

describe('bad input', () => {
  it.each(['2147483648', '99999999999999', '1e20'])('--timeout %s is refused clearly', async (t) => {
    const r = await run(['ping', '--url', url, '--timeout', t]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--timeout must be');
  });

  it('--timeout 2147483647 is accepted', async () => {
    expect((await run(['ping', '--url', url, '--timeout', '2147483647'])).code).toBe(0);
  });

  it.each([[''], ['  '], [';']])('validate-query %j is an error', async (q) => {
    const r = await run(['validate-query', '--', q]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error empty-query the query has no statements');
    const j = await run(['validate-query', '--json', '--', q]);
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, diagnostics: [{ code: 'empty-query' }] });
  });
});

describe('--ca', () => {
  it('adds to the default trust store instead of replacing it', () => {
    const extra = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const cas = trustedCas(extra)!;
    expect(cas).toContain(extra);
    for (const root of tls.rootCertificates) expect(cas).toContain(root);
    expect(trustedCas('')).toBeUndefined();
  });
});
