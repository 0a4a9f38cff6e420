/**
 * The validation engine shared by the one-shot validator, the incremental document and the
 * streaming validator: it runs the flavor's parser port over one entry, applies the in-line flavor
 * rules and the hygiene checks, and produces diagnostics with Monaco positions. Cross-line rules
 * live in {@link BatchState} so each front end can drive them its own way.
 */

import {
  autoPrecisionUnit,
  type Flavor,
  FLAVOR_RULES,
  type FlavorRules,
  PRECISION_NS,
  type PrecisionUnit,
  resolvePrecision,
  type WriteApi,
} from './flavors';
import {
  goFieldValue,
  type GoParseOptions,
  goTimestampNs,
  goUnescapeFieldKey,
  goUnescapeMeasurement,
  goUnescapeTag,
  parseGoBlock,
} from './parse-go';
import { parseRustBlock, rustFieldValue, type RustParseOptions, rustUnescapeIdent } from './parse-rust';
import { checkPrecision } from './precision';
import { EntryScan, FIELD_TYPE_NAMES, hasBackslash, T_STRING, utf8Length } from './scan';
import type { Diagnostic, EntryKind, FieldType, LpEntry, Point, QuickFix, Severity } from './types';

/** Options shared by every validator front end. */
export interface LpOptions {
  flavor: Flavor;
  /** The raw `?precision=` value that will be sent (absent: the endpoint's default). */
  precision?: string;
  /** The write endpoint family (absent: the flavor's usual one). */
  api?: WriteApi;
  /** 1.x only: the server was built with unsigned-integer support (release builds are not). */
  unsigned?: boolean;
  /** Reference time for the precision guard, in ms since the epoch (default: the current time). */
  now?: number;
}

/** A column fact of one accepted entry, used by the cross-line rules. */
export interface ColumnFact {
  /** Unescaped measurement name. */
  measurement: string;
  /** Unescaped column name. */
  column: string;
  /** Field type index (0-4) or {@link KIND_TAG} for a tag column. */
  type: number;
  /** Column range as absolute offsets into the validated string. */
  start: number;
  end: number;
}

/** Column type used for tags in the cross-line index (3.x: a column is a tag or a typed field). */
export const KIND_TAG = 5;

/** Local result of one entry: the public entry plus the facts for batch rules. */
export interface EngineEntry {
  entry: LpEntry;
  facts: ColumnFact[] | null;
  /** Timestamp in ns of an accepted entry (null: none or not accepted). */
  timestampNs: bigint | null;
  /** Raw timestamp as written (before precision scaling), for the precision guard. */
  rawTimestamp: bigint | null;
}

/** 1971-01-01 in ns: earlier timestamps fail the precision guard. */
const GUARD_MIN_NS = 31_536_000_000_000_000n;

/** IOx column type name of a field type index or {@link KIND_TAG}. */
export function ioxColumnType(t: number): string {
  return t === KIND_TAG ? 'iox::column_type::tag' : `iox::column_type::field::${IOX_TYPES[t] ?? 'float'}`;
}

const IOX_TYPES = ['float', 'integer', 'uinteger', 'string', 'boolean'] as const;

/** Resolved settings of one validator run. */
export class EngineConfig {
  readonly rules: FlavorRules;
  readonly api: WriteApi;
  readonly unit: PrecisionUnit;
  readonly multiplier: bigint;
  readonly precisionError: string | null;
  readonly precisionNote: string | null;
  readonly go: GoParseOptions;
  readonly rust: RustParseOptions;
  readonly nowMs: number;
  readonly rawPrecision: string | undefined;
  /** Upper bound of the precision guard: now + 1 year, in ns. */
  readonly guardMaxNs: bigint;

  constructor(opts: LpOptions) {
    this.rules = FLAVOR_RULES[opts.flavor];
    this.api = opts.api ?? this.rules.defaultApi;
    this.rawPrecision = opts.precision;
    const res = resolvePrecision(opts.flavor, this.api, opts.precision);
    if (res.ok) {
      this.unit = res.unit;
      this.precisionError = null;
      this.precisionNote = res.note ?? null;
    } else {
      this.unit = 'ns';
      this.precisionError = res.message;
      this.precisionNote = null;
    }
    this.multiplier = this.unit === 'auto' ? 1n : PRECISION_NS[this.unit];
    const unsigned = opts.flavor === '1.x' ? opts.unsigned === true : this.rules.unsigned;
    // Go's range check runs with the real multiplier; for Core's `auto` the unit is chosen per line.
    this.go = { unsigned, reservedTagKeys: this.rules.parserReservedTagKeys, multiplier: this.multiplier };
    this.rust = { maxStringBytes: this.rules.maxStringBytes };
    this.nowMs = opts.now ?? Date.now();
    this.guardMaxNs = BigInt(Math.trunc(this.nowMs)) * 1_000_000n + 31_557_600_000_000_000n;
  }

  /** Nanoseconds per unit for one raw timestamp (resolves Core's `auto`). */
  multiplierFor(raw: bigint): bigint {
    return this.unit === 'auto' ? PRECISION_NS[autoPrecisionUnit(raw)] : this.multiplier;
  }
}

/** Converts entry-relative offsets into Monaco positions. */
export class PositionMapper {
  private s = '';

  /** The string positions refer to. */
  get text(): string {
    return this.s;
  }

  private base = 0;
  private line = 1;

  set(s: string, blockStart: number, line: number): void {
    this.s = s;
    this.base = blockStart;
    this.line = line;
  }

  /** Line and column of absolute offset `off` (which must be at or after the block start). */
  pos(off: number): { line: number; column: number } {
    let line = this.line;
    let ls = this.base;
    for (;;) {
      const nl = this.s.indexOf('\n', ls);
      if (nl < 0 || nl >= off) break;
      line++;
      ls = nl + 1;
    }
    return { line, column: off - ls + 1 };
  }
}

/** Builds a diagnostic over absolute offsets `[a, b)` (clipped to one line for the end column). */
export function makeDiagnostic(
  pm: PositionMapper,
  a: number,
  b: number,
  severity: Severity,
  code: string,
  message: string,
  fixes?: QuickFix[],
): Diagnostic {
  // Never let a range run over the newline that ends the entry: an error "at the end of the line"
  // becomes an empty range there, the same whether or not the text continues.
  const s = pm.text;
  if (b <= a) b = a + 1;
  while (b > a + 1 && s.charCodeAt(b - 1) === 10) b--;
  if (b === a + 1 && (a >= s.length || s.charCodeAt(a) === 10)) b = a;
  const p = pm.pos(a);
  const q = b === a ? p : pm.pos(b);
  const d: Diagnostic = { line: p.line, startColumn: p.column, endColumn: q.column, severity, code, message };
  if (q.line !== p.line) d.endLine = q.line;
  if (fixes !== undefined && fixes.length > 0) d.fixes = fixes;
  return d;
}

/** A single-line replacement fix over absolute offsets; null when the range spans lines. */
function replaceFix(
  pm: PositionMapper,
  a: number,
  b: number,
  text: string,
  title: string,
  isSafe: boolean,
): QuickFix | null {
  const p = pm.pos(a);
  const q = pm.pos(b);
  if (p.line !== q.line) return null;
  return { title, isSafe, edits: [{ line: p.line, startColumn: p.column, endColumn: q.column, text }] };
}

function pushFix(list: QuickFix[], f: QuickFix | null): void {
  if (f !== null) list.push(f);
}

// Characters that look like something they are not, or that servers read differently than
// humans do. One global regex finds them all in a single native pass.
const TRAP_RE = /[\t\r\0\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff\u2018\u2019\u201c\u201d]|\\\\/g;

/** The per-entry validator. */
export class Engine {
  readonly cfg: EngineConfig;
  readonly scan = new EntryScan();
  readonly pm = new PositionMapper();
  /** Ordinal of accepted-or-failed non-blank entries, as the 3.x servers number lines. */
  ordinal = 0;
  /** Whether hygiene hints are produced (the CLI may turn them off for speed). */
  hygiene = true;
  private trapSrc: string | null = null;
  private trapFrom = 0;
  private trapNext = -1;

  constructor(opts: LpOptions) {
    this.cfg = new EngineConfig(opts);
  }

  /**
   * Validates the block `s[blockStart, blockEnd)` which starts on physical line `line`.
   * `lines` is the number of newlines inside the block (for `endLine`).
   */
  run(s: string, blockStart: number, blockEnd: number, line: number, lines: number, wantFacts: boolean): EngineEntry {
    const cfg = this.cfg;
    const sc = this.scan;
    const rules = cfg.rules;
    const ok =
      rules.parser === 'go'
        ? parseGoBlock(s, blockStart, blockEnd, cfg.go, sc)
        : parseRustBlock(s, blockStart, blockEnd, cfg.rust, sc);
    const kind: EntryKind = sc.kind;
    const diagnostics: Diagnostic[] = [];
    const entry: LpEntry = {
      line,
      endLine: line + lines,
      kind,
      ok: true,
      parsed: ok,
      start: sc.start,
      end: sc.end,
      diagnostics,
    };
    const result: EngineEntry = { entry, facts: null, timestampNs: null, rawTimestamp: null };
    if (kind !== 'point') {
      entry.parsed = true;
      return result;
    }
    this.ordinal++;
    this.pm.set(s, blockStart, line);
    if (!ok) {
      diagnostics.push(this.parseDiagnostic(s));
    } else {
      this.inlineRules(s, diagnostics, result, wantFacts);
    }
    if (this.hygiene) this.traps(s, blockStart, blockEnd, ok, diagnostics);
    for (const d of diagnostics) if (d.severity === 'error') entry.ok = false;
    return result;
  }

  private entryText(s: string): string {
    return s.slice(this.scan.start, this.scan.end);
  }

  private serverMessage(s: string, reason: string, stage: 'parse' | 'write'): string {
    const rules = this.cfg.rules;
    if (rules.parser === 'go') return stage === 'parse' ? `unable to parse '${this.entryText(s)}': ${reason}` : reason;
    if (rules.engine === 'iox')
      return `error ${stage === 'parse' ? 'parsing' : 'writing'} line ${this.ordinal} (1-based): ${reason}`;
    return reason;
  }

  private parseDiagnostic(s: string): Diagnostic {
    const sc = this.scan;
    const pm = this.pm;
    const fixes: QuickFix[] = [];
    const code = sc.errCode;
    const a = sc.errStart;
    const b = Math.min(Math.max(sc.errEnd, a + 1), Math.max(sc.end, a + 1));
    switch (code) {
      case 'LP104':
        // `=` inside a tag value (Go): escape it.
        for (let k = a; k < b; k++) {
          if (s.charCodeAt(k) === 61 && s.charCodeAt(k - 1) !== 92) {
            pushFix(fixes, replaceFix(pm, k, k + 1, '\\=', 'Escape the equals sign in the tag value', true));
            break;
          }
        }
        break;
      case 'LP109':
      case 'LP101':
      case 'LP114':
        this.spaceFixes(s, fixes);
        break;
      case 'LP112': {
        // An unquoted word where a field value belongs: quote it.
        const word = s.slice(a, b);
        if (word.length > 0 && !/^[tTfF]/.test(word)) {
          pushFix(
            fixes,
            replaceFix(pm, a, b, `"${word.replace(/["\\]/g, '\\$&')}"`, `Quote the string value "${word}"`, false),
          );
        } else if (word.length > 0) {
          pushFix(
            fixes,
            replaceFix(pm, a, b, `"${word.replace(/["\\]/g, '\\$&')}"`, `Quote "${word}" as a string`, false),
          );
        }
        break;
      }
      case 'LP110': {
        const tok = s.slice(a, b);
        if (/^-?\d+\.\d*i$|^-?\d*\.\d+i$|^-?\d+(?:\.\d+)?[eE][+-]?\d+i$/.test(tok)) {
          pushFix(fixes, replaceFix(pm, b - 1, b, '', 'Remove the i suffix (write a float)', false));
        }
        if (/^[A-Za-z_][\w.-]*$/.test(tok) && !/^(nan|inf)/i.test(tok)) {
          pushFix(fixes, replaceFix(pm, a, b, `"${tok}"`, `Quote the string value "${tok}"`, false));
        }
        break;
      }
      case 'LP122':
        pushFix(fixes, replaceFix(pm, b - 1, b, 'i', 'Write a signed integer (replace u with i)', false));
        break;
      case 'LP103': {
        // Empty tag value: drop the tag (1.x docs: omit it).
        const ks = a;
        let ve = ks;
        while (ve < sc.end && s.charCodeAt(ve) !== 61) ve++;
        const after = s.charCodeAt(ve + 1);
        if (s.charCodeAt(ks - 1) === 44 && (after === 44 || after === 32)) {
          pushFix(fixes, replaceFix(pm, ks - 1, ve + 1, '', 'Remove the tag with the empty value', false));
        }
        break;
      }
    }
    return makeDiagnostic(pm, a, b, 'error', code, this.serverMessage(s, sc.errReason, 'parse'), fixes);
  }

  /**
   * When a name contains an unescaped space, the servers read the rest as the field set. Offer to
   * escape the first unescaped space whose following token has no `=` (it cannot be a field).
   */
  private spaceFixes(s: string, fixes: QuickFix[]): void {
    const sc = this.scan;
    let i = sc.start;
    const end = sc.end;
    let spaces = 0;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 34) return; // strings make the guess unreliable
      if (c === 32) {
        spaces++;
        let j = i + 1;
        let eq = false;
        while (j < end && s.charCodeAt(j) !== 32) {
          if (s.charCodeAt(j) === 61) eq = true;
          if (s.charCodeAt(j) === 92) j++;
          j++;
        }
        if (!eq && j < end && j > i + 1) {
          pushFix(
            fixes,
            replaceFix(
              this.pm,
              i,
              i + 1,
              '\\ ',
              `Escape the space before "${s.slice(i + 1, Math.min(j, i + 21))}"`,
              false,
            ),
          );
          return;
        }
        if (spaces >= 2) return;
      }
      i++;
    }
  }

  private unescapedMeasurement(s: string): string {
    const sc = this.scan;
    const raw = s.slice(sc.measStart, sc.measEnd);
    return this.cfg.rules.parser === 'go'
      ? goUnescapeMeasurement(raw)
      : rustUnescapeIdent(s, sc.measStart, sc.measEnd, true);
  }

  private tagKey(s: string, j: number): string {
    const sc = this.scan;
    const a = sc.tagKS[j]!;
    const b = sc.tagKE[j]!;
    if (!hasBackslash(s, a, b)) return s.slice(a, b);
    return this.cfg.rules.parser === 'go' ? goUnescapeTag(s.slice(a, b)) : rustUnescapeIdent(s, a, b, false);
  }

  private fieldKey(s: string, j: number): string {
    const sc = this.scan;
    const a = sc.fKS[j]!;
    const b = sc.fKE[j]!;
    if (!hasBackslash(s, a, b)) return s.slice(a, b);
    return this.cfg.rules.parser === 'go' ? goUnescapeFieldKey(s.slice(a, b)) : rustUnescapeIdent(s, a, b, false);
  }

  /** Schema rules that need only the one accepted line. */
  private inlineRules(s: string, out: Diagnostic[], result: EngineEntry, wantFacts: boolean): void {
    const sc = this.scan;
    const cfg = this.cfg;
    const rules = cfg.rules;
    const pm = this.pm;
    const nT = sc.nTags;
    const nF = sc.nFields;
    const meas = this.unescapedMeasurement(s);
    const tagKeys: string[] = [];
    for (let j = 0; j < nT; j++) tagKeys.push(this.tagKey(s, j));
    const fieldKeys: string[] = [];
    for (let j = 0; j < nF; j++) fieldKeys.push(this.fieldKey(s, j));

    // Where each key first appears: maps, so a line of 50,000 fields costs linear time, not quadratic.
    const firstTag = firstIndexes(tagKeys);
    const firstField = firstIndexes(fieldKeys);

    // Duplicate tags (the Go parser already refused them).
    if (rules.parser === 'rust' && nT > 1) {
      for (let j = 1; j < nT; j++) {
        const k = tagKeys[j]!;
        if (firstTag.get(k)! < j) {
          const iox = rules.duplicateTags === 'rejected';
          out.push(
            makeDiagnostic(
              pm,
              sc.tagKS[j]!,
              sc.tagVE[j]!,
              iox ? 'error' : 'warning',
              'LP200',
              iox
                ? this.serverMessage(s, `the tag '${k}' is specified more than once with conflicting values`, 'write')
                : `tag '${k}' is given twice: InfluxDB 3 Core has no check for this (behaviour not determined); remove one`,
              [removeListItemFix(pm, s, sc.tagKS[j]!, sc.tagVE[j]!, `Remove the duplicate tag '${k}'`)].filter(isFix),
            ),
          );
        }
      }
    }

    // Duplicate fields.
    for (let j = 1; j < nF; j++) {
      const k = fieldKeys[j]!;
      const first = firstField.get(k)!;
      if (first >= j) continue;
      const t0 = sc.fType[first]!;
      const t1 = sc.fType[j]!;
      const fix = removeListItemFix(
        pm,
        s,
        sc.fKS[first]!,
        sc.fVE[first]!,
        `Remove the earlier '${k}' (keep the last value)`,
      );
      const fixes = fix === null ? undefined : [fix];
      let severity: Severity;
      let msg: string;
      if (rules.duplicateFields === 'rejected') {
        severity = 'error';
        msg = this.serverMessage(s, `invalid line protocol - multiple instances of '${k}' field found`, 'write');
      } else if (t0 !== t1) {
        severity = 'error';
        msg =
          rules.engine === 'iox'
            ? this.serverMessage(s, `the field '${k}' is specified more than once with conflicting types`, 'write')
            : `field type conflict: duplicate field key "${k}" with types ${FIELD_TYPE_NAMES[t0]} ` +
              `and ${FIELD_TYPE_NAMES[t1]}: influxd rejects the point`;
      } else {
        severity = rules.engine === 'iox' ? 'info' : 'warning';
        msg = `duplicate field key "${k}": the last value wins`;
      }
      out.push(makeDiagnostic(pm, sc.fKS[j]!, sc.fVE[j]!, severity, 'LP201', msg, fixes));
    }

    // A tag and a field with the same name (3.x: one column cannot be both).
    if (rules.tagFieldSameName === 'rejected' && nT > 0) {
      for (let j = 0; j < nF; j++) {
        const k = fieldKeys[j]!;
        if (!firstTag.has(k)) continue;
        const t = sc.fType[j]!;
        const msg =
          rules.engine === 'iox'
            ? this.serverMessage(
                s,
                `Unable to insert ${ioxColumnType(t)} type into column ${k} with type iox::column_type::tag`,
                'write',
              )
            : `invalid column type for column '${k}', expected iox::column_type::tag, got ${ioxColumnType(t)}`;
        let n = 2;
        const taken = (name: string): boolean => firstTag.has(name) || firstField.has(name);
        while (taken(`${k}_${n}`)) n++;
        const rename = taken(`${k}_field`) ? `${k}_${n}` : `${k}_field`;
        const fix = replaceFix(pm, sc.fKS[j]!, sc.fKE[j]!, escapeKey(rename), `Rename the field to '${rename}'`, false);
        out.push(makeDiagnostic(pm, sc.fKS[j]!, sc.fKE[j]!, 'error', 'LP202', msg, fix === null ? undefined : [fix]));
      }
    }

    // The reserved key `time`.
    for (let j = 0; j < nT; j++) {
      if (tagKeys[j] !== 'time' || rules.timeTag === 'parse-error') continue;
      const msg =
        rules.engine === 'tsm'
          ? `partial write: invalid tag key: input tag "time" on measurement "${meas}" is invalid dropped=1`
          : rules.engine === 'iox'
            ? this.serverMessage(s, `input tag "time" on measurement "${meas}" is invalid`, 'write')
            : `'time' is a reserved column`;
      out.push(makeDiagnostic(pm, sc.tagKS[j]!, sc.tagKE[j]!, 'error', 'LP203', msg));
    }
    const onlyTime = firstField.size === 1 && firstField.has('time');
    for (let j = 0; j < nF; j++) {
      if (fieldKeys[j] !== 'time') continue;
      const only = onlyTime;
      let severity: Severity = 'warning';
      let msg = `invalid field name: input field "time" on measurement "${meas}" is invalid. Field "time" has been stripped from point.`;
      if (rules.timeField === 'rejected') {
        severity = 'error';
        msg = `'time' is a reserved column`;
      } else if (only) {
        severity = 'error';
        msg =
          rules.engine === 'tsm'
            ? `partial write: invalid field name: input field "time" on measurement "${meas}" is invalid dropped=1`
            : this.serverMessage(
                s,
                `invalid field name: input field "time" on measurement "${meas}" is invalid`,
                'write',
              );
      }
      out.push(makeDiagnostic(pm, sc.fKS[j]!, sc.fKE[j]!, severity, 'LP203', msg));
    }
    if (rules.engine === 'core') {
      for (let j = 0; j < nT + nF; j++) {
        const k = j < nT ? tagKeys[j]! : fieldKeys[j - nT]!;
        if (k !== '__chunk_order') continue;
        const a = j < nT ? sc.tagKS[j]! : sc.fKS[j - nT]!;
        const b = j < nT ? sc.tagKE[j]! : sc.fKE[j - nT]!;
        out.push(makeDiagnostic(pm, a, b, 'error', 'LP206', `'__chunk_order' is a reserved column`));
      }
    }

    // 1.x/2.x storage limit on string values (3.x parsers enforce theirs while parsing).
    if (rules.engine === 'tsm') {
      for (let j = 0; j < nF; j++) {
        if (sc.fType[j] !== T_STRING) continue;
        const len = sc.fVE[j]! - sc.fVS[j]! - 2;
        if (len * 3 <= rules.maxStringBytes) continue;
        const bytes = utf8Length(s, sc.fVS[j]! + 1, sc.fVE[j]! - 1);
        if (bytes > rules.maxStringBytes) {
          out.push(
            makeDiagnostic(
              pm,
              sc.fVS[j]!,
              sc.fVE[j]!,
              'error',
              'LP204',
              `input field "${fieldKeys[j]}" on measurement "${meas}" is too long, ${bytes} > ${rules.maxStringBytes}`,
            ),
          );
        }
      }
    }

    // Timestamp scaling (3.x multiplies after parsing and may overflow i64).
    if (sc.tsStart >= 0) {
      const raw = BigInt(s.slice(sc.tsStart, sc.tsEnd));
      result.rawTimestamp = raw;
      const mult = cfg.multiplierFor(raw);
      const ns = raw * mult;
      if (rules.parser === 'rust' && (ns > 9223372036854775807n || ns < -9223372036854775808n)) {
        const msg =
          rules.engine === 'iox'
            ? `timestamp overflows i64 on line ${this.ordinal} (1-based)`
            : `timestamp, ${raw}, out of range for precision: ${cfg.rawPrecision ?? cfg.unit}`;
        out.push(makeDiagnostic(pm, sc.tsStart, sc.tsEnd, 'error', 'LP205', msg));
      } else {
        result.timestampNs = ns;
        // Precision guard, per line: the same verdict whatever else the body holds.
        if (ns < GUARD_MIN_NS || ns > cfg.guardMaxNs) {
          const g = checkPrecision([raw], cfg.unit, cfg.nowMs);
          if (!g.ok && g.message !== null)
            out.push(makeDiagnostic(pm, sc.tsStart, sc.tsEnd, 'warning', 'LP401', g.message));
        }
      }
    }

    if (rules.parser === 'go' && this.hygiene) {
      // Floats that only the Go parser accepts: fine here, refused by InfluxDB 3.
      for (let j = 0; j < nF; j++) {
        if (sc.fType[j] !== 0) continue;
        const v = s.slice(sc.fVS[j]!, sc.fVE[j]!);
        if (/^-?\./.test(v) || /\.(?:$|[eE])/.test(v)) {
          const fixed = v.replace(/^(-?)\./, '$10.').replace(/\.(?=$|[eE])/, '.0');
          out.push(
            makeDiagnostic(
              pm,
              sc.fVS[j]!,
              sc.fVE[j]!,
              'info',
              'LP507',
              `float "${v}" is accepted by InfluxDB 1.x/2.x but refused by InfluxDB 3`,
              [{ title: `Write ${fixed}`, isSafe: true, edits: [posEdit(pm, sc.fVS[j]!, sc.fVE[j]!, fixed)] }],
            ),
          );
        }
      }
    }

    if (wantFacts) {
      const facts: ColumnFact[] = [];
      const trackTags = rules.tagFieldSameName === 'rejected';
      if (trackTags) {
        for (let j = 0; j < nT; j++) {
          facts.push({
            measurement: meas,
            column: tagKeys[j]!,
            type: KIND_TAG,
            start: sc.tagKS[j]!,
            end: sc.tagKE[j]!,
          });
        }
      }
      // Last occurrence wins for duplicate field keys.
      const lastField = new Map<string, number>();
      fieldKeys.forEach((k, j) => lastField.set(k, j));
      for (let j = 0; j < nF; j++) {
        const k = fieldKeys[j]!;
        if (lastField.get(k) !== j) continue;
        facts.push({ measurement: meas, column: k, type: sc.fType[j]!, start: sc.fKS[j]!, end: sc.fVE[j]! });
      }
      result.facts = facts;
    }
  }

  /** Hygiene hints: CRLF, BOM, tabs, look-alike spaces and quotes, NUL, `\\` in identifiers. */
  private traps(s: string, blockStart: number, blockEnd: number, parsed: boolean, out: Diagnostic[]): void {
    const sc = this.scan;
    const pm = this.pm;
    // The regex scans ahead to the next trap anywhere in the buffer: remember where it is, so
    // that clean entries cost one comparison instead of a rescan (quadratic on big chunks).
    if (s !== this.trapSrc || blockStart < this.trapFrom || (this.trapNext < blockStart && this.trapNext >= 0)) {
      this.trapSrc = s;
      this.trapFrom = blockStart;
      TRAP_RE.lastIndex = blockStart;
      const m = TRAP_RE.exec(s);
      this.trapNext = m === null ? Infinity : m.index;
    }
    if (this.trapNext >= blockEnd) return;
    TRAP_RE.lastIndex = blockStart;
    for (;;) {
      const m = TRAP_RE.exec(s);
      if (m === null || m.index >= blockEnd) {
        this.trapFrom = blockEnd;
        this.trapNext = m === null ? Infinity : m.index;
        break;
      }
      const at = m.index;
      if (parsed && this.inStringValue(at)) continue;
      const c = s.charCodeAt(at);
      if (c === 13) {
        const atEol = at + 1 === blockEnd || s.charCodeAt(at + 1) === 10;
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 1,
            parsed ? 'warning' : 'error',
            'LP500',
            atEol
              ? 'carriage return (CRLF line ending): InfluxDB does not treat \\r as a line end'
              : 'carriage return inside the line: the server keeps it as data (1.x stores `t=a\\rb` as ' +
                  'the tag value `a<CR>b`), invisible in most output and shown as a line break ' +
                  'by many tools',
            [
              {
                title: atEol ? 'Convert CRLF to LF' : 'Remove the carriage return',
                isSafe: atEol,
                edits: [posEdit(pm, at, at + 1, '')],
              },
            ],
          ),
        );
      } else if (c === 0xfeff) {
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 1,
            'warning',
            'LP501',
            'byte order mark (U+FEFF): the server keeps it as part of the measurement name',
            [{ title: 'Remove the byte order mark', isSafe: at === 0, edits: [posEdit(pm, at, at + 1, '')] }],
          ),
        );
      } else if (c === 9) {
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 1,
            'warning',
            'LP502',
            this.cfg.rules.parser === 'go'
              ? 'tab: not a separator; InfluxDB 1.x/2.x keep it as part of the name or value'
              : 'tab: not a separator; InfluxDB 3 ends the token here and then requires a space',
            [{ title: 'Replace the tab with a space', isSafe: !parsed, edits: [posEdit(pm, at, at + 1, ' ')] }],
          ),
        );
      } else if (c === 0) {
        out.push(makeDiagnostic(pm, at, at + 1, 'warning', 'LP509', 'NUL character'));
      } else if (c === 92) {
        if (at < sc.start || at >= sc.end) continue;
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 2,
            'info',
            'LP505',
            this.cfg.rules.identifierBackslash === 'literal'
              ? '`\\\\` in a name stays two backslashes on InfluxDB 1.x/2.x but becomes one on InfluxDB 3'
              : '`\\\\` in a name becomes one backslash on InfluxDB 3 but stays two on InfluxDB 1.x/2.x',
          ),
        );
      } else if (c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d) {
        const straight = c === 0x201c || c === 0x201d ? '"' : "'";
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 1,
            parsed ? 'info' : 'warning',
            'LP504',
            `typographic quote ${m[0]}: only the straight quote " delimits strings`,
            [{ title: `Replace with ${straight}`, isSafe: !parsed, edits: [posEdit(pm, at, at + 1, straight)] }],
          ),
        );
      } else {
        out.push(
          makeDiagnostic(
            pm,
            at,
            at + 1,
            'warning',
            'LP503',
            `U+${c.toString(16).toUpperCase().padStart(4, '0')} looks like a space but is not a separator`,
            [{ title: 'Replace with a space', isSafe: false, edits: [posEdit(pm, at, at + 1, ' ')] }],
          ),
        );
      }
    }
  }

  private inStringValue(at: number): boolean {
    const sc = this.scan;
    for (let j = 0; j < sc.nFields; j++) {
      if (sc.fType[j] === T_STRING && at > sc.fVS[j]! && at < sc.fVE[j]! - 1) return true;
    }
    return false;
  }

  /** Builds the point of the entry last run (it must have been accepted). */
  point(s: string, timestampNs: bigint | null): Point {
    const sc = this.scan;
    const go = this.cfg.rules.parser === 'go';
    const tags: [string, string][] = [];
    for (let j = 0; j < sc.nTags; j++) {
      const a = sc.tagVS[j]!;
      const b = sc.tagVE[j]!;
      const v = !hasBackslash(s, a, b)
        ? s.slice(a, b)
        : go
          ? goUnescapeTag(s.slice(a, b))
          : rustUnescapeIdent(s, a, b, false);
      tags.push([this.tagKey(s, j), v]);
    }
    // 1.x/2.x store tags sorted by key (the series key); 3.x keeps input order.
    if (go) tags.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const fields = [];
    for (let j = 0; j < sc.nFields; j++) {
      const t = sc.fType[j]!;
      fields.push({
        key: this.fieldKey(s, j),
        type: FIELD_TYPE_NAMES[t] as FieldType,
        value: go ? goFieldValue(s, sc.fVS[j]!, sc.fVE[j]!, t) : rustFieldValue(s, sc.fVS[j]!, sc.fVE[j]!, t),
      });
    }
    let ts = timestampNs;
    if (ts === null && go && sc.tsStart >= 0) ts = goTimestampNs(s, sc, this.cfg.multiplier);
    return { measurement: this.unescapedMeasurement(s), tags, fields, timestampNs: ts };
  }
}

function isFix(f: QuickFix | null): f is QuickFix {
  return f !== null;
}

function posEdit(
  pm: PositionMapper,
  a: number,
  b: number,
  text: string,
): { line: number; startColumn: number; endColumn: number; text: string } {
  const p = pm.pos(a);
  const q = pm.pos(b);
  return { line: p.line, startColumn: p.column, endColumn: q.line === p.line ? q.column : p.column, text };
}

/** Removes one `k=v` item of a comma-separated list together with one adjacent comma. */
function removeListItemFix(pm: PositionMapper, s: string, a: number, b: number, title: string): QuickFix | null {
  if (s.charCodeAt(b) === 44) return replaceFix(pm, a, b + 1, '', title, false);
  if (s.charCodeAt(a - 1) === 44) return replaceFix(pm, a - 1, b, '', title, false);
  return null;
}

/** Escapes a tag or field key for writing. */
export function escapeKey(k: string): string {
  return k.replace(/[,= ]/g, '\\$&');
}

/** Each distinct key and the index where it first appears. */
function firstIndexes(keys: readonly string[]): Map<string, number> {
  const first = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!first.has(k)) first.set(k, i);
  });
  return first;
}
