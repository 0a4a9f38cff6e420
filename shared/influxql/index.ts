/**
 * InfluxQL language support: lexer, parser (influxd 1.x-exact), flavor rules, validation, and the
 * keyword/function catalogue. Pure TypeScript; safe in main, renderer and workers.
 */
export type * from './ast';
export { STATEMENT_TYPES } from './ast';
export { INFLUXQL_FUNCTIONS, INFLUXQL_KEYWORDS, findFunction, functionHover, type FunctionCategory, type InfluxQLFunction } from './catalog';
export { diagnosticAt, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics';
export { INFLUXQL_FLAVORS, STATEMENT_LABELS, checkFlavor, queryRequiresPost, requiresPost, splitStatements, type StatementSlice } from './flavors';
export { goRegexpError } from './go-regexp';
export { RESERVED_WORDS, Tok, tokenize, type Pos, type Token } from './lexer';
export {
  InfluxQLParseError,
  STATEMENT_KEYWORDS,
  formatGoDuration,
  lineCharAt,
  parseGoDuration,
  parseQuery,
  quoteIdent,
  type ParseOptions,
  type ParseResult,
} from './parser';
export { isKnownTimeZone, timeZoneNames } from './timezones';
export { validateQuery, type ValidateOptions, type ValidationResult } from './validate';
