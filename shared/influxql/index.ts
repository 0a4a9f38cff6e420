/**
 * InfluxQL language support: lexer, parser (influxd 1.x-exact), flavor rules, validation, and the
 * keyword/function catalogue. Pure TypeScript; safe in main, renderer and workers.
 */
export type * from './ast';
export { STATEMENT_TYPES } from './ast';
export {
  findFunction,
  type FunctionCategory,
  functionHover,
  INFLUXQL_FUNCTIONS,
  INFLUXQL_KEYWORDS,
  type InfluxQLFunction,
} from './catalog';
export { type Diagnostic, diagnosticAt, type DiagnosticCode, type Severity } from './diagnostics';
export {
  checkFlavor,
  INFLUXQL_FLAVORS,
  queryRequiresPost,
  requiresPost,
  splitStatements,
  STATEMENT_LABELS,
  type StatementSlice,
} from './flavors';
export { goRegexpError } from './go-regexp';
export { type Pos, RESERVED_WORDS, Tok, type Token, tokenize } from './lexer';
export {
  formatGoDuration,
  InfluxQLParseError,
  lineCharAt,
  parseGoDuration,
  type ParseOptions,
  parseQuery,
  type ParseResult,
  quoteIdent,
  STATEMENT_KEYWORDS,
} from './parser';
export { isKnownTimeZone, timeZoneNames } from './timezones';
export { type ValidateOptions, validateQuery, type ValidationResult } from './validate';
