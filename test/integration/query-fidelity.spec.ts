// @vitest-environment node
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Influxd, startInfluxd } from '../support/influxd';
import { runCli } from '../support/run-node';
import { TRICKY_BODY, TRICKY_LINES } from '../support/tricky-bodies';

const run = promisify(execFile);

/**
 * Query fidelity: the tricky values stored by curl (NUL-leading strings, int64 edges, whole floats of
 * 2^53 and more, -0, CR and blank lines inside strings, escapes, unicode) read back with
 * `influx-workbench query --format json|csv|table` and compared with curl's raw JSON. The oracle keeps
 * every number as its source text (JSON.parse's reviver `context.source`, Node 22), so it shares no
 * code with the workbench's exact-integer parser.
 */

type Cell = { num: string } | string | boolean | null;

/** JSON with every number kept as the text the server wrote. */
function parseWithSource(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _k: string, v: unknown, ctx?: { source?: string }) {
    return typeof v === 'number' ? { num: ctx!.source! } : v;
  } as (k: string, v: unknown) => unknown);
}

/** RFC 4180 rows (quoted fields may hold CR, LF, quotes and commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  return rows;
}

const cellText = (c: Cell): string => (c === null ? '' : typeof c === 'object' ? c.num : String(c));

describe('query fidelity: workbench query = curl raw JSON', () => {
  let influx: Influxd;
  let tmp: string;
  const curlSeries = new Map<string, { columns: string[]; values: Cell[][] }>();

  beforeAll(async () => {
    influx = await startInfluxd({ auth: false });
    await influx.query('CREATE DATABASE qf');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-qf-'));
    const file = path.join(tmp, 'tricky.lp');
    await fs.writeFile(file, TRICKY_BODY);
    const w = await run('curl', [
      '-sS',
      '-w',
      '%{http_code}',
      `${influx.url}/write?db=qf`,
      '--data-binary',
      `@${file}`,
    ]);
    expect(w.stdout).toBe('204');
    for (const l of TRICKY_LINES) {
      const r = await run('curl', [
        '-sS',
        '-G',
        `${influx.url}/query`,
        '--data-urlencode',
        'db=qf',
        '--data-urlencode',
        'epoch=ns',
        '--data-urlencode',
        `q=SELECT * FROM ${quoted(l.measurement)}`,
      ]);
      const doc = parseWithSource(r.stdout) as {
        results: Array<{ series: Array<{ columns: string[]; values: Cell[][] }> }>;
      };
      curlSeries.set(l.id, doc.results[0]!.series[0]!);
    }
  });
  afterAll(async () => {
    await influx?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  const quoted = (m: string) => `"${m.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const query = (l: (typeof TRICKY_LINES)[number], format: string) =>
    runCli([
      'query',
      '--url',
      influx.url,
      '--db',
      'qf',
      '--epoch',
      'ns',
      '--format',
      format,
      '--',
      `SELECT * FROM ${quoted(l.measurement)}`,
    ]);

  it('--format json: every value as the server wrote it (numbers compared as text)', async () => {
    for (const l of TRICKY_LINES) {
      const r = await query(l, 'json');
      expect(r.code, r.stderr).toBe(0);
      const doc = parseWithSource(r.stdout) as { statements: Array<{ series: Array<{ values: Cell[][] }> }> };
      expect(doc.statements[0]!.series[0]!.values, l.id).toEqual(curlSeries.get(l.id)!.values);
    }
  });

  it('--format csv: every cell is the server value as text (NUL strings stay strings, -0 stays -0)', async () => {
    for (const l of TRICKY_LINES) {
      const r = await query(l, 'csv');
      expect(r.code, r.stderr).toBe(0);
      const rows = parseCsv(r.stdout);
      const curl = curlSeries.get(l.id)!;
      expect(rows[0], l.id).toEqual(['name', ...curl.columns]);
      expect(
        rows.slice(1).map((row) => row.slice(1)),
        l.id,
      ).toEqual(curl.values.map((row) => row.map(cellText)));
    }
  });

  it('a statement 1.6 reports only as "not executed" is explained, and --chunked shows the real error', async () => {
    const q = 'SELECT * FROM fx_int; SELECT * FROM nope..fx_int; SELECT * FROM fx_int';
    const plain = await runCli(['query', '--url', influx.url, '--db', 'qf', '--', q]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('error: statement 2: not executed\n  Statement "not executed"');
    expect(plain.stderr).toMatch(/Fix: {3}Run the request again with chunking \(`query --chunked`/);
    const chunked = await runCli(['query', '--url', influx.url, '--db', 'qf', '--chunked', '--', q]);
    expect(chunked.code).toBe(1);
    expect(chunked.stderr).toContain('error: statement 2: database not found: nope');
  });

  it('--format table: the exact digits, -0 and NUL-leading strings', async () => {
    const byId = new Map<string, string>();
    for (const id of ['int64-edges', 'big-floats', 'negative-zero', 'nul']) {
      const l = TRICKY_LINES.find((x) => x.id === id)!;
      const r = await query(l, 'table');
      expect(r.code, r.stderr).toBe(0);
      byId.set(id, r.stdout.split('\n')[3]!);
    }
    expect(byId.get('int64-edges')!.split(/ +/)).toEqual([
      '1000000006',
      '9223372036854775807',
      '-9223372036854775808',
      '9007199254740993',
      '-9007199254740993',
    ]);
    expect(byId.get('big-floats')!.split(/ +/)).toEqual([
      '1000000007',
      '100000000000000000000',
      '9007199254740992',
      '1.7976931348623157e+308',
      '1.2345678901234568e+29',
    ]);
    expect(byId.get('negative-zero')!.split(/ +/)).toEqual(['1000000008', '-0', '-0']);
    // The table is for a terminal: control characters are shown as visible escapes (json and csv keep them).
    expect(byId.get('nul')!.split(/ +/)).toEqual(['1000000003', '\\x00123', 'a\\x00b']);
  });
});
