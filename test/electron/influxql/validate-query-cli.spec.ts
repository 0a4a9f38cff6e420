import { describe, expect, it } from 'vitest';

import { type CliIo, UsageError } from '../../../electron/cli/io';
import { validateQueryCommand } from '../../../electron/cli/validate-query';

/** Runs the command in-process with a fake terminal. */
async function run(
  args: string[],
  stdin: string | null = null,
): Promise<{ code: number | 'usage'; out: string; err: string; usage?: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    argv: args,
    env: {},
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => stdin,
  };
  try {
    return { code: await validateQueryCommand(args, io), out, err };
  } catch (e) {
    // The dispatcher turns UsageError (and parseArgs errors) into exit 2.
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return { code: 'usage', out, err, usage: (e as Error).message };
    throw e;
  }
}

describe('influx-workbench validate-query', () => {
  it('exits 0 on a valid query', async () => {
    const r = await run(['SELECT * FROM cpu; SHOW MEASUREMENTS']);
    expect(r).toMatchObject({ code: 0, out: 'ok: 2 statements\n' });
  });

  it('prints line:char severity code message and exits 1 on a syntax error', async () => {
    const r = await run(['--', 'SELEC * FROM cpu']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      '1:1 error parse-error found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, ' +
        'EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1\n',
    );
  });

  it('--json prints {ok, diagnostics}', async () => {
    const r = await run(['--json', 'SELECT * FROM cpu WHERE']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      ok: false,
      diagnostics: [
        {
          line: 1,
          char: 25,
          severity: 'error',
          code: 'parse-error',
          message: 'found EOF, expected identifier, string, number, bool at line 1, char 25',
        },
      ],
    });
    const ok = await run(['--json', '--flavor', '1.x', 'SHOW DATABASES']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({ ok: true, diagnostics: [] });
  });

  it('applies --flavor rules', async () => {
    const r = await run(['--flavor', 'cloud-dedicated', 'DROP MEASUREMENT cpu']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^1:1 error unsupported-statement DROP MEASUREMENT is not supported: InfluxDB 3 Cloud Dedicated doesn't allow InfluxQL commands/,
    );
    expect((await run(['--flavor', '1.x', 'DROP MEASUREMENT cpu'])).code).toBe(0);
  });

  it('without --flavor the strictest rules apply (offline: no server to detect it from)', async () => {
    const r = await run(['DROP MEASUREMENT cpu']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/InfluxDB 3 Cloud Dedicated doesn't allow/);
  });

  it('takes the query as one argument, as query does', async () => {
    expect(await run(['SELECT', '*', 'FROM', 'cpu'])).toMatchObject({
      code: 'usage',
      usage: expect.stringContaining('give the query as one argument'),
    });
  });

  it('exits 0 with warnings only', async () => {
    const r = await run(['--flavor', 'clustered', 'EXPLAIN SELECT * FROM cpu']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1:1 warning maybe-unsupported-statement /);
  });

  it("reads the query from standard input when none is given (without echo's newline)", async () => {
    const r = await run(['--json'], 'SELECT * FROM cpu WHERE\n');
    expect(JSON.parse(r.out).diagnostics[0]).toMatchObject({ line: 1, char: 25 });
    expect((await run(['--flavor', '1.x'], 'SHOW DATABASES')).code).toBe(0);
  });

  it('a query starting with a comment goes after --', async () => {
    expect((await run(['--flavor', '1.x', '--', '-- a comment\nSHOW MEASUREMENTS'])).code).toBe(0);
  });

  it('takes bound parameters', async () => {
    expect((await run(['SELECT * FROM cpu WHERE h = $h'])).code).toBe(1);
    expect((await run(['--params', '{"h":"a"}', 'SELECT * FROM cpu WHERE h = $h'])).code).toBe(0);
  });

  it('bad usage: unknown flavor, unknown option, no query, bad params', async () => {
    expect(await run(['--flavor', 'oracle', 'SELECT 1'])).toMatchObject({
      code: 'usage',
      usage: expect.stringContaining('--flavor must be one of cloud-dedicated, clustered, serverless, core, 1.x, 2.x'),
    });
    expect((await run(['--bogus', 'x'])).code).toBe('usage');
    expect(await run([], null)).toMatchObject({ code: 'usage', usage: expect.stringContaining('give a QUERY') });
    expect((await run(['--params', '[1]', 'SELECT * FROM m'])).code).toBe('usage');
    expect((await run(['--params', '{', 'SELECT * FROM m'])).code).toBe('usage');
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: influx-workbench validate-query [--flavor F]');
  });
});
