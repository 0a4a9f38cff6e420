/**
 * InfluxQL parser: a recursive-descent port of InfluxDB 1.x's Go parser (influxql 1.1.0, the one
 * influxd 1.6.7 runs), decision for decision, so that it accepts exactly what influxd accepts and
 * fails with influxd's exact message and position (`found X, expected Y at line L, char C`).
 *
 * Where the Go code has a quirk that shows in its output (which token an error names, positions of
 * consumed EOFs, errors without a position) the quirk is kept on purpose; comments mark the odd ones.
 */
import type {
  BinaryOp,
  Call,
  CreateContinuousQueryStatement,
  DataType,
  Dimension,
  ExplainStatement,
  Expr,
  Field,
  Fill,
  Measurement,
  OtherStatement,
  Query,
  SelectStatement,
  SortField,
  Source,
  Span,
  Statement,
  StatementType,
  VarRef,
} from './ast';
import { goRegexpError } from './go-regexp';
import {
  BufScanner,
  EOF_RUNE,
  isIdentCharCode,
  isIdentFirstChar,
  isOperator,
  lookupKeyword,
  type Pos,
  precedence,
  Tok,
  type Token,
  tokenString,
  tokstr,
} from './lexer';
import { isKnownTimeZone } from './timezones';

/**
 * A parse failure. `message` is influxd's text (what follows `error parsing query: `). `pos` is the
 * position influxd puts in that text (1-based line and char), or null when influxd's error carries
 * none (e.g. `invalid duration`, `only ORDER BY time supported at this time`); `hint` is always a
 * best position for an editor (the offending token), as a UTF-16 span.
 */
export class InfluxQLParseError extends Error {
  constructor(
    message: string,
    readonly pos: { readonly line: number; readonly char: number } | null,
    readonly hint: { readonly line: number; readonly char: number; readonly span: Span },
  ) {
    super(message);
    this.name = 'InfluxQLParseError';
  }
}

/** A value bound to a `$name` parameter, as influxd's `BindValue` turns JSON into tokens. */
export interface BoundValue {
  readonly tok: Tok;
  readonly value: string;
}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT32 = 2147483647;

const NS = {
  us: 1000n,
  ms: 1000_000n,
  s: 1000_000_000n,
  m: 60n * 1000_000_000n,
  h: 3600n * 1000_000_000n,
  d: 24n * 3600n * 1000_000_000n,
  w: 7n * 24n * 3600n * 1000_000_000n,
};

const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Go's `influxql.ParseDuration`: nanoseconds, or an error text (`invalid duration`, overflow). */
export function parseGoDuration(s: string): bigint | string {
  const a = [...s];
  if (utf8Length(s) < 2) return 'invalid duration';
  let d = 0n;
  let i = 0;
  let isNegative = false;
  if (a[i] === '-') {
    isNegative = true;
    i++;
  }
  let measure = 0n;
  let unit = '';
  while (i < a.length) {
    const start = i;
    while (i < a.length && /^[0-9]$/.test(a[i] as string)) i++;
    if (i >= a.length || i === start) return 'invalid duration';
    const n = BigInt(a.slice(start, i).join(''));
    if (n > MAX_INT64) return 'invalid duration';
    measure = n;
    const c = a[i] as string;
    unit = c;
    switch (c) {
      case 'n':
        if (a[i + 1] === 's') {
          unit = 'ns';
          d = wrap64(d + n);
          i += 2;
          continue;
        }
        return 'invalid duration';
      case 'u':
      case 'µ':
        d = wrap64(d + wrap64(n * NS.us));
        break;
      case 'm':
        if (a[i + 1] === 's') {
          unit = 'ms';
          d = wrap64(d + wrap64(n * NS.ms));
          i += 2;
          continue;
        }
        d = wrap64(d + wrap64(n * NS.m));
        break;
      case 's':
        d = wrap64(d + wrap64(n * NS.s));
        break;
      case 'h':
        d = wrap64(d + wrap64(n * NS.h));
        break;
      case 'd':
        d = wrap64(d + wrap64(n * NS.d));
        break;
      case 'w':
        d = wrap64(d + wrap64(n * NS.w));
        break;
      default:
        return 'invalid duration';
    }
    i++;
  }
  if (d < 0n && !isNegative) return `overflowed duration ${measure}${unit}: choose a smaller duration or INF`;
  return isNegative ? wrap64(-d) : d;
}

/** UTF-8 byte length (Go measures strings in bytes; shared/ has no TextEncoder). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Go's `FormatDuration`. */
export function formatGoDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const units: [bigint, string][] = [
    [NS.w, 'w'],
    [NS.d, 'd'],
    [NS.h, 'h'],
    [NS.m, 'm'],
    [NS.s, 's'],
    [NS.ms, 'ms'],
    [NS.us, 'u'],
  ];
  for (const [u, name] of units) if (d % u === 0n) return `${d / u}${name}`;
  return `${d}ns`;
}

/** Go's `IdentNeedsQuotes`. */
function identNeedsQuotes(ident: string): boolean {
  if (lookupKeyword(ident) !== Tok.IDENT) return true;
  let i = 0;
  for (const ch of ident) {
    const cp = ch.codePointAt(0) as number;
    if (i === 0 ? !isIdentFirstChar(cp) : !isIdentCharCode(cp)) return true;
    i++;
  }
  return false;
}

/** Go's `QuoteIdent`: how influxd prints identifiers (and names them in errors). */
export function quoteIdent(...segments: string[]): string {
  let out = '';
  segments.forEach((segment, i) => {
    const last = segments.length - 1;
    const needQuote =
      identNeedsQuotes(segment) || (i < last && segment !== '') || ((i === 0 || i === last) && segment === '');
    const body = segment.replace(/[\n\\"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
    out += needQuote ? `"${body}"` : body;
    if (i < last) out += '.';
  });
  return out;
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
function formatFloatF(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= 0) return sign + digits.padEnd(exp + 1, '0');
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/**
 * Turns the JSON `params` of a /query request into bound values, as influxd's `BindValue` does.
 * JSON numbers: influxd decides int or float by whether the JSON text has a `.`; after JSON.parse
 * that is no longer visible, so integral numbers bind as integers.
 */
export function bindParams(params: Readonly<Record<string, unknown>>): Map<string, BoundValue> {
  const out = new Map<string, BoundValue>();
  const err = (value: string): BoundValue => ({ tok: Tok.BOUNDPARAM, value });
  const goType = (v: unknown): string =>
    v === null
      ? '<nil>'
      : Array.isArray(v)
        ? '[]interface {}'
        : typeof v === 'object'
          ? 'map[string]interface {}'
          : typeof v;
  const num = (v: number): BoundValue =>
    Number.isInteger(v)
      ? { tok: Tok.INTEGER, value: BigInt(v).toString() }
      : { tok: Tok.NUMBER, value: formatFloatF(v) };
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'number') out.set(k, num(v));
    else if (typeof v === 'string') out.set(k, { tok: Tok.STRING, value: v });
    else if (typeof v === 'boolean') out.set(k, { tok: v ? Tok.TRUE : Tok.FALSE, value: '' });
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      const first = entries[0];
      if (entries.length !== 1 || first === undefined) {
        out.set(k, err('bound object parameter value must have exactly one entry'));
        continue;
      }
      const [kind, val] = first;
      switch (kind) {
        case 'ident':
        case 'identifier':
          out.set(
            k,
            typeof val === 'string' ? { tok: Tok.IDENT, value: val } : err('identifier must be a string value'),
          );
          break;
        case 'regex':
          out.set(
            k,
            typeof val === 'string' ? { tok: Tok.REGEX, value: val } : err('regex literal must be a string value'),
          );
          break;
        case 'string':
          out.set(
            k,
            typeof val === 'string' ? { tok: Tok.STRING, value: val } : err('string literal must be a string value'),
          );
          break;
        case 'float':
        case 'number':
          out.set(
            k,
            typeof val === 'number'
              ? { tok: Tok.NUMBER, value: formatFloatF(val) }
              : err('number literal must be a float value'),
          );
          break;
        case 'int':
        case 'integer':
          out.set(
            k,
            typeof val === 'number' && Number.isInteger(val)
              ? num(val)
              : err('integer literal must be an integer value'),
          );
          break;
        case 'duration':
          if (typeof val === 'string') out.set(k, { tok: Tok.DURATIONVAL, value: val });
          else if (typeof val === 'number' && Number.isInteger(val))
            out.set(k, { tok: Tok.DURATIONVAL, value: formatGoDuration(BigInt(val)) });
          else out.set(k, err('duration literal must be a string or integer value'));
          break;
        default:
          out.set(k, err(`unknown bind object type: ${kind}`));
      }
    } else {
      out.set(k, err(`unable to bind parameter with type ${goType(v)}`));
    }
  }
  return out;
}

type TargetRequirement = 'required' | 'notRequired' | 'subquery';

type Handler = (p: Parser, start: number) => Statement;

interface ParseTree {
  readonly keys: string[];
  readonly tokens: Map<Tok, ParseTree>;
  readonly handlers: Map<Tok, Handler>;
}

const newTree = (): ParseTree => ({ keys: [], tokens: new Map(), handlers: new Map() });

function group(t: ParseTree, ...toks: Tok[]): ParseTree {
  for (const tok of toks) {
    const sub = t.tokens.get(tok);
    if (sub) {
      t = sub;
      continue;
    }
    const n = newTree();
    t.tokens.set(tok, n);
    t.keys.push(tokenString(tok));
    t = n;
  }
  return t;
}

function handle(t: ParseTree, tok: Tok, fn: Handler): void {
  t.handlers.set(tok, fn);
  t.keys.push(tokenString(tok));
}

// The statement grammar's first words, registered in influxd's order: the order is visible in the
// "expected SELECT, DELETE, SHOW, …" list of errors.
const LANGUAGE: ParseTree = (() => {
  const root = newTree();
  handle(root, Tok.SELECT, (p, s) => p.parseSelectStatement('notRequired', s));
  handle(root, Tok.DELETE, (p, s) => p.parseDeleteStatement(s));
  const show = group(root, Tok.SHOW);
  handle(group(show, Tok.CONTINUOUS), Tok.QUERIES, (p, s) => p.simple('ShowContinuousQueriesStatement', s));
  handle(show, Tok.DATABASES, (p, s) => p.simple('ShowDatabasesStatement', s));
  handle(show, Tok.DIAGNOSTICS, (p, s) => p.parseShowStatsOrDiagnostics('ShowDiagnosticsStatement', s));
  const field = group(show, Tok.FIELD);
  handle(field, Tok.KEY, (p, s) => p.parseShowKeyCardinality('ShowFieldKeyCardinalityStatement', s));
  handle(field, Tok.KEYS, (p, s) => p.parseShowFieldKeysStatement(s));
  handle(group(show, Tok.GRANTS), Tok.FOR, (p, s) => p.parseNamed('ShowGrantsForUserStatement', s));
  handle(group(show, Tok.MEASUREMENT), Tok.EXACT, (p, s) =>
    p.parseShowCardinality('ShowMeasurementCardinalityStatement', true, s),
  );
  handle(group(show, Tok.MEASUREMENT), Tok.CARDINALITY, (p, s) =>
    p.parseShowCardinality('ShowMeasurementCardinalityStatement', false, s),
  );
  handle(show, Tok.MEASUREMENTS, (p, s) => p.parseShowMeasurementsStatement(s));
  handle(show, Tok.QUERIES, (p, s) => p.simple('ShowQueriesStatement', s));
  handle(group(show, Tok.RETENTION), Tok.POLICIES, (p, s) => p.parseShowRetentionPoliciesStatement(s));
  handle(show, Tok.SERIES, (p, s) => p.parseShowSeriesStatement(s));
  handle(group(show, Tok.SHARD), Tok.GROUPS, (p, s) => p.simple('ShowShardGroupsStatement', s));
  handle(show, Tok.SHARDS, (p, s) => p.simple('ShowShardsStatement', s));
  handle(show, Tok.STATS, (p, s) => p.parseShowStatsOrDiagnostics('ShowStatsStatement', s));
  handle(show, Tok.SUBSCRIPTIONS, (p, s) => p.simple('ShowSubscriptionsStatement', s));
  const tag = group(show, Tok.TAG);
  handle(tag, Tok.KEY, (p, s) => p.parseShowKeyCardinality('ShowTagKeyCardinalityStatement', s));
  handle(tag, Tok.KEYS, (p, s) => p.parseShowTagKeysStatement(s));
  handle(tag, Tok.VALUES, (p, s) => p.parseShowTagValuesStatement(s));
  handle(show, Tok.USERS, (p, s) => p.simple('ShowUsersStatement', s));
  const create = group(root, Tok.CREATE);
  handle(group(create, Tok.CONTINUOUS), Tok.QUERY, (p, s) => p.parseCreateContinuousQueryStatement(s));
  handle(create, Tok.DATABASE, (p, s) => p.parseCreateDatabaseStatement(s));
  handle(create, Tok.USER, (p, s) => p.parseCreateUserStatement(s));
  handle(group(create, Tok.RETENTION), Tok.POLICY, (p, s) => p.parseCreateRetentionPolicyStatement(s));
  handle(create, Tok.SUBSCRIPTION, (p, s) => p.parseCreateSubscriptionStatement(s));
  const drop = group(root, Tok.DROP);
  handle(group(drop, Tok.CONTINUOUS), Tok.QUERY, (p, s) => p.parseNameOnDatabase('DropContinuousQueryStatement', s));
  handle(drop, Tok.DATABASE, (p, s) => p.parseNamed('DropDatabaseStatement', s));
  handle(drop, Tok.MEASUREMENT, (p, s) => p.parseNamed('DropMeasurementStatement', s));
  handle(group(drop, Tok.RETENTION), Tok.POLICY, (p, s) => p.parseNameOnDatabase('DropRetentionPolicyStatement', s));
  handle(drop, Tok.SERIES, (p, s) => p.parseDeleteOrDropSeries('DropSeriesStatement', s));
  handle(drop, Tok.SHARD, (p, s) => p.parseDropShardStatement(s));
  handle(drop, Tok.SUBSCRIPTION, (p, s) => p.parseDropSubscriptionStatement(s));
  handle(drop, Tok.USER, (p, s) => p.parseNamed('DropUserStatement', s));
  handle(root, Tok.EXPLAIN, (p, s) => p.parseExplainStatement(s));
  handle(root, Tok.GRANT, (p, s) => p.parseGrantStatement(s));
  handle(root, Tok.REVOKE, (p, s) => p.parseRevokeStatement(s));
  handle(group(root, Tok.ALTER, Tok.RETENTION), Tok.POLICY, (p, s) => p.parseAlterRetentionPolicyStatement(s));
  handle(group(root, Tok.SET, Tok.PASSWORD), Tok.FOR, (p, s) => p.parseSetPasswordUserStatement(s));
  handle(group(root, Tok.KILL), Tok.QUERY, (p, s) => p.parseKillQueryStatement(s));
  return root;
})();

/** The words that can start a statement, in influxd's order. */
export const STATEMENT_KEYWORDS: readonly string[] = LANGUAGE.keys;

const FIELD_INVALID_OPS = new Set<BinaryOp>(['=', '!=', '=~', '!~', '<', '<=', '>', '>=', 'AND', 'OR']);

// A mutable binary node while the precedence climbing rearranges the tree; spans are fixed after.
interface MutBinary {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  span: Span;
}

function fixSpans(e: Expr): Expr {
  if (e.type !== 'BinaryExpr') return e;
  const m = e as MutBinary;
  m.lhs = fixSpans(m.lhs);
  m.rhs = fixSpans(m.rhs);
  m.span = { start: Math.min(m.span.start, m.lhs.span.start), end: m.rhs.span.end };
  return m;
}

/**
 * Deepest expression (or subquery) nesting checked locally. influxd takes deeper ones (its parser is
 * Go, with a growable stack); here every check walks the tree recursively, so a deeper one is
 * reported as beyond the local checks instead of overflowing the stack. Running the query never
 * depends on this: the query path falls back to a token scan.
 */
export const MAX_EXPR_DEPTH = 1000;

/** Height of an expression tree, without recursion (the tree may be a long left-deep chain). */
function exprHeight(root: Expr): number {
  let max = 0;
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    if (e.type === 'BinaryExpr') stack.push([e.lhs, d + 1], [e.rhs, d + 1]);
    else if (e.type === 'ParenExpr') stack.push([e.expr, d + 1]);
    else if (e.type === 'Call') for (const a of e.args) stack.push([a, d + 1]);
  }
  return max;
}

/** The parser. Use {@link parseQuery}; the methods are public only for the grammar table. */
export class Parser {
  private readonly s: BufScanner;
  // Open parseExpr / subquery calls, against MAX_EXPR_DEPTH.
  private nesting = 0;

  constructor(
    private readonly src: string,
    private readonly params: ReadonlyMap<string, BoundValue> | null,
  ) {
    this.s = new BufScanner(src);
  }

  // ---- errors ----

  private hintFor(pos: Pos, len = 1): { line: number; char: number; span: Span } {
    let start = Math.min(pos.offset, this.src.length);
    const end = Math.min(this.src.length, start + Math.max(len, 0));
    // influxd positions a string token on the character before its quote; editors want the token.
    while (start < end - 1 && /\s/.test(this.src[start] as string)) start++;
    return { line: pos.line + 1, char: pos.char + 1, span: { start, end } };
  }

  /** `found X, expected Y at …`. */
  private expected(found: Token, expected: readonly string[]): InfluxQLParseError {
    const text = tokstr(found.tok, found.lit);
    return this.at(
      `found ${text}, expected ${expected.join(', ')}`,
      found.pos,
      Math.max(1, found.end - found.pos.offset),
    );
  }

  /** A ParseError with a message and position. */
  private at(message: string, pos: Pos, len = 1): InfluxQLParseError {
    return new InfluxQLParseError(
      `${message} at line ${pos.line + 1}, char ${pos.char + 1}`,
      { line: pos.line + 1, char: pos.char + 1 },
      this.hintFor(pos, len),
    );
  }

  /** A ParseError whose Go position is the zero value (influxd then says line 1, char 1). */
  private atZero(message: string, hint: Span): InfluxQLParseError {
    return new InfluxQLParseError(`${message} at line 1, char 1`, { line: 1, char: 1 }, this.spanHint(hint));
  }

  /** A plain Go error: influxd prints no position. */
  private plain(message: string, hint: Span): InfluxQLParseError {
    return new InfluxQLParseError(message, null, this.spanHint(hint));
  }

  private spanHint(span: Span): { line: number; char: number; span: Span } {
    const { line, char } = lineCharAt(this.src, span.start);
    return { line, char, span };
  }

  // ---- scanning ----

  private scan(): Token {
    return this.applyParams(this.s.scan());
  }

  private scanRegexTok(): Token {
    return this.applyParams(this.s.scanRegex());
  }

  private applyParams(t: Token): Token {
    if (t.tok === Tok.BOUNDPARAM && this.params) {
      const k = t.lit.slice(1);
      const v = k.length !== 0 ? this.params.get(k) : undefined;
      if (v) return { ...t, tok: v.tok, lit: v.value };
    }
    return t;
  }

  private scanIgnoreWhitespace(): Token {
    for (;;) {
      const t = this.scan();
      if (t.tok === Tok.WS || t.tok === Tok.COMMENT) continue;
      return t;
    }
  }

  private unscan(): void {
    this.s.unscan();
  }

  private consumeWhitespace(): void {
    if (this.scan().tok !== Tok.WS) this.unscan();
  }

  private peekRune(): number {
    const r = this.s.s.r.readRune();
    if (r.ch !== EOF_RUNE) this.s.s.r.unread();
    return r.ch;
  }

  private lastEnd(): number {
    return this.s.significantEnd();
  }

  private spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd()) };
  }

  private parseTokens(toks: readonly Tok[]): void {
    for (const expected of toks) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== expected) throw this.expected(t, [tokenString(expected)]);
    }
  }

  /** Like parseTokens for one token, but reports instead of throwing (Go ignores the error there). */
  private tryToken(tok: Tok): boolean {
    return this.scanIgnoreWhitespace().tok === tok;
  }

  // ---- top level ----

  /** Parses the whole text (Go's `ParseQuery`). */
  parseQuery(): Query {
    const statements: Statement[] = [];
    let semi = true;
    for (;;) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok === Tok.EOF) return { statements };
      if (t.tok === Tok.SEMICOLON) {
        semi = true;
        continue;
      }
      if (!semi) throw this.expected(t, [';']);
      this.unscan();
      statements.push(this.parseStatement());
      semi = false;
    }
  }

  private parseStatement(): Statement {
    let tree = LANGUAGE;
    let start = -1;
    for (;;) {
      const t = this.scanIgnoreWhitespace();
      if (start < 0) start = t.pos.offset;
      const sub = tree.tokens.get(t.tok);
      if (sub) {
        tree = sub;
        continue;
      }
      const h = tree.handlers.get(t.tok);
      if (h) return h(this, start);
      throw this.expected(t, tree.keys);
    }
  }

  // ---- shared pieces ----

  /** Go's `ParseIdent`. */
  private parseIdent(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.IDENT) throw this.expected(t, ['identifier']);
    return t.lit;
  }

  private parseIdentList(): string[] {
    const idents = [this.parseIdent()];
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== Tok.COMMA) {
        this.unscan();
        return idents;
      }
      idents.push(this.parseIdent());
    }
  }

  private parseSegmentedIdents(): { idents: string[]; start: number } {
    const first = this.scanIgnoreWhitespace();
    if (first.tok !== Tok.IDENT) throw this.expected(first, ['identifier']);
    const idents = [first.lit];
    for (;;) {
      if (this.scan().tok !== Tok.DOT) {
        this.unscan();
        break;
      }
      const ch = this.peekRune();
      if (ch === 0x2f || ch === 0x3a) break; // a regex or `:MEASUREMENT` follows: the caller's business
      if (ch === 0x2e) {
        idents.push('');
        continue;
      }
      idents.push(this.parseIdent());
    }
    if (idents.length > 3) {
      // Go builds this ParseError without a position, so influxd says "line 1, char 1".
      throw this.atZero(`too many segments in ${quoteIdent(...idents)}`, this.spanFrom(first.pos.offset));
    }
    return { idents, start: first.pos.offset };
  }

  private parseString(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.STRING) throw this.expected(t, ['string']);
    return t.lit;
  }

  private parseStringList(): string[] {
    const strs = [this.parseString()];
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== Tok.COMMA) {
        this.unscan();
        return strs;
      }
      strs.push(this.parseString());
    }
  }

  /** Go's `ParseInt(min, max)` (used for REPLICATION). */
  private parseInt(min: number, max: number): number {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.INTEGER) throw this.expected(t, ['integer']);
    let n: bigint;
    try {
      n = BigInt(t.lit);
    } catch {
      throw this.at(`strconv.Atoi: parsing ${JSON.stringify(t.lit)}: invalid syntax`, t.pos);
    }
    if (n > MAX_INT64 || n < MIN_INT64)
      throw this.at(`strconv.Atoi: parsing ${JSON.stringify(t.lit)}: value out of range`, t.pos);
    if (BigInt(min) > n || n > BigInt(max)) throw this.at(`invalid value ${n}: must be ${min} <= n <= ${max}`, t.pos);
    return Number(n);
  }

  /** Go's `ParseUInt64`. */
  private parseUInt64(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.INTEGER) throw this.expected(t, ['integer']);
    if (!/^[0-9]+$/.test(t.lit))
      throw this.at(`strconv.ParseUint: parsing ${JSON.stringify(t.lit)}: invalid syntax`, t.pos);
    const n = BigInt(t.lit);
    if (n > MAX_UINT64) throw this.at(`strconv.ParseUint: parsing ${JSON.stringify(t.lit)}: value out of range`, t.pos);
    return n.toString();
  }

  /** Go's `Parser.ParseDuration` (DURATION values; INF is 0). */
  private parseDuration(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.DURATIONVAL && t.tok !== Tok.INF) throw this.expected(t, ['duration']);
    if (t.tok === Tok.INF) return '0';
    const d = parseGoDuration(t.lit);
    if (typeof d === 'string') throw this.at(d, t.pos, t.lit.length);
    return d.toString();
  }

  /** Go's `ParseOptionalTokenAndInt` (LIMIT, OFFSET, SLIMIT, SOFFSET). */
  private parseOptionalTokenAndInt(tok: Tok, clauses: Partial<Record<string, Span>>, clause: string): number {
    const kw = this.scanIgnoreWhitespace();
    if (kw.tok !== tok) {
      this.unscan();
      return 0;
    }
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.INTEGER) throw this.expected(t, ['integer']);
    let n: bigint;
    try {
      n = BigInt(t.lit);
    } catch {
      n = 0n; // Go ignores the conversion error here
    }
    if (n > MAX_INT64) n = MAX_INT64; // strconv.ParseInt saturates on overflow, and the error is ignored
    if (n < 0n) throw this.at(`${tokenString(tok)} must be >= 0`, t.pos);
    clauses[clause] = this.spanFrom(kw.pos.offset);
    return Number(n);
  }

  private parseOptionalOn(clauses: Partial<Record<string, Span>>): string | undefined {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) {
      this.unscan();
      return undefined;
    }
    const db = this.parseIdent();
    clauses.on = this.spanFrom(t.pos.offset);
    return db;
  }

  private parseOptionalFrom(): Source[] | undefined {
    if (this.scanIgnoreWhitespace().tok !== Tok.FROM) {
      this.unscan();
      return undefined;
    }
    return this.parseSources(false);
  }

  // ---- statements ----

  /** Statements that are just their keywords. */
  simple(type: StatementType, start: number): OtherStatement {
    return { type: type as OtherStatement['type'], span: this.spanFrom(start), clauses: {} };
  }

  /** `… name` statements (DROP DATABASE/MEASUREMENT/USER, SHOW GRANTS FOR). */
  parseNamed(type: OtherStatement['type'], start: number): OtherStatement {
    const name = this.parseIdent();
    const key = type === 'ShowGrantsForUserStatement' || type === 'DropUserStatement' ? 'user' : 'name';
    return { type, [key]: name, ...(key === 'user' ? { name } : {}), span: this.spanFrom(start), clauses: {} };
  }

  /** `… name ON db` statements (DROP CONTINUOUS QUERY, DROP RETENTION POLICY). */
  parseNameOnDatabase(type: OtherStatement['type'], start: number): OtherStatement {
    const name = this.parseIdent();
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    return { type, name, database, span: this.spanFrom(start), clauses: {} };
  }

  parseSetPasswordUserStatement(start: number): OtherStatement {
    const user = this.parseIdent();
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.EQ) throw this.expected(t, ['=']);
    this.parseString();
    return { type: 'SetPasswordUserStatement', user, name: user, span: this.spanFrom(start), clauses: {} };
  }

  parseKillQueryStatement(start: number): OtherStatement {
    const queryId = this.parseUInt64();
    let host: string | undefined;
    if (this.scanIgnoreWhitespace().tok === Tok.ON) host = this.parseIdent();
    else this.unscan();
    return {
      type: 'KillQueryStatement',
      queryId,
      ...(host !== undefined ? { host } : {}),
      span: this.spanFrom(start),
      clauses: {},
    };
  }

  parseCreateSubscriptionStatement(start: number): OtherStatement {
    const name = this.parseIdent();
    let t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    t = this.scan(); // no whitespace allowed before the dot
    if (t.tok !== Tok.DOT) throw this.expected(t, ['.']);
    const retentionPolicy = this.parseIdent();
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.DESTINATIONS) throw this.expected(t, ['DESTINATIONS']);
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ALL && t.tok !== Tok.ANY) throw this.expected(t, ['ALL', 'ANY']);
    const mode = t.tok === Tok.ALL ? 'ALL' : 'ANY';
    const destinations = this.parseStringList();
    return {
      type: 'CreateSubscriptionStatement',
      name,
      database,
      retentionPolicy,
      mode,
      destinations,
      span: this.spanFrom(start),
      clauses: {},
    };
  }

  parseDropSubscriptionStatement(start: number): OtherStatement {
    const name = this.parseIdent();
    let t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    t = this.scan();
    if (t.tok !== Tok.DOT) throw this.expected(t, ['.']);
    const retentionPolicy = this.parseIdent();
    return {
      type: 'DropSubscriptionStatement',
      name,
      database,
      retentionPolicy,
      span: this.spanFrom(start),
      clauses: {},
    };
  }

  private parseShardDuration(): string {
    const inf = this.scanIgnoreWhitespace();
    if (inf.tok === Tok.INF) throw this.at('invalid duration INF for shard duration', inf.pos, 3);
    this.unscan();
    return this.parseDuration();
  }

  parseCreateRetentionPolicyStatement(start: number): OtherStatement {
    const name = this.parseIdent();
    let t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.DURATION) throw this.expected(t, ['DURATION']);
    const duration = this.parseDuration();
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.REPLICATION) throw this.expected(t, ['REPLICATION']);
    const replication = this.parseInt(1, MAX_INT32);
    let shardGroupDuration: string | undefined;
    if (this.scanIgnoreWhitespace().tok === Tok.SHARD) {
      t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.DURATION) throw this.expected(t, ['DURATION']);
      shardGroupDuration = this.parseShardDuration();
    } else {
      this.unscan();
    }
    let isDefault = false;
    if (this.scanIgnoreWhitespace().tok === Tok.DEFAULT) isDefault = true;
    else this.unscan();
    return {
      type: 'CreateRetentionPolicyStatement',
      name,
      database,
      duration,
      replication,
      ...(shardGroupDuration !== undefined ? { shardGroupDuration } : {}),
      isDefault,
      span: this.spanFrom(start),
      clauses: {},
    };
  }

  parseAlterRetentionPolicyStatement(start: number): OtherStatement {
    let t = this.scanIgnoreWhitespace();
    let name: string;
    if (t.tok === Tok.DEFAULT) name = 'default';
    else if (t.tok === Tok.IDENT) name = t.lit;
    else throw this.expected(t, ['identifier']);
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    const stmt: { -readonly [K in keyof OtherStatement]?: OtherStatement[K] } = {};
    const found = new Set<Tok>();
    for (;;) {
      const o = this.scanIgnoreWhitespace();
      if (found.has(o.tok)) throw this.at(`found duplicate ${tokenString(o.tok)} option`, o.pos);
      if (o.tok === Tok.DURATION) {
        stmt.duration = this.parseDuration();
      } else if (o.tok === Tok.REPLICATION) {
        stmt.replication = this.parseInt(1, MAX_INT32);
      } else if (o.tok === Tok.SHARD) {
        const d = this.scanIgnoreWhitespace();
        if (d.tok !== Tok.DURATION) throw this.expected(d, ['DURATION']);
        stmt.shardGroupDuration = this.parseShardDuration();
      } else if (o.tok === Tok.DEFAULT) {
        stmt.isDefault = true;
      } else {
        if (found.size === 0) throw this.expected(o, ['DURATION', 'REPLICATION', 'SHARD', 'DEFAULT']);
        this.unscan();
        break;
      }
      found.add(o.tok);
    }
    return { ...stmt, type: 'AlterRetentionPolicyStatement', name, database, span: this.spanFrom(start), clauses: {} };
  }

  private parsePrivilege(): 'READ' | 'WRITE' | 'ALL PRIVILEGES' {
    const t = this.scanIgnoreWhitespace();
    if (t.tok === Tok.READ) return 'READ';
    if (t.tok === Tok.WRITE) return 'WRITE';
    if (t.tok === Tok.ALL) {
      if (this.scanIgnoreWhitespace().tok !== Tok.PRIVILEGES) this.unscan();
      return 'ALL PRIVILEGES';
    }
    throw this.expected(t, ['READ', 'WRITE', 'ALL [PRIVILEGES]']);
  }

  parseRevokeStatement(start: number): OtherStatement {
    const privilege = this.parsePrivilege();
    const t = this.scanIgnoreWhitespace();
    if (t.tok === Tok.ON) {
      const database = this.parseIdent();
      const f = this.scanIgnoreWhitespace();
      if (f.tok !== Tok.FROM) throw this.expected(f, ['FROM']);
      const user = this.parseIdent();
      return { type: 'RevokeStatement', privilege, database, user, span: this.spanFrom(start), clauses: {} };
    }
    if (t.tok === Tok.FROM) {
      if (privilege !== 'ALL PRIVILEGES') throw this.expected(t, ['ON']);
      const user = this.parseIdent();
      return { type: 'RevokeAdminStatement', privilege, user, span: this.spanFrom(start), clauses: {} };
    }
    throw this.expected(t, privilege === 'ALL PRIVILEGES' ? ['ON', 'FROM'] : ['ON']);
  }

  parseGrantStatement(start: number): OtherStatement {
    const privilege = this.parsePrivilege();
    const t = this.scanIgnoreWhitespace();
    if (t.tok === Tok.ON) {
      const database = this.parseIdent();
      const to = this.scanIgnoreWhitespace();
      if (to.tok !== Tok.TO) throw this.expected(to, ['TO']);
      const user = this.parseIdent();
      return { type: 'GrantStatement', privilege, database, user, span: this.spanFrom(start), clauses: {} };
    }
    if (t.tok === Tok.TO) {
      if (privilege !== 'ALL PRIVILEGES') throw this.expected(t, ['ON']);
      const user = this.parseIdent();
      return { type: 'GrantAdminStatement', privilege, user, span: this.spanFrom(start), clauses: {} };
    }
    throw this.expected(t, privilege === 'ALL PRIVILEGES' ? ['ON', 'TO'] : ['ON']);
  }

  /** SELECT (after the SELECT keyword). */
  parseSelectStatement(tr: TargetRequirement, start: number): SelectStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const fields = this.parseFields();
    const target = this.parseTarget(tr, clauses);
    const from = this.scanIgnoreWhitespace();
    if (from.tok !== Tok.FROM) throw this.expected(from, ['FROM']);
    const sources = this.parseSources(true);
    const condition = this.parseCondition(clauses);
    const dimensions = this.parseDimensions(clauses);
    const fill = this.parseFill(clauses);
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    const slimit = this.parseOptionalTokenAndInt(Tok.SLIMIT, clauses, 'slimit');
    const soffset = this.parseOptionalTokenAndInt(Tok.SOFFSET, clauses, 'soffset');
    const timezone = this.parseLocation(clauses);
    const isRawQuery = !fields.some((f) => containsCall(f.expr));
    return {
      type: 'SelectStatement',
      fields,
      target,
      sources,
      condition,
      dimensions,
      fill,
      sortFields,
      limit,
      offset,
      slimit,
      soffset,
      timezone,
      isRawQuery,
      span: this.spanFrom(start),
      clauses,
    };
  }

  private parseTarget(tr: TargetRequirement, clauses: Partial<Record<string, Span>>): Measurement | null {
    const into = this.scanIgnoreWhitespace();
    if (into.tok !== Tok.INTO) {
      if (tr === 'required') throw this.expected(into, ['INTO']);
      this.unscan();
      return null;
    }
    const { idents, start } = this.parseSegmentedIdents();
    if (idents.length < 3 && this.peekRune() === 0x3a) {
      this.parseTokens([Tok.COLON, Tok.MEASUREMENT]);
      idents.push('');
    }
    const span = this.spanFrom(start);
    clauses.into = this.spanFrom(into.pos.offset);
    const [a = '', b = '', c = ''] = idents;
    if (idents.length === 1)
      return { type: 'Measurement', database: '', retentionPolicy: '', name: a, regex: null, span };
    if (idents.length === 2)
      return { type: 'Measurement', database: '', retentionPolicy: a, name: b, regex: null, span };
    return { type: 'Measurement', database: a, retentionPolicy: b, name: c, regex: null, span };
  }

  parseDeleteStatement(start: number): OtherStatement {
    return this.parseDeleteOrDropSeries('DeleteSeriesStatement', start);
  }

  /** DELETE and DROP SERIES share a grammar: [FROM sources] [WHERE cond], at least one of them. */
  parseDeleteOrDropSeries(type: 'DeleteSeriesStatement' | 'DropSeriesStatement', start: number): OtherStatement {
    const t = this.scanIgnoreWhitespace();
    let sources: Source[] | undefined;
    if (t.tok === Tok.FROM) {
      sources = this.parseSources(false);
      let err: InfluxQLParseError | null = null;
      for (const m of sources) {
        if (m.type !== 'Measurement') continue;
        // Both checks run and the last one wins, as in Go's walk; the ParseError has no position.
        if (m.database !== '') err = this.atZero('database not supported', m.span);
        if (m.retentionPolicy !== '') err = this.atZero('retention policy not supported', m.span);
      }
      if (err) throw err;
    } else {
      this.unscan();
    }
    const clauses: Partial<Record<string, Span>> = {};
    const condition = this.parseCondition(clauses);
    if (condition === null && sources === undefined) throw this.expected(t, ['FROM', 'WHERE']);
    return { type, ...(sources ? { sources } : {}), condition, span: this.spanFrom(start), clauses };
  }

  parseShowSeriesStatement(start: number): OtherStatement {
    let exact = false;
    if (this.scanIgnoreWhitespace().tok === Tok.EXACT) exact = true;
    else this.unscan();
    if (this.scanIgnoreWhitespace().tok === Tok.CARDINALITY)
      return this.parseCardinalityTail('ShowSeriesCardinalityStatement', exact, start);
    this.unscan();
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    const sources = this.parseOptionalFrom();
    const condition = this.parseCondition(clauses);
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    return {
      type: 'ShowSeriesStatement',
      ...(database !== undefined ? { database } : {}),
      ...(sources ? { sources } : {}),
      condition,
      sortFields,
      limit,
      offset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  /** ON / FROM / WHERE / GROUP BY / LIMIT / OFFSET tail shared by the CARDINALITY statements. */
  private parseCardinalityTail(
    type: OtherStatement['type'],
    exact: boolean,
    start: number,
    extra: Partial<OtherStatement> = {},
    withKey = false,
  ): OtherStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    const sources = this.parseOptionalFrom();
    const tagKey = withKey ? this.parseTagKeyExpr(clauses) : undefined;
    const condition = this.parseCondition(clauses);
    const dimensions = this.parseDimensions(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    return {
      ...extra,
      type,
      exact,
      ...(database !== undefined ? { database } : {}),
      ...(sources ? { sources } : {}),
      ...(tagKey ? { tagKey } : {}),
      condition,
      dimensions,
      limit,
      offset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  /** SHOW MEASUREMENT [EXACT] CARDINALITY. */
  parseShowCardinality(type: 'ShowMeasurementCardinalityStatement', exact: boolean, start: number): OtherStatement {
    if (exact) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.CARDINALITY) throw this.expected(t, ['CARDINALITY']);
    }
    return this.parseCardinalityTail(type, exact, start);
  }

  /** SHOW TAG KEY / FIELD KEY [EXACT] CARDINALITY. */
  parseShowKeyCardinality(
    type: 'ShowTagKeyCardinalityStatement' | 'ShowFieldKeyCardinalityStatement',
    start: number,
  ): OtherStatement {
    let exact = false;
    let required = ['EXACT', 'CARDINALITY'];
    if (this.scanIgnoreWhitespace().tok === Tok.EXACT) {
      exact = true;
      required = ['CARDINALITY'];
    } else {
      this.unscan();
    }
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.CARDINALITY) throw this.expected(t, required);
    return this.parseCardinalityTail(type, exact, start);
  }

  parseShowMeasurementsStatement(start: number): OtherStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    let source: Source | undefined;
    const w = this.scanIgnoreWhitespace();
    if (w.tok === Tok.WITH) {
      this.parseTokens([Tok.MEASUREMENT]);
      const op = this.scanIgnoreWhitespace();
      if (op.tok !== Tok.EQ && op.tok !== Tok.EQREGEX) throw this.expected(op, ['=', '=~']);
      source = this.parseSource(false);
      clauses.with = this.spanFrom(w.pos.offset);
    } else {
      this.unscan();
    }
    const condition = this.parseCondition(clauses);
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    return {
      type: 'ShowMeasurementsStatement',
      ...(database !== undefined ? { database } : {}),
      ...(source ? { source } : {}),
      condition,
      sortFields,
      limit,
      offset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  parseShowRetentionPoliciesStatement(start: number): OtherStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    return {
      type: 'ShowRetentionPoliciesStatement',
      ...(database !== undefined ? { database } : {}),
      span: this.spanFrom(start),
      clauses,
    };
  }

  parseShowTagKeysStatement(start: number): OtherStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    const sources = this.parseOptionalFrom();
    const condition = this.parseCondition(clauses);
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    const slimit = this.parseOptionalTokenAndInt(Tok.SLIMIT, clauses, 'slimit');
    const soffset = this.parseOptionalTokenAndInt(Tok.SOFFSET, clauses, 'soffset');
    return {
      type: 'ShowTagKeysStatement',
      ...(database !== undefined ? { database } : {}),
      ...(sources ? { sources } : {}),
      condition,
      sortFields,
      limit,
      offset,
      slimit,
      soffset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  parseShowTagValuesStatement(start: number): OtherStatement {
    const t = this.scanIgnoreWhitespace();
    if (t.tok === Tok.EXACT || t.tok === Tok.CARDINALITY) {
      const exact = t.tok === Tok.EXACT;
      if (exact) {
        const c = this.scanIgnoreWhitespace();
        if (c.tok !== Tok.CARDINALITY) throw this.expected(c, ['CARDINALITY']);
      }
      return this.parseCardinalityTail('ShowTagValuesCardinalityStatement', exact, start, {}, true);
    }
    this.unscan();
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    const sources = this.parseOptionalFrom();
    const tagKey = this.parseTagKeyExpr(clauses);
    const condition = this.parseCondition(clauses);
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    return {
      type: 'ShowTagValuesStatement',
      ...(database !== undefined ? { database } : {}),
      ...(sources ? { sources } : {}),
      tagKey,
      condition,
      sortFields,
      limit,
      offset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  private parseTagKeyExpr(clauses: Partial<Record<string, Span>>): NonNullable<OtherStatement['tagKey']> {
    const w = this.scanIgnoreWhitespace();
    if (w.tok !== Tok.WITH) throw this.expected(w, ['WITH']);
    this.parseTokens([Tok.KEY]);
    let t = this.scanIgnoreWhitespace();
    let out: NonNullable<OtherStatement['tagKey']>;
    if (t.tok === Tok.IN) {
      t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.LPAREN) throw this.expected(t, ['(']);
      const keys = this.parseIdentList();
      t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.RPAREN) throw this.expected(t, [')']);
      out = { op: 'IN', keys };
    } else if (t.tok === Tok.EQ || t.tok === Tok.NEQ) {
      out = { op: t.tok === Tok.EQ ? '=' : '!=', keys: [this.parseIdent()] };
    } else if (t.tok === Tok.EQREGEX || t.tok === Tok.NEQREGEX) {
      const op = t.tok === Tok.EQREGEX ? '=~' : '!~';
      const re = this.parseRegex();
      if (re === null) throw this.expected(this.scanIgnoreWhitespace(), ['regex']);
      out = { op, keys: [], regex: re.pattern };
    } else {
      throw this.expected(t, ['IN', '=', '=~']);
    }
    clauses.with = this.spanFrom(w.pos.offset);
    return out;
  }

  parseShowFieldKeysStatement(start: number): OtherStatement {
    const clauses: Partial<Record<string, Span>> = {};
    const database = this.parseOptionalOn(clauses);
    const sources = this.parseOptionalFrom();
    const sortFields = this.parseOrderBy(clauses);
    const limit = this.parseOptionalTokenAndInt(Tok.LIMIT, clauses, 'limit');
    const offset = this.parseOptionalTokenAndInt(Tok.OFFSET, clauses, 'offset');
    return {
      type: 'ShowFieldKeysStatement',
      ...(database !== undefined ? { database } : {}),
      ...(sources ? { sources } : {}),
      sortFields,
      limit,
      offset,
      span: this.spanFrom(start),
      clauses,
    };
  }

  parseDropShardStatement(start: number): OtherStatement {
    const shardId = this.parseUInt64();
    return { type: 'DropShardStatement', shardId, span: this.spanFrom(start), clauses: {} };
  }

  parseShowStatsOrDiagnostics(type: 'ShowStatsStatement' | 'ShowDiagnosticsStatement', start: number): OtherStatement {
    let module: string | undefined;
    if (this.scanIgnoreWhitespace().tok === Tok.FOR) module = this.parseString();
    else this.unscan();
    return { type, ...(module !== undefined ? { module } : {}), span: this.spanFrom(start), clauses: {} };
  }

  parseCreateContinuousQueryStatement(start: number): CreateContinuousQueryStatement {
    const name = this.parseIdent();
    let t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ON) throw this.expected(t, ['ON']);
    const database = this.parseIdent();
    let every = 0n;
    let forDur = 0n;
    if (this.scanIgnoreWhitespace().tok === Tok.RESAMPLE) {
      [every, forDur] = this.parseResample();
    } else {
      this.unscan();
    }
    this.parseTokens([Tok.BEGIN, Tok.SELECT]);
    const selectStart = this.s.curr().pos.offset;
    const source = this.parseSelectStatement('required', selectStart);
    const interval = groupByInterval(source);
    if (!source.isRawQuery && (typeof interval === 'string' || interval === 0n)) {
      // influxd rewinds two tokens to name something in the message; the rewind is replayed as is.
      this.unscan();
      this.unscan();
      const bad = this.scanIgnoreWhitespace();
      const expected = ['GROUP BY time(...)'];
      if (typeof interval === 'string') expected.push(interval);
      throw this.expected(bad, expected);
    }
    t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.END) throw this.expected(t, ['END']);
    const span = this.spanFrom(start);
    if (typeof interval === 'string') throw this.plain(interval, span);
    if (forDur !== 0n) {
      let iv = interval;
      if (every !== 0n && every > iv) iv = every;
      if (iv > forDur) {
        throw this.plain(
          `FOR duration must be >= GROUP BY time duration: must be a minimum of ${formatGoDuration(iv)}, got ${formatGoDuration(forDur)}`,
          span,
        );
      }
    }
    return {
      type: 'CreateContinuousQueryStatement',
      name,
      database,
      resampleEvery: every.toString(),
      resampleFor: forDur.toString(),
      source,
      span,
      clauses: {},
    };
  }

  parseCreateDatabaseStatement(start: number): OtherStatement {
    const name = this.parseIdent();
    const stmt: { -readonly [K in keyof OtherStatement]?: OtherStatement[K] } = {};
    const clauses: Partial<Record<string, Span>> = {};
    const w = this.scanIgnoreWhitespace();
    if (w.tok === Tok.WITH) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.DURATION && t.tok !== Tok.NAME && t.tok !== Tok.REPLICATION && t.tok !== Tok.SHARD) {
        throw this.expected(t, ['DURATION', 'NAME', 'REPLICATION', 'SHARD']);
      }
      this.unscan();
      // Each option is optional but they must come in this order; Go's parseTokens error is dropped.
      if (!this.tryToken(Tok.DURATION)) this.unscan();
      else stmt.duration = this.parseDuration();
      if (!this.tryToken(Tok.REPLICATION)) this.unscan();
      else stmt.replication = this.parseInt(1, MAX_INT32);
      if (!this.tryToken(Tok.SHARD)) {
        this.unscan();
      } else {
        const d = this.scanIgnoreWhitespace();
        if (d.tok !== Tok.DURATION) throw this.expected(d, ['DURATION']);
        stmt.shardGroupDuration = this.parseDuration();
      }
      if (!this.tryToken(Tok.NAME)) this.unscan();
      else stmt.retentionPolicyName = this.parseIdent();
      clauses.with = this.spanFrom(w.pos.offset);
    } else {
      this.unscan();
    }
    return { ...stmt, type: 'CreateDatabaseStatement', name, span: this.spanFrom(start), clauses };
  }

  parseCreateUserStatement(start: number): OtherStatement {
    const name = this.parseIdent();
    this.parseTokens([Tok.WITH, Tok.PASSWORD]);
    this.parseString();
    let admin = false;
    if (this.scanIgnoreWhitespace().tok !== Tok.WITH) {
      this.unscan();
    } else {
      this.parseTokens([Tok.ALL, Tok.PRIVILEGES]);
      admin = true;
    }
    return { type: 'CreateUserStatement', name, user: name, admin, span: this.spanFrom(start), clauses: {} };
  }

  parseExplainStatement(start: number): ExplainStatement {
    let analyze = false;
    if (this.scanIgnoreWhitespace().tok === Tok.ANALYZE) analyze = true;
    else this.unscan();
    const sel = this.scanIgnoreWhitespace();
    if (sel.tok !== Tok.SELECT) throw this.expected(sel, ['SELECT']);
    const statement = this.parseSelectStatement('notRequired', sel.pos.offset);
    return { type: 'ExplainStatement', analyze, statement, span: this.spanFrom(start), clauses: {} };
  }

  // ---- SELECT pieces ----

  private parseFields(): Field[] {
    const fields: Field[] = [];
    for (;;) {
      fields.push(this.parseField());
      if (this.scan().tok !== Tok.COMMA) {
        this.unscan();
        break;
      }
    }
    return fields;
  }

  private parseField(): Field {
    let expr: Expr;
    const re = this.parseRegex();
    let start: number;
    if (re !== null) {
      expr = re;
      start = re.span.start;
    } else {
      const first = this.scanIgnoreWhitespace();
      this.unscan();
      start = first.pos.offset;
      expr = this.parseExpr();
      const bad = lastInvalidFieldOp(expr);
      if (bad !== null) {
        throw this.plain(
          `invalid operator ${bad} in SELECT clause at line ${first.pos.line + 1}, ` +
            `char ${first.pos.char + 1}; operator is intended for WHERE clause`,
          expr.span,
        );
      }
    }
    const alias = this.parseAlias();
    const span = this.spanFrom(start);
    this.consumeWhitespace();
    return { expr, alias, span };
  }

  private parseAlias(): string {
    if (this.scanIgnoreWhitespace().tok !== Tok.AS) {
      this.unscan();
      return '';
    }
    return this.parseIdent();
  }

  private parseSources(subqueries: boolean): Source[] {
    const sources: Source[] = [];
    for (;;) {
      sources.push(this.parseSource(subqueries));
      if (this.scanIgnoreWhitespace().tok !== Tok.COMMA) {
        this.unscan();
        break;
      }
    }
    return sources;
  }

  private parseSource(subqueries: boolean): Source {
    let re = this.parseRegex();
    if (re !== null) {
      return { type: 'Measurement', database: '', retentionPolicy: '', name: '', regex: re.pattern, span: re.span };
    }
    if (subqueries) {
      const lp = this.scanIgnoreWhitespace();
      if (lp.tok === Tok.LPAREN) {
        const sel = this.scanIgnoreWhitespace();
        if (sel.tok !== Tok.SELECT) throw this.expected(sel, ['SELECT']);
        this.enterNesting();
        let statement: SelectStatement;
        try {
          statement = this.parseSelectStatement('subquery', sel.pos.offset);
        } finally {
          this.nesting--;
        }
        this.parseTokens([Tok.RPAREN]);
        return { type: 'SubQuery', statement, span: this.spanFrom(lp.pos.offset) };
      }
      this.unscan();
    }
    const { idents, start } = this.parseSegmentedIdents();
    if (idents.length === 3) {
      const [database = '', retentionPolicy = '', name = ''] = idents;
      return { type: 'Measurement', database, retentionPolicy, name, regex: null, span: this.spanFrom(start) };
    }
    re = this.parseRegex();
    const regex = re?.pattern ?? null;
    const span = this.spanFrom(start);
    const [a = '', b = ''] = idents;
    if (idents.length === 1) {
      return re
        ? { type: 'Measurement', database: '', retentionPolicy: a, name: '', regex, span }
        : { type: 'Measurement', database: '', retentionPolicy: '', name: a, regex, span };
    }
    return re
      ? { type: 'Measurement', database: a, retentionPolicy: b, name: '', regex, span }
      : { type: 'Measurement', database: '', retentionPolicy: a, name: b, regex, span };
  }

  private parseCondition(clauses: Partial<Record<string, Span>>): Expr | null {
    const w = this.scanIgnoreWhitespace();
    if (w.tok !== Tok.WHERE) {
      this.unscan();
      return null;
    }
    const expr = this.parseExpr();
    clauses.where = this.spanFrom(w.pos.offset);
    return expr;
  }

  private parseDimensions(clauses: Partial<Record<string, Span>>): Dimension[] {
    const g = this.scanIgnoreWhitespace();
    if (g.tok !== Tok.GROUP) {
      this.unscan();
      return [];
    }
    const by = this.scanIgnoreWhitespace();
    if (by.tok !== Tok.BY) throw this.expected(by, ['BY']);
    const dims: Dimension[] = [];
    for (;;) {
      const re = this.parseRegex();
      if (re !== null) {
        dims.push({ expr: re, span: re.span });
      } else {
        const expr = this.parseExpr();
        this.consumeWhitespace();
        dims.push({ expr, span: expr.span });
      }
      if (this.scan().tok !== Tok.COMMA) {
        this.unscan();
        break;
      }
    }
    clauses.groupBy = this.spanFrom(g.pos.offset);
    return dims;
  }

  private parseFill(clauses: Partial<Record<string, Span>>): Fill | null {
    const t = this.scanIgnoreWhitespace();
    this.unscan();
    if (t.tok !== Tok.IDENT || t.lit.toLowerCase() !== 'fill') return null;
    const expr = this.parseExpr();
    const span = this.spanFrom(t.pos.offset);
    clauses.fill = span;
    if (expr.type !== 'Call') throw this.plain('fill must be a function call', span);
    if (expr.args.length !== 1)
      throw this.plain('fill requires an argument, e.g.: 0, null, none, previous, linear', span);
    const arg = expr.args[0] as Expr;
    // influxd compares the argument's printed form: only a bare name reads exactly as these words.
    if (arg.type === 'VarRef' && arg.dataType === null && !identNeedsQuotes(arg.name)) {
      if (arg.name === 'null' || arg.name === 'none' || arg.name === 'previous' || arg.name === 'linear') {
        return { option: arg.name, span };
      }
    }
    if (arg.type === 'IntegerLiteral' || arg.type === 'NumberLiteral')
      return { option: 'number', value: Number(arg.value), span };
    throw this.plain('expected number argument in fill()', arg.span);
  }

  private parseLocation(clauses: Partial<Record<string, Span>>): string | null {
    const t = this.scanIgnoreWhitespace();
    this.unscan();
    if (t.tok !== Tok.IDENT || t.lit.toLowerCase() !== 'tz') return null;
    const expr = this.parseExpr();
    const span = this.spanFrom(t.pos.offset);
    clauses.tz = span;
    if (expr.type !== 'Call') throw this.plain('tz must be a function call', span);
    if (expr.args.length !== 1) throw this.plain('tz requires exactly one argument', span);
    const arg = expr.args[0] as Expr;
    if (arg.type !== 'StringLiteral') throw this.plain('expected string argument in tz()', arg.span);
    if (!isKnownTimeZone(arg.value)) throw this.plain(`unable to find time zone ${arg.value}`, arg.span);
    return arg.value;
  }

  private parseOrderBy(clauses: Partial<Record<string, Span>>): SortField[] {
    const o = this.scanIgnoreWhitespace();
    if (o.tok !== Tok.ORDER) {
      this.unscan();
      return [];
    }
    const by = this.scanIgnoreWhitespace();
    if (by.tok !== Tok.BY) throw this.expected(by, ['BY']);
    const fields: SortField[] = [];
    const t = this.scanIgnoreWhitespace();
    if (t.tok === Tok.ASC || t.tok === Tok.DESC) {
      fields.push({ name: '', ascending: t.tok === Tok.ASC });
    } else if (t.tok === Tok.IDENT) {
      this.unscan();
      const f = this.parseSortField();
      if (t.lit !== 'time') throw this.plain('only ORDER BY time supported at this time', this.spanFrom(t.pos.offset));
      fields.push(f);
    } else {
      throw this.expected(t, ['identifier', 'ASC', 'DESC']);
    }
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== Tok.COMMA) {
        this.unscan();
        break;
      }
      fields.push(this.parseSortField());
    }
    if (fields.length > 1) throw this.plain('only ORDER BY time supported at this time', this.spanFrom(o.pos.offset));
    clauses.orderBy = this.spanFrom(o.pos.offset);
    return fields;
  }

  private parseSortField(): SortField {
    const name = this.parseIdent();
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== Tok.ASC && t.tok !== Tok.DESC) {
      this.unscan();
      return { name, ascending: true };
    }
    return { name, ascending: t.tok === Tok.ASC };
  }

  private parseVarRef(): VarRef {
    const { idents, start } = this.parseSegmentedIdents();
    let dataType: DataType | null = null;
    if (this.scan().tok === Tok.DOUBLECOLON) {
      const t = this.scan();
      if (t.tok === Tok.IDENT) {
        const lower = t.lit.toLowerCase();
        if (
          lower === 'float' ||
          lower === 'integer' ||
          lower === 'unsigned' ||
          lower === 'string' ||
          lower === 'boolean'
        )
          dataType = lower;
        else throw this.expected(t, ['float', 'integer', 'unsigned', 'string', 'boolean', 'field', 'tag']);
      } else if (t.tok === Tok.FIELD) {
        dataType = 'field';
      } else if (t.tok === Tok.TAG) {
        dataType = 'tag';
      } else {
        // Go's second list really lacks "unsigned".
        throw this.expected(t, ['float', 'integer', 'string', 'boolean', 'field', 'tag']);
      }
    } else {
      this.unscan();
    }
    return { type: 'VarRef', name: idents.join('.'), segments: idents, dataType, span: this.spanFrom(start) };
  }

  /** Go's `ParseExpr`: precedence climbing over unary expressions, within {@link MAX_EXPR_DEPTH}. */
  parseExpr(): Expr {
    this.enterNesting();
    try {
      const expr = this.parseExprTree();
      // Measured before anything walks it recursively: a chain of 8,000 ORs nests 8,000 deep.
      if (exprHeight(expr) > MAX_EXPR_DEPTH) throw this.tooDeep(expr.span.start);
      return fixSpans(expr);
    } finally {
      this.nesting--;
    }
  }

  private enterNesting(): void {
    if (++this.nesting > MAX_EXPR_DEPTH) {
      const t = this.scanIgnoreWhitespace();
      this.unscan();
      this.nesting--;
      throw this.tooDeep(t.pos.offset);
    }
  }

  private tooDeep(offset: number): InfluxQLParseError {
    return this.plain(
      `the expression nests more than ${MAX_EXPR_DEPTH} levels deep, beyond what the workbench checks locally ` +
        '(the server may still accept it). Shorten it: e.g. host =~ /^(a|b|c)$/ instead of a long chain of ORs.',
      { start: offset, end: Math.min(this.src.length, offset + 1) },
    );
  }

  private parseExprTree(): Expr {
    const root: { rhs: Expr } = { rhs: this.parseUnaryExpr() };
    for (;;) {
      const opTok = this.scanIgnoreWhitespace();
      if (!isOperator(opTok.tok)) {
        this.unscan();
        return root.rhs;
      }
      // An operator token's display string is the operator itself (the lexer's one table of them).
      const op = tokenString(opTok.tok) as BinaryOp;
      let rhs: Expr;
      if (opTok.tok === Tok.EQREGEX || opTok.tok === Tok.NEQREGEX) {
        const re = this.parseRegex();
        if (re === null) throw this.expected(this.scanIgnoreWhitespace(), ['regex']);
        rhs = re;
      } else {
        rhs = this.parseUnaryExpr();
      }
      let node: { rhs: Expr } = root;
      for (;;) {
        const r = node.rhs;
        if (r.type !== 'BinaryExpr' || precedence(opTokOf(r.op)) >= precedence(opTok.tok)) {
          const b: MutBinary = {
            type: 'BinaryExpr',
            op,
            lhs: node.rhs,
            rhs,
            span: { start: node.rhs.span.start, end: rhs.span.end },
          };
          node.rhs = b;
          break;
        }
        node = r as MutBinary;
      }
    }
  }

  private parseUnaryExpr(): Expr {
    const lp = this.scanIgnoreWhitespace();
    if (lp.tok === Tok.LPAREN) {
      const expr = this.parseExpr();
      const rp = this.scanIgnoreWhitespace();
      if (rp.tok !== Tok.RPAREN) throw this.expected(rp, [')']);
      return { type: 'ParenExpr', expr, span: this.spanFrom(lp.pos.offset) };
    }
    this.unscan();
    const t = this.scanIgnoreWhitespace();
    const here = (): Span => this.spanFrom(t.pos.offset);
    switch (t.tok) {
      case Tok.IDENT: {
        if (this.scan().tok === Tok.LPAREN) return this.parseCall(t.lit, t);
        this.unscan();
        this.unscan();
        return this.parseVarRef();
      }
      case Tok.DISTINCT: {
        const t0 = this.scan();
        if (t0.tok === Tok.LPAREN) return this.parseCall('distinct', t);
        if (t0.tok === Tok.WS) {
          const t1 = this.scanIgnoreWhitespace();
          if (t1.tok !== Tok.IDENT) throw this.expected(t1, ['identifier']);
          return { type: 'Distinct', name: t1.lit, span: here() };
        }
        throw this.expected(t0, ['(', 'identifier']);
      }
      case Tok.STRING:
        return { type: 'StringLiteral', value: t.lit, span: here() };
      case Tok.NUMBER: {
        const v = Number(t.lit);
        if (!Number.isFinite(v)) throw this.at('unable to parse number', t.pos);
        return { type: 'NumberLiteral', value: v, span: here() };
      }
      case Tok.INTEGER: {
        let v: bigint | null = null;
        try {
          v = BigInt(t.lit);
        } catch {
          v = null;
        }
        if (v !== null && v >= MIN_INT64 && v <= MAX_INT64)
          return { type: 'IntegerLiteral', value: v.toString(), span: here() };
        if (v !== null && v >= 0n && v <= MAX_UINT64 && /^\+?[0-9]+$/.test(t.lit))
          return { type: 'UnsignedLiteral', value: v.toString(), span: here() };
        throw this.at('unable to parse integer', t.pos);
      }
      case Tok.TRUE:
      case Tok.FALSE:
        return { type: 'BooleanLiteral', value: t.tok === Tok.TRUE, span: here() };
      case Tok.DURATIONVAL: {
        const d = parseGoDuration(t.lit);
        // Go returns this error unwrapped: influxd prints it without a position.
        if (typeof d === 'string') throw this.plain(d, here());
        return { type: 'DurationLiteral', nanoseconds: d.toString(), span: here() };
      }
      case Tok.MUL: {
        let dataType: 'field' | 'tag' | null = null;
        if (this.scan().tok === Tok.DOUBLECOLON) {
          const c = this.scan();
          if (c.tok === Tok.FIELD) dataType = 'field';
          else if (c.tok === Tok.TAG) dataType = 'tag';
          else throw this.expected(c, ['field', 'tag']);
        } else {
          this.unscan();
        }
        return { type: 'Wildcard', dataType, span: here() };
      }
      case Tok.REGEX: {
        const err = goRegexpError(t.lit);
        if (err !== null) throw this.at(err, t.pos);
        return { type: 'RegexLiteral', pattern: t.lit, span: here() };
      }
      case Tok.BOUNDPARAM: {
        const k = t.lit.startsWith('$') ? t.lit.slice(1) : t.lit;
        if (k.length === 0) throw this.plain('empty bound parameter', here());
        const v = this.params?.get(k);
        if (!v) throw this.plain(`missing parameter: ${k}`, here());
        throw this.plain(v.value, here());
      }
      case Tok.ADD:
      case Tok.SUB: {
        const neg = t.tok === Tok.SUB;
        const t0 = this.scanIgnoreWhitespace();
        if (
          t0.tok !== Tok.NUMBER &&
          t0.tok !== Tok.INTEGER &&
          t0.tok !== Tok.DURATIONVAL &&
          t0.tok !== Tok.LPAREN &&
          t0.tok !== Tok.IDENT
        ) {
          throw this.expected(t0, ['identifier', 'number', 'duration', '(']);
        }
        this.unscan();
        const lit = this.parseUnaryExpr();
        const span = here();
        switch (lit.type) {
          case 'NumberLiteral':
            return { ...lit, value: neg ? -lit.value : lit.value, span };
          case 'IntegerLiteral':
            return { ...lit, value: neg ? wrap64(-BigInt(lit.value)).toString() : lit.value, span };
          case 'UnsignedLiteral':
            if (neg) {
              if (BigInt(lit.value) === 1n << 63n) return { type: 'IntegerLiteral', value: MIN_INT64.toString(), span };
              throw this.plain(`constant -${lit.value} underflows int64`, span);
            }
            return { ...lit, span };
          case 'DurationLiteral':
            return { ...lit, nanoseconds: neg ? wrap64(-BigInt(lit.nanoseconds)).toString() : lit.nanoseconds, span };
          case 'VarRef':
          case 'Call':
          case 'ParenExpr':
            return {
              type: 'BinaryExpr',
              op: '*',
              lhs: { type: 'IntegerLiteral', value: neg ? '-1' : '1', span: { start: t.pos.offset, end: t.end } },
              rhs: lit,
              span,
            };
          default:
            // Go panics here ("unexpected literal"); the token checks above make it unreachable.
            throw this.plain(`unexpected literal: ${lit.type}`, span);
        }
      }
      default:
        throw this.expected(t, ['identifier', 'string', 'number', 'bool']);
    }
  }

  /** Go's `parseRegex`: null when the next significant rune does not start a regex. */
  private parseRegex(): { type: 'RegexLiteral'; pattern: string; span: Span } | null {
    let next = this.peekRune();
    if (next === 0x20 || next === 0x09 || next === 0x0a) this.consumeWhitespace();
    next = this.peekRune();
    if (next === 0x24) {
      // `$name` may be bound to a regex.
      const t = this.scan();
      this.unscan();
      if (t.tok !== Tok.REGEX) return null;
    } else if (next !== 0x2f) {
      return null;
    }
    const t = this.scanRegexTok();
    if (t.tok === Tok.BADESCAPE) throw this.at(`bad escape: ${t.lit}`, t.pos);
    if (t.tok === Tok.BADREGEX) throw this.at(`bad regex: ${t.lit}`, t.pos, Math.max(1, t.end - t.pos.offset));
    if (t.tok !== Tok.REGEX) throw this.expected(t, ['regex']);
    const err = goRegexpError(t.lit);
    if (err !== null) throw this.at(err, t.pos, Math.max(1, t.end - t.pos.offset));
    return { type: 'RegexLiteral', pattern: t.lit, span: { start: t.pos.offset, end: t.end } };
  }

  private parseCall(rawName: string, nameTok: Token): Call {
    const name = rawName.toLowerCase();
    const nameSpan = { start: nameTok.pos.offset, end: nameTok.end };
    const args: Expr[] = [];
    const re = this.parseRegex();
    if (re !== null) {
      args.push(re);
    } else {
      if (this.scan().tok === Tok.RPAREN)
        return { type: 'Call', name, args, span: this.spanFrom(nameTok.pos.offset), nameSpan };
      this.unscan();
      args.push(this.parseExpr());
    }
    for (;;) {
      if (this.scanIgnoreWhitespace().tok !== Tok.COMMA) {
        this.unscan();
        break;
      }
      const r = this.parseRegex();
      if (r !== null) {
        args.push(r);
        continue;
      }
      args.push(this.parseExpr());
    }
    const rp = this.scan();
    if (rp.tok !== Tok.RPAREN) throw this.expected(rp, [')']);
    return { type: 'Call', name, args, span: this.spanFrom(nameTok.pos.offset), nameSpan };
  }

  private parseResample(): [bigint, bigint] {
    let interval = 0n;
    if (this.scanIgnoreWhitespace().tok === Tok.EVERY) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.DURATIONVAL) throw this.expected(t, ['duration']);
      const d = parseGoDuration(t.lit);
      if (typeof d === 'string') throw this.at(d, t.pos);
      interval = d;
    } else {
      this.unscan();
    }
    let maxDuration = 0n;
    if (this.scanIgnoreWhitespace().tok === Tok.FOR) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== Tok.DURATIONVAL) throw this.expected(t, ['duration']);
      const d = parseGoDuration(t.lit);
      if (typeof d === 'string') throw this.at(d, t.pos);
      maxDuration = d;
    } else {
      this.unscan();
    }
    if (interval === 0n && maxDuration === 0n) throw this.expected(this.scanIgnoreWhitespace(), ['EVERY', 'FOR']);
    return [interval, maxDuration];
  }
}

function opTokOf(op: BinaryOp): Tok {
  for (let t = Tok.operatorBeg + 1; t < Tok.operatorEnd; t++) if (tokenString(t) === op) return t;
  return Tok.ILLEGAL;
}

function containsCall(e: Expr): boolean {
  switch (e.type) {
    case 'Call':
      return true;
    case 'BinaryExpr':
      return containsCall(e.lhs) || containsCall(e.rhs);
    case 'ParenExpr':
      return containsCall(e.expr);
    default:
      return false;
  }
}

/** The last comparison/logical operator in walk order, which influxd names in its SELECT error. */
function lastInvalidFieldOp(e: Expr): BinaryOp | null {
  switch (e.type) {
    case 'BinaryExpr': {
      if (FIELD_INVALID_OPS.has(e.op)) return e.op;
      return lastInvalidFieldOp(e.rhs) ?? lastInvalidFieldOp(e.lhs);
    }
    case 'Call': {
      for (let i = e.args.length - 1; i >= 0; i--) {
        const r = lastInvalidFieldOp(e.args[i] as Expr);
        if (r !== null) return r;
      }
      return null;
    }
    case 'ParenExpr':
      return lastInvalidFieldOp(e.expr);
    default:
      return null;
  }
}

/** Go's `SelectStatement.GroupByInterval`: nanoseconds, or an error text. */
function groupByInterval(s: SelectStatement): bigint | string {
  for (const d of s.dimensions) {
    const e = d.expr;
    if (e.type === 'Call' && e.name === 'time') {
      if (e.args.length < 1 || e.args.length > 2) return 'time dimension expected 1 or 2 arguments';
      const a = e.args[0] as Expr;
      if (a.type !== 'DurationLiteral') return 'time dimension must have duration argument';
      return BigInt(a.nanoseconds);
    }
  }
  return 0n;
}

/** 1-based line and char (runes, as influxd counts) of a UTF-16 offset. */
export function lineCharAt(src: string, offset: number): { line: number; char: number } {
  let line = 1;
  let char = 1;
  for (let i = 0; i < offset && i < src.length;) {
    const cp = src.codePointAt(i) as number;
    if (cp === 0x0d) {
      line++;
      char = 1;
      i += src.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      continue;
    }
    if (cp === 0x0a) {
      line++;
      char = 1;
    } else {
      char++;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return { line, char };
}

/** Options for {@link parseQuery}. */
export interface ParseOptions {
  /** Bound parameters, as sent in the `params` form field (JSON object). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Result of {@link parseQuery}. */
export type ParseResult =
  { readonly ok: true; readonly query: Query } | { readonly ok: false; readonly error: InfluxQLParseError };

/**
 * Parses an InfluxQL text (one or more `;`-separated statements) exactly as influxd 1.x does.
 * Never throws for bad input: a failure is returned with influxd's message and position.
 */
export function parseQuery(text: string, options: ParseOptions = {}): ParseResult {
  const params = options.params ? bindParams(options.params) : null;
  try {
    return { ok: true, query: new Parser(text, params).parseQuery() };
  } catch (err) {
    if (err instanceof InfluxQLParseError) return { ok: false, error: err };
    throw err;
  }
}
