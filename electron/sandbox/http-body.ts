/**
 * Request-body transport rules shared by the sandbox routes (spec §3): the size limit while reading
 * and after gunzip, `Content-Encoding`, and UTF-8 with Rust's `Utf8Error` text.
 */

import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; kind: 'too-large' }
  | { ok: false; kind: 'encoding'; encoding: string }
  | { ok: false; kind: 'gzip'; message: string };

/** Reads the whole body, stopping (and draining) as soon as it exceeds `limit` bytes. */
export async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (over) continue;
    size += chunk.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  return over ? null : Buffer.concat(chunks, size);
}

/** Reads and decodes a request body (identity or gzip). */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const encoding = (req.headers['content-encoding'] ?? '').trim();
  const gzip = encoding.toLowerCase() === 'gzip';
  if (encoding !== '' && !gzip && encoding.toLowerCase() !== 'identity') {
    req.resume();
    return { ok: false, kind: 'encoding', encoding };
  }
  const raw = await readLimited(req, limit);
  if (!raw) return { ok: false, kind: 'too-large' };
  if (!gzip) return { ok: true, bytes: raw };
  try {
    const bytes = zlib.gunzipSync(raw, { maxOutputLength: limit + 1 });
    if (bytes.length > limit) return { ok: false, kind: 'too-large' };
    return { ok: true, bytes };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, kind: 'too-large' };
    return { ok: false, kind: 'gzip', message: e.message };
  }
}

/**
 * The position of the first invalid UTF-8 sequence with Rust's `Utf8Error` Display, or null when
 * `b` is valid UTF-8: `invalid utf-8 sequence of N bytes from index I` or
 * `incomplete utf-8 byte sequence from index I`.
 */
export function utf8Problem(b: Uint8Array): string | null {
  // The native check first: the byte walk below only runs to word the error.
  if (isUtf8(b)) return null;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return `invalid utf-8 sequence of 1 bytes from index ${i}`;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return `incomplete utf-8 byte sequence from index ${i}`;
      const d = b[i + k]!;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (d < min || d > max) return `invalid utf-8 sequence of ${k} bytes from index ${i}`;
    }
    i += need + 1;
  }
  return null;
}
