import fs from 'node:fs/promises';

import { WRITE_APIS, type WriteApi } from '../../shared/domain/flavor';
import { SERVER_FLAVORS, type ServerFlavor } from '../../shared/domain/flavor';
import { formatBytes, prettyIfJson } from '../../shared/domain/format';
import { type HttpExchange, isSuccess } from '../../shared/domain/http';
import { redactText } from '../../shared/domain/redact';
import { DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { sendHttp } from '../services/http-client';
import { executePing, executeWrite } from '../services/write-service';
import { AUTH_HELP, CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { explainCommand } from './explain';
import { type CliCommand, type CliIo, parseCommand, UsageError } from './io';
import { queryCommand } from './query';
import { validateCommand } from './validate';
import { validateQueryCommand } from './validate-query';
import { formatWriteDiagnostics, type WriteDiagnostics, writeDiagnostics } from './write-diagnostics';

/**
 * `influx-workbench`: the headless CLI over the same services as the app (no transport re-implements
 * a service). Exit codes: 0 success, 1 HTTP error or failed connection, 2 bad usage.
 */

export type { CliIo } from './io';

const KNOWN_PRECISIONS = new Set([
  'n',
  'ns',
  'u',
  'us',
  'ms',
  's',
  'm',
  'h',
  'auto',
  'nanosecond',
  'microsecond',
  'millisecond',
  'second',
]);

const MAIN_HELP = `Usage: influx-workbench <command> [options]

Commands:
  write           write line protocol to InfluxDB (v1 /write, v2 /api/v2/write, v3 /api/v3/write_lp)
  ping            GET /ping and print the server's version and build
  query           run InfluxQL and print the result as a table, CSV or exact JSON
  validate        check line protocol as the target server would (streaming; for CI)
  explain         explain an InfluxDB error body (pasted, or from stdin)
  validate-query  check InfluxQL as influxd's parser would, per server flavor

Run 'influx-workbench <command> --help' for a command's options.
`;

const WRITE_HELP = `Usage: influx-workbench write --url URL --api v1|v2|v3 (--db DB [--rp RP] | --bucket B [--org O])
                             [--precision P] [auth options] [--gzip] [--json] [FILE]

Writes line protocol from FILE, or from standard input when FILE is absent. Line endings are sent as LF.

  --url URL            base URL of the server, e.g. http://127.0.0.1:8086
  --api API            v1 (/write), v2 (/api/v2/write) or v3 (/api/v3/write_lp)   (default: v1)
  --db DB              database (v1, v3)
  --rp RP              retention policy (v1)
  --bucket B           bucket (v2)
  --org O              organization (v2)
  --precision P        timestamp precision, as the endpoint names it (e.g. s, ms, u, ns; v3: auto, second…)
  --consistency C      v1 write consistency: any | one | quorum | all
  --no-accept-partial  v3: reject the whole batch on any bad line
  --no-sync            v3: acknowledge before the WAL is persisted
  --gzip               send Content-Encoding: gzip
  --flavor F           the server's flavor, to explain errors precisely (${SERVER_FLAVORS.join(' | ')})
${AUTH_HELP}
On an HTTP error the rejected lines (numbered in the body sent) and an explanation follow the body;
--json adds them as "diagnostics" and "explanation".
Exit status: 0 on 2xx, 1 on an HTTP error or a failed connection, 2 on bad usage.
`;

const PING_HELP = `Usage: influx-workbench ping --url URL [auth options] [--json]

Sends GET /ping and prints the status and the X-Influxdb-Version and X-Influxdb-Build headers.

  --url URL            base URL of the server
${AUTH_HELP}
Exit status: 0 on 2xx, 1 on an HTTP error or a failed connection, 2 on bad usage.
`;

const COMMON_OPTIONS = {
  ...CONNECTION_OPTIONS,
  json: { type: 'boolean' },
} as const;

// Commands by name. Each lives in its own module where it is more than a few lines.
const COMMANDS: Record<string, CliCommand> = {
  write: (args, io) => writeCommand(args, io),
  ping: (args, io) => pingCommand(args, io),
  query: queryCommand,
  explain: explainCommand,
  'validate-query': validateQueryCommand,
  validate: validateCommand,
};

/** Runs the CLI and returns its exit code. */
export async function runCli(io: CliIo): Promise<number> {
  const [command, ...rest] = io.argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (run) return await run(rest, io);
    throw new UsageError(`unknown command "${command}"\n\n${MAIN_HELP}`);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`influx-workbench: ${(err as Error).message}\n`);
      return 2;
    }
    io.stderr(`influx-workbench: ${redactText((err as Error).message ?? String(err))}\n`);
    return 1;
  }
}

async function writeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      ...COMMON_OPTIONS,
      api: { type: 'string' },
      db: { type: 'string' },
      rp: { type: 'string' },
      bucket: { type: 'string' },
      org: { type: 'string' },
      precision: { type: 'string' },
      consistency: { type: 'string' },
      'no-accept-partial': { type: 'boolean' },
      'no-sync': { type: 'boolean' },
      gzip: { type: 'boolean' },
      flavor: { type: 'string' },
    },
    WRITE_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const api = (values.api ?? 'v1') as WriteApi;
  if (!WRITE_APIS.includes(api)) throw new UsageError(`--api must be v1, v2 or v3, not "${values.api}"`);
  if (api === 'v2') {
    if (values.db !== undefined || values.rp !== undefined)
      throw new UsageError('--api v2 takes --bucket (and --org), not --db/--rp');
    if (!values.bucket) throw new UsageError('--api v2 needs --bucket');
  } else {
    if (values.bucket !== undefined || values.org !== undefined)
      throw new UsageError(`--api ${api} takes --db, not --bucket/--org`);
    if (!values.db) throw new UsageError(`--api ${api} needs --db`);
    if (api === 'v3' && values.rp !== undefined) throw new UsageError('--api v3 has no --rp');
  }
  if (values.precision !== undefined && !KNOWN_PRECISIONS.has(values.precision)) {
    throw new UsageError(`unknown --precision "${values.precision}"`);
  }
  const consistency = values.consistency ?? '';
  if (!['', 'any', 'one', 'quorum', 'all'].includes(consistency))
    throw new UsageError('--consistency must be any, one, quorum or all');
  if (positionals.length > 1) throw new UsageError('give at most one FILE');
  const flavor = values.flavor as ServerFlavor | undefined;
  if (flavor !== undefined && !SERVER_FLAVORS.includes(flavor))
    throw new UsageError(`--flavor must be one of ${SERVER_FLAVORS.join(', ')}`);
  const params: WriteParams = {
    ...DEFAULT_WRITE_PARAMS,
    api,
    db: values.db ?? '',
    rp: values.rp ?? '',
    bucket: values.bucket ?? '',
    org: values.org ?? '',
    precision: values.precision ?? '',
    consistency: consistency as WriteParams['consistency'],
    acceptPartial: !values['no-accept-partial'],
    noSync: values['no-sync'] === true,
    gzip: values.gzip === true,
  };
  const common = await connectionOptions(values, io);
  const body = await readBody(positionals[0], io);
  const exchange = await executeWrite(io.send ?? sendHttp, {
    target: common.target,
    params,
    auth: common.auth,
    token: common.token,
    body,
  });
  return report(exchange, values.json === true, io, null, writeDiagnostics(exchange, body, flavor));
}

async function pingCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, COMMON_OPTIONS, PING_HELP, io);
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`ping takes no arguments, got "${positionals[0]}"`);
  const common = await connectionOptions(values, io);
  const result = await executePing(io.send ?? sendHttp, {
    target: common.target,
    auth: common.auth,
    token: common.token,
  });
  return report(result.exchange, values.json === true, io, { version: result.version, build: result.build });
}

async function readBody(file: string | undefined, io: CliIo): Promise<string> {
  if (file !== undefined && file !== '-') {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const text = await io.readStdin();
  if (text === null) throw new UsageError('no line protocol: give a FILE or pipe it on standard input');
  return text;
}

function report(
  x: HttpExchange,
  json: boolean,
  io: CliIo,
  ping: { version: string | null; build: string | null } | null,
  write?: WriteDiagnostics,
): number {
  const ok = isSuccess(x);
  if (json) {
    io.stdout(
      `${JSON.stringify({
        status: x.response?.status ?? null,
        ok,
        headers: Object.fromEntries((x.response?.headers ?? []).map(([k, v]) => [k.toLowerCase(), v])),
        body: x.response?.body ?? null,
        timing: x.timing,
        request: x.request,
        ...(x.error ? { error: x.error } : {}),
        ...(x.redirects.length > 0 ? { redirects: x.redirects } : {}),
        ...(ping ?? {}),
        ...(write ? { diagnostics: write.diagnostics, explanation: write.explanation } : {}),
      })}\n`,
    );
    return ok ? 0 : 1;
  }
  if (x.response) {
    const r = x.response;
    const sizes = x.request.gzip
      ? `sent ${formatBytes(x.request.wireBytes)} (gzip of ${formatBytes(x.request.bodyBytes)})`
      : `sent ${formatBytes(x.request.wireBytes)}`;
    io.stdout(
      `HTTP ${r.status} ${r.statusText}  ${x.timing.totalMs.toFixed(1)} ms (TTFB ${x.timing.ttfbMs?.toFixed(1) ?? '-'} ms)  ${sizes}\n`,
    );
    if (ping)
      io.stdout(
        `version: ${ping.version ?? '(no X-Influxdb-Version header)'}\nbuild: ${ping.build ?? '(no X-Influxdb-Build header)'}\n`,
      );
    if (r.body !== '') io.stdout(`${prettyIfJson(r.body, r.contentType)}\n`);
    // After the raw body, never instead of it.
    if (write) io.stdout(formatWriteDiagnostics(write));
  } else if (x.error) {
    io.stderr(`error: ${x.error.message}${x.error.code ? ` (${x.error.code})` : ''}\n`);
  }
  return ok ? 0 : 1;
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
