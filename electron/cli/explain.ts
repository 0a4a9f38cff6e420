import fs from 'node:fs/promises';

import { SERVER_FLAVORS } from '../../shared/domain/flavor';
import { decodeWriteError } from '../../shared/errors/decode';
import { explain } from '../../shared/errors/explain';
import { type CliCommand, parseCommand, UsageError } from './io';
import { flavorOption } from './options';
import { formatExplanations } from './write-diagnostics';

/**
 * `influx-workbench explain`: decodes and explains a write error body pasted from anywhere (a log,
 * a curl run, another tool). Pure over shared/errors; no network.
 */

const EXPLAIN_HELP = `Usage: influx-workbench explain [--flavor F] [--status N] [--lines FILE] [--json] [BODY]

Decodes an InfluxDB write error body and explains it: the rejected lines, the cause and the fix.
BODY is the response body (JSON or text); it is read from standard input when absent.

  --flavor F     ${SERVER_FLAVORS.join(' | ')} (the body shape decides when absent)
  --status N     the HTTP status (default 400); 401/403/413/415/422/429 change the explanation
  --lines FILE   the line protocol that was sent, to number the rejected lines
  --retry-after S  the Retry-After header of a 429
  --json         print {decoded, explanations} as JSON

Exit status: 0 when at least one explanation matched, 1 when none did, 2 on bad usage.
`;

/** The `explain` command. */
export const explainCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(
    args,
    {
      flavor: { type: 'string' },
      status: { type: 'string' },
      lines: { type: 'string' },
      'retry-after': { type: 'string' },
      json: { type: 'boolean' },
    },
    EXPLAIN_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const flavor = flavorOption(values.flavor);
  const status = values.status === undefined ? 400 : Number(values.status);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new UsageError('--status must be an HTTP status code (100-599)');
  if (positionals.length > 1)
    throw new UsageError('give the body as one argument (quote it), or pipe it on standard input');
  let body = positionals[0];
  if (body === undefined) {
    const stdin = await io.readStdin();
    if (stdin === null) throw new UsageError('no error body: give it as an argument or pipe it on standard input');
    body = stdin;
  }
  let requestBody: string | undefined;
  if (values.lines !== undefined) {
    try {
      requestBody = await fs.readFile(values.lines, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --lines ${values.lines}: ${(err as Error).message}`);
    }
  }
  const headers: Array<[string, string]> =
    values['retry-after'] !== undefined ? [['Retry-After', values['retry-after']]] : [];
  const decoded = decodeWriteError({ status, body, flavor, requestBody });
  const explanations = explain({ status, body, flavor, requestBody, headers, decoded });
  if (values.json) {
    io.stdout(`${JSON.stringify({ decoded, explanations })}\n`);
    return explanations.length > 0 ? 0 : 1;
  }
  io.stdout(`${decoded.summary}\n`);
  io.stdout(
    `shape: ${decoded.shape}${decoded.code ? `  code: ${decoded.code}` : ''}` +
      `${decoded.dropped !== undefined ? `  dropped=${decoded.dropped}` : ''}\n`,
  );
  if (decoded.lines.length > 0) {
    io.stdout('\nRejected lines:\n');
    for (const l of decoded.lines) {
      const where = l.line === null ? '  ?' : `${String(l.line).padStart(4)}`;
      io.stdout(`${where}: ${l.message}${l.text !== undefined ? `\n        ${JSON.stringify(l.text)}` : ''}\n`);
    }
  }
  if (explanations.length === 0) {
    io.stdout('\nNo explanation in the catalogue matches this error.\n');
    return 1;
  }
  io.stdout(formatExplanations(explanations));
  return 0;
};
