/**
 * The diagnostic shape shared by the InfluxQL validator, the flavor rules, the editor and the CLI.
 * Lines and chars are 1-based and count Unicode code points, as influxd counts them in
 * `at line L, char C`; `start`/`end` are UTF-16 offsets for editors.
 */
import { lineCharAt } from './parser';

/** How bad a diagnostic is: errors make the query fail on that flavor. */
export type Severity = 'error' | 'warning' | 'info';

/** Stable diagnostic codes. */
export type DiagnosticCode =
  | 'parse-error'
  | 'unsupported-statement'
  | 'unsupported-into'
  | 'unsupported-slimit'
  | 'unsupported-function'
  | 'maybe-unsupported-statement';

/** One finding about a query. */
export interface Diagnostic {
  readonly line: number;
  readonly char: number;
  readonly endLine?: number;
  readonly endChar?: number;
  /** UTF-16 offsets of the range, for editors. */
  readonly start: number;
  readonly end: number;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly severity: Severity;
}

/** Builds a diagnostic over a UTF-16 range of `text`. */
export function diagnosticAt(
  text: string,
  start: number,
  end: number,
  code: DiagnosticCode,
  message: string,
  severity: Severity,
): Diagnostic {
  const a = lineCharAt(text, start);
  const b = lineCharAt(text, Math.max(start, end));
  return {
    line: a.line,
    char: a.char,
    endLine: b.line,
    endChar: b.char,
    start,
    end: Math.max(start, end),
    code,
    message,
    severity,
  };
}
