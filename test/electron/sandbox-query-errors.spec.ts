// @vitest-environment node
import fs from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/app/create-app';
import { explainQueryError } from '../../shared/errors/query-catalogue';
import { browserModeContext } from '../support/app-context';

/**
 * Every kind of query error the sandbox answers (spec §10: refusals, unknown database, unsupported
 * functions, parse and planning errors) reaches the app's query path and gets a catalogue explanation.
 */

/** The error texts of an answer: the top-level `error`, else each statement's. */
function errorsOf(body: string): string[] {
  const parsed = JSON.parse(body) as { error?: string; message?: string; results?: { error?: string }[] };
  if (parsed.error !== undefined) return [parsed.error];
  if (parsed.message !== undefined) return [parsed.message];
  return (parsed.results ?? []).flatMap((r) => (r.error !== undefined ? [r.error] : []));
}

const CASES: [kind: string, q: string, db: string, id: string][] = [
  ['parse error', 'SELECT FROM cpu', 'demo', 'iql-parse-error'],
  ['SELECT INTO', 'SELECT usage_user INTO copy FROM cpu', 'demo', 'iql-refused-statement'],
  ['CREATE USER', "CREATE USER bob WITH PASSWORD 'x'", 'demo', 'iql-refused-statement'],
  ['DROP SERIES', 'DROP SERIES FROM cpu', 'demo', 'iql-refused-statement'],
  ['SHOW USERS', 'SHOW USERS', 'demo', 'iql-refused-statement'],
  ['GRANT', 'GRANT ALL TO bob', 'demo', 'iql-refused-statement'],
  ['REVOKE', 'REVOKE ALL FROM bob', 'demo', 'iql-refused-statement'],
  ['ALTER', 'ALTER RETENTION POLICY autogen ON demo DURATION 1d', 'demo', 'iql-refused-statement'],
  ['KILL', 'KILL QUERY 1', 'demo', 'iql-refused-statement'],
  ['CREATE DATABASE', 'CREATE DATABASE other', 'demo', 'iql-not-implemented'],
  ['DROP MEASUREMENT', 'DROP MEASUREMENT cpu', 'demo', 'iql-not-implemented'],
  ['DELETE', 'DELETE FROM cpu', 'demo', 'iql-not-implemented'],
  ['SHOW DATABASES', 'SHOW DATABASES', 'demo', 'iql-not-implemented'],
  ['SAMPLE', 'SELECT sample(usage_user, 2) FROM cpu', 'demo', 'iql-not-implemented'],
  ['SLIMIT', 'SELECT usage_user FROM cpu GROUP BY host SLIMIT 1', 'demo', 'iql-not-implemented'],
  ['ORDER BY a field', 'SELECT usage_user FROM cpu ORDER BY usage_user', 'demo', 'iql-order-by-time-only'],
  ['unknown function', 'SELECT nosuch(usage_user) FROM cpu', 'demo', 'iql-unknown-function'],
  ['wrong argument count', 'SELECT mean(usage_user, 2) FROM cpu', 'demo', 'iql-argument-count'],
  ['mixing aggregates', 'SELECT mean(usage_user), usage_system FROM cpu', 'demo', 'iql-mixing-aggregate'],
  [
    'GROUP BY time, no aggregate',
    'SELECT usage_user FROM cpu GROUP BY time(1m)',
    'demo',
    'iql-group-by-time-aggregate',
  ],
  ['time compared badly', "SELECT usage_user FROM cpu WHERE time > 'yesterday'", 'demo', 'iql-time-comparison'],
  ['two databases', 'SELECT usage_user FROM demo..cpu, other..cpu', 'demo', 'iql-single-database'],
  ['unknown database', 'SELECT usage_user FROM cpu', 'nope', 'database-not-found'],
  ['no database', 'SELECT usage_user FROM cpu', '', 'iql-no-database'],
];

describe('sandbox query errors are explained', () => {
  let dir: string;
  let ctx: AppContext;
  let connectionId: string;
  beforeAll(async () => {
    ({ ctx, dir } = await browserModeContext('iwb-sandbox-qerr-', { sandbox: true }));
    const status = await ctx.handlers['sandbox:status']({});
    expect(status.state).toBe('running');
    connectionId = status.connectionId!;
  });
  afterAll(async () => {
    ctx?.close();
    await ctx?.flush();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const run = async (q: string, db: string): Promise<string[]> => {
    const out = await ctx.handlers['query:run']({
      requestId: q,
      connectionId,
      q,
      db,
      rp: '',
      epoch: 'ms',
      chunked: false,
      chunkSize: 0,
      params: {},
      method: 'auto',
    });
    const body = out.exchange.response?.body;
    expect(body, q).toBeTypeOf('string');
    return errorsOf(body!);
  };

  it.each(CASES)('%s: %s', async (_kind, q, db, id) => {
    const errors = await run(q, db);
    expect(errors, q).toHaveLength(1);
    const explained = explainQueryError(errors[0]!, 'cloud-dedicated');
    expect(
      explained.map((e) => e.id),
      errors[0],
    ).toContain(id);
    expect(explained[0]!.id, errors[0]).toBe(id);
  });
});
