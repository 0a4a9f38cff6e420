/**
 * Streaming validation for the CLI: feed string chunks of any size, receive entries as soon as
 * they are complete. Memory is bounded by the longest entry (plus the schema seen so far), not by
 * the input: only the unfinished tail of the last chunk is kept. Entries are split exactly as the
 * server splits the body, including quoted strings that span lines and chunk boundaries.
 */

import { BatchState } from './batch';
import { Engine, type LpOptions, PositionMapper } from './engine';
import { decodeUtf8, FAST_INCOMPLETE, type FastConfig, fastEntry, FastShape, scanEntryEndBytes } from './fast-bytes';
import { checkPrecision, type PrecisionCheck } from './precision';
import { scanEntryEnd, scannedNewlines } from './scan';
import type { Diagnostic, EntryKind, Point } from './types';

/** One entry delivered by the stream. */
export interface LpStreamEntry {
  /** 1-based physical line where the entry starts. */
  line: number;
  endLine: number;
  kind: EntryKind;
  /**
   * Where the entry is in the input, counted from the first chunk written: bytes for byte chunks,
   * UTF-16 units for string chunks. `endOffset` is the terminating `\n` (or the end of the input), so a
   * loader can send the input's own bytes between entry boundaries.
   */
  offset: number;
  endOffset: number;
  ok: boolean;
  parsed: boolean;
  diagnostics: Diagnostic[];
  /** The parsed point, when `points` was requested and the parser accepted the entry. */
  point?: Point;
}

/** Options of the streaming validator. */
export interface LpStreamOptions extends LpOptions {
  /** Attach parsed points to entries (costs allocations; the CLI's `--json` wants them). */
  points?: boolean;
  /** Hygiene hints (CRLF, tabs, look-alike characters). Default true. */
  hints?: boolean;
  /** Deliver blank and comment entries too. Default false. */
  blanks?: boolean;
  /** Longest entry kept in memory, in UTF-16 units (default 64 Mi): longer ones are reported and dropped. */
  maxEntryLength?: number;
}

/** Totals after {@link LpStream.end}. */
export interface LpStreamStats {
  lines: number;
  entries: number;
  points: number;
  errors: number;
  warnings: number;
  /** Characters (string chunks) or bytes (byte chunks) consumed. */
  chars: number;
  /** Entries the byte fast lane accepted without running the full engine. */
  fastEntries: number;
  /** Body-level diagnostics (invalid precision, empty body...). */
  diagnostics: Diagnostic[];
  /** Precision guard over a sample of the first timestamps. */
  precision: PrecisionCheck | null;
}

const TS_SAMPLE = 10_000;
/** Shapes remembered by the byte fast lane (bounded memory). */
const MAX_SHAPES = 10_000;
const NO_DIAGNOSTICS: Diagnostic[] = [];

interface ShapeRecord {
  sig: Uint8Array;
}

/** The streaming validator. Call {@link LpStream.write} per chunk and {@link LpStream.end} once. */
export class LpStream {
  private readonly engine: Engine;
  private readonly batch: BatchState;
  private readonly pm = new PositionMapper();
  private readonly onEntry: (e: LpStreamEntry) => void;
  private readonly goEscape: boolean;
  private readonly wantPoints: boolean;
  private readonly blanks: boolean;
  private readonly maxEntry: number;
  private rest = '';
  private bytesRest: Uint8Array | null = null;
  private mode: 'string' | 'bytes' | null = null;
  private readonly fast: FastConfig | null;
  private readonly shape = new FastShape();
  /** InfluxDB 3 only: tags are columns, so they belong to an entry's shape. */
  private readonly tagsInShape: boolean;
  private readonly shapes = new Map<number, ShapeRecord[]>();
  private readonly shapeList: ShapeRecord[] = [];
  private shapeCount = 0;
  private line = 1;
  /** Offset of the first unconsumed unit of the input (the start of the buffer being drained). */
  private base = 0;
  /** Offsets of the entry the exact engine is looking at. */
  private curStart = 0;
  private curEnd = 0;
  private stats = { lines: 0, entries: 0, points: 0, errors: 0, warnings: 0, chars: 0, fastEntries: 0 };
  private readonly sample: bigint[] = [];
  private ended = false;

  constructor(options: LpStreamOptions, onEntry: (e: LpStreamEntry) => void) {
    this.engine = new Engine(options);
    this.engine.hygiene = options.hints !== false;
    this.batch = new BatchState(this.engine.cfg);
    this.onEntry = onEntry;
    this.goEscape = this.engine.cfg.rules.parser === 'go';
    this.wantPoints = options.points === true;
    this.blanks = options.blanks === true;
    this.maxEntry = options.maxEntryLength ?? 64 * 1024 * 1024;
    const cfg = this.engine.cfg;
    this.tagsInShape = cfg.rules.tagFieldSameName === 'rejected';
    // The fast lane serves every flavor when no points are wanted. It only ever proves "nothing to
    // report, hints included", so it is valid with hints on or off.
    if (!this.wantPoints && cfg.precisionError === null) {
      const mult = Number(cfg.unit === 'auto' ? 0n : cfg.multiplier);
      this.fast = {
        rust: cfg.rules.parser === 'rust',
        unsigned: cfg.go.unsigned,
        multiplier: mult,
        // One second inside the guard's bounds: closer calls go to the exact engine.
        minNs: 31_536_001_000_000_000,
        maxNs: Number(cfg.guardMaxNs) - 1e9,
        maxStringBytes: Math.floor(cfg.rules.maxStringBytes / 4),
      };
      // Core's precision=auto picks the unit per timestamp: leave those bodies to the engine.
      if (cfg.unit === 'auto') this.fast = null;
    } else {
      this.fast = null;
    }
  }

  /**
   * Feeds one chunk: a string, or UTF-8 bytes (faster: the CLI reads files as bytes). All chunks
   * of one stream must be of the same kind. Complete entries are delivered before this returns.
   */
  write(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('LpStream: write after end');
    const mode = typeof chunk === 'string' ? 'string' : 'bytes';
    if (this.mode !== null && this.mode !== mode) throw new Error('LpStream: do not mix string and byte chunks');
    this.mode = mode;
    if (typeof chunk !== 'string') {
      this.writeBytes(chunk);
      return;
    }
    this.stats.chars += chunk.length;
    const buf = this.rest.length === 0 ? chunk : this.rest + chunk;
    const consumed = this.drain(buf, false);
    this.base += consumed;
    this.rest = consumed === buf.length ? '' : buf.slice(consumed);
    if (this.rest.length > this.maxEntry) this.overlong();
  }

  /** Flushes the last entry and returns the totals. */
  end(): LpStreamStats {
    if (!this.ended) {
      this.ended = true;
      if (this.rest.length > 0) this.drain(this.rest, true);
      this.rest = '';
      if (this.bytesRest !== null && this.bytesRest.length > 0) this.drainBytes(this.bytesRest, true);
      this.bytesRest = null;
    }
    const cfg = this.engine.cfg;
    const diagnostics: Diagnostic[] = [];
    if (cfg.precisionError !== null)
      diagnostics.push({
        line: 1,
        startColumn: 1,
        endColumn: 2,
        severity: 'error',
        code: 'LP400',
        message: cfg.precisionError,
      });
    else if (cfg.precisionNote !== null)
      diagnostics.push({
        line: 1,
        startColumn: 1,
        endColumn: 2,
        severity: 'warning',
        code: 'LP403',
        message: cfg.precisionNote,
      });
    if (cfg.rules.emptyBodyIsError && this.stats.entries === 0) {
      diagnostics.push({
        line: 1,
        startColumn: 1,
        endColumn: 2,
        severity: 'error',
        code: 'LP207',
        message: 'incoming write was empty',
      });
    }
    const precision = this.sample.length > 0 ? checkPrecision(this.sample, cfg.unit, cfg.nowMs) : null;
    return { ...this.stats, lines: this.line, diagnostics, precision };
  }

  private overlong(): void {
    // An entry this long is almost always an unbalanced quote swallowing the rest of the input.
    this.stats.entries++;
    this.stats.errors++;
    const length = this.bytesRest !== null ? this.bytesRest.length : this.rest.length;
    this.onEntry({
      line: this.line,
      endLine: this.line,
      kind: 'point',
      offset: this.base,
      endOffset: this.base + length,
      ok: false,
      parsed: false,
      diagnostics: [
        {
          line: this.line,
          startColumn: 1,
          endColumn: 2,
          severity: 'error',
          code: 'LP108',
          message: `entry longer than ${this.maxEntry} characters (unbalanced quotes?): not validated further`,
        },
      ],
    });
    this.base += length;
    this.rest = '';
  }

  private writeBytes(chunk: Uint8Array): void {
    this.stats.chars += chunk.length;
    const rest = this.bytesRest;
    if (rest !== null && rest.length > 0) {
      // Finish the entry cut by the previous chunk with as little copying as possible: usually it
      // ends at the first newline of this chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.keepTail(concat(rest, chunk, chunk.length), 0);
        return;
      }
      const head = concat(rest, chunk, nl + 1);
      const used = this.drainBytes(head, false);
      this.base += used;
      if (used < head.length) {
        const buf = concat(head.subarray(used), chunk.subarray(nl + 1), chunk.length - nl - 1);
        this.keepTail(buf, this.drainBytes(buf, false));
        return;
      }
      chunk = chunk.subarray(nl + 1);
    }
    this.keepTail(chunk, this.drainBytes(chunk, false));
  }

  /** Keeps the unfinished tail (a copy: the caller may reuse its chunk buffer). */
  private keepTail(buf: Uint8Array, consumed: number): void {
    this.base += consumed;
    this.bytesRest = consumed >= buf.length ? null : buf.slice(consumed);
    if (this.bytesRest !== null && this.bytesRest.length > this.maxEntry) {
      this.overlong();
      this.bytesRest = null;
    }
  }

  /** Byte-lane drain: the fast lane for unremarkable entries, the exact engine for the rest. */
  private drainBytes(b: Uint8Array, final: boolean): number {
    const len = b.length;
    const fast = this.fast;
    const shape = this.shape;
    let pos = 0;
    while (pos < len) {
      let eligible = false;
      if (fast !== null) {
        const r = fastEntry(b, pos, len, final, fast, shape);
        if (r >= 0) {
          if (this.knownShape(b)) {
            // 3.x messages number non-blank entries: keep the engine's count in step.
            this.engine.ordinal++;
            this.stats.fastEntries++;
            this.stats.entries++;
            this.stats.points++;
            this.onEntry({
              line: this.line,
              endLine: this.line,
              kind: 'point',
              offset: this.base + pos,
              endOffset: this.base + r,
              ok: true,
              parsed: true,
              diagnostics: NO_DIAGNOSTICS,
            });
            if (r < len) this.line++;
            pos = r + 1;
            continue;
          }
          eligible = true;
        } else if (r === FAST_INCOMPLETE) {
          break;
        }
      }
      const end = scanEntryEndBytes(b, pos, len, final);
      if (end < 0) break;
      let nl = 0;
      for (let k = b.indexOf(10, pos); k >= 0 && k < end; k = b.indexOf(10, k + 1)) nl++;
      const text = decodeUtf8(b, pos, end);
      this.curStart = this.base + pos;
      this.curEnd = this.base + end;
      const clean = this.one(text, 0, text.length, nl, end < len);
      if (eligible && clean && this.shapeCount < MAX_SHAPES) this.remember(b);
      pos = end + 1;
    }
    return pos > len ? len : pos;
  }

  private hashShape(b: Uint8Array): number {
    const sh = this.shape;
    let h = 0x811c9dc5;
    for (let k = sh.measStart; k < sh.measEnd; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    if (this.tagsInShape) {
      for (let t = 0; t < sh.nTags; t++) {
        h = Math.imul(h ^ 0x200, 0x01000193);
        for (let k = sh.tS[t]!; k < sh.tE[t]!; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
      }
    }
    for (let f = 0; f < sh.nFields; f++) {
      h = Math.imul(h ^ (0x100 + sh.type[f]!), 0x01000193);
      for (let k = sh.kS[f]!; k < sh.kE[f]!; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    }
    return h;
  }

  /** Whether the current shape (measurement, field keys and types) is known to add nothing. */
  private knownShape(b: Uint8Array): boolean {
    // Few shapes (the usual case): a linear scan that rejects on the first differing byte beats
    // hashing every key. Many shapes: hash first.
    const list = this.shapeCount <= 32 ? this.shapeList : this.shapes.get(this.hashShape(b));
    if (list === undefined) return false;
    const sh = this.shape;
    const ms = sh.measStart;
    const mLen = sh.measEnd - ms;
    const nF = sh.nFields;
    const nT = this.tagsInShape ? sh.nTags : 0;
    outer: for (let r = 0; r < list.length; r++) {
      const sig = list[r]!.sig;
      if (sig[0] !== mLen || sig[1] !== nF || sig[2] !== nT) continue;
      let p = 3;
      for (let k = 0; k < mLen; k++) if (sig[p++] !== b[ms + k]) continue outer;
      for (let t = 0; t < nT; t++) {
        const ts = sh.tS[t]!;
        const n = sh.tE[t]! - ts;
        if (sig[p++] !== n) continue outer;
        for (let k = 0; k < n; k++) if (sig[p++] !== b[ts + k]) continue outer;
      }
      for (let f = 0; f < nF; f++) {
        const ks = sh.kS[f]!;
        const n = sh.kE[f]! - ks;
        if (sig[p++] !== sh.type[f] || sig[p++] !== n) continue outer;
        for (let k = 0; k < n; k++) if (sig[p++] !== b[ks + k]) continue outer;
      }
      if (p === sig.length) {
        // Move to front: the next entry most likely has the same shape.
        if (r > 0 && list === this.shapeList) {
          const hit = list[r]!;
          list[r] = list[0]!;
          list[0] = hit;
        }
        return true;
      }
    }
    return false;
  }

  private remember(b: Uint8Array): void {
    const sh = this.shape;
    const mLen = sh.measEnd - sh.measStart;
    const nT = this.tagsInShape ? sh.nTags : 0;
    if (sh.nFields > 255 || mLen > 255 || nT > 255) return;
    let size = mLen + 3;
    for (let t = 0; t < nT; t++) {
      const n = sh.tE[t]! - sh.tS[t]!;
      if (n > 255) return;
      size += 1 + n;
    }
    for (let f = 0; f < sh.nFields; f++) {
      const n = sh.kE[f]! - sh.kS[f]!;
      if (n > 255) return;
      size += 2 + n;
    }
    const sig = new Uint8Array(size);
    let p = 0;
    sig[p++] = mLen;
    sig[p++] = sh.nFields;
    sig[p++] = nT;
    for (let k = sh.measStart; k < sh.measEnd; k++) sig[p++] = b[k]!;
    for (let t = 0; t < nT; t++) {
      sig[p++] = sh.tE[t]! - sh.tS[t]!;
      for (let k = sh.tS[t]!; k < sh.tE[t]!; k++) sig[p++] = b[k]!;
    }
    for (let f = 0; f < sh.nFields; f++) {
      sig[p++] = sh.type[f]!;
      sig[p++] = sh.kE[f]! - sh.kS[f]!;
      for (let k = sh.kS[f]!; k < sh.kE[f]!; k++) sig[p++] = b[k]!;
    }
    const rec = { sig };
    this.shapeList.push(rec);
    const h = this.hashShape(b);
    const list = this.shapes.get(h);
    if (list === undefined) this.shapes.set(h, [rec]);
    else list.push(rec);
    this.shapeCount++;
  }

  /**
   * Validates one entry with the exact engine and delivers it; returns true when the entry is an
   * accepted point with no diagnostic at all.
   */
  private one(buf: string, pos: number, end: number, nl: number, more: boolean): boolean {
    const engine = this.engine;
    const r = engine.run(buf, pos, end, this.line, nl, true);
    const e = r.entry;
    let clean = false;
    if (e.kind === 'point') {
      this.stats.entries++;
      if (e.parsed) {
        this.stats.points++;
        if (r.facts !== null && r.facts.length > 0) {
          this.pm.set(buf, pos, this.line);
          const extra = this.batch.apply(r.facts, this.line, engine.ordinal, this.pm);
          if (extra !== null) {
            for (const d of extra) e.diagnostics.push(d);
            e.ok = false;
          }
        }
        if (r.rawTimestamp !== null && this.sample.length < TS_SAMPLE) this.sample.push(r.rawTimestamp);
      }
      if (!e.ok) this.stats.errors++;
      const diags = e.diagnostics;
      for (let k = 0; k < diags.length; k++) if (diags[k]!.severity === 'warning') this.stats.warnings++;
      clean = e.parsed && diags.length === 0;
      const out: LpStreamEntry = {
        line: e.line,
        endLine: e.endLine,
        kind: e.kind,
        offset: this.curStart,
        endOffset: this.curEnd,
        ok: e.ok,
        parsed: e.parsed,
        diagnostics: diags,
      };
      if (this.wantPoints && e.parsed) out.point = engine.point(buf, r.timestampNs);
      this.onEntry(out);
    } else if (this.blanks) {
      this.onEntry({
        line: e.line,
        endLine: e.endLine,
        kind: e.kind,
        offset: this.curStart,
        endOffset: this.curEnd,
        ok: true,
        parsed: true,
        diagnostics: [],
      });
    }
    this.line += nl + (more ? 1 : 0);
    return clean;
  }

  /** Validates every complete entry of `buf`; returns how many characters were consumed. */
  private drain(buf: string, final: boolean): number {
    const len = buf.length;
    const goEscape = this.goEscape;
    let pos = 0;
    while (pos < len) {
      const end = scanEntryEnd(buf, pos, len, goEscape, final);
      if (end < 0) break;
      const nl = scannedNewlines;
      this.curStart = this.base + pos;
      this.curEnd = this.base + end;
      this.one(buf, pos, end, nl, end < len);
      pos = end + 1;
    }
    return pos > len ? len : pos;
  }
}

function concat(a: Uint8Array, b: Uint8Array, bLen: number): Uint8Array {
  const out = new Uint8Array(a.length + bLen);
  out.set(a, 0);
  out.set(bLen === b.length ? b : b.subarray(0, bLen), a.length);
  return out;
}

/** Creates a streaming validator that calls `onEntry` for every completed entry. */
export function createLpStream(options: LpStreamOptions, onEntry: (e: LpStreamEntry) => void): LpStream {
  return new LpStream(options, onEntry);
}
