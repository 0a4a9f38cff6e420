/**
 * The incremental validator behind the editor. The document is a list of physical lines grouped
 * into entries exactly as the server splits the body. An edit re-splits and re-validates only from
 * the entry that contains the first changed line until the new entry boundaries line up with the
 * old ones again; every other entry keeps its cached result (its diagnostics are stored relative to
 * its first line, so line shifts cost nothing).
 *
 * Cross-line rules (type conflicts, and on InfluxDB 3 the tag/field kind of a column) are kept in
 * a per-column index: for each measurement+column, the entries that write it, in document order.
 * A column's type is the type of its first occurrence, so an entry conflicts when its type differs
 * from the head of the column's list. An edit only removes and inserts the occurrences of the
 * re-validated entries (entries never change order, so the lists stay sorted through line shifts);
 * nothing is re-parsed and nothing is walked in full. Column-count and table-count limits
 * (LP302/LP303) are body-level checks left to `validateLineProtocol` and the stream.
 */

import { conflictDiagnostic } from './batch';
import { type ColumnFact, Engine, type LpOptions, PositionMapper } from './engine';
import { scanEntryEnd } from './scan';
import { type LpSummary, SummaryBuilder } from './summary';
import type { Diagnostic, LpEntry, Point } from './types';

interface CachedEntry {
  /** Index of the first physical line (0-based), kept up to date after edits. */
  first: number;
  /** Number of physical lines. */
  count: number;
  kind: LpEntry['kind'];
  parsed: boolean;
  /** Diagnostics with `line` relative to the entry's first line (0-based offset). */
  local: Diagnostic[];
  facts: ColumnFact[] | null;
  text: string;
  /** Content range within `text` (leading whitespace and a final newline excluded). */
  relStart: number;
  relEnd: number;
  /** This entry's occurrence in each column it writes (first fact per column). */
  cols: ColumnOccurrence[];
  /** Every fact with its column (a line may write one column twice: tag and field). */
  checks: { fact: ColumnFact; col: ColumnIndex }[];
  /** Memoised public entry and the state it was built for. */
  out: LpEntry | null;
  outFirst: number;
  outOrdinal: number;
  outConflicts: string;
  /** Conflict signature (empty: none) and whether it must be recomputed. */
  conflicts: string;
  dirty: boolean;
  /** The parsed point, for the summary: undefined until asked for, null when the entry is no accepted point. */
  point: Point | null | undefined;
}

interface ColumnOccurrence {
  col: ColumnIndex;
  entry: CachedEntry;
  type: number;
  fact: ColumnFact;
}

/** The entries writing one measurement+column, in document order. */
interface ColumnIndex {
  occ: ColumnOccurrence[];
}

/** Position of the first occurrence whose entry starts at or after line `first` (binary search). */
function lowerBound(occ: ColumnOccurrence[], first: number): number {
  let lo = 0;
  let hi = occ.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (occ[mid]!.entry.first < first) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An incrementally validated line-protocol document. */
export interface LpDocument {
  /**
   * Replaces the physical lines `startLine..endLine` (1-based, inclusive) with `newLines`.
   * Use `endLine = startLine - 1` to insert before `startLine`.
   */
  update(startLine: number, endLine: number, newLines: readonly string[]): void;
  /** Replaces the whole text. */
  setText(text: string): void;
  getText(): string;
  lineCount(): number;
  /** Every entry with its diagnostics (cross-line ones included), in order. Valid until the next update. */
  entries(): LpEntry[];
  /** All entry diagnostics, in order. */
  diagnostics(): Diagnostic[];
  /** The entry covering a physical line (1-based), or null for a line past the end. */
  entryAt(line: number): LpEntry | null;
  /** The parsed point of the entry covering `line`, or null when it is not an accepted point. */
  pointAt(line: number): Point | null;
  /**
   * The batch summary of the document as it is now. The first call parses each entry's point once;
   * from then on an edit builds the points of the entries it re-validates in the same pass, so
   * later summaries parse nothing.
   */
  summary(): LpSummary;
  /** Number of entries re-validated by the last update (for tests and instrumentation). */
  readonly lastRevalidated: number;
}

function shiftDiagnostic(d: Diagnostic, by: number): Diagnostic {
  const out: Diagnostic = { ...d, line: d.line + by };
  if (d.endLine !== undefined) out.endLine = d.endLine + by;
  if (d.fixes !== undefined) {
    out.fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, line: e.line + by })) }));
  }
  return out;
}

const NONE: Diagnostic[] = [];

const ORDINAL_RE = /^(error (?:parsing|writing) line )\d+( \(1-based\))|( on line )\d+( \(1-based\))$/;

class Document implements LpDocument {
  private readonly options: LpOptions;
  private readonly engine: Engine;
  private lines: string[] = [''];
  private cache: CachedEntry[] = [];
  private readonly columns = new Map<string, ColumnIndex>();
  /** Entries that may have diagnostics (local ones, conflicts, or not judged yet). */
  private readonly problems = new Set<CachedEntry>();
  /** Columns touched by the current update, with their head before it. */
  private readonly touched = new Map<ColumnIndex, ColumnOccurrence | undefined>();
  private readonly pm = new PositionMapper();
  private memo: LpEntry[] | null = null;
  private memoDiagnostics: Diagnostic[] | null = null;
  /** Set by the first summary(): validation then keeps each entry's point. */
  private keepPoints = false;
  lastRevalidated = 0;

  constructor(options: LpOptions, text: string) {
    this.options = options;
    this.engine = new Engine(options);
    this.setText(text);
  }

  setText(text: string): void {
    this.lines = text.split('\n');
    this.cache = [];
    this.columns.clear();
    this.problems.clear();
    this.lastRevalidated = this.resplit(0, 0, 0, 0);
    this.memo = null;
    this.memoDiagnostics = null;
  }

  getText(): string {
    return this.lines.join('\n');
  }

  lineCount(): number {
    return this.lines.length;
  }

  update(startLine: number, endLine: number, newLines: readonly string[]): void {
    const a = Math.max(0, startLine - 1);
    const b = Math.min(this.lines.length, Math.max(a, endLine)); // exclusive, 0-based
    this.lines.splice(a, b - a, ...newLines);
    if (this.lines.length === 0) this.lines = [''];
    const delta = newLines.length - (b - a);
    // The first entry to redo: the one containing line a (or the one before, whose split may
    // depend on what follows it only at the end of the body).
    let ei = this.entryIndexAt(a);
    if (ei > 0 && ei >= this.cache.length - 1) ei--;
    if (ei < 0) ei = Math.max(0, this.cache.length - 1);
    this.lastRevalidated = this.resplit(ei, a + newLines.length, b, delta);
  }

  /** Binary search: index of the cached entry containing 0-based line `l` (-1 when none). */
  private entryIndexAt(l: number): number {
    let lo = 0;
    let hi = this.cache.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.cache[mid]!;
      if (l < e.first) hi = mid - 1;
      else if (l >= e.first + e.count) lo = mid + 1;
      else return mid;
    }
    return lo < this.cache.length ? lo : this.cache.length - 1;
  }

  /**
   * Re-splits from cached entry `ei` until a new entry starts at an old entry start that lies at or
   * after `editEndNew` (new line numbering; `editEndOld` is the same point in old numbering).
   */
  private resplit(ei: number, editEndNew: number, editEndOld: number, delta: number): number {
    const old = this.cache;
    const startLine = ei < old.length ? old[ei]!.first : 0;
    // Old entries after the edit are walked in step with the new ones (both in increasing line
    // order) to find where the boundaries line up again.
    let ok = ei;
    const fresh: CachedEntry[] = [];
    const lines = this.lines;
    let l = startLine;
    let redone = 0;
    let resumeAt = -1;
    while (l < lines.length) {
      // After a final newline there is no entry (the server's loop stops at the end of the body).
      if (l === lines.length - 1 && l > 0 && lines[l] === '') break;
      if (l >= editEndNew && l > startLine) {
        while (ok < old.length && (old[ok]!.first < editEndOld || old[ok]!.first + delta < l)) ok++;
        if (ok < old.length - 1 && old[ok]!.first + delta === l) {
          resumeAt = ok;
          break;
        }
      }
      // Grow the candidate text line by line until the splitter finds the entry's end.
      let count = 1;
      let text = lines[l]!;
      for (;;) {
        const isLast = l + count >= lines.length;
        const end = scanEntryEnd(text, 0, text.length, this.engine.cfg.rules.parser === 'go', isLast);
        if (end >= 0 && (end < text.length || isLast)) {
          if (end < text.length) {
            // The entry ended inside the text: only possible at a newline we appended.
            const keep = text.slice(0, end);
            count = keep.split('\n').length;
            text = keep;
          }
          break;
        }
        text += '\n' + lines[l + count]!;
        count++;
      }
      fresh.push(this.validate(text, l, count));
      redone++;
      l += count;
    }
    const removed = old.slice(ei, resumeAt >= 0 ? resumeAt : old.length);
    // Index maintenance, in this order: remove (old numbering everywhere), shift, insert.
    for (const e of removed) {
      this.unindex(e);
      this.problems.delete(e);
    }
    // Replace the removed entries in place; the tail stays where it is and only shifts.
    const removedCount = removed.length;
    if (fresh.length <= 4096) {
      old.splice(ei, removedCount, ...fresh);
    } else {
      // Too many to pass as arguments (engines cap argument counts): rebuild the array instead.
      const rebuilt = old.slice(0, ei);
      for (let k = 0; k < fresh.length; k++) rebuilt.push(fresh[k]!);
      for (let k = ei + removedCount; k < old.length; k++) rebuilt.push(old[k]!);
      old.length = 0;
      for (let k = 0; k < rebuilt.length; k++) old.push(rebuilt[k]!);
    }
    if (resumeAt >= 0 && delta !== 0) {
      for (let k = ei + fresh.length; k < old.length; k++) old[k]!.first += delta;
    }
    this.cache = old;
    // A resumed tail may end with what is now the empty line after the final newline: no entry.
    const lastEntry = this.cache[this.cache.length - 1];
    let dropped: CachedEntry | null = null;
    if (
      lastEntry !== undefined &&
      lastEntry.first === lines.length - 1 &&
      lastEntry.first > 0 &&
      lines[lastEntry.first] === ''
    ) {
      dropped = this.cache.pop()!;
      this.unindex(dropped);
      this.problems.delete(dropped);
    }
    for (const e of fresh) {
      if (e === dropped) continue;
      this.index(e);
      if (e.kind === 'point') this.problems.add(e);
    }
    // A column whose first occurrence changed re-judges every entry that writes it.
    for (const [col, before] of this.touched) {
      const now = col.occ[0];
      if (now === before && (now === undefined || before === undefined || now.type === before.type)) continue;
      for (const o of col.occ) {
        o.entry.dirty = true;
        this.problems.add(o.entry);
      }
    }
    this.touched.clear();
    this.memo = null;
    this.memoDiagnostics = null;
    return redone;
  }

  private validate(text: string, first: number, count: number): CachedEntry {
    const r = this.engine.run(text, 0, text.length, 1, count - 1, true);
    const local = r.entry.diagnostics.map((d) => shiftDiagnostic(d, -1));
    // Built from the run just made (the engine still holds its scan): no second parse.
    const point = !this.keepPoints
      ? undefined
      : r.entry.kind === 'point' && r.entry.parsed
        ? this.engine.point(text, r.timestampNs)
        : null;
    return {
      first,
      count,
      kind: r.entry.kind,
      parsed: r.entry.parsed,
      local,
      facts: r.facts,
      text,
      relStart: r.entry.start,
      relEnd: r.entry.end,
      cols: [],
      checks: [],
      out: null,
      outFirst: -1,
      outOrdinal: -1,
      outConflicts: '',
      conflicts: '',
      dirty: true,
      point,
    };
  }

  /** Adds an accepted entry's columns to the index (first fact per column, as the server applies them). */
  private index(e: CachedEntry): void {
    if (e.kind !== 'point' || !e.parsed || e.facts === null) return;
    const seen: string[] = [];
    for (const fact of e.facts) {
      const key = `${fact.measurement}\u0000${fact.column}`;
      let col = this.columns.get(key);
      if (col === undefined) {
        col = { occ: [] };
        this.columns.set(key, col);
      }
      e.checks.push({ fact, col });
      if (seen.includes(key)) continue;
      seen.push(key);
      if (!this.touched.has(col)) this.touched.set(col, col.occ[0]);
      const o: ColumnOccurrence = { col, entry: e, type: fact.type, fact };
      col.occ.splice(lowerBound(col.occ, e.first), 0, o);
      e.cols.push(o);
    }
  }

  private unindex(e: CachedEntry): void {
    for (const o of e.cols) {
      if (!this.touched.has(o.col)) this.touched.set(o.col, o.col.occ[0]);
      const occ = o.col.occ;
      let k = lowerBound(occ, e.first);
      while (k < occ.length && occ[k] !== o) k++;
      if (k < occ.length) occ.splice(k, 1);
    }
    e.cols = [];
    e.checks = [];
  }

  /** Recomputes an entry's conflict signature when its columns' heads may have changed. */
  private judge(e: CachedEntry): string {
    // Entries with conflicts are re-judged every time: their message cites the head's line, which moves.
    if (e.dirty || e.conflicts !== '') {
      let sig = '';
      for (const c of e.checks) {
        const head = c.col.occ[0]!;
        if (head.entry !== e && head.type !== c.fact.type) sig += `${c.fact.start}:${head.type}:${head.entry.first};`;
      }
      e.conflicts = sig;
      e.dirty = false;
    }
    return e.conflicts;
  }

  /** The entry's diagnostics in document coordinates (memoised). */
  private entryDiagnostics(e: CachedEntry, ordinal: number): Diagnostic[] {
    const conflicts = this.judge(e);
    if (e.local.length === 0 && conflicts === '') return NONE;
    // IOx messages carry the entry's ordinal.
    const ord = this.engine.cfg.rules.engine === 'iox' ? ordinal : 0;
    if (e.out !== null && e.outFirst === e.first && e.outOrdinal === ord && e.outConflicts === conflicts)
      return e.out.diagnostics;
    const diagnostics: Diagnostic[] = [];
    for (const d of e.local) diagnostics.push(this.rebase(d, e.first, ord));
    if (conflicts !== '') {
      this.pm.set(e.text, 0, e.first + 1);
      for (const c of e.checks) {
        const head = c.col.occ[0]!;
        if (head.entry === e || head.type === c.fact.type) continue;
        diagnostics.push(
          conflictDiagnostic(this.engine.cfg, this.pm, c.fact, head.type, head.entry.first + 1, ordinal),
        );
      }
    }
    const ok = diagnostics.every((d) => d.severity !== 'error');
    e.out = {
      line: e.first + 1,
      endLine: e.first + e.count,
      kind: e.kind,
      ok,
      parsed: e.parsed,
      start: 0,
      end: 0,
      diagnostics,
    };
    e.outFirst = e.first;
    e.outOrdinal = ord;
    e.outConflicts = conflicts;
    return diagnostics;
  }

  entries(): LpEntry[] {
    if (this.memo !== null) return this.memo;
    const cache = this.cache;
    const out: LpEntry[] = new Array<LpEntry>(cache.length);
    let ordinal = 0;
    let offset = 0;
    for (let k = 0; k < cache.length; k++) {
      const e = cache[k]!;
      if (e.kind === 'point') ordinal++;
      const diagnostics = this.entryDiagnostics(e, ordinal);
      let entry = e.out;
      if (entry === null || (diagnostics === NONE && entry.diagnostics !== NONE)) {
        entry = { line: 0, endLine: 0, kind: e.kind, ok: true, parsed: e.parsed, start: 0, end: 0, diagnostics: NONE };
        e.out = entry;
        e.outConflicts = '';
        e.outFirst = -1;
      }
      // Coordinates move with every edit above: entries are views of the document as of the last update.
      entry.line = e.first + 1;
      entry.endLine = e.first + e.count;
      entry.start = offset + e.relStart;
      entry.end = offset + e.relEnd;
      out[k] = entry;
      offset += e.text.length + 1;
    }
    this.memo = out;
    return out;
  }

  diagnostics(): Diagnostic[] {
    if (this.memoDiagnostics !== null) return this.memoDiagnostics;
    // Only entries that may have something to say are visited (not the whole document).
    const list: CachedEntry[] = [];
    for (const e of this.problems) {
      this.judge(e);
      if (e.local.length === 0 && e.conflicts === '') this.problems.delete(e);
      else list.push(e);
    }
    list.sort((a, b) => a.first - b.first);
    const ordinals = this.engine.cfg.rules.engine === 'iox' && list.length > 0 ? this.ordinalsOf(list) : null;
    const out: Diagnostic[] = [];
    for (let k = 0; k < list.length; k++) {
      const ds = this.entryDiagnostics(list[k]!, ordinals === null ? 0 : ordinals[k]!);
      for (let j = 0; j < ds.length; j++) out.push(ds[j]!);
    }
    this.memoDiagnostics = out;
    return out;
  }

  private rebase(d: Diagnostic, first: number, ordinal: number): Diagnostic {
    const out = shiftDiagnostic(d, first + 1);
    if (ordinal > 0 && ORDINAL_RE.test(out.message)) {
      out.message = out.message.replace(ORDINAL_RE, (_m, a?: string, b?: string, c?: string, e?: string) =>
        a !== undefined ? `${a}${ordinal}${b ?? ''}` : `${c ?? ''}${ordinal}${e ?? ''}`,
      );
    }
    return out;
  }

  /** 3.x line numbers (non-blank entries counted) of sorted entries; one walk over the document. */
  private ordinalsOf(sorted: CachedEntry[]): number[] {
    const out: number[] = [];
    let ordinal = 0;
    let k = 0;
    for (const e of this.cache) {
      if (e.kind === 'point') ordinal++;
      while (k < sorted.length && sorted[k] === e) {
        out.push(ordinal);
        k++;
      }
      if (k >= sorted.length) break;
    }
    return out;
  }

  entryAt(line: number): LpEntry | null {
    const k = this.entryIndexAt(line - 1);
    const e = this.cache[k];
    if (e === undefined || line - 1 < e.first || line - 1 >= e.first + e.count) return null;
    return this.entries()[k] ?? null;
  }

  summary(): LpSummary {
    this.keepPoints = true;
    const builder = new SummaryBuilder();
    const entries = this.entries();
    for (let k = 0; k < this.cache.length; k++) {
      const e = this.cache[k]!;
      if (e.kind !== 'point') continue;
      if (e.point === undefined) e.point = e.parsed ? this.parsePoint(e) : null;
      if (e.point !== null) builder.addPoint(e.point);
      if (!entries[k]!.ok) builder.addError();
    }
    return builder.finish(this.lines.length);
  }

  private parsePoint(e: CachedEntry): Point | null {
    const engine = new Engine(this.options);
    const r = engine.run(e.text, 0, e.text.length, 1, e.count - 1, false);
    return r.entry.parsed ? engine.point(e.text, r.timestampNs) : null;
  }

  pointAt(line: number): Point | null {
    const k = this.entryIndexAt(line - 1);
    const e = this.cache[k];
    if (e === undefined || e.kind !== 'point' || !e.parsed) return null;
    return e.point ?? this.parsePoint(e);
  }
}

/** Creates an incrementally validated document for the editor. */
export function createLpDocument(options: LpOptions, text = ''): LpDocument {
  return new Document(options, text);
}
