import type { Utf8Decoder } from '../../shared/query/json-stream';

/** Node's native UTF-8 decoder over a byte range (shared/ has only a pure-JS one). */
export const decodeUtf8Native: Utf8Decoder = (bytes, start, end) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
