/**
 * The sandbox's write-ahead log, as InfluxDB 3 has one: a write is acknowledged once its record is
 * appended here and fdatasync'ed (one write and one sync per request); its rows reach DuckDB afterwards,
 * in groups of requests (store.ts), and a start replays the records DuckDB has not applied. A record is
 * the request body as received plus what converts it again to the same rows: precision, receive time,
 * limits and the numbers of the lines that were rejected.
 *
 * Files: `<folder>/wal/<first seq, 20 digits>.wal`. Frame: magic, header length, body length, CRC-32 of
 * header and body (u32 LE each), then the JSON header and the body. A torn last record (a crash during
 * the append, so never acknowledged) is cut off; a damaged record anywhere else stops the start with a
 * message naming the file.
 */

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface WalHeader {
  seq: number;
  db: string;
  core: boolean;
  /** ns per unit as a decimal string, or 'auto' */
  precision: string;
  /** the receive time (ns) the rows were converted with */
  nowNs: string;
  maxTables: number;
  maxColumns: number;
  /** line numbers (1-based, as reported) that were rejected: replay skips them */
  rejected: number[];
}

export interface WalRecord {
  header: WalHeader;
  body: Buffer;
}

export class WalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WalError';
  }
}

const MAGIC = 0x4c415749; // "IWAL"
const FRAME = 16;
/** A segment closes past this size; closed segments are deleted once DuckDB holds all their records. */
const SEGMENT_BYTES = 64 * 1024 * 1024;

function segmentName(seq: number): string {
  return String(seq).padStart(20, '0') + '.wal';
}

/** Opens (or creates, durably) a segment for positional writes. */
function openSegment(folder: string, seq: number): number {
  const file = path.join(folder, segmentName(seq));
  const existed = fs.existsSync(file);
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  if (!existed) {
    try {
      const dfd = fs.openSync(folder, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      // Directory fsync is not supported everywhere (Windows).
    }
  }
  return fd;
}

function writev(fd: number, buffers: Buffer[], position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.writev(fd, buffers, position, (err) => (err ? reject(err) : resolve()));
  });
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export class WriteLog {
  private constructor(
    private readonly folder: string,
    /** first seq of each segment on disk, oldest first; the last one is open for appends */
    private readonly segments: number[],
    private fd: number,
    private size: number,
    private nextSeq: number,
  ) {}

  /**
   * Opens the log in `folder` (created when missing) and returns the records it holds, oldest first.
   * `appliedSeq`: the newest seq DuckDB holds; new records are numbered after it and after every record.
   */
  static open(folder: string, appliedSeq: number): { log: WriteLog; records: WalRecord[] } {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const starts = fs
      .readdirSync(folder)
      .filter((f) => /^\d{20}\.wal$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    const records: WalRecord[] = [];
    let lastSize = 0;
    for (let s = 0; s < starts.length; s++) {
      const file = path.join(folder, segmentName(starts[s]!));
      const last = s === starts.length - 1;
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        throw new WalError(`cannot read the sandbox write-ahead log ${file}: ${(err as Error).message}`);
      }
      const { good, torn, damaged } = readFrames(bytes, records);
      if (damaged || (torn && !last)) {
        throw new WalError(
          `the sandbox write-ahead log ${file} is damaged at byte ${good}. It was left unchanged: move the data ` +
            'folder away to start an empty sandbox, or delete that file to drop the writes it holds.',
        );
      }
      // The last record of the newest segment was cut by a crash during its append: never acknowledged.
      if (torn) fs.truncateSync(file, good);
      if (last) lastSize = good;
    }
    const newest = records.length > 0 ? records[records.length - 1]!.header.seq : 0;
    const nextSeq = Math.max(newest, appliedSeq) + 1;
    if (starts.length === 0) starts.push(nextSeq);
    const fd = openSegment(folder, starts[starts.length - 1]!);
    return { log: new WriteLog(folder, starts, fd, lastSize, nextSeq), records };
  }

  /** Appends one record and syncs it to disk; resolves with its seq once it is durable. */
  async append(header: Omit<WalHeader, 'seq'>, body: Buffer): Promise<number> {
    if (this.size >= SEGMENT_BYTES) this.rotate();
    const seq = this.nextSeq++;
    const head = Buffer.from(JSON.stringify({ ...header, seq }), 'utf8');
    const frame = Buffer.allocUnsafe(FRAME);
    frame.writeUInt32LE(MAGIC, 0);
    frame.writeUInt32LE(head.length, 4);
    frame.writeUInt32LE(body.length, 8);
    frame.writeUInt32LE(zlib.crc32(body, zlib.crc32(head)), 12);
    try {
      await writev(this.fd, [frame, head, body], this.size);
      await fdatasync(this.fd);
    } catch (err) {
      // Cut what a failed append left, so the log stays a run of whole records.
      fs.ftruncateSync(this.fd, this.size);
      throw err;
    }
    this.size += FRAME + head.length + body.length;
    return seq;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    this.segments.push(this.nextSeq);
    this.fd = openSegment(this.folder, this.nextSeq);
    this.size = 0;
  }

  /** DuckDB holds every record up to `appliedSeq`: deletes the closed segments that hold nothing newer. */
  release(appliedSeq: number): void {
    while (this.segments.length > 1 && this.segments[1]! - 1 <= appliedSeq) {
      fs.rmSync(path.join(this.folder, segmentName(this.segments.shift()!)), { force: true });
    }
  }

  /** Closes the log; when DuckDB holds every record, the files go too (the next start has nothing to replay). */
  close(appliedSeq: number | null): void {
    fs.closeSync(this.fd);
    if (appliedSeq !== null && appliedSeq >= this.nextSeq - 1) {
      for (const s of this.segments) fs.rmSync(path.join(this.folder, segmentName(s)), { force: true });
    }
  }
}

/**
 * Decodes the frames of one segment into `out`. `good` is where the last whole record ends; `torn` says
 * that what follows is one unfinished append (cut short, zero-filled, or its last record's checksum is
 * wrong), which a crash leaves and which was never acknowledged. Anything else is damage.
 */
function readFrames(bytes: Buffer, out: WalRecord[]): { good: number; torn: boolean; damaged: boolean } {
  let at = 0;
  while (at < bytes.length) {
    const rest = bytes.length - at;
    if (rest < FRAME) return { good: at, torn: true, damaged: false };
    if (bytes.readUInt32LE(at) !== MAGIC) {
      const zeros = bytes.subarray(at).every((b) => b === 0);
      return { good: at, torn: zeros, damaged: !zeros };
    }
    const headLen = bytes.readUInt32LE(at + 4);
    const bodyLen = bytes.readUInt32LE(at + 8);
    const end = at + FRAME + headLen + bodyLen;
    if (end > bytes.length) return { good: at, torn: true, damaged: false };
    const head = bytes.subarray(at + FRAME, at + FRAME + headLen);
    const body = bytes.subarray(at + FRAME + headLen, end);
    if (zlib.crc32(body, zlib.crc32(head)) !== bytes.readUInt32LE(at + 12)) {
      const final = end === bytes.length;
      return { good: at, torn: final, damaged: !final };
    }
    let header: WalHeader;
    try {
      header = JSON.parse(head.toString('utf8')) as WalHeader;
    } catch {
      return { good: at, torn: false, damaged: true };
    }
    out.push({ header, body });
    at = end;
  }
  return { good: at, torn: false, damaged: false };
}
