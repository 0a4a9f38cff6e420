// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, type Influxd, startInfluxd } from '../support/influxd';
import { runCli } from '../support/run-node';

/** `influx-workbench query`, the built CLI run as a user runs it, against a real influxd 1.6 with auth on. */

const BIG = '9223372036854775806';
const NS = '1700000000123456789';

describe('influx-workbench query against influxd 1.6 (auth on)', () => {
  let influx: Influxd;
  const env = { INFLUX_TOKEN: ADMIN.password };
  const auth = ['--auth', 'basic', '--username', ADMIN.user];
  beforeAll(async () => {
    influx = await startInfluxd({ auth: true });
    await influx.query('CREATE DATABASE qcli');
    const body = [
      `big,host=a n=${BIG}i ${NS}`,
      'cpu,host=a usage=0.5 1700000000000000000',
      'cpu,host=b usage=1.25 1700000060000000000',
    ].join('\n');
    const res = await fetch(`${influx.url}/write?db=qcli&u=${ADMIN.user}&p=${ADMIN.password}`, {
      method: 'POST',
      body,
    });
    expect(res.status).toBe(204);
  });
  afterAll(async () => {
    await influx?.stop();
  });

  it('prints an aligned table and exits 0', async () => {
    const r = await runCli(
      ['query', '--url', influx.url, '--db', 'qcli', ...auth, '--epoch', 's', '--', 'SELECT usage, host FROM cpu'],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'name: cpu',
        'time        usage  host',
        '----        -----  ----',
        '1700000000  0.5    a',
        '1700000060  1.25   b',
        '',
      ].join('\n'),
    );
  });

  it('reads the query from stdin and prints exact JSON (int64 and epoch=ns times keep every digit)', async () => {
    const r = await runCli(
      ['query', '--url', influx.url, '--db', 'qcli', ...auth, '--epoch', 'ns', '--format', 'json'],
      { env, stdin: 'SELECT n FROM big' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\[\\s*${NS},\\s*${BIG}\\s*\\]`));
    const parsed = JSON.parse(r.stdout) as { statements: Array<{ series: Array<{ columns: string[] }> }> };
    expect(parsed.statements[0]!.series[0]!.columns).toEqual(['time', 'n']);
  });

  it('prints CSV with every digit, chunked', async () => {
    const r = await runCli(
      [
        'query',
        '--url',
        influx.url,
        '--db',
        'qcli',
        ...auth,
        '--epoch',
        'ns',
        '--chunked',
        '--format',
        'csv',
        'SELECT n FROM big',
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`name,time,n\r\nbig,${NS},${BIG}\r\n`);
  });

  it('exits 1 with the statement error of a multi-statement script, keeping the good results', async () => {
    const r = await runCli(
      [
        'query',
        '--url',
        influx.url,
        '--db',
        'qcli',
        ...auth,
        '--chunked',
        '--epoch',
        's',
        "SELECT usage FROM cpu WHERE host = 'a'; SELECT * FROM nope.autogen.x",
      ],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1700000000  0.5');
    expect(r.stderr).toBe('error: statement 2: database not found: nope\n');
  });

  it("exits 1 with the server's parse error (HTTP 400)", async () => {
    const r = await runCli(['query', '--url', influx.url, '--db', 'qcli', ...auth, 'SELEC * FROM cpu'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: HTTP 400: error parsing query: found SELEC, expected SELECT');
  });

  it('exits 1 on a wrong password, with the server message', async () => {
    const r = await runCli(['query', '--url', influx.url, ...auth, 'SHOW DATABASES'], {
      env: { INFLUX_TOKEN: 'wrong' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 401: authorization failed');
  });

  it('POSTs management statements: CREATE DATABASE then SHOW DATABASES', async () => {
    const create = await runCli(['query', '--url', influx.url, ...auth, 'CREATE DATABASE made_by_cli'], { env });
    expect(create.stderr).toBe(''); // no "deprecated use … read only context" warning: it was POSTed
    expect(create.code).toBe(0);
    const show = await runCli(['query', '--url', influx.url, ...auth, 'SHOW DATABASES'], { env });
    expect(show.stdout).toContain('made_by_cli');
  });

  it('exits 2 on bad usage, and 0 on --help', async () => {
    expect((await runCli(['query', '--url', influx.url, '--format', 'xml', 'SHOW DATABASES'])).code).toBe(2);
    expect((await runCli(['query', '--url', influx.url, '--epoch', 'd', 'SHOW DATABASES'])).code).toBe(2);
    expect((await runCli(['query', 'SHOW DATABASES'])).stderr).toContain('--url is required');
    expect((await runCli(['query', '--url', influx.url, '--auth', 'bearer', 'SHOW DATABASES'])).code).toBe(2);
    const help = await runCli(['query', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: influx-workbench query');
    expect((await runCli(['--help'])).stdout).toContain('query           run InfluxQL');
  });

  it('a WHERE deeper than the local parser checks still runs (influxd accepts it); validate-query says why', async () => {
    const q = `SELECT usage FROM cpu WHERE ${Array.from({ length: 1200 }, (_, i) => `host='h${i}'`).join(' OR ')} OR host='a'`;
    const r = await runCli(
      ['query', '--url', influx.url, '--db', 'qcli', ...auth, '--epoch', 's', '--format', 'csv', '--', q],
      {
        env,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('name,time,usage\r\ncpu,1700000000,0.5\r\n');
    const v = await runCli(['validate-query', '--', q]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('the expression nests more than 1000 levels deep');
    expect(v.stdout + v.stderr).not.toMatch(/Maximum call stack/);
  });
});
