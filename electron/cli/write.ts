import fs from 'node:fs/promises';

import { SERVER_FLAVORS, type ServerFlavor, WRITE_APIS, type WriteApi } from '../../shared/domain/flavor';
import { CONSISTENCY_VALUES, DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { knownPrecisionValues } from '../../shared/lp/flavors';
import { sendHttp } from '../services/http-client';
import { findInvalidUtf8, utf8ErrorMessage } from '../services/utf8';
import { executeWrite } from '../services/write-service';
import { AUTH_HELP, CONNECTION_OPTIONS, connectionOptions } from './connection-options';
import { reportExchange } from './exchange-report';
import { type CliCommand, type CliIo, parseCommand, UsageError } from './io';
import { writeDiagnostics } from './write-diagnostics';
import { batchBytesOf, LOAD_HELP, LOAD_OPTIONS, type LoadInput, runLoadCommand, wantsLoader } from './write-file';

/**
 * `influx-workbench write`: sends line protocol from a file or standard input through the same write
 * service as the app, and prints the answer with the rejected lines mapped and explained.
 */

/** Every value some endpoint accepts; the server itself says which its endpoint takes. */
const KNOWN_PRECISIONS = knownPrecisionValues();

const WRITE_HELP = `Usage: influx-workbench write --url URL --api v1|v2|v3 (--db DB [--rp RP] | --bucket B [--org O])
                             [--precision P] [auth options] [--gzip] [--json] [load options] [FILE]

Writes line protocol from FILE, or from standard input when FILE is absent, byte for byte as it is
(CRLF line endings are not rewritten: 1.x then answers "invalid number"; input that is not UTF-8 is refused).
An input up to --batch-bytes (8 MiB) without load options goes as one request; anything larger, or any
load option, goes through the streaming loader below (the file's bytes are sent unchanged, in batches).

  --url URL            base URL of the server, e.g. http://127.0.0.1:8086
  --api API            v1 (/write), v2 (/api/v2/write) or v3 (/api/v3/write_lp)   (default: v1)
  --db DB              database (v1, v3)
  --rp RP              retention policy (v1)
  --bucket B           bucket (v2)
  --org O              organization (v2)
  --precision P        timestamp precision, as the endpoint names it (e.g. s, ms, u, ns; v3: auto, second…)
  --consistency C      v1 write consistency: ${CONSISTENCY_VALUES.filter((c) => c !== '').join(' | ')}
  --no-accept-partial  v3: reject the whole batch on any bad line
  --no-sync            v3: acknowledge before the WAL is persisted
  --gzip               send Content-Encoding: gzip
  --flavor F           the server's flavor, to explain errors precisely (${SERVER_FLAVORS.join(' | ')})
${AUTH_HELP}
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
      ...LOAD_OPTIONS,
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
  const consistency = (values.consistency ?? '') as WriteParams['consistency'];
  if (!CONSISTENCY_VALUES.includes(consistency))
    throw new UsageError(`--consistency must be ${CONSISTENCY_VALUES.filter((c) => c !== '').join(', ')}`);
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
    consistency,
    acceptPartial: !values['no-accept-partial'],
    noSync: values['no-sync'] === true,
    gzip: values.gzip === true,
  };
  const common = await connectionOptions(values, io);
  const input = await loadInput(positionals[0], values, io);
  if (input !== null && input.kind !== 'small') {
    const defaultFlavor = api === 'v1' ? '1.x' : api === 'v2' ? '2.x' : 'core';
    return runLoadCommand(io, values, input, { ...common, params, flavor: flavor ?? defaultFlavor });
  }
  const bytes = input?.kind === 'small' ? input.bytes : await readBody(positionals[0], io);
  // Sent as read, never decoded and re-encoded: a byte that is not UTF-8 would become U+FFFD (a
  // different series key from the one curl sends), so such input is refused, naming where it is.
  const bad = findInvalidUtf8(bytes);
  if (bad !== null) throw new UsageError(utf8ErrorMessage(positionals[0] ?? '<stdin>', bad));
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const exchange = await executeWrite(io.send ?? sendHttp, {
    target: common.target,
    params,
    auth: common.auth,
    token: common.token,
    body: bytes,
  });
  return reportExchange(exchange, values.json === true, io, null, writeDiagnostics(exchange, body, flavor));
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

/** The body's bytes, as the file or standard input holds them. */
async function readBody(file: string | undefined, io: CliIo): Promise<Uint8Array> {
  if (file !== undefined && file !== '-') {
    try {
      return await fs.readFile(file);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const stream = io.stdinBytes?.();
  if (stream) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const text = stream === undefined ? await io.readStdin() : null;
  if (text === null) throw new UsageError('no line protocol: give a FILE or pipe it on standard input');
  return Buffer.from(text, 'utf8');
}
