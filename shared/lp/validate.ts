/**
 * One-shot validation of a whole line-protocol body, as the target flavor would judge it, plus the
 * single-entry parser used for hovers and exports.
 */

import { BatchState } from './batch';
import { Engine, type LpOptions, makeDiagnostic, PositionMapper } from './engine';
import { scanEntryEnd, scannedNewlines } from './scan';
import { type LpSummary, SummaryBuilder } from './summary';
import type { Diagnostic, LpEntry, Point } from './types';

export type { LpOptions } from './engine';

/** Result of {@link validateLineProtocol}. */
export interface LpValidation {
  /** Every entry, blank and comment lines included, in order. */
  entries: LpEntry[];
  /** All diagnostics (entry diagnostics plus body-level ones), sorted by position. */
  diagnostics: Diagnostic[];
  summary: LpSummary;
  /** Accepted points in order, when `collectPoints` was set. */
  points?: Point[];
}

/** Extra options of the one-shot validator. */
export interface ValidateOptions extends LpOptions {
  /** Produce hygiene hints (CRLF, tabs, look-alike characters...). Default true. */
  hints?: boolean;
  /** Also return every accepted point (for exports and tests). */
  collectPoints?: boolean;
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.startColumn - b.startColumn;
}

/**
 * Validates a whole body. Diagnostics carry the flavor's own wording where the reference gives it;
 * see `codes.ts` for the code scheme.
 */
export function validateLineProtocol(text: string, options: ValidateOptions): LpValidation {
  const engine = new Engine(options);
  engine.hygiene = options.hints !== false;
  const cfg = engine.cfg;
  const rules = cfg.rules;
  const batch = new BatchState(cfg);
  const summary = new SummaryBuilder();
  const entries: LpEntry[] = [];
  const body: Diagnostic[] = [];
  const pm = new PositionMapper();
  const goEscape = rules.parser === 'go';
  const len = text.length;
  const timestamps: bigint[] = [];
  const tsEntries: { entry: LpEntry; start: number; end: number; blockStart: number }[] = [];
  const tagLines = new Map<string, number>();
  const points: Point[] | undefined = options.collectPoints === true ? [] : undefined;

  let pos = 0;
  let line = 1;
  while (pos < len) {
    const end = scanEntryEnd(text, pos, len, goEscape, true);
    const nl = scannedNewlines;
    const r = engine.run(text, pos, end, line, nl, true);
    const e = r.entry;
    entries.push(e);
    if (e.kind === 'point') {
      if (e.parsed && r.facts !== null) {
        pm.set(text, pos, line);
        const extra = batch.apply(r.facts, line, engine.ordinal, pm);
        if (extra !== null) {
          e.diagnostics.push(...extra);
          e.ok = false;
        }
      }
      if (e.parsed) {
        const p = engine.point(text, r.timestampNs);
        summary.addPoint(p);
        points?.push(p);
        for (const [k] of p.tags) {
          const id = `${p.measurement}\u0000${k}`;
          if (!tagLines.has(id)) tagLines.set(id, line);
        }
        if (r.rawTimestamp !== null && engine.scan.tsStart >= 0) {
          timestamps.push(r.rawTimestamp);
          tsEntries.push({ entry: e, start: engine.scan.tsStart, end: engine.scan.tsEnd, blockStart: pos });
        }
      }
      if (!e.ok) summary.addError();
    }
    line += nl + (end < len ? 1 : 0);
    pos = end + 1;
  }
  const physicalLines = countNewlines(text) + 1;

  // Body-level rules.
  if (cfg.precisionError !== null) {
    body.push({ line: 1, startColumn: 1, endColumn: 2, severity: 'error', code: 'LP400', message: cfg.precisionError });
  } else if (cfg.precisionNote !== null) {
    body.push({
      line: 1,
      startColumn: 1,
      endColumn: 2,
      severity: 'warning',
      code: 'LP403',
      message: cfg.precisionNote,
    });
  }
  const hasPoint = entries.some((e) => e.kind === 'point');
  if (rules.emptyBodyIsError && !hasPoint) {
    body.push({
      line: 1,
      startColumn: 1,
      endColumn: 2,
      severity: 'error',
      code: 'LP207',
      message: 'incoming write was empty',
    });
  }
  if (rules.maxBodyBytes !== null && len > rules.maxBodyBytes / 3) {
    let bytes = 0;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
    }
    if (bytes > rules.maxBodyBytes) {
      body.push({
        line: 1,
        startColumn: 1,
        endColumn: 2,
        severity: 'error',
        code: 'LP304',
        message: `request body is ${bytes} bytes; ${rules.label} accepts at most ${rules.maxBodyBytes} by default (413)`,
      });
    }
  }
  if (rules.engine === 'core' && cfg.unit === 'auto' && timestamps.length > 1) {
    // Mixed magnitudes under `auto` are read in different units: point it out.
    const units = new Set(timestamps.map((t) => autoUnit(t)));
    if (units.size > 1) {
      const first = autoUnit(timestamps[0]!);
      for (let i = 0; i < tsEntries.length; i++) {
        const u = autoUnit(timestamps[i]!);
        if (u === first) continue;
        const t = tsEntries[i]!;
        pm.set(text, t.blockStart, t.entry.line);
        t.entry.diagnostics.push(
          makeDiagnostic(
            pm,
            t.start,
            t.end,
            'info',
            'LP402',
            `precision=auto reads this timestamp as ${u}, the first one as ${first}`,
          ),
        );
      }
    }
  }
  const result = summary.finish(physicalLines);
  for (const w of result.highCardinality) {
    const l = tagLines.get(`${w.measurement}\u0000${w.tagKey}`) ?? 1;
    const lineText = nthLine(text, l);
    const col = lineText.indexOf(`,${w.tagKey}=`);
    body.push({
      line: l,
      startColumn: col >= 0 ? col + 2 : 1,
      endColumn: col >= 0 ? col + 2 + w.tagKey.length : 2,
      severity: 'warning',
      code: 'LP600',
      message: w.message,
    });
  }

  const diagnostics: Diagnostic[] = [...body];
  for (const e of entries) for (const d of e.diagnostics) diagnostics.push(d);
  diagnostics.sort(compareDiagnostics);
  return points === undefined
    ? { entries, diagnostics, summary: result }
    : { entries, diagnostics, summary: result, points };
}

function autoUnit(t: bigint): string {
  const a = t < 0n ? -t : t;
  return a < 5_000_000_000n ? 's' : a < 5_000_000_000_000n ? 'ms' : a < 5_000_000_000_000_000n ? 'us' : 'ns';
}

function nthLine(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl);
}

/**
 * Parses one entry (a logical line) into the point the flavor would store, or returns null when
 * the flavor's parser refuses it (see {@link parseLpEntry} for the reason).
 */
export function parseLpPoint(entryText: string, options: LpOptions): Point | null {
  return parseLpEntry(entryText, options).point;
}

/** Parses one entry and returns the point (or null) together with the entry's diagnostics. */
export function parseLpEntry(entryText: string, options: LpOptions): { point: Point | null; entry: LpEntry } {
  const engine = new Engine(options);
  const r = engine.run(entryText, 0, entryText.length, 1, countNewlines(entryText), false);
  const point = r.entry.kind === 'point' && r.entry.parsed ? engine.point(entryText, r.timestampNs) : null;
  return { point, entry: r.entry };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
