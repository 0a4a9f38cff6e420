/**
 * InfluxQL expressions → DuckDB SQL over one measurement's table (spec §12.4): identifiers quoted,
 * tags compared as `''` when absent (as InfluxDB does), fields as typed columns, regexes through RE2
 * (`regexp_matches`, the same engine family as Go's regexp), time comparisons as ns integers.
 */
import type { Expr } from '../../../shared/influxql';
import type { MeasurementSchema, SandboxFieldType } from './context';
import { StatementError } from './response';
import { isTimeRef, timeComparison } from './time';

/** `"name"` with embedded quotes doubled. */
export const qi = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** `'text'` with embedded quotes doubled. */
export const qs = (text: string): string => `'${text.replace(/'/g, "''")}'`;

type Kind = 'string' | 'number' | 'boolean' | 'null';

const fieldKind = (t: SandboxFieldType): Kind => (t === 'string' ? 'string' : t === 'boolean' ? 'boolean' : 'number');

/** What a name refers to in a measurement. */
export function resolveRef(
  m: MeasurementSchema,
  name: string,
  dataType: string | null,
): { kind: 'tag' } | { kind: 'field'; type: SandboxFieldType } | null {
  const field = m.fields[name];
  const isTag = m.tags.includes(name);
  if (dataType === 'tag') return isTag ? { kind: 'tag' } : null;
  if (field !== undefined && dataType !== 'tag') return { kind: 'field', type: field };
  if (isTag && (dataType === null || dataType === 'field' || dataType === 'string'))
    return isTag ? { kind: 'tag' } : null;
  return null;
}

interface Compiled {
  sql: string;
  kind: Kind;
}

const COMPARE = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** Compiles a WHERE condition; `now` resolves `now()` in time comparisons. */
export function conditionSql(
  e: Expr,
  m: MeasurementSchema,
  now: bigint,
  lowerShift = 0n,
  upperShift = 0n,
  filterTime = true,
): string {
  const c = compile(e, m, now, true, [lowerShift, upperShift], filterTime);
  return c.kind === 'boolean' || c.kind === 'null' ? c.sql : 'FALSE';
}

function compile(
  e: Expr,
  m: MeasurementSchema,
  now: bigint,
  cond: boolean,
  shift: readonly [bigint, bigint] = [0n, 0n],
  filterTime = true,
): Compiled {
  switch (e.type) {
    case 'ParenExpr': {
      const c = compile(e.expr, m, now, cond, shift, filterTime);
      return { sql: `(${c.sql})`, kind: c.kind };
    }
    case 'VarRef': {
      if (isTimeRef(e)) return { sql: '"time"', kind: 'number' };
      const r = resolveRef(m, e.name, e.dataType);
      if (r === null) return { sql: 'NULL', kind: 'null' };
      if (r.kind === 'tag') return { sql: cond ? `COALESCE(${qi(e.name)}, '')` : qi(e.name), kind: 'string' };
      return { sql: qi(e.name), kind: fieldKind(r.type) };
    }
    case 'StringLiteral':
      return { sql: qs(e.value), kind: 'string' };
    case 'NumberLiteral':
      return { sql: Number.isInteger(e.value) ? `${e.value}.0` : String(e.value), kind: 'number' };
    case 'IntegerLiteral':
    case 'UnsignedLiteral':
      return { sql: e.value, kind: 'number' };
    case 'DurationLiteral':
      return { sql: e.nanoseconds, kind: 'number' };
    case 'BooleanLiteral':
      return { sql: e.value ? 'TRUE' : 'FALSE', kind: 'boolean' };
    case 'BinaryExpr':
      return binary(e, m, now, cond, shift, filterTime);
    case 'Call':
      if (e.name === 'now') throw new StatementError('datafusion error: This feature is not implemented: now');
      throw new StatementError(
        `datafusion error: Error during planning: invalid function call in condition: ${e.name}`,
      );
    default:
      throw new StatementError(`datafusion error: Error during planning: unsupported expression in condition`);
  }
}

function binary(
  e: Extract<Expr, { type: 'BinaryExpr' }>,
  m: MeasurementSchema,
  now: bigint,
  cond: boolean,
  shift: readonly [bigint, bigint],
  filterTime: boolean,
): Compiled {
  if (e.op === 'AND' || e.op === 'OR') {
    const l = compile(e.lhs, m, now, cond, shift, filterTime);
    const r = compile(e.rhs, m, now, cond, shift, filterTime);
    const ls = l.kind === 'boolean' || l.kind === 'null' ? l.sql : 'FALSE';
    const rs = r.kind === 'boolean' || r.kind === 'null' ? r.sql : 'FALSE';
    return { sql: `(${ls} ${e.op} ${rs})`, kind: 'boolean' };
  }
  const tc = timeComparison(e, now);
  if (tc && !filterTime) return { sql: 'TRUE', kind: 'boolean' };
  if (tc) {
    const ns =
      tc.op === '>' || tc.op === '>=' ? tc.ns - shift[0] : tc.op === '<' || tc.op === '<=' ? tc.ns + shift[1] : tc.ns;
    return { sql: `("time" ${tc.op === '!=' ? '<>' : tc.op} ${ns})`, kind: 'boolean' };
  }
  if (e.op === '=~' || e.op === '!~') {
    const rx = e.rhs.type === 'RegexLiteral' ? e.rhs : e.lhs.type === 'RegexLiteral' ? e.lhs : null;
    const other = rx === e.rhs ? e.lhs : e.rhs;
    if (!rx) return { sql: 'FALSE', kind: 'boolean' };
    const l = compile(other, m, now, cond, shift, filterTime);
    if (l.kind !== 'string') return { sql: 'FALSE', kind: 'boolean' };
    const match = `regexp_matches(${l.sql}, ${qs(rx.pattern)})`;
    return { sql: e.op === '=~' ? match : `(NOT ${match})`, kind: 'boolean' };
  }
  const l = compile(e.lhs, m, now, cond, shift, filterTime);
  const r = compile(e.rhs, m, now, cond, shift, filterTime);
  if (COMPARE.has(e.op)) {
    if (l.kind === 'null' || r.kind === 'null') return { sql: 'NULL', kind: 'null' };
    if (l.kind !== r.kind) return { sql: 'FALSE', kind: 'boolean' };
    const op = e.op === '!=' ? '<>' : e.op;
    return { sql: `(${l.sql} ${op} ${r.sql})`, kind: 'boolean' };
  }
  if (l.kind === 'null' || r.kind === 'null') return { sql: 'NULL', kind: 'null' };
  if (l.kind !== 'number' || r.kind !== 'number') return { sql: 'NULL', kind: 'null' };
  return { sql: `(${l.sql} ${e.op === '^' ? 'xor' : e.op} ${r.sql})`, kind: 'number' };
}
