import { describe, expect, it } from 'vitest';

import { findFunction, functionHover, INFLUXQL_FUNCTIONS, INFLUXQL_KEYWORDS } from '../../../shared/influxql/catalog';
import { goRegexpError } from '../../../shared/influxql/go-regexp';
import { formatGoDuration, parseGoDuration, parseQuery, quoteIdent } from '../../../shared/influxql/parser';
import { isKnownTimeZone } from '../../../shared/influxql/timezones';
import { validateQuery } from '../../../shared/influxql/validate';

describe('validateQuery', () => {
  it('accepts a valid query with no diagnostics and returns its tree', () => {
    const r = validateQuery(
      'SELECT mean("usage") FROM "telegraf"."autogen"."cpu" WHERE time > now() - 1h GROUP BY time(5m), "host" fill(null)',
    );
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    const s = r.query?.statements[0];
    expect(s?.type).toBe('SelectStatement');
    if (s?.type === 'SelectStatement') {
      expect(s.sources[0]).toMatchObject({
        type: 'Measurement',
        database: 'telegraf',
        retentionPolicy: 'autogen',
        name: 'cpu',
      });
      expect(s.fields[0]?.expr).toMatchObject({ type: 'Call', name: 'mean' });
      expect(s.fill).toMatchObject({ option: 'null' });
      expect(Object.keys(s.clauses).sort()).toEqual(['fill', 'groupBy', 'where']);
      expect(s.isRawQuery).toBe(false);
    }
  });

  it('reports a syntax error as influxd does, with a range on the offending token', () => {
    const text = "SELECT * FROM cpu WHERE host = 'a";
    const r = validateQuery(text);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0];
    expect(d).toMatchObject({
      line: 1,
      char: 31,
      code: 'parse-error',
      severity: 'error',
      message: 'found a, expected identifier, string, number, bool at line 1, char 31',
    });
    expect(text.slice(d?.start, d?.end)).toBe("'a");
  });

  it('keeps influxd positions for errors past the end and on later lines', () => {
    expect(validateQuery('SELECT 1').diagnostics[0]).toMatchObject({
      line: 1,
      char: 9,
      message: 'found EOF, expected FROM at line 1, char 9',
    });
    expect(validateQuery('SHOW MEASUREMENTS;\nSELECT FROM').diagnostics[0]).toMatchObject({ line: 2, char: 8 });
  });

  it('points at the token when influxd gives no position', () => {
    const text = 'SELECT x FROM m WHERE time > now() - 1x';
    const d = validateQuery(text).diagnostics[0];
    expect(d).toMatchObject({ message: 'invalid duration', line: 1, char: 38 });
    expect(text.slice(d?.start, d?.end)).toBe('1x');
  });

  it('adds flavor diagnostics for queries that parse', () => {
    const r = validateQuery('SELECT * FROM cpu SLIMIT 2', { flavor: 'cloud-dedicated' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unsupported-slimit']);
    expect(validateQuery('SELECT * FROM cpu SLIMIT 2', { flavor: '1.x' }).ok).toBe(true);
  });

  it('warnings do not make a query invalid', () => {
    const r = validateQuery('EXPLAIN SELECT * FROM cpu', { flavor: 'clustered' });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('binds parameters like influxd', () => {
    expect(validateQuery('SELECT * FROM cpu WHERE host = $h').diagnostics[0]?.message).toBe('missing parameter: h');
    expect(validateQuery('SELECT * FROM cpu WHERE host = $h', { params: { h: 'web1' } }).ok).toBe(true);
    expect(validateQuery('SELECT * FROM $m', { params: { m: { identifier: 'cpu' } } }).ok).toBe(true);
  });

  it('accepts empty and comment-only text as zero statements', () => {
    expect(validateQuery('').ok).toBe(true);
    expect(validateQuery('-- nothing /* here */').query?.statements).toEqual([]);
  });
});

describe('the syntax tree', () => {
  it('records spans for fields, sources, calls and clauses', () => {
    const text = "SELECT max(v) AS m FROM db.rp./cpu.*/ WHERE host =~ /^a/ ORDER BY time DESC LIMIT 5 tz('UTC')";
    const r = parseQuery(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.query.statements[0];
    if (s?.type !== 'SelectStatement') throw new Error('not a select');
    expect(text.slice(s.fields[0]?.span.start, s.fields[0]?.span.end)).toBe('max(v) AS m');
    expect(s.fields[0]?.alias).toBe('m');
    expect(s.sources[0]).toMatchObject({ database: 'db', retentionPolicy: 'rp', regex: 'cpu.*' });
    expect(text.slice(s.clauses.where?.start, s.clauses.where?.end)).toBe('WHERE host =~ /^a/');
    expect(text.slice(s.clauses.orderBy?.start, s.clauses.orderBy?.end)).toBe('ORDER BY time DESC');
    expect(text.slice(s.clauses.limit?.start, s.clauses.limit?.end)).toBe('LIMIT 5');
    expect(s.timezone).toBe('UTC');
    expect(s.sortFields).toEqual([{ name: 'time', ascending: false }]);
    expect(text.slice(s.span.start, s.span.end)).toBe(text);
    const call = s.fields[0]?.expr;
    if (call?.type === 'Call') expect(text.slice(call.nameSpan.start, call.nameSpan.end)).toBe('max');
  });

  it('keeps operator precedence and 64-bit literals exact', () => {
    const r = parseQuery(
      'SELECT a + b * c FROM m WHERE x = 9223372036854775807 AND y = 18446744073709551615 OR z = -9223372036854775808',
    );
    if (!r.ok) throw new Error(r.error.message);
    const s = r.query.statements[0];
    if (s?.type !== 'SelectStatement') throw new Error('not a select');
    expect(s.fields[0]?.expr).toMatchObject({ type: 'BinaryExpr', op: '+', rhs: { type: 'BinaryExpr', op: '*' } });
    expect(s.condition).toMatchObject({
      op: 'OR',
      lhs: {
        op: 'AND',
        lhs: { rhs: { type: 'IntegerLiteral', value: '9223372036854775807' } },
        rhs: { rhs: { type: 'UnsignedLiteral', value: '18446744073709551615' } },
      },
      rhs: { rhs: { type: 'IntegerLiteral', value: '-9223372036854775808' } },
    });
  });

  it('parses SHOW TAG VALUES with key, source and database', () => {
    const r = parseQuery('SHOW TAG VALUES ON telegraf FROM cpu WITH KEY IN ("host", region) WHERE x = \'1\'');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.query.statements[0]).toMatchObject({
      type: 'ShowTagValuesStatement',
      database: 'telegraf',
      tagKey: { op: 'IN', keys: ['host', 'region'] },
    });
  });
});

describe('Go compatibility helpers', () => {
  it('checks regexes with Go RE2 rules and messages', () => {
    expect(goRegexpError('^web[0-9]+$')).toBeNull();
    expect(goRegexpError('(?i)abc|(?P<n>x)\\pL\\p{Greek}[[:alpha:]\\d]')).toBeNull();
    expect(goRegexpError('(?=x)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(goRegexpError('a)')).toBe('error parsing regexp: unexpected ): `a)`');
    expect(goRegexpError('(a')).toBe('error parsing regexp: missing closing ): `(a`');
    expect(goRegexpError('x{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(goRegexpError('\\8')).toBe('error parsing regexp: invalid escape sequence: `\\8`');
    expect(goRegexpError('[z-a]')).toBe('error parsing regexp: invalid character class range: `z-a`');
    expect(goRegexpError('*')).toBe('error parsing regexp: missing argument to repetition operator: `*`');
    expect(goRegexpError('\\p{Klingon}')).toBe('error parsing regexp: invalid character class range: `\\p{Klingon}`');
  });

  it('parses and formats durations like influxd', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('10µ')).toBe(10_000n);
    expect(parseGoDuration('1us')).toBe('invalid duration');
    expect(parseGoDuration('9999999999w')).toBe('overflowed duration 9999999999w: choose a smaller duration or INF');
    // int64 wrap-around that lands on a positive value is not caught by influxd either.
    expect(parseGoDuration('99999999999w')).toBe(6817241073913888768n);
    expect(formatGoDuration(604_800_000_000_000n)).toBe('1w');
    expect(formatGoDuration(90_000_000_000n)).toBe('90s');
    expect(formatGoDuration(1500n)).toBe('1500ns');
  });

  it('quotes identifiers as influxd prints them', () => {
    expect(quoteIdent('cpu')).toBe('cpu');
    expect(quoteIdent('my db', 'rp', 'm')).toBe('"my db"."rp".m');
    expect(quoteIdent('db', '', 'm')).toBe('"db"..m');
    expect(quoteIdent('select')).toBe('"select"');
  });

  it('knows the server time zones', () => {
    expect(isKnownTimeZone('Europe/Paris')).toBe(true);
    expect(isKnownTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isKnownTimeZone('posix/Asia/Tokyo')).toBe(true);
    expect(isKnownTimeZone('')).toBe(true);
    expect(isKnownTimeZone('europe/paris')).toBe(false);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('catalog', () => {
  it('lists every reserved word and the function families with signatures and docs', () => {
    expect(INFLUXQL_KEYWORDS).toContain('SELECT');
    expect(INFLUXQL_KEYWORDS).toContain('SOFFSET');
    expect(INFLUXQL_KEYWORDS).toContain('TRUE');
    const families = new Set(INFLUXQL_FUNCTIONS.map((f) => f.category));
    expect([...families].sort()).toEqual([
      'aggregate',
      'clause',
      'predictor',
      'selector',
      'technical-analysis',
      'transformation',
    ]);
    for (const f of INFLUXQL_FUNCTIONS) {
      expect(f.signature.toLowerCase().startsWith(f.name), f.name).toBe(true);
      expect(f.doc.length).toBeGreaterThan(5);
    }
  });

  it('finds functions case-insensitively and builds hover text', () => {
    expect(findFunction('MEAN')?.category).toBe('aggregate');
    expect(functionHover('percentile')).toBe(
      'PERCENTILE(field_key, N)\nThe Nth percentile field value (N from 0 to 100).',
    );
    expect(functionHover('sample')).toContain('Not implemented by InfluxDB 3');
    expect(functionHover('nope')).toBeUndefined();
  });

  it('every catalogued function parses as a call', () => {
    for (const f of INFLUXQL_FUNCTIONS) {
      if (f.category === 'clause') continue;
      const args = Array.from({ length: f.minArgs }, (_, i) => (i === 0 ? 'x' : '1')).join(', ');
      expect(parseQuery(`SELECT ${f.name}(${args}) FROM m`).ok, f.name).toBe(true);
    }
  });
});
