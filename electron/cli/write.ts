import fs from 'node:fs/promises';

import { sendHttp } from '../services/http-client';
import { executeWrite } from '../services/write-service';
import { AUTH_HELP, CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { reportExchange } from './exchange-report';
import { type CliCommand, type CliIo, parseCommand, UsageError } from './io';
import { flavorFromAnswer } from './options';
import { writeDiagnostics } from './write-diagnostics';
import { batchBytesOf, LOAD_HELP, LOAD_OPTIONS, type LoadInput, runLoadCommand, wantsLoader } from './write-file';
import {
  checkedBody,
  flavorOrDefault,
  readBodyBytes,
  WRITE_TARGET_HELP,
  WRITE_TARGET_OPTIONS,
  writeTargetFrom,
} from './write-target';

/**
 * `influx-workbench write`: sends line protocol from a file or standard input through the same write
 * service as the app, and prints the answer with the rejected lines mapped and explained.
 */

const WRITE_HELP = `Usage: influx-workbench write --url URL --api v1|v2|v3 (--db DB [--rp RP] | --bucket B [--org O])
                             [--precision P] [auth options] [--gzip] [--json] [load options] [FILE]

Writes line protocol from FILE, or from standard input when FILE is absent, byte for byte as it is
(CRLF line endings are not rewritten: 1.x then answers "invalid number"; input that is not UTF-8 is refused).
An input up to --batch-bytes (8 MiB) without load options goes as one request; anything larger, or any
load option, goes through the streaming loader below (the file's bytes are sent unchanged, in batches).

  --url URL            base URL of the server, e.g. http://127.0.0.1:8086
${WRITE_TARGET_HELP}${AUTH_HELP}  --json               print one JSON object instead of text
${LOAD_HELP}
On an HTTP error the rejected lines (numbered in the body sent) and an explanation follow the body;
--json adds them as "diagnostics" and "explanation".
Exit status: 0 on 2xx, 1 on an HTTP error or a failed connection, 2 on bad usage. With the loader:
0 when every entry was accepted (and --verify matched), 1 when anything was rejected or failed.
`;

/** The `write` command. */
export const writeCommand: CliCommand = async (args, io) => {
  const parsed = parseCommand(
    args,
    {
      ...CONNECTION_OPTIONS,
      json: { type: 'boolean' },
      ...WRITE_TARGET_OPTIONS,
      ...LOAD_OPTIONS,
    },
    WRITE_HELP,
    io,
  );
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('give at most one FILE');
  const { params, flavor } = writeTargetFrom(values);
  const common = await connectionOptions(values, io);
  const input = await loadInput(positionals[0], values, io);
  if (input !== null && input.kind !== 'small') {
    return runLoadCommand(io, values, input, { ...common, params, flavor: flavorOrDefault(flavor, params.api) });
  }
  // Sent as read, never decoded and re-encoded (input that is not UTF-8 is refused).
  const { bytes, text: body } =
    input?.kind === 'small' ? checkedBody(input.bytes, positionals[0]) : await readBodyBytes(positionals[0], io);
  const exchange = await executeWrite(io.send ?? sendHttp, {
    target: common.target,
    params,
    auth: common.auth,
    token: common.token,
    body: bytes,
  });
  return reportExchange(
    exchange,
    values.json === true,
    io,
    null,
    writeDiagnostics(exchange, body, flavor ?? flavorFromAnswer(exchange)),
  );
};

/**
 * Whether the input goes through the streaming loader: any load option, or more than one batch of
 * input. Standard input is read up to one batch to find out (and put back in front).
 */
async function loadInput(
  file: string | undefined,
  values: Parameters<typeof wantsLoader>[0],
  io: CliIo,
): Promise<LoadInput | { kind: 'small'; bytes: Uint8Array } | null> {
  const limit = batchBytesOf(values);
  const forced = wantsLoader(values);
  if (file !== undefined && file !== '-') {
    let size: number;
    try {
      const st = await fs.stat(file);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    return forced || size > limit ? { kind: 'file', path: file, size } : null;
  }
  const bytes = io.stdinBytes?.();
  if (bytes === undefined) return null;
  if (bytes === null) throw new UsageError('no line protocol: give a FILE or pipe it on standard input');
  const it = bytes[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const r = await it.next();
    if (r.done) return forced ? { kind: 'stdin', head, rest: null } : { kind: 'small', bytes: Buffer.concat(head) };
    head.push(r.value);
    size += r.value.length;
  }
  return { kind: 'stdin', head, rest: it };
}
