// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_CONNECTION_INPUT } from '../../shared/domain/connection';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { type E2eApp, startE2eApp } from '../support/e2e-app';

/**
 * Browser mode's session in a real Chromium: the session cookie reaches every server on 127.0.0.1
 * (cookies ignore ports), so another local web server sees it. With it (and a forged Origin) that
 * server still cannot call the bridge, let alone read a token; the launch URL works once.
 */

const TOKEN = 'Kq2-session-e2e-Token-5d81';

describe('browser-mode session in Chromium', () => {
  let app: E2eApp;
  let other: http.Server;
  let otherUrl: string;
  const seenCookies: string[] = [];

  beforeAll(async () => {
    app = await startE2eApp({
      name: 'session',
      prepare: async (ctx) => {
        const r = await ctx.handlers['connections:save']({
          connection: { ...DEFAULT_CONNECTION_INPUT, name: 'local', authScheme: 'bearer' },
          token: { action: 'set', value: TOKEN, keep: 'session', allowWeak: false },
        });
        if (!r.id) throw new Error('no connection saved');
      },
    });
    // Another web server on this host, e.g. a dev server or something hostile: it records the cookies.
    other = http.createServer((req, res) => {
      seenCookies.push(req.headers.cookie ?? '');
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    await app.page.getByTestId('connection-item').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  });

  it('the page secret left the address bar and sits in sessionStorage, not in a cookie', async () => {
    expect(app.page.url()).toBe(`${app.server.origin}/`);
    const cookies = await app.page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]!.httpOnly).toBe(true);
    const stored = await app.page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(cookies[0]!.value);
  });

  it('another local server gets the cookie, and the cookie alone opens nothing', async () => {
    // The same tab visits the other server and comes back (a page context of its own is not offered).
    await app.page.goto(otherUrl);
    await app.page.goto(`${app.server.origin}/`);
    await app.page.getByTestId('connection-item').first().waitFor();
    const leaked = seenCookies.find((c) => c.includes('iwb_'));
    // The premise: Chromium did send our cookie to another port.
    expect(leaked).toBeDefined();
    const body = JSON.stringify({
      connectionId: (await app.ctx.handlers['connections:list']({})).connections[0]!.id,
      format: 'curl',
      params: DEFAULT_WRITE_PARAMS,
      auth: { scheme: 'bearer', username: '' },
      body: 'm f=1',
    });
    for (const channel of ['export:copy', 'export:render', 'connections:list']) {
      const res = await fetch(`${app.server.origin}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { Cookie: leaked!, Origin: app.server.origin, 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain(TOKEN);
    }
  });

  it('a replayed launch URL is refused; the open tab keeps working after a reload', async () => {
    const res = await app.page.goto(app.server.url);
    expect(res?.status()).toBe(403);
    expect(await app.page.content()).toContain('already used');
    // The tab's sessionStorage still holds the page secret: back on the app, it works.
    await app.page.goto(`${app.server.origin}/`);
    await app.page.getByTestId('connection-item').first().waitFor();
    await app.page.reload();
    await app.page.getByTestId('connection-item').first().waitFor();
  });
});
