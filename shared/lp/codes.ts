/**
 * The stable diagnostic codes. Scheme: `LP` + three digits, grouped by the stage that rejects the
 * data, so tools can filter by stage without knowing every code:
 *
 * - `LP1xx` parse: the flavor's line-protocol parser refuses the entry.
 * - `LP2xx` write: the entry parses, but the server refuses or alters it when writing
 *   (schema rules inside one line, reserved keys, size limits).
 * - `LP3xx` batch: rules across lines of one request (type conflicts, column and table counts, body size).
 * - `LP4xx` time: precision parameter and the precision guard.
 * - `LP5xx` hygiene: traps that usually explain a parse error or silently change data
 *   (CRLF, BOM, tabs, non-breaking spaces, smart quotes, backslash meaning, portability hints).
 * - `LP6xx` summary: batch-level observations such as high-cardinality tag values.
 *
 * Codes are never reused; messages may change, codes may not.
 */

/** Stage of a diagnostic code (the hundreds digit). */
export type LpStage = 'parse' | 'write' | 'batch' | 'time' | 'hygiene' | 'summary';

/** Catalogue entry. */
export interface LpCodeInfo {
  readonly stage: LpStage;
  /** A short slug for humans and docs. */
  readonly name: string;
}

/** Every code the validator emits. */
export const LP_CODES = {
  LP100: { stage: 'parse', name: 'missing-measurement' },
  LP101: { stage: 'parse', name: 'missing-fields' },
  LP102: { stage: 'parse', name: 'missing-tag-key' },
  LP103: { stage: 'parse', name: 'missing-tag-value' },
  LP104: { stage: 'parse', name: 'invalid-tag-format' },
  LP105: { stage: 'parse', name: 'duplicate-tags' },
  LP106: { stage: 'parse', name: 'missing-field-key' },
  LP107: { stage: 'parse', name: 'missing-field-value' },
  LP108: { stage: 'parse', name: 'unbalanced-quotes' },
  LP109: { stage: 'parse', name: 'invalid-field-format' },
  LP110: { stage: 'parse', name: 'invalid-number' },
  LP111: { stage: 'parse', name: 'invalid-float' },
  LP112: { stage: 'parse', name: 'invalid-boolean' },
  LP113: { stage: 'parse', name: 'bad-timestamp' },
  LP114: { stage: 'parse', name: 'trailing-content' },
  LP115: { stage: 'parse', name: 'max-key-length' },
  LP116: { stage: 'parse', name: 'invalid-field-value' },
  LP117: { stage: 'parse', name: 'integer-out-of-range' },
  LP118: { stage: 'parse', name: 'unsigned-out-of-range' },
  LP119: { stage: 'parse', name: 'timestamp-out-of-range' },
  LP120: { stage: 'parse', name: 'ends-with-backslash' },
  LP121: { stage: 'parse', name: 'string-too-long' },
  LP122: { stage: 'parse', name: 'unsigned-not-supported' },
  LP123: { stage: 'parse', name: 'reserved-tag-key' },
  LP200: { stage: 'write', name: 'duplicate-tag' },
  LP201: { stage: 'write', name: 'duplicate-field' },
  LP202: { stage: 'write', name: 'tag-field-same-name' },
  LP203: { stage: 'write', name: 'reserved-key-time' },
  LP204: { stage: 'write', name: 'field-value-too-long' },
  LP205: { stage: 'write', name: 'timestamp-overflow' },
  LP206: { stage: 'write', name: 'reserved-column' },
  LP207: { stage: 'write', name: 'empty-body' },
  LP300: { stage: 'batch', name: 'field-type-conflict' },
  LP301: { stage: 'batch', name: 'column-kind-conflict' },
  LP302: { stage: 'batch', name: 'too-many-columns' },
  LP303: { stage: 'batch', name: 'too-many-tables' },
  LP304: { stage: 'batch', name: 'body-too-large' },
  LP400: { stage: 'time', name: 'invalid-precision' },
  LP401: { stage: 'time', name: 'precision-mismatch' },
  LP402: { stage: 'time', name: 'auto-precision' },
  LP403: { stage: 'time', name: 'precision-reinterpreted' },
  LP500: { stage: 'hygiene', name: 'crlf' },
  LP501: { stage: 'hygiene', name: 'bom' },
  LP502: { stage: 'hygiene', name: 'tab' },
  LP503: { stage: 'hygiene', name: 'unicode-space' },
  LP504: { stage: 'hygiene', name: 'smart-quotes' },
  LP505: { stage: 'hygiene', name: 'double-backslash' },
  LP506: { stage: 'hygiene', name: 'unknown-escape' },
  LP507: { stage: 'hygiene', name: 'float-not-portable' },
  LP508: { stage: 'hygiene', name: 'unquoted-string' },
  LP509: { stage: 'hygiene', name: 'nul' },
  LP510: { stage: 'hygiene', name: 'invalid-utf8' },
  LP600: { stage: 'summary', name: 'high-cardinality-tag' },
} as const satisfies Record<string, LpCodeInfo>;

/** A diagnostic code. */
export type LpCode = keyof typeof LP_CODES;

/** Stage of a code; unknown codes count as `parse` so that a consumer errs on the safe side. */
export function codeStage(code: string): LpStage {
  const info = (LP_CODES as Record<string, LpCodeInfo>)[code];
  return info === undefined ? 'parse' : info.stage;
}
