import { isUtf8 } from 'node:buffer';

import { createLpStream, type Flavor, type LpStream, type LpStreamEntry, PRECISION_NS } from '../../../shared/lp';
import { GUARD_BYTES } from './checkpoint';
import { type EntryLayout, scanEntry } from './entry-scan';

/**
 * Cuts a stream of line-protocol bytes into request bodies. Entries are split by shared/lp's
 * streaming validator (so a string field spanning lines is never cut) and validated with the
 * target flavor's rules on the way; each body is the input's own bytes between entry boundaries,
 * unchanged, except for timestamps added on request (`stamp`). Memory: the open batch, plus the
 * input not yet placed in a batch.
 */

/** An entry that will not be (or was not) written, with the reason in the server's or validator's words. */
export interface RejectRecord {
  /** 1-based source lines of the entry. */
  readonly line: number;
  readonly endLine: number;
  /** The entry's bytes as they are in the source (without the line terminator). */
  readonly bytes: Uint8Array;
  readonly reason: string;
}

/** One request body and what it covers in the source. */
export interface Batch {
  /** Position in source order, from 0. */
  readonly seq: number;
  /** The bytes to send. */
  readonly body: Buffer;
  /** Body offsets where each point entry starts (after the blank or comment lines before it). */
  readonly entryStarts: number[];
  /** Source lines of each point entry. */
  readonly entryLines: number[];
  readonly entryEndLines: number[];
  /** Measurement, field keys and timestamp (ns) of each entry, when counting for `--verify`. */
  readonly entryInfo: EntryInfo[] | null;
  /** Source byte range covered: everything below `sourceEnd` is in this or an earlier batch. */
  readonly sourceStart: number;
  readonly sourceEnd: number;
  /** 1-based source line at `sourceEnd`. */
  readonly endLine: number;
  /** Entries the pre-flight refused (with `onInvalid: 'skip'`). */
  readonly skipped: RejectRecord[];
  /** The up to {@link GUARD_BYTES} source bytes before `sourceEnd` (with `keepGuard`). */
  readonly guard: Uint8Array | null;
}

/** What `--verify` needs of one accepted entry. */
export interface EntryInfo {
  readonly measurement: string;
  readonly fields: readonly string[];
  /** Timestamp in ns, or null when the server assigns it. */
  readonly timeNs: bigint | null;
}

/** Options of {@link Batcher}. */
export interface BatcherOptions {
  readonly flavor: Flavor;
  readonly api: 'v1' | 'v2' | 'v3';
  /** The raw precision parameter as sent. */
  readonly precision: string;
  readonly batchLines: number;
  readonly batchBytes: number;
  readonly onInvalid: 'skip' | 'stop';
  /** Adds timestamps to entries without one: `now` at each batch, `file-start` one time for the whole load. */
  readonly stamp: 'now' | 'file-start' | null;
  /** The `file-start` time, in ns. */
  readonly fileStartNs: bigint;
  /** Wall clock in ms, for `stamp: 'now'`. */
  readonly now: () => number;
  /** Record measurement, fields and time of every entry (for `--verify`). */
  readonly collect: boolean;
  /** Look at every entry's timestamp (to warn that a resume is unsafe without them). */
  readonly detectUnstamped: boolean;
  /** Source offset and 1-based line where the input starts (a resumed load starts mid-file). */
  readonly startOffset: number;
  readonly startLine: number;
  /**
   * Keep each batch's {@link Batch.guard}: for a checkpoint of an input that cannot be read again at
   * an offset (the app's pushed bytes), seeded with `before`, the source bytes before `startOffset`.
   */
  readonly keepGuard?: { readonly before: Uint8Array };
}

/** Why the load stopped at an invalid entry (`onInvalid: 'stop'`). */
export interface InvalidStop {
  readonly line: number;
  readonly offset: number;
  readonly reason: string;
}

/** The unit multiplier (ns per unit) of the precision as the endpoint reads it. */
export function precisionMultiplier(unit: string): bigint {
  return unit === 'auto' ? 1n : (PRECISION_NS[unit as keyof typeof PRECISION_NS] ?? 1n);
}

/** Growable byte buffer for one body. */
class ByteBuilder {
  buf: Buffer;
  len = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  /** Makes room for `n` more bytes (only an entry larger than the batch limit grows the buffer). */
  reserve(n: number): void {
    const need = this.len + n;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
  }
  push(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }
  /**
   * The body. An exact-size copy when the spare room is large (batches wait in queues), and then this
   * builder is empty again and can be reused: a new 8 MiB buffer per batch costs more in garbage
   * collection than the copy.
   */
  take(): { body: Buffer; reusable: boolean } {
    if (this.len * 2 >= this.buf.length) return { body: this.buf.subarray(0, this.len), reusable: false };
    const body = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return { body, reusable: true };
  }
}

interface OpenBatch {
  body: ByteBuilder;
  entryStarts: number[];
  entryLines: number[];
  entryEndLines: number[];
  entryInfo: EntryInfo[] | null;
  sourceStart: number;
  skipped: RejectRecord[];
}

/** Feed it chunks; take finished batches from {@link Batcher.take}. */
export class Batcher {
  private readonly opts: BatcherOptions;
  private readonly stream: LpStream;
  private readonly unitNs: bigint;
  /** Input not yet placed in a batch, as received: [chunk, absolute start offset]. */
  private readonly window: Array<{ buf: Uint8Array; start: number; utf8: boolean }> = [];
  /** Absolute offset of the end of the input received so far. */
  private total: number;
  /** Next source byte not yet placed in a batch, and its line. */
  private cursor: number;
  private cursorLine: number;
  private seq = 0;
  private open: OpenBatch;
  private readonly ready: Batch[] = [];
  private stampNs: bigint | null = null;
  /** The last batch's builder, empty, when its body was copied out. */
  private spare: ByteBuilder | null = null;
  /** With `keepGuard`: the up to GUARD_BYTES source bytes just before the window's first chunk. */
  private tail: Uint8Array;
  /** Set when `onInvalid: 'stop'` met an invalid entry; later input is ignored. */
  stopped: InvalidStop | null = null;
  /** Entries without a timestamp seen (when scanning), and the first one's line. */
  unstamped = 0;
  firstUnstampedLine: number | null = null;
  /** Points and entries refused by the pre-flight. */
  points = 0;
  invalid = 0;

  constructor(opts: BatcherOptions, unit: string) {
    this.opts = opts;
    this.unitNs = precisionMultiplier(unit);
    this.total = opts.startOffset;
    this.cursor = opts.startOffset;
    this.cursorLine = opts.startLine;
    this.tail = opts.keepGuard?.before.slice(-GUARD_BYTES) ?? new Uint8Array(0);
    this.open = this.newBatch();
    this.stream = createLpStream({ flavor: opts.flavor, api: opts.api, precision: opts.precision || undefined }, (e) =>
      this.onEntry(e),
    );
  }

  /** Bytes received so far (absolute offset). */
  get received(): number {
    return this.total;
  }

  /** Feeds the next chunk of input. The chunk must not be modified afterwards. */
  write(chunk: Uint8Array): void {
    if (this.stopped !== null || chunk.length === 0) return;
    // One native check per chunk; only entries in a chunk that fails it are checked one by one (a
    // chunk may also fail only because it cuts a character in two: the entry check is exact).
    this.window.push({ buf: chunk, start: this.total, utf8: isUtf8(chunk) });
    this.total += chunk.length;
    this.stream.write(chunk);
    this.release();
  }

  /** Ends the input: the last entry (which may lack a final newline) and the open batch are flushed. */
  end(): void {
    if (this.stopped === null) {
      this.stream.end();
      // Trailing blank or comment lines travel with the last batch, so the body is the file's bytes.
      if (this.open.entryStarts.length > 0 && this.cursor < this.total) {
        this.pushRange(this.open.body, this.cursor, this.total);
        this.cursor = this.total;
      }
    }
    this.flush();
    this.window.length = 0;
  }

  /** Takes the batches finished so far, in source order. */
  take(): Batch[] {
    return this.ready.splice(0, this.ready.length);
  }

  private newBatch(): OpenBatch {
    return {
      // Sized for a full batch up front: growing by doubling would allocate (and drop) twice as much.
      body: this.spare ?? new ByteBuilder(this.opts.batchBytes + 4096),
      entryStarts: [],
      entryLines: [],
      entryEndLines: [],
      entryInfo: this.opts.collect ? [] : null,
      sourceStart: this.cursor,
      skipped: [],
    };
  }

  private flush(): void {
    const b = this.open;
    this.spare = null;
    if (b.entryStarts.length > 0 || b.skipped.length > 0) {
      const taken = b.body.take();
      if (taken.reusable) this.spare = b.body;
      this.ready.push({
        seq: this.seq++,
        body: taken.body,
        entryStarts: b.entryStarts,
        entryLines: b.entryLines,
        entryEndLines: b.entryEndLines,
        entryInfo: b.entryInfo,
        sourceStart: b.sourceStart,
        sourceEnd: this.cursor,
        endLine: this.cursorLine,
        skipped: b.skipped,
        guard: this.opts.keepGuard ? this.guardBefore(this.cursor) : null,
      });
    } else {
      b.body.len = 0;
      this.spare = b.body;
    }
    this.stampNs = null;
    this.open = this.newBatch();
  }

  /** Why an entry's bytes are not UTF-8, or null. They would be sent as they are: refused instead, like `write`. */
  private utf8Problem(s: number, en: number): string | null {
    let suspect = false;
    for (const w of this.window) {
      if (w.start >= en) break;
      if (w.start + w.buf.length > s && !w.utf8) suspect = true;
    }
    if (!suspect) return null;
    const bytes = this.copy(s, en);
    if (isUtf8(bytes)) return null;
    let i = 0;
    while (i < bytes.length && isUtf8(bytes.subarray(0, i + 1))) i++;
    // i is where a valid prefix stops; the bad byte is at or just after it.
    return (
      `LP510 not valid UTF-8 (byte 0x${(bytes[i] ?? 0).toString(16).padStart(2, '0')} at ` +
      `byte ${i + 1} of the entry): InfluxDB would store other characters than the file has; ` +
      `fix the file's encoding`
    );
  }

  private onEntry(e: LpStreamEntry): void {
    if (this.stopped !== null) return;
    const base = this.opts.startOffset;
    const s = base + e.offset;
    const en = base + e.endOffset;
    const line = this.opts.startLine + e.line - 1;
    const endLine = this.opts.startLine + e.endLine - 1;
    // The terminating newline is part of what is sent; the last entry of the input may have none.
    const stop = Math.min(en + 1, this.total);
    const encoding = this.utf8Problem(s, en);
    if (!e.ok || encoding !== null) {
      this.invalid++;
      const reason =
        encoding ??
        e.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => `${d.code} ${d.message}`)
          .join('; ');
      if (this.opts.onInvalid === 'stop') {
        this.stopped = { line, offset: s, reason };
        this.flush();
        return;
      }
      if (this.open.entryStarts.length > 0 && this.cursor < s) this.pushRange(this.open.body, this.cursor, s);
      this.open.skipped.push({ line, endLine, bytes: this.copy(s, en), reason });
      this.cursor = stop;
      this.cursorLine = stop > en ? endLine + 1 : endLine;
      return;
    }
    let layout: EntryLayout | null = null;
    let entryBytes: Uint8Array | null = null;
    const o = this.opts;
    if (o.stamp !== null || o.collect || o.detectUnstamped) {
      entryBytes = this.copy(s, en);
      layout = scanEntry(entryBytes, 0, entryBytes.length, o.collect);
      if (layout.timestamp === null) {
        this.unstamped++;
        this.firstUnstampedLine ??= line;
      }
    }
    let stampText: Buffer | null = null;
    if (layout !== null && layout.timestamp === null && o.stamp !== null) {
      stampText = Buffer.from(` ${this.stampValue()}`, 'latin1');
    }
    const b = this.open;
    const size = stop - this.cursor + (stampText?.length ?? 0);
    if (b.entryStarts.length > 0 && (b.entryStarts.length + 1 > o.batchLines || b.body.len + size > o.batchBytes)) {
      this.flush();
      if (o.stamp === 'now' && stampText !== null) stampText = Buffer.from(` ${this.stampValue()}`, 'latin1');
    }
    const open = this.open;
    if (this.cursor < s) this.pushRange(open.body, this.cursor, s);
    open.entryStarts.push(open.body.len);
    open.entryLines.push(line);
    open.entryEndLines.push(endLine);
    if (stampText !== null && layout !== null && entryBytes !== null) {
      open.body.push(entryBytes.subarray(0, layout.fieldsEnd));
      open.body.push(stampText);
      open.body.push(entryBytes.subarray(layout.fieldsEnd));
      if (stop > en) this.pushRange(open.body, en, stop);
    } else {
      this.pushRange(open.body, s, stop);
    }
    if (open.entryInfo !== null && layout !== null) {
      const ts = layout.timestamp ?? (stampText !== null ? this.stampNs! / this.unitNs : null);
      open.entryInfo.push({
        measurement: layout.measurement,
        fields: layout.fields,
        timeNs: ts === null ? null : ts * this.unitNs,
      });
    }
    this.points++;
    this.cursor = stop;
    this.cursorLine = stop > en ? endLine + 1 : endLine;
  }

  /** The timestamp added to an entry without one, in the write's precision unit. */
  private stampValue(): bigint {
    if (this.stampNs === null) {
      this.stampNs = this.opts.stamp === 'file-start' ? this.opts.fileStartNs : BigInt(this.opts.now()) * 1_000_000n;
    }
    return this.stampNs / this.unitNs;
  }

  /** Appends source bytes [a, b) from the window to a body, without an intermediate copy. */
  private pushRange(body: ByteBuilder, a: number, b: number): void {
    if (b <= a) return;
    body.reserve(b - a);
    for (const w of this.window) {
      const wEnd = w.start + w.buf.length;
      if (wEnd <= a) continue;
      if (w.start >= b) break;
      const from = Math.max(a, w.start) - w.start;
      const to = Math.min(b, wEnd) - w.start;
      copyBytes(w.buf, body.buf, body.len, from, to);
      body.len += to - from;
    }
  }

  /** Copies source bytes [a, b) out of the window. */
  private copy(a: number, b: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, b - a));
    let filled = 0;
    for (const w of this.window) {
      const wEnd = w.start + w.buf.length;
      if (wEnd <= a) continue;
      if (w.start >= b) break;
      const from = Math.max(a, w.start) - w.start;
      const to = Math.min(b, wEnd) - w.start;
      out.set(w.buf.subarray(from, to), filled);
      filled += to - from;
    }
    return out;
  }

  /** The up to GUARD_BYTES source bytes before `end` (a copy). */
  private guardBefore(end: number): Uint8Array {
    const first = this.window.length > 0 ? this.window[0]!.start : this.total;
    const from = Math.max(end - GUARD_BYTES, first - this.tail.length);
    if (from >= first) return this.copy(from, end);
    const out = new Uint8Array(end - from);
    out.set(this.tail.subarray(this.tail.length - (first - from)), 0);
    out.set(this.copy(first, end), first - from);
    return out;
  }

  /** Drops input that is entirely in batches already (keeping its last bytes when guards are kept). */
  private release(): void {
    while (this.window.length > 0) {
      const w = this.window[0]!;
      if (w.start + w.buf.length > this.cursor) break;
      this.window.shift();
      if (this.opts.keepGuard) {
        const joined = new Uint8Array(Math.min(GUARD_BYTES, this.tail.length + w.buf.length));
        const fromBuf = Math.min(w.buf.length, joined.length);
        joined.set(this.tail.subarray(this.tail.length - (joined.length - fromBuf)), 0);
        joined.set(w.buf.subarray(w.buf.length - fromBuf), joined.length - fromBuf);
        this.tail = joined;
      }
    }
  }
}

/** Copies `src[from, to)` into `dst` at `at` natively, without creating a view per call (one per entry adds up). */
const copyBytes = (src: Uint8Array, dst: Buffer, at: number, from: number, to: number): number =>
  Buffer.prototype.copy.call(src, dst, at, from, to);
