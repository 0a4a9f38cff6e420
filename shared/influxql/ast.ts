/**
 * The InfluxQL syntax tree produced by {@link parseQuery}. It carries what completion, hover and the
 * flavor rules need (statement kind, sources, fields, conditions, which clauses are present) with
 * source spans; it is not an evaluator's tree. Statement `type` names are Go's type names
 * (`SelectStatement`, `ShowTagValuesStatement`…) so they compare 1:1 with influxd's reference checker.
 *
 * 64-bit integers are kept as decimal strings so the tree survives JSON and IPC without losing digits.
 */

/** A half-open range of UTF-16 offsets into the query text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Data type suffix of a variable reference (`::field`, `::tag`, `::integer`…). */
export type DataType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean' | 'field' | 'tag';

/** A field, tag or `time` reference. `name` is the segments joined with `.`, as influxd does. */
export interface VarRef {
  readonly type: 'VarRef';
  readonly name: string;
  readonly segments: readonly string[];
  readonly dataType: DataType | null;
  readonly span: Span;
}

/** A function call; `name` is lower-cased as influxd stores it. */
export interface Call {
  readonly type: 'Call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly span: Span;
  /** Span of the function name alone (for hover). */
  readonly nameSpan: Span;
}

/** Binary operator tokens as written in canonical InfluxQL. */
export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | 'AND' | 'OR' | '=' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=';

/** `lhs op rhs`. */
export interface BinaryExpr {
  readonly type: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly span: Span;
}

/** `( expr )`. */
export interface ParenExpr {
  readonly type: 'ParenExpr';
  readonly expr: Expr;
  readonly span: Span;
}

/** `'text'`. */
export interface StringLiteral {
  readonly type: 'StringLiteral';
  readonly value: string;
  readonly span: Span;
}

/** A float literal such as `1.5`. */
export interface NumberLiteral {
  readonly type: 'NumberLiteral';
  readonly value: number;
  readonly span: Span;
}

/** An int64 literal, as a decimal string. */
export interface IntegerLiteral {
  readonly type: 'IntegerLiteral';
  readonly value: string;
  readonly span: Span;
}

/** An integer above int64's range (up to 2^64-1), as a decimal string. */
export interface UnsignedLiteral {
  readonly type: 'UnsignedLiteral';
  readonly value: string;
  readonly span: Span;
}

/** `true` / `false`. */
export interface BooleanLiteral {
  readonly type: 'BooleanLiteral';
  readonly value: boolean;
  readonly span: Span;
}

/** A duration such as `5m`; `nanoseconds` is the int64 value as a decimal string. */
export interface DurationLiteral {
  readonly type: 'DurationLiteral';
  readonly nanoseconds: string;
  readonly span: Span;
}

/** `/pattern/` (Go RE2 syntax). */
export interface RegexLiteral {
  readonly type: 'RegexLiteral';
  readonly pattern: string;
  readonly span: Span;
}

/** `*`, `*::field` or `*::tag`. */
export interface Wildcard {
  readonly type: 'Wildcard';
  readonly dataType: 'field' | 'tag' | null;
  readonly span: Span;
}

/** `DISTINCT name` (the non-call form). */
export interface Distinct {
  readonly type: 'Distinct';
  readonly name: string;
  readonly span: Span;
}

/** Any expression. */
export type Expr =
  | VarRef
  | Call
  | BinaryExpr
  | ParenExpr
  | StringLiteral
  | NumberLiteral
  | IntegerLiteral
  | UnsignedLiteral
  | BooleanLiteral
  | DurationLiteral
  | RegexLiteral
  | Wildcard
  | Distinct;

/** A measurement (or measurement regex) with optional database and retention policy. */
export interface Measurement {
  readonly type: 'Measurement';
  readonly database: string;
  readonly retentionPolicy: string;
  readonly name: string;
  readonly regex: string | null;
  readonly span: Span;
}

/** `( SELECT … )` used as a source. */
export interface SubQuery {
  readonly type: 'SubQuery';
  readonly statement: SelectStatement;
  readonly span: Span;
}

/** A FROM source. */
export type Source = Measurement | SubQuery;

/** One projected field. */
export interface Field {
  readonly expr: Expr;
  readonly alias: string;
  readonly span: Span;
}

/** One GROUP BY dimension. */
export interface Dimension {
  readonly expr: Expr;
  readonly span: Span;
}

/** One ORDER BY field (`name` is empty for a bare `ORDER BY DESC`). */
export interface SortField {
  readonly name: string;
  readonly ascending: boolean;
}

/** The fill() option of a SELECT. */
export interface Fill {
  readonly option: 'null' | 'none' | 'previous' | 'linear' | 'number';
  readonly value?: number;
  readonly span: Span;
}

/** Names of the optional clauses whose presence and position are recorded. */
export type ClauseName =
  'into' | 'where' | 'groupBy' | 'fill' | 'orderBy' | 'limit' | 'offset' | 'slimit' | 'soffset' | 'tz' | 'with' | 'on';

/** Every statement type influxd 1.x parses, by Go type name. */
export const STATEMENT_TYPES = [
  'SelectStatement',
  'DeleteSeriesStatement',
  'ShowContinuousQueriesStatement',
  'ShowDatabasesStatement',
  'ShowDiagnosticsStatement',
  'ShowFieldKeyCardinalityStatement',
  'ShowFieldKeysStatement',
  'ShowGrantsForUserStatement',
  'ShowMeasurementCardinalityStatement',
  'ShowMeasurementsStatement',
  'ShowQueriesStatement',
  'ShowRetentionPoliciesStatement',
  'ShowSeriesStatement',
  'ShowSeriesCardinalityStatement',
  'ShowShardGroupsStatement',
  'ShowShardsStatement',
  'ShowStatsStatement',
  'ShowSubscriptionsStatement',
  'ShowTagKeyCardinalityStatement',
  'ShowTagKeysStatement',
  'ShowTagValuesStatement',
  'ShowTagValuesCardinalityStatement',
  'ShowUsersStatement',
  'CreateContinuousQueryStatement',
  'CreateDatabaseStatement',
  'CreateRetentionPolicyStatement',
  'CreateSubscriptionStatement',
  'CreateUserStatement',
  'DropContinuousQueryStatement',
  'DropDatabaseStatement',
  'DropMeasurementStatement',
  'DropRetentionPolicyStatement',
  'DropSeriesStatement',
  'DropShardStatement',
  'DropSubscriptionStatement',
  'DropUserStatement',
  'ExplainStatement',
  'GrantStatement',
  'GrantAdminStatement',
  'RevokeStatement',
  'RevokeAdminStatement',
  'AlterRetentionPolicyStatement',
  'SetPasswordUserStatement',
  'KillQueryStatement',
] as const;

/** One of {@link STATEMENT_TYPES}. */
export type StatementType = (typeof STATEMENT_TYPES)[number];

interface StatementBase {
  readonly span: Span;
  /** Where each optional clause that is present starts and ends (keyword to last token). */
  readonly clauses: Partial<Record<ClauseName, Span>>;
}

/** SELECT. */
export interface SelectStatement extends StatementBase {
  readonly type: 'SelectStatement';
  readonly fields: readonly Field[];
  /** The INTO target; `name` is empty for `INTO db.rp.:MEASUREMENT`. */
  readonly target: Measurement | null;
  readonly sources: readonly Source[];
  readonly condition: Expr | null;
  readonly dimensions: readonly Dimension[];
  readonly fill: Fill | null;
  readonly sortFields: readonly SortField[];
  readonly limit: number;
  readonly offset: number;
  readonly slimit: number;
  readonly soffset: number;
  readonly timezone: string | null;
  /** True when no field calls a function. */
  readonly isRawQuery: boolean;
}

/** EXPLAIN [ANALYZE] SELECT …. */
export interface ExplainStatement extends StatementBase {
  readonly type: 'ExplainStatement';
  readonly analyze: boolean;
  readonly statement: SelectStatement;
}

/** CREATE CONTINUOUS QUERY … BEGIN SELECT … END. */
export interface CreateContinuousQueryStatement extends StatementBase {
  readonly type: 'CreateContinuousQueryStatement';
  readonly name: string;
  readonly database: string;
  /** RESAMPLE EVERY / FOR, in nanoseconds as decimal strings ("0" when absent). */
  readonly resampleEvery: string;
  readonly resampleFor: string;
  readonly source: SelectStatement;
}

/**
 * Every other statement. Which properties are set depends on `type`; the names follow influxd's
 * structs (e.g. `database` for `ON db`, `sources` for `FROM`, `condition` for `WHERE`).
 */
export interface OtherStatement extends StatementBase {
  readonly type: Exclude<StatementType, 'SelectStatement' | 'ExplainStatement' | 'CreateContinuousQueryStatement'>;
  readonly name?: string;
  readonly database?: string;
  readonly retentionPolicy?: string;
  readonly user?: string;
  readonly sources?: readonly Source[];
  /** SHOW MEASUREMENTS WITH MEASUREMENT = / =~ … */
  readonly source?: Source;
  readonly condition?: Expr | null;
  readonly dimensions?: readonly Dimension[];
  readonly sortFields?: readonly SortField[];
  readonly limit?: number;
  readonly offset?: number;
  readonly slimit?: number;
  readonly soffset?: number;
  readonly exact?: boolean;
  /** SHOW TAG VALUES … WITH KEY op value. */
  readonly tagKey?: {
    readonly op: 'IN' | '=' | '!=' | '=~' | '!~';
    readonly keys: readonly string[];
    readonly regex?: string;
  };
  readonly privilege?: 'READ' | 'WRITE' | 'ALL PRIVILEGES';
  readonly admin?: boolean;
  readonly queryId?: string;
  readonly host?: string;
  readonly shardId?: string;
  readonly module?: string;
  readonly mode?: 'ALL' | 'ANY';
  readonly destinations?: readonly string[];
  /** Retention policy options, in nanoseconds as decimal strings where durations. */
  readonly duration?: string;
  readonly replication?: number;
  readonly shardGroupDuration?: string;
  readonly isDefault?: boolean;
  readonly retentionPolicyName?: string;
}

/** Any statement. */
export type Statement = SelectStatement | ExplainStatement | CreateContinuousQueryStatement | OtherStatement;

/** A parsed query: its statements in order. */
export interface Query {
  readonly statements: readonly Statement[];
}
