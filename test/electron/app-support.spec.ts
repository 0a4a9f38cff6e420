// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createAppContext } from '../../electron/app/create-app';
import { mimeType, RENDERER_SECURITY_HEADERS } from '../../electron/app/csp';
import { dispatch } from '../../electron/app/dispatch';
import { createLogger, rotatingFileSink } from '../../electron/app/logger';
import { readStaticFile } from '../../electron/app/static-files';
import { createRequestRegistry } from '../../electron/services/request-registry';
import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { call } from '../support/call';

describe('log file', () => {
  let logDir: string;
  beforeEach(async () => {
    logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-logs-'));
  });
  afterEach(async () => {
    await fs.rm(logDir, { recursive: true, force: true });
  });

  it('writes redacted lines to a file the user can open, rotating it and keeping a few old ones', async () => {
    const file = path.join(logDir, 'nested', 'influx-workbench.log');
    const log = createLogger(rotatingFileSink(file, { maxBytes: 400, keep: 2 }));
    log.error('http', 'failed: Authorization: Token s3cr3t-t0ken-value');
    expect(await fs.readFile(file, 'utf8')).toMatch(/error \[http\] failed: Authorization: Token \[REDACTED\]\n$/);
    for (let i = 0; i < 30; i++) log.info('x', `line ${i} ${'.'.repeat(40)}`);
    const names = (await fs.readdir(path.dirname(file))).sort();
    expect(names).toEqual(['influx-workbench.log', 'influx-workbench.log.1', 'influx-workbench.log.2']);
    for (const n of names) expect((await fs.stat(path.join(path.dirname(file), n))).size).toBeLessThanOrEqual(400);
    expect(await fs.readFile(file, 'utf8')).toContain('line 29');
    const all = (await Promise.all(names.map((n) => fs.readFile(path.join(path.dirname(file), n), 'utf8')))).join('');
    expect(all).not.toContain('s3cr3t-t0ken-value');
  });

  it('a log that cannot be written never throws', () => {
    const blocker = path.join(logDir, 'a-file');
    const sink = rotatingFileSink(path.join(blocker, 'x.log'));
    return fs.writeFile(blocker, 'not a folder').then(() => expect(() => sink('line')).not.toThrow());
  });
});

describe('logger', () => {
  it('writes timestamped, scoped lines with every credential redacted', () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));
    log.info('http', 'POST http://h/write?db=d&u=admin&p=hunter2 with Authorization: Token abc123');
    log.error('store', 'failed', new Error('Authorization: Basic dXNlcjpU at http://u:pw@h/'));
    log.error('x', 'plain', 'a string error in u=admin&p=secret');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.* info \[http\] POST/);
    expect(lines[1]).toMatch(/ error \[store\] failed: Error: /);
    const all = lines.join('\n');
    for (const secret of ['hunter2', 'abc123', 'dXNlcjpU', ':pw@', '=secret']) expect(all).not.toContain(secret);
  });
});

describe('csp and MIME types', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/b/app.JS', 'text/javascript; charset=utf-8'],
    ['x.woff2', 'font/woff2'],
    ['noext', 'application/octet-stream'],
    ['weird.exe', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(mimeType(file)).toBe(type);
  });

  it('every renderer response forbids sniffing, referrers and framing', () => {
    expect(RENDERER_SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(RENDERER_SECURITY_HEADERS['Referrer-Policy']).toBe('no-referrer');
    expect(RENDERER_SECURITY_HEADERS['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(RENDERER_SECURITY_HEADERS['Content-Security-Policy']).toContain("connect-src 'self'");
  });
});

describe('readStaticFile', () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-static-'));
    dir = path.join(root, 'www');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(dir, 'index.html'), 'INDEX');
    await fs.writeFile(path.join(dir, 'sub', 'a b.css'), 'CSS');
    await fs.symlink(path.join(dir, 'sub', 'a b.css'), path.join(dir, 'inside-link.css'));
    await fs.writeFile(path.join(root, 'www-sibling.txt'), 'SIBLING');
    await fs.mkdir(path.join(root, 'www2'));
    await fs.writeFile(path.join(root, 'www2', 'x.txt'), 'PREFIX-TWIN');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('serves files, decoding the path; / and empty are index.html', async () => {
    expect((await readStaticFile(dir, '/'))?.body.toString()).toBe('INDEX');
    expect((await readStaticFile(dir, ''))?.body.toString()).toBe('INDEX');
    expect(await readStaticFile(dir, '/sub/a%20b.css?x=1')).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect((await readStaticFile(dir, '/inside-link.css'))?.body.toString()).toBe('CSS');
  });

  it.each([
    '/../www-sibling.txt',
    '/..%2fwww-sibling.txt',
    '/../www2/x.txt',
    '/%2e%2e/www2/x.txt',
    `/${'..%2f'.repeat(10)}etc/passwd`,
    '/sub',
    '/nope',
    '/%ZZ',
    '/index.html%00.js',
  ])('refuses %s', async (p) => {
    expect(await readStaticFile(dir, p)).toBeNull();
  });

  it('an absolute path in the URL stays inside the root', async () => {
    expect(await readStaticFile(dir, `/${path.join(root, 'www-sibling.txt')}`)).toBeNull();
  });
});

describe('request registry', () => {
  it('run passes a live signal and forgets the request when done', async () => {
    const registry = createRequestRegistry();
    let seen: AbortSignal | null = null;
    const result = await registry.run('a', async (signal) => {
      seen = signal;
      expect(registry.size()).toBe(1);
      return 42;
    });
    expect(result).toBe(42);
    expect(seen!.aborted).toBe(false);
    expect(registry.size()).toBe(0);
  });

  it('a failing run is forgotten too', async () => {
    const registry = createRequestRegistry();
    await expect(registry.run('a', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(registry.size()).toBe(0);
    expect(registry.cancel('a')).toBe(false);
  });
});

describe('createAppContext', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-ctx-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('emits connections:changed to subscribers until they unsubscribe', async () => {
    const ctx = await createAppContext({
      mode: 'browser',
      version: 'v',
      dataDir: dir,
      cipher: null,
      log: { info: () => undefined, error: () => undefined },
    });
    const got: Array<[string, unknown]> = [];
    const off = ctx.onEvent((event, payload) => got.push([event, payload]));
    const save = { connection: { ...DEFAULT_CONNECTION_INPUT, name: 'a' }, token: { action: 'keep' as const } };
    const { id } = await call(ctx, 'connections:save', save);
    expect(got).toEqual([['connections:changed', { ids: [id] }]]);
    off();
    await dispatch(ctx.handlers, 'connections:save', save, ctx.log);
    expect(got).toHaveLength(1);
    ctx.close();
  });

  it('a damaged connections.json does not stop the app; the notice reaches the log and connections:list', async () => {
    await fs.writeFile(path.join(dir, 'connections.json'), '{oops');
    const errors: string[] = [];
    const ctx = await createAppContext({
      mode: 'browser',
      version: 'v',
      dataDir: dir,
      cipher: null,
      log: { info: () => undefined, error: (_s, m) => errors.push(m) },
    });
    const list = await dispatch(ctx.handlers, 'connections:list', {}, ctx.log);
    expect(list).toMatchObject({ ok: true, data: { connections: [], notices: [{ level: 'error' }] } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('connections.json.corrupt-');
  });
});
