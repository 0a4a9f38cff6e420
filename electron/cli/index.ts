import { redactText } from '../../shared/domain/redact';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { type CliCommand, type CliIo, UsageError } from './io';
import { pingCommand } from './ping';
import { queryCommand } from './query';
import { validateCommand } from './validate';
import { validateQueryCommand } from './validate-query';
import { writeCommand } from './write';

/**
 * `influx-workbench`: the headless CLI over the same services as the app (no transport re-implements
 * a service). Exit codes: 0 success, 1 HTTP error or failed connection, 2 bad usage.
 */

export type { CliIo } from './io';

const MAIN_HELP = `Usage: influx-workbench <command> [options]

Commands:
  write           write line protocol to InfluxDB (v1 /write, v2 /api/v2/write, v3 /api/v3/write_lp)
  ping            GET /ping and print the server's version and build
  query           run InfluxQL and print the result as a table, CSV or exact JSON
  validate        check line protocol as the target server would (streaming; for CI)
  explain         explain an InfluxDB error body (pasted, or from stdin)
  validate-query  check InfluxQL as influxd's parser would, per server flavor
  export          print the "Copy as" snippet (curl, Telegraf, client libraries…) for a write
  sandbox         run the local InfluxDB 3 sandbox (Cloud Dedicated or Core behaviour), manage its databases and tokens

Run 'influx-workbench <command> --help' for a command's options.
`;

// Commands by name, each in its own module.
const COMMANDS: Record<string, CliCommand> = {
  write: writeCommand,
  ping: pingCommand,
  query: queryCommand,
  explain: explainCommand,
  'validate-query': validateQueryCommand,
  validate: validateCommand,
  export: exportCommand,
  // Loaded on use: it brings the native DuckDB module, which the other commands do not need.
  sandbox: async (args, io) => (await import('../sandbox/cli')).sandboxCommand(args, io),
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

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
