import fs from 'node:fs/promises';

import { SERVER_FLAVORS, type ServerFlavor, WRITE_APIS, type WriteApi } from '../../shared/domain/flavor';
import { CONSISTENCY_VALUES, DEFAULT_WRITE_PARAMS, type WriteParams } from '../../shared/domain/write-request';
import { knownPrecisionValues } from '../../shared/lp/flavors';
import { findInvalidUtf8, utf8ErrorMessage } from '../services/utf8';
import { type CliIo, UsageError } from './io';
import { flavorOption } from './options';

/**
 * The write target options (endpoint, database or bucket, precision, v1/v3 switches, flavor) with
 * their help and checks: one place, so `write` and `export` describe the same request the same way.
 */

/** Every value some endpoint accepts; the server itself says which its endpoint takes. */
const KNOWN_PRECISIONS = knownPrecisionValues();

/** parseArgs definitions of the write target options. */
export const WRITE_TARGET_OPTIONS = {
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
} as const;

/** Help lines of the write target options. */
export const WRITE_TARGET_HELP = `  --api API            v1 (/write), v2 (/api/v2/write) or v3 (/api/v3/write_lp)   (default: v1)
  --db DB              database (v1, v3)
  --rp RP              retention policy (v1)
  --bucket B           bucket (v2)
  --org O              organization (v2)
  --precision P        timestamp precision, as the endpoint names it (e.g. s, ms, u, ns; v3: auto, second…)
  --consistency C      v1 write consistency: ${CONSISTENCY_VALUES.filter((c) => c !== '').join(' | ')}
  --no-accept-partial  v3: reject the whole batch on any bad line
  --no-sync            v3: acknowledge before the WAL is persisted
  --gzip               send Content-Encoding: gzip
  --flavor F           the server's flavor (${SERVER_FLAVORS.join(' | ')})
                       (absent: write detects it from the answer; the loader and export go by --api)
`;

/** Parsed write target option values. */
export interface WriteTargetValues {
  api?: string;
  db?: string;
  rp?: string;
  bucket?: string;
  org?: string;
  precision?: string;
  consistency?: string;
  'no-accept-partial'?: boolean;
  'no-sync'?: boolean;
  gzip?: boolean;
  flavor?: string;
}

/** Checks the write target options; the flavor is undefined when not given. */
export function writeTargetFrom(values: WriteTargetValues): { params: WriteParams; flavor: ServerFlavor | undefined } {
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
  const flavor = flavorOption(values.flavor);
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
  return { params, flavor };
}

/** The flavor a request is for: the one given, else the one the endpoint implies. */
export function flavorOrDefault(flavor: ServerFlavor | undefined, api: WriteApi): ServerFlavor {
  return flavor ?? (api === 'v1' ? '1.x' : api === 'v2' ? '2.x' : 'core');
}

/**
 * The body's bytes, as the file or standard input holds them, refused (naming line and column) when
 * they are not UTF-8: decoding would turn such a byte into U+FFFD, a different series key from the
 * one curl sends. Returns the bytes and their text.
 */
export async function readBodyBytes(file: string | undefined, io: CliIo): Promise<{ bytes: Uint8Array; text: string }> {
  return checkedBody(await readBody(file, io), file);
}

/** {@link readBodyBytes} for bytes already read. */
export function checkedBody(bytes: Uint8Array, file: string | undefined): { bytes: Uint8Array; text: string } {
  const bad = findInvalidUtf8(bytes);
  if (bad !== null) throw new UsageError(utf8ErrorMessage(file ?? '<stdin>', bad));
  return { bytes, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
}

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
