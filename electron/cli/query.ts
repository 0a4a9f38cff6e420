import { SERVER_FLAVORS, type ServerFlavor } from '../../shared/domain/flavor';
import { isSuccess } from '../../shared/domain/http';
import { cellText } from '../../shared/query/exact-json';
import { resultToJson, seriesToCsv } from '../../shared/query/format';
import { QUERY_EPOCHS, type QueryEpoch } from '../../shared/query/query-request';
import type { QueryResult, Series } from '../../shared/query/result-model';
import { sendHttp } from '../services/http-client';
import { executeQueryScript } from '../services/query-script';
import { CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { type CliCommand, parseCommand, UsageError } from './io';

/**
 * `influx-workbench query`: runs InfluxQL through the same /query client as the app (streaming
 * parse, exact int64, one request per statement on 3.x flavors) and prints a table, CSV or JSON.
 */

/** Help text of `query`. */
export const QUERY_HELP = `Usage: influx-workbench query --url URL [--db DB] [--rp RP] [auth options] [--epoch P] [--chunked]
                             [--format table|csv|json] [--flavor F] [--params JSON] [--] QUERY

Runs an InfluxQL query (one or more statements separated by ';') with GET /query, or POST for
statements that change something. Reads QUERY from standard input when it is absent; put QUERY after
-- when it starts with '-'.

  --url URL            base URL of the server, e.g. http://127.0.0.1:8086
  --db DB              database
  --rp RP              retention policy
  --epoch P            time as an integer in h, m, s, ms, u or ns (default: RFC3339 strings)
  --chunked            ask for a chunked response (streamed and merged; --chunk-size N rows per chunk)
  --format F           table (default; aligned columns) | csv | json (integers beyond 2^53 stay exact)
  --flavor F           1.x | 2.x | cloud-dedicated | clustered | serverless | core (default: 1.x);
                       3.x flavors get one request per statement
  --params JSON        bound parameters for $name placeholders, e.g. '{"host":"a"}'
  --auth SCHEME        none | bearer | token | basic | query   (default: none)
  --username U         username for basic and query auth
  --token-env VAR      environment variable holding the token (default: INFLUX_TOKEN)
  --timeout MS         request timeout in milliseconds (default: 30000)
  --ca FILE            PEM file of extra CA certificates to trust
  --insecure           skip TLS certificate verification (testing only)

Exit status: 0 on success, 1 on a server or statement error (its message is printed) or a failed
connection, 2 on bad usage.
`;

const FORMATS = ['table', 'csv', 'json'] as const;

/** The `query` command. */
export const queryCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(
    args,
    {
      ...CONNECTION_OPTIONS,
      db: { type: 'string' },
      rp: { type: 'string' },
      epoch: { type: 'string' },
      chunked: { type: 'boolean' },
      'chunk-size': { type: 'string' },
      format: { type: 'string' },
      flavor: { type: 'string' },
      params: { type: 'string' },
    },
    QUERY_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const format = (values.format ?? 'table') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be table, csv or json, not "${values.format}"`);
  const epoch = (values.epoch ?? '') as QueryEpoch;
  if (values.epoch === '' || !QUERY_EPOCHS.includes(epoch))
    throw new UsageError(`--epoch must be one of h, m, s, ms, u, ns, not "${values.epoch}"`);
  const flavor = (values.flavor ?? '1.x') as ServerFlavor;
  if (!SERVER_FLAVORS.includes(flavor)) throw new UsageError(`--flavor must be one of ${SERVER_FLAVORS.join(', ')}`);
  const chunkSize = values['chunk-size'] === undefined ? 0 : Number(values['chunk-size']);
  if (!Number.isInteger(chunkSize) || chunkSize < 0)
    throw new UsageError('--chunk-size must be a positive number of rows');
  const params = parseParams(values.params);
  if (positionals.length > 1) throw new UsageError('give the query as one argument (quote it), or on standard input');
  let q = positionals[0];
  if (q === undefined) {
    const stdin = await io.readStdin();
    if (stdin === null) throw new UsageError('no query: give QUERY or pipe it on standard input');
    q = stdin;
  }
  if (q.trim() === '') throw new UsageError('the query is empty');
  const { target, auth, token } = await connectionOptions(values, io);

  const outcome = await executeQueryScript(io.send ?? sendHttp, {
    target,
    flavor,
    params: {
      q,
      db: values.db ?? '',
      rp: values.rp ?? '',
      epoch,
      chunked: values.chunked === true,
      chunkSize,
      params,
      method: 'auto',
    },
    auth,
    token,
  });
  const { exchange, result } = outcome;
  if (format === 'json') io.stdout(`${resultToJson(result)}\n`);
  else if (format === 'csv') io.stdout(resultToCsv(result));
  else io.stdout(resultToTable(result));

  let failed = false;
  for (const st of result.statements) {
    for (const m of st.messages) io.stderr(`${m.level}: ${m.text}\n`);
    if (st.error !== null) {
      failed = true;
      io.stderr(`error: statement ${st.statementId + 1}: ${st.error}\n`);
    }
  }
  if (result.error !== null) {
    failed = true;
    const status = exchange.response ? `HTTP ${exchange.response.status}: ` : '';
    io.stderr(`error: ${status}${result.error}\n`);
  } else if (exchange.error === null && !isSuccess(exchange)) {
    failed = true;
    io.stderr(`error: HTTP ${exchange.response?.status ?? ''}\n`);
  }
  return failed || exchange.error !== null ? 1 : 0;
};

function parseParams(text: string | undefined): Record<string, string | number | boolean> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--params is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('--params must be a JSON object');
  for (const [k, v] of Object.entries(value)) {
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw new UsageError(`--params: "${k}" must be a string, number or boolean`);
  }
  return value as Record<string, string | number | boolean>;
}

/** Every series as CSV, a blank line between series (as InfluxDB's own CSV output separates them). */
export function resultToCsv(result: QueryResult): string {
  return result.statements
    .flatMap((s) => s.series)
    .map(seriesToCsv)
    .join('\r\n');
}

/** Every statement's series as aligned text tables, in the layout of the `influx` shell. */
export function resultToTable(result: QueryResult): string {
  const blocks: string[] = [];
  for (const st of result.statements) {
    for (const s of st.series) blocks.push(seriesTable(s));
  }
  return blocks.length ? `${blocks.join('\n')}` : '';
}

function seriesTable(s: Series): string {
  const head: string[] = [];
  if (s.name !== '') head.push(`name: ${s.name}`);
  const tags = Object.entries(s.tags);
  if (tags.length) head.push(`tags: ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const cells = s.rows.map((r) => s.columns.map((_, i) => cellText(r[i] ?? null)));
  const widths = s.columns.map((c, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), c.length));
  const line = (parts: readonly string[]): string =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [...head, line(s.columns), line(s.columns.map((c) => '-'.repeat(c.length))), ...cells.map(line)];
  return `${lines.join('\n')}\n`;
}
