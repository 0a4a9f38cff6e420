/**
 * What each InfluxDB flavor does with a statement that influxd 1.x parses (influx-api.md §9 and the
 * Cloud Dedicated v1-API seed), checked before the query is sent; which statements 1.x wants POSTed;
 * and splitting a script into statements for flavors that run one statement per request.
 */
import { FLAVOR_LABELS, SERVER_FLAVORS, type ServerFlavor } from '../domain/flavor';
import type { Expr, Query, SelectStatement, Source, Span, Statement, StatementType } from './ast';
import { findFunction } from './catalog';
import { type Diagnostic, diagnosticAt, type DiagnosticCode, type Severity } from './diagnostics';
import { BufScanner, Tok } from './lexer';
import { lineCharAt, parseQuery } from './parser';

/** The flavor ids the validator knows (the same ids as the app's flavor picker and `--flavor`). */
export const INFLUXQL_FLAVORS: readonly ServerFlavor[] = SERVER_FLAVORS;

/** The registry's labels; on 2.x InfluxQL goes through the v1 compatibility API, so messages say so. */
const FLAVOR_NAMES: Record<ServerFlavor, string> = {
  ...FLAVOR_LABELS,
  '2.x': `${FLAVOR_LABELS['2.x']}'s v1 compatibility API`,
};

/** How influxd names each statement kind (the words a user types). */
export const STATEMENT_LABELS: Record<StatementType, string> = {
  SelectStatement: 'SELECT',
  DeleteSeriesStatement: 'DELETE',
  ShowContinuousQueriesStatement: 'SHOW CONTINUOUS QUERIES',
  ShowDatabasesStatement: 'SHOW DATABASES',
  ShowDiagnosticsStatement: 'SHOW DIAGNOSTICS',
  ShowFieldKeyCardinalityStatement: 'SHOW FIELD KEY CARDINALITY',
  ShowFieldKeysStatement: 'SHOW FIELD KEYS',
  ShowGrantsForUserStatement: 'SHOW GRANTS',
  ShowMeasurementCardinalityStatement: 'SHOW MEASUREMENT CARDINALITY',
  ShowMeasurementsStatement: 'SHOW MEASUREMENTS',
  ShowQueriesStatement: 'SHOW QUERIES',
  ShowRetentionPoliciesStatement: 'SHOW RETENTION POLICIES',
  ShowSeriesStatement: 'SHOW SERIES',
  ShowSeriesCardinalityStatement: 'SHOW SERIES CARDINALITY',
  ShowShardGroupsStatement: 'SHOW SHARD GROUPS',
  ShowShardsStatement: 'SHOW SHARDS',
  ShowStatsStatement: 'SHOW STATS',
  ShowSubscriptionsStatement: 'SHOW SUBSCRIPTIONS',
  ShowTagKeyCardinalityStatement: 'SHOW TAG KEY CARDINALITY',
  ShowTagKeysStatement: 'SHOW TAG KEYS',
  ShowTagValuesStatement: 'SHOW TAG VALUES',
  ShowTagValuesCardinalityStatement: 'SHOW TAG VALUES CARDINALITY',
  ShowUsersStatement: 'SHOW USERS',
  CreateContinuousQueryStatement: 'CREATE CONTINUOUS QUERY',
  CreateDatabaseStatement: 'CREATE DATABASE',
  CreateRetentionPolicyStatement: 'CREATE RETENTION POLICY',
  CreateSubscriptionStatement: 'CREATE SUBSCRIPTION',
  CreateUserStatement: 'CREATE USER',
  DropContinuousQueryStatement: 'DROP CONTINUOUS QUERY',
  DropDatabaseStatement: 'DROP DATABASE',
  DropMeasurementStatement: 'DROP MEASUREMENT',
  DropRetentionPolicyStatement: 'DROP RETENTION POLICY',
  DropSeriesStatement: 'DROP SERIES',
  DropShardStatement: 'DROP SHARD',
  DropSubscriptionStatement: 'DROP SUBSCRIPTION',
  DropUserStatement: 'DROP USER',
  ExplainStatement: 'EXPLAIN',
  GrantStatement: 'GRANT',
  GrantAdminStatement: 'GRANT ALL PRIVILEGES',
  RevokeStatement: 'REVOKE',
  RevokeAdminStatement: 'REVOKE ALL PRIVILEGES',
  AlterRetentionPolicyStatement: 'ALTER RETENTION POLICY',
  SetPasswordUserStatement: 'SET PASSWORD',
  KillQueryStatement: 'KILL QUERY',
};

/**
 * Whether influxd 1.x wants the statement POSTed: everything that writes or manages (SELECT … INTO,
 * CREATE, DROP, ALTER, GRANT, REVOKE, DELETE, KILL, SET PASSWORD); SHOW, plain SELECT and EXPLAIN
 * are reads. influxd 1.6 still runs a mutating statement sent with GET but adds a "deprecated use …
 * in a read only context" warning; 1.8+ and 2.x reject it.
 */
export function requiresPost(statement: Statement): boolean {
  if (statement.type === 'SelectStatement') return statement.target !== null;
  if (statement.type === 'ExplainStatement') return false;
  return !statement.type.startsWith('Show');
}

/** Whether any statement of a query must be POSTed (see {@link requiresPost}). */
export function queryRequiresPost(query: Query): boolean {
  return query.statements.some(requiresPost);
}

// The seed's list (Cloud Dedicated v1 API, "Database management with InfluxQL (not supported)").
const SEED_NOT_ALLOWED = 'SELECT INTO, CREATE, DELETE, DROP, GRANT, EXPLAIN, REVOKE, ALTER, SET, KILL';

const V3_SHOW_OK = new Set<StatementType>([
  'ShowDatabasesStatement',
  'ShowRetentionPoliciesStatement',
  'ShowMeasurementsStatement',
  'ShowTagKeysStatement',
  'ShowTagValuesStatement',
  'ShowFieldKeysStatement',
]);

// §9: the 3.x parser accepts these three and its planner then refuses them; everything else that is
// not SELECT/EXPLAIN/the SHOWs above is a parse error there.
const V3_PARSES_THEN_NOT_IMPLEMENTED = new Set<StatementType>([
  'CreateDatabaseStatement',
  'DeleteSeriesStatement',
  'DropMeasurementStatement',
]);

// 2.x's v1 compatibility API: the SHOWs 3.x answers, plus SHOW SERIES and a few writes.
const V2_OK = new Set<StatementType>([
  ...V3_SHOW_OK,
  'SelectStatement',
  'ExplainStatement',
  'ShowSeriesStatement',
  'DeleteSeriesStatement',
  'DropMeasurementStatement',
]);

const isCloud3 = (f: ServerFlavor): boolean => f === 'cloud-dedicated' || f === 'clustered' || f === 'serverless';

/** What the 3.x server answers for a statement it does not run (§9), for the explanation. */
function v3ServerAnswer(type: StatementType): string {
  const label = STATEMENT_LABELS[type];
  if (V3_PARSES_THEN_NOT_IMPLEMENTED.has(type) || type === 'ShowDatabasesStatement')
    return `"This feature is not implemented: ${label}"`;
  if (type.startsWith('Show')) {
    return (
      '"invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG ' +
      'VALUES, or RETENTION POLICIES following SHOW"'
    );
  }
  return 'a parse error ("invalid InfluxQL statement")';
}

interface Finding {
  readonly span: Span;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly severity: Severity;
}

function statementFinding(stmt: Statement, flavor: ServerFlavor): Finding | null {
  const label = STATEMENT_LABELS[stmt.type];
  const name = FLAVOR_NAMES[flavor];
  const span = stmt.span;
  if (flavor === '1.x') return null;
  if (flavor === '2.x') {
    if (V2_OK.has(stmt.type)) return null;
    return {
      span,
      code: 'unsupported-statement',
      severity: 'error',
      message:
        `${label} is not implemented by ${name} (the server answers "not ` +
        `implemented: ${label}"); manage buckets, database mappings (DBRP) and users with the v2 ` +
        `API or the influx CLI.`,
    };
  }
  if (stmt.type === 'SelectStatement') return null;
  if (stmt.type === 'ExplainStatement') {
    if (flavor === 'core') return null;
    if (flavor === 'clustered') {
      return {
        span,
        code: 'maybe-unsupported-statement',
        severity: 'warning',
        message:
          `EXPLAIN may be rejected by ${name}: the documentation lists it among the commands it ` +
          `doesn't allow (${SEED_NOT_ALLOWED}), although Clustered release notes say ` +
          `EXPLAIN was added.`,
      };
    }
    return {
      span,
      code: 'unsupported-statement',
      severity: 'error',
      message: `EXPLAIN is not supported by ${name}: it doesn't allow these InfluxQL commands: ${SEED_NOT_ALLOWED}.`,
    };
  }
  if (V3_SHOW_OK.has(stmt.type) && !(stmt.type === 'ShowDatabasesStatement' && isCloud3(flavor))) return null;
  const answer = v3ServerAnswer(stmt.type);
  if (stmt.type.startsWith('Show')) {
    const supported = isCloud3(flavor)
      ? 'SHOW RETENTION POLICIES, MEASUREMENTS, TAG KEYS, TAG VALUES and FIELD KEYS'
      : 'SHOW DATABASES, RETENTION POLICIES, MEASUREMENTS, TAG KEYS, TAG VALUES and FIELD KEYS';
    const hint =
      stmt.type === 'ShowDatabasesStatement'
        ? ' Databases are listed with the management API or CLI (influxctl) instead.'
        : '';
    return {
      span,
      code: 'unsupported-statement',
      severity: 'error',
      message: `${label} is not supported by ${name}, which implements only ${supported} (the server answers ${answer}).${hint}`,
    };
  }
  const why = isCloud3(flavor)
    ? `${name} doesn't allow InfluxQL commands for managing or modifying databases ` +
      `(${SEED_NOT_ALLOWED}); use the management API or CLI instead`
    : `${name} runs only SELECT, EXPLAIN and SHOW statements over InfluxQL; manage databases ` +
      `with the influxdb3 CLI or the /api/v3/configure API`;
  return {
    span,
    code: 'unsupported-statement',
    severity: 'error',
    message: `${label} is not supported: ${why} (the server answers ${answer}).`,
  };
}

function selectFindings(sel: SelectStatement, flavor: ServerFlavor, out: Finding[]): void {
  const name = FLAVOR_NAMES[flavor];
  if (sel.target !== null && flavor !== '1.x') {
    const span = sel.clauses.into ?? sel.span;
    const message =
      flavor === '2.x'
        ? `SELECT … INTO is not implemented by ${name} (the server answers "not implemented: SELECT INTO").`
        : isCloud3(flavor)
          ? `SELECT … INTO is not supported by ${name}: it doesn't allow InfluxQL commands for ` +
            `managing or modifying databases (${SEED_NOT_ALLOWED}).`
          : `SELECT … INTO is not supported by ${name}: its InfluxQL parser has no INTO clause.`;
    out.push({ span, code: 'unsupported-into', severity: 'error', message });
  }
  if (flavor !== '1.x' && flavor !== '2.x') {
    for (const clause of ['slimit', 'soffset'] as const) {
      const span = sel.clauses[clause];
      if (span) {
        out.push({
          span,
          code: 'unsupported-slimit',
          severity: 'error',
          message:
            `${clause.toUpperCase()} is not implemented by ${name} (the server answers "This feature ` +
            `is not implemented: SLIMIT or SOFFSET"); filter series with WHERE on tags instead.`,
        });
      }
    }
    const visit = (e: Expr | null): void => {
      if (e === null) return;
      if (e.type === 'Call') {
        const fn = findFunction(e.name);
        if (fn && !fn.v3) {
          out.push({
            span: e.nameSpan,
            code: 'unsupported-function',
            severity: 'error',
            message:
              `${e.name.toUpperCase()}() is not implemented by ${name}'s InfluxQL (SAMPLE and the ` +
              `technical-analysis functions are 1.x/2.x only).`,
          });
        }
        e.args.forEach(visit);
      } else if (e.type === 'BinaryExpr') {
        visit(e.lhs);
        visit(e.rhs);
      } else if (e.type === 'ParenExpr') {
        visit(e.expr);
      }
    };
    sel.fields.forEach((f) => visit(f.expr));
    visit(sel.condition);
  }
  const visitSources = (sources: readonly Source[]): void => {
    for (const s of sources) if (s.type === 'SubQuery') selectFindings(s.statement, flavor, out);
  };
  visitSources(sel.sources);
}

/** Flavor findings for one statement (no parse errors: the statement parsed). */
function statementDiagnostics(text: string, stmt: Statement, flavor: ServerFlavor): Diagnostic[] {
  const out: Finding[] = [];
  const s = statementFinding(stmt, flavor);
  if (s) out.push(s);
  if (stmt.type === 'SelectStatement') selectFindings(stmt, flavor, out);
  if (stmt.type === 'ExplainStatement') selectFindings(stmt.statement, flavor, out);
  return out.map((f) => diagnosticAt(text, f.span.start, f.span.end, f.code, f.message, f.severity));
}

/**
 * Flags what a flavor rejects in a parsed query, with the reason (§9 and the Cloud Dedicated seed).
 * `text` is the query text the AST came from (for positions). 1.x accepts everything that parses.
 */
export function checkFlavor(text: string, query: Query, flavor: ServerFlavor): Diagnostic[] {
  return query.statements.flatMap((s) => statementDiagnostics(text, s, flavor));
}

/** One statement of a script, with where it sits in the text. */
export interface StatementSlice {
  /** The statement's text, without the separating `;` and surrounding blanks or comments. */
  readonly text: string;
  /** UTF-16 offsets in the script. */
  readonly start: number;
  readonly end: number;
  /** 1-based line and char of `start`, counted as influxd counts. */
  readonly line: number;
  readonly char: number;
}

/**
 * Splits a script into its statements, for flavors and endpoints that take one statement per
 * request (the results are then merged). A script that parses is split on the statements the parser
 * found; one that does not is split lexically on `;` outside strings, quoted names and comments (a
 * `;` inside a `/regex/` then splits too, but such a script fails anyway).
 */
export function splitStatements(text: string): StatementSlice[] {
  const slice = (start: number, end: number): StatementSlice => ({
    text: text.slice(start, end),
    start,
    end,
    ...lineCharAt(text, start),
  });
  const parsed = parseQuery(text);
  if (parsed.ok) return parsed.query.statements.map((s) => slice(s.span.start, s.span.end));
  const out: StatementSlice[] = [];
  const s = new BufScanner(text);
  let start = -1;
  let end = -1;
  for (;;) {
    const t = s.scan();
    if (t.tok === Tok.EOF && t.pos.offset >= text.length) break;
    if (t.tok === Tok.SEMICOLON || t.tok === Tok.EOF) {
      if (start >= 0) out.push(slice(start, end));
      start = -1;
      if (t.tok === Tok.EOF) continue; // a NUL reads as EOF; keep going to the real end
      continue;
    }
    if (t.tok === Tok.WS || t.tok === Tok.COMMENT) continue;
    // A string token's position is the character before its quote (influxd's scanner); skip blanks.
    if (start < 0) start = t.pos.offset + (/\s/.test(text[t.pos.offset] ?? '') ? 1 : 0);
    end = t.end;
  }
  if (start >= 0) out.push(slice(start, end));
  return out;
}
