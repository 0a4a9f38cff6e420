import { escapeControls } from '../../shared/domain/format';
import { isSuccess } from '../../shared/domain/http';
import { CATALOGUE } from '../../shared/errors/catalogue';
import { splitStatements } from '../../shared/influxql/flavors';
import { cellText } from '../../shared/query/exact-json';
import { csvHeader, csvRows, resultToJson, seriesToJsonLine } from '../../shared/query/format';
import { QUERY_EPOCHS, type QueryEpoch } from '../../shared/query/query-request';
import type { Series } from '../../shared/query/result-model';
import { sendHttp } from '../services/http-client';
import { executeQueryScript } from '../services/query-script';
import { DEFAULT_QUERY_BUDGET, type QueryBudget, type QueryRowSink } from '../services/query-service';
import { executePing } from '../services/write-service';
import { AUTH_HELP, CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { type CliCommand, type CliIo, parseCommand, UsageError } from './io';
import { flavorFromAnswer, flavorHelp, flavorOption, paramsOption, STRICTEST_FLAVOR } from './options';

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
  --format F           table (default; aligned columns, a page per 1,000 rows) | csv | jsonl (a line per
                       series part: statement_id, name, tags, columns, values) | json (one document)
                       Integers beyond 2^53 stay exact. table, csv and jsonl are written as rows
                       arrive, in bounded memory, whatever the size of the answer; json keeps the whole
                       result, so it stops at 2,000,000 rows or 512 MiB unless --max-rows/--max-bytes say more
  --max-rows N         stop the result cleanly after N rows (exit 1, saying how to narrow the query)
  --max-bytes N        stop the result cleanly after N bytes of the answer
${flavorHelp('for a script of several statements, detected with GET /ping, else the strictest')}
                       3.x flavors get one request per statement
  --params JSON        bound parameters for $name placeholders, e.g. '{"host":"a"}'
${AUTH_HELP}
Exit status: 0 on success, 1 on a server or statement error (its message is printed) or a failed
connection, 2 on bad usage.
`;

const NOT_EXECUTED = CATALOGUE.find((e) => e.id === 'statement-not-executed-1x');

const FORMATS = ['table', 'csv', 'jsonl', 'json'] as const;
/** Rows per printed table page: column widths are measured per page, so memory stays bounded. */
const TABLE_PAGE_ROWS = 1000;

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
      'max-rows': { type: 'string' },
      'max-bytes': { type: 'string' },
    },
    QUERY_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const format = (values.format ?? 'table') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be table, csv, jsonl or json, not "${values.format}"`);
  const streaming = format !== 'json';
  const budget: QueryBudget = {
    maxRows: positiveOption(values['max-rows'], '--max-rows') ?? (streaming ? Infinity : DEFAULT_QUERY_BUDGET.maxRows),
    maxBytes:
      positiveOption(values['max-bytes'], '--max-bytes') ?? (streaming ? Infinity : DEFAULT_QUERY_BUDGET.maxBytes),
  };
  const epoch = (values.epoch ?? '') as QueryEpoch;
  if (values.epoch === '' || !QUERY_EPOCHS.includes(epoch))
    throw new UsageError(`--epoch must be one of h, m, s, ms, u, ns, not "${values.epoch}"`);
  const given = flavorOption(values.flavor);
  const chunkSize = values['chunk-size'] === undefined ? 0 : Number(values['chunk-size']);
  if (!Number.isInteger(chunkSize) || chunkSize < 0)
    throw new UsageError('--chunk-size must be a positive number of rows');
  const params = paramsOption(values.params) ?? {};
  if (positionals.length > 1) throw new UsageError('give the query as one argument (quote it), or on standard input');
  let q = positionals[0];
  if (q === undefined) {
    const stdin = await io.readStdin();
    if (stdin === null) throw new UsageError('no query: give QUERY or pipe it on standard input');
    q = stdin;
  }
  if (q.trim() === '') throw new UsageError('the query is empty');
  const { target, auth, token } = await connectionOptions(values, io);
  // The flavor decides only how a script of several statements is sent (one request, or one each).
  const flavor =
    given ??
    (splitStatements(q).length > 1
      ? flavorFromAnswer((await executePing(io.send ?? sendHttp, { target, auth, token })).exchange)
      : STRICTEST_FLAVOR);

  const writer = streaming ? createRowWriter(format, io) : null;
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
    budget,
    onRows: writer?.sink,
  });
  const { exchange, result } = outcome;
  if (writer) await writer.done();
  else io.stdout(`${resultToJson(result)}\n`);

  let failed = false;
  for (const st of result.statements) {
    for (const m of st.messages) io.stderr(`${escapeControls(m.level)}: ${escapeControls(m.text)}\n`);
    if (st.error !== null) {
      failed = true;
      io.stderr(`error: statement ${st.statementId + 1}: ${escapeControls(st.error)}\n`);
      // 1.6's non-chunked answer hides the real error: say what it means and how to see it.
      if (st.error === 'not executed' && NOT_EXECUTED)
        io.stderr(`  ${NOT_EXECUTED.title}\n  Cause: ${NOT_EXECUTED.cause}\n  Fix:   ${NOT_EXECUTED.fix}\n`);
    }
  }
  if (result.error !== null) {
    failed = true;
    const status = exchange.response ? `HTTP ${exchange.response.status}: ` : '';
    io.stderr(`error: ${status}${escapeControls(result.error)}\n`);
  } else if (exchange.error === null && !isSuccess(exchange)) {
    failed = true;
    io.stderr(`error: HTTP ${exchange.response?.status ?? ''}\n`);
  }
  return failed || exchange.error !== null ? 1 : 0;
};

function positiveOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${name} must be a whole number of 1 or more, not "${text}"`);
  return n;
}

/**
 * Writes rows as they arrive (csv, jsonl, table pages) and keeps none: a series split over several
 * documents continues without a new header. Each write waits for standard output to drain, which
 * holds the response (backpressure), so memory stays bounded however large the answer.
 */
function createRowWriter(format: 'table' | 'csv' | 'jsonl', io: CliIo): { sink: QueryRowSink; done(): Promise<void> } {
  let lastKey: string | null = null;
  let wrote = false;
  const sink: QueryRowSink = (part, continues) => {
    let out = '';
    let first = true;
    for (const st of part.statements) {
      for (const s of st.series) {
        const key = JSON.stringify([st.statementId, s.name, s.tags, s.columns]);
        const goesOn = first && continues && key === lastKey;
        first = false;
        lastKey = key;
        if (format === 'jsonl') {
          out += seriesToJsonLine(st.statementId, s);
        } else if (format === 'csv') {
          if (!goesOn) out += `${wrote ? '\r\n' : ''}${csvHeader(s)}`;
          out += csvRows(s);
        } else {
          for (let i = 0; i < s.rows.length || (i === 0 && !goesOn); i += TABLE_PAGE_ROWS) {
            const page = { ...s, rows: s.rows.slice(i, i + TABLE_PAGE_ROWS) };
            out += `${wrote || i > 0 || goesOn ? '\n' : ''}${seriesTable(page, !goesOn && i === 0)}`;
            wrote = true;
          }
        }
        wrote = true;
      }
    }
    if (out !== '') io.stdout(out);
    return io.drain?.();
  };
  return { sink, done: async () => io.drain?.() };
}

function seriesTable(s: Series, withName = true): string {
  const head: string[] = [];
  // The table is for a terminal: control characters in names and cells are escaped (csv/json stay exact).
  if (withName && s.name !== '') head.push(`name: ${escapeControls(s.name)}`);
  const tags = Object.entries(s.tags);
  if (withName && tags.length) head.push(`tags: ${escapeControls(tags.map(([k, v]) => `${k}=${v}`).join(', '))}`);
  const columns = s.columns.map(escapeControls);
  const cells = s.rows.map((r) => s.columns.map((_, i) => escapeControls(cellText(r[i] ?? null))));
  const widths = columns.map((c, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), c.length));
  const line = (parts: readonly string[]): string =>
    parts
      .map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [...head, line(columns), line(columns.map((c) => '-'.repeat(c.length))), ...cells.map(line)];
  return `${lines.join('\n')}\n`;
}
