/**
 * A byte-level look at one entry the validator already accepted: where its measurement, field keys
 * and timestamp are. The loader needs only this (to stamp entries without a timestamp and to count
 * what `--verify` should find), and the validator's fast lane does not keep it, so this second pass
 * runs only when stamping or verifying.
 */

/** What {@link scanEntry} found; offsets are absolute into the scanned buffer. */
export interface EntryLayout {
  /** Measurement name, unescaped. */
  readonly measurement: string;
  /** Field keys, unescaped (only when asked for). */
  readonly fields: readonly string[];
  /** Where the field set ends: a timestamp is inserted here, before any trailing whitespace. */
  readonly fieldsEnd: number;
  /** The timestamp's digits, or null when the entry has none. */
  readonly timestamp: bigint | null;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const COMMA = 44;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Scans the valid entry `b[start, end)`. With `wantFields` false the field keys are skipped without
 * being decoded (stamping needs only where the timestamp goes).
 */
export function scanEntry(b: Uint8Array, start: number, end: number, wantFields: boolean): EntryLayout {
  let i = start;
  while (i < end && (b[i] === SPACE || b[i] === TAB || b[i] === 0)) i++;
  const ms = i;
  while (i < end) {
    const c = b[i]!;
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === COMMA || c === SPACE) break;
    i++;
  }
  const measurement = unescape(b, ms, Math.min(i, end));
  // Tags: up to the first unescaped space.
  while (i < end && b[i] !== SPACE) i += b[i] === BACKSLASH ? 2 : 1;
  while (i < end && b[i] === SPACE) i++;
  const fields: string[] = [];
  for (;;) {
    const ks = i;
    while (i < end && b[i] !== EQUALS) i += b[i] === BACKSLASH ? 2 : 1;
    if (wantFields) fields.push(unescape(b, ks, Math.min(i, end)));
    i++;
    if (i < end && b[i] === QUOTE) {
      i++;
      while (i < end && b[i] !== QUOTE) i += b[i] === BACKSLASH ? 2 : 1;
      i++;
    } else {
      while (i < end && b[i] !== COMMA && b[i] !== SPACE && b[i] !== CR && b[i] !== TAB) i++;
    }
    if (i < end && b[i] === COMMA) {
      i++;
      continue;
    }
    break;
  }
  const fieldsEnd = Math.min(i, end);
  while (i < end && (b[i] === SPACE || b[i] === TAB)) i++;
  const ts = i;
  while (i < end && b[i] !== SPACE && b[i] !== CR && b[i] !== TAB) i++;
  let timestamp: bigint | null = null;
  if (i > ts) {
    try {
      timestamp = BigInt(Buffer.from(b.buffer, b.byteOffset + ts, i - ts).toString('latin1'));
    } catch {
      timestamp = null;
    }
  }
  return { measurement, fields, fieldsEnd, timestamp };
}

function unescape(b: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(b.buffer, b.byteOffset + start, Math.max(0, end - start)).toString('utf8');
  return raw.includes('\\') ? raw.replace(/\\([ ,=])/g, '$1') : raw;
}
