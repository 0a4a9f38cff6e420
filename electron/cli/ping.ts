import { sendHttp } from '../services/http-client';
import { executePing } from '../services/write-service';
import { AUTH_HELP, CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { reportExchange } from './exchange-report';
import { type CliCommand, parseCommand, UsageError } from './io';

/** `influx-workbench ping`: GET /ping and the server's version and build headers. */

const PING_HELP = `Usage: influx-workbench ping --url URL [auth options] [--json]

Sends GET /ping and prints the status and the X-Influxdb-Version and X-Influxdb-Build headers.

  --url URL            base URL of the server
${AUTH_HELP}  --json               print one JSON object instead of text
Exit status: 0 on 2xx, 1 on an HTTP error or a failed connection, 2 on bad usage.
`;

/** The `ping` command. */
export const pingCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(args, { ...CONNECTION_OPTIONS, json: { type: 'boolean' } }, PING_HELP, io);
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`ping takes no arguments, got "${positionals[0]}"`);
  const common = await connectionOptions(values, io);
  const result = await executePing(io.send ?? sendHttp, {
    target: common.target,
    auth: common.auth,
    token: common.token,
  });
  return reportExchange(result.exchange, values.json === true, io, { version: result.version, build: result.build });
};
