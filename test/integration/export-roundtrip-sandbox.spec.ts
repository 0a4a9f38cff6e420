// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendHttp } from '../../electron/services/http-client';
import { executeWrite } from '../../electron/services/write-service';
import { DEFAULT_WRITE_PARAMS } from '../../shared/domain/write-request';
import { createSnippetRunner, type SnippetRunner } from '../support/export-snippets';
import { runCli } from '../support/run-node';
import { createSandboxToken, runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';
import { SHOW_KEYS, storedText, TRICKY_BODY, TRICKY_LINES, type TrickyLine } from '../support/tricky-bodies';

/**
 * Export round trip against the sandbox (InfluxDB 3 Cloud Dedicated profile): for each "Copy as" format
 * that can run here, `influx-workbench export --flavor cloud-dedicated` prints the snippet, it runs
 * unedited with the sandbox's token, and what the sandbox stores (SHOW TAG KEYS, SHOW FIELD KEYS and
 * SELECT * through its /query; it has no SHOW SERIES) is compared with the workbench's own send of the
 * same body into a separate database.
 *
 * The sandbox runs on a data folder, not `--memory`: a memory sandbox has only `demo`, and each format
 * needs its own database, created (with the token) by the `sandbox` command before it starts.
 *
 * The body is the 1.x corpus unchanged: the 3.x write rules accept every tricky line of it (CR inside a
 * tag, NUL in strings, int64 edges, escaped measurement names), which the reference send's 204 and its
 * read-back of every measurement prove below; no line needed a 3.x variant.
 */

const DATABASES = ['rt_ref', 'rt_curl', 'rt_py', 'rt_node', 'rt_cjs', 'rt_v3'] as const;
/** node-influx cannot carry these lines exactly: the export refuses them (checked below). */
const NODE_INFLUX_REFUSED = ['int64-edges', 'negative-zero'];

describe('export round trip against the sandbox (Cloud Dedicated)', () => {
  let sb: SandboxProcess;
  let dataDir: string;
  let token: string;
  let snippets: SnippetRunner;
  let bodyFile: string;

  const stored = (db: string, lines?: readonly TrickyLine[]) =>
    storedText(sb.url, db, `&p=${encodeURIComponent(token)}`, lines, SHOW_KEYS);
  const target = (db: string, auth = 'token') => [
    '--url',
    sb.url,
    '--flavor',
    'cloud-dedicated',
    '--db',
    db,
    '--auth',
    auth,
  ];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-rt-sandbox-'));
    for (const db of DATABASES) {
      const r = await runSandboxCli(['database', 'create', db, '--data-dir', dataDir]);
      expect(r.stdout, r.stderr).toBe(`created database ${db}\n`);
    }
    token = await createSandboxToken(dataDir);
    sb = await startSandboxProcess(['--data-dir', dataDir, '--port', '0']);
    expect(sb.profile).toBe('cloud-dedicated');
    snippets = await createSnippetRunner({ INFLUX_TOKEN: token });
    bodyFile = path.join(snippets.dir, 'tricky.lp');
    await fs.writeFile(bodyFile, TRICKY_BODY);
    const sent = await executeWrite(sendHttp, {
      target: { baseUrl: sb.url, tls: { caPem: '', skipVerify: false }, timeoutMs: 10_000 },
      params: { ...DEFAULT_WRITE_PARAMS, api: 'v1', db: 'rt_ref' },
      auth: { scheme: 'token', username: '' },
      token,
      body: TRICKY_BODY,
    });
    expect(sent.response?.status).toBe(204);
    // Every measurement of the corpus landed (a comparison with an empty reference would prove nothing).
    const ref = await stored('rt_ref');
    for (const l of TRICKY_LINES) expect(ref).toContain(`"name":${JSON.stringify(l.measurement)},"columns":["time"`);
  });
  afterAll(async () => {
    if (sb) expect(await sb.stop()).toBe(0);
    await snippets?.dispose();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('curl (Token header) stores what the workbench stores', async () => {
    await snippets.runSnippet('bash', await snippets.exportSnippet('curl', target('rt_curl'), bodyFile));
    expect(await stored('rt_curl')).toBe(await stored('rt_ref'));
  });

  it('influxdb-python (Debian python3-influxdb, Token header) stores what the workbench stores', async () => {
    await snippets.runSnippet('py', await snippets.exportSnippet('influxdb-python', target('rt_py'), bodyFile));
    expect(await stored('rt_py')).toBe(await stored('rt_ref'));
  });

  it('@influxdata/influxdb-client (.mjs, v2 write, Token) stores what the workbench stores', async () => {
    const args = ['--url', sb.url, '--flavor', 'cloud-dedicated', '--api', 'v2', '--bucket', 'rt_cjs', '--org', 'o'];
    const snippet = await snippets.exportSnippet('influxdb-client-js', [...args, '--auth', 'token'], bodyFile);
    expect(snippet.split('\n')[0]).toMatch(/write\.mjs/);
    await snippets.runSnippet('mjs', snippet);
    expect(await stored('rt_cjs')).toBe(await stored('rt_ref'));
  });

  it('@influxdata/influxdb3-client (.mjs) stores what the workbench stores', async () => {
    const snippet = await snippets.exportSnippet('influxdb3-client-js', target('rt_v3', 'bearer'), bodyFile);
    expect(snippet.split('\n')[0]).toMatch(/write\.mjs/);
    await snippets.runSnippet('mjs', snippet);
    expect(await stored('rt_v3')).toBe(await stored('rt_ref'));
  });

  it('node-influx (.cjs, token as password) refuses the lines it cannot carry and stores the rest exactly', async () => {
    // The whole corpus is refused, with the reason, and nothing is printed to run.
    const whole = await runCli(['export', '--format', 'node-influx', ...target('rt_node'), bodyFile], {
      env: { INFLUX_TOKEN: token },
    });
    expect(whole.code).toBe(1);
    expect(whole.stdout).toBe('');
    expect(whole.stderr).toContain('beyond ±2^53');
    const negZero = path.join(snippets.dir, 'negz.lp');
    await fs.writeFile(negZero, `${TRICKY_LINES.find((l) => l.id === 'negative-zero')!.lp}\n`);
    const refused = await runCli(['export', '--format', 'node-influx', ...target('rt_node'), negZero], {
      env: { INFLUX_TOKEN: token },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('-0');
    // The lines it can carry, as one body, run unedited.
    const carried = TRICKY_LINES.filter((l) => !NODE_INFLUX_REFUSED.includes(l.id));
    const file = path.join(snippets.dir, 'carried.lp');
    await fs.writeFile(file, carried.map((l) => `${l.lp}\n`).join(''));
    const snippet = await snippets.exportSnippet('node-influx', target('rt_node'), file);
    expect(snippet.split('\n')[0]).toMatch(/write\.cjs/);
    await snippets.runSnippet('cjs', snippet);
    expect(await stored('rt_node', carried)).toBe(await stored('rt_ref', carried));
  });
});
