/**
 * Public data types of the line-protocol validator. Positions follow Monaco: 1-based lines and
 * 1-based columns counted in UTF-16 code units, `endColumn` exclusive.
 */

/** Diagnostic severity, mapped 1:1 onto Monaco marker severities. */
export type Severity = 'error' | 'warning' | 'info';

/** One single-line text replacement. Columns are 1-based, `endColumn` exclusive. */
export interface TextEdit {
  line: number;
  startColumn: number;
  endColumn: number;
  text: string;
}

/** A quick fix: a titled set of edits. `isSafe` fixes never change the meaning of valid data. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isSafe: boolean;
}

/** A problem found in the text. `code` is one of {@link LP_CODES}. */
export interface Diagnostic {
  /** 1-based physical line where the range starts. */
  line: number;
  startColumn: number;
  /** 1-based physical line where the range ends; absent when equal to `line`. */
  endLine?: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  fixes?: QuickFix[];
}

/** Field value types, named as InfluxDB names them. */
export type FieldType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean';

/** A parsed field. Integers and unsigned integers are bigint so that no precision is lost. */
export interface PointField {
  key: string;
  type: FieldType;
  value: number | bigint | string | boolean;
}

/** One parsed point, as the target flavor would store it. */
export interface Point {
  measurement: string;
  /** Tags as `[key, value]` pairs: sorted by key on 1.x/2.x (as the series key is), input order on 3.x. */
  tags: [string, string][];
  /** Fields in input order, duplicates included (see the flavor's duplicate-field rule). */
  fields: PointField[];
  /** Timestamp converted to nanoseconds, or null when the line has none (the server's clock is used). */
  timestampNs: bigint | null;
}

/** What one entry (a logical line) of the input is. */
export type EntryKind = 'point' | 'blank' | 'comment';

/**
 * One entry: a logical line as the server splits the body (a quoted string field may span several
 * physical lines). Offsets are UTF-16 indices into the validated text.
 */
export interface LpEntry {
  /** 1-based physical line where the entry starts. */
  line: number;
  /** 1-based physical line where the entry ends (differs from `line` only for multi-line strings). */
  endLine: number;
  kind: EntryKind;
  /** True when no error-severity diagnostic concerns this entry. */
  ok: boolean;
  /** True when the flavor's parser accepts the entry (parse stage only, before schema/batch rules). */
  parsed: boolean;
  /** Offset of the entry's first character (leading whitespace excluded). */
  start: number;
  /** Offset just past the entry's last character (the terminating newline excluded). */
  end: number;
  diagnostics: Diagnostic[];
}
