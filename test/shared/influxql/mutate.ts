/**
 * Deterministic query generator for the InfluxQL differential test: hand-written seed statements that
 * cover the whole 1.x grammar, plus seeded mutations of them (token deletion, duplication, swaps,
 * substitutions, truncation, stray characters). `scripts/iql-golden.mjs` feeds the same list to
 * influxd's own Go parser (tools/iqlcheck) and commits its verdicts, so the test needs no Go.
 */
import { Tok, tokenize } from '../../../shared/influxql/lexer';

/** Valid (mostly) statements covering every statement kind and clause. */
export const SEED_QUERIES: readonly string[] = [
  'SELECT * FROM cpu',
  'SELECT "value" FROM "db"."rp"."cpu"',
  'SELECT value FROM db..cpu',
  'SELECT value FROM rp.cpu',
  'SELECT mean(value) AS m, max("value") FROM cpu WHERE time > now() - 1h GROUP BY time(5m), host fill(null)',
  "SELECT mean(value) FROM cpu WHERE time >= '2024-01-01T00:00:00Z' AND time < now() GROUP BY time(1h, 15m) fill(previous)",
  'SELECT count(*) FROM cpu GROUP BY * fill(none) LIMIT 10 OFFSET 2 SLIMIT 3 SOFFSET 1',
  'SELECT sum(x) FROM m GROUP BY time(10s) fill(linear) ORDER BY time DESC',
  'SELECT sum(x) FROM m GROUP BY time(10s) fill(0)',
  'SELECT sum(x) FROM m GROUP BY time(10s) fill(-1.5)',
  'SELECT x FROM m ORDER BY DESC',
  'SELECT x FROM m ORDER BY time ASC LIMIT 1',
  "SELECT x FROM m tz('Europe/Paris')",
  "SELECT x FROM m WHERE time > now() - 1d tz('America/New_York')",
  'SELECT x::float, y::integer, z::unsigned, s::string, b::boolean, t::tag, f::field FROM m',
  'SELECT *::field FROM m',
  'SELECT *::tag, value FROM m',
  'SELECT /^cpu_/ FROM m',
  'SELECT x FROM /^cpu.*/',
  'SELECT x FROM db.rp./cpu/',
  'SELECT x FROM m WHERE host =~ /^web[0-9]+$/ AND region !~ /us-.*/',
  "SELECT x FROM m WHERE host = 'a' OR host <> 'b' AND y != 3",
  'SELECT x FROM m WHERE (a > 1 AND b < 2) OR c >= 3.5 OR d <= -4',
  'SELECT x + y * 2 - z / 4 % 3 FROM m',
  'SELECT (x + y) * 2 FROM m',
  'SELECT x & 1, y | 2, z ^ 3 FROM m',
  'SELECT -x, +y, -(a + b), - 5, -2.5, -1h FROM m',
  'SELECT distinct(host) FROM m',
  'SELECT DISTINCT host FROM m',
  'SELECT count(DISTINCT host) FROM m',
  'SELECT percentile(x, 95), top(x, host, 3), bottom(x, 2) FROM m',
  'SELECT derivative(mean(x), 1s), non_negative_derivative(max(y)) FROM m WHERE time > now() - 1h GROUP BY time(1m)',
  'SELECT moving_average(mean(x), 3), cumulative_sum(sum(x)), difference(last(x)) FROM m WHERE time > now() - 1h GROUP BY time(1m)',
  'SELECT holt_winters(mean(x), 10, 4) FROM m WHERE time > now() - 7d GROUP BY time(1h)',
  'SELECT exponential_moving_average(x, 3), chande_momentum_oscillator(x, 10) FROM m',
  'SELECT sample(x, 5), mode(x), median(x), spread(x), stddev(x), integral(x, 1m) FROM m',
  'SELECT count(x) FROM (SELECT mean(x) AS x FROM m GROUP BY time(1m)) WHERE x > 1',
  'SELECT * FROM (SELECT * FROM a), (SELECT * FROM b)',
  'SELECT * INTO b FROM a',
  'SELECT mean(x) INTO db.rp.:MEASUREMENT FROM /.*/ GROUP BY time(1h), *',
  'SELECT mean(x) INTO rp.target FROM m GROUP BY time(1h)',
  'SELECT x FROM m WHERE time > 1700000000000000000 AND time < 1700000000s',
  "SELECT x FROM m WHERE s = 'it\\'s' AND t = 'line\\nbreak'",
  'SELECT "quoted ""field" FROM "m"',
  'SELECT x FROM m WHERE a = true AND b = false',
  'SELECT x FROM m WHERE a = $a AND b = $b',
  'SELECT x FROM m LIMIT 18446744073709551615',
  'SELECT x FROM m WHERE y = 9223372036854775807 OR y = -9223372036854775808',
  'SELECT x FROM m WHERE y = 18446744073709551615',
  'SELECT x FROM m WHERE y = 1.5e3',
  'SELECT x FROM m WHERE time > now() - 1w2d3h4m5s6ms7u8ns',
  'SELECT x FROM m WHERE time > now() - 10µ',
  'SELECT x FROM m -- comment\nWHERE y > 1 /* block */ LIMIT 1',
  'SELECT x\r\nFROM m\r\nWHERE y > 1',
  "SELECT x\n\tFROM m\n\tWHERE y = 'a'",
  'select x from m where Y = 1 group by TIME(1m) FILL(NULL)',
  'SELECT x FROM m; SELECT y FROM n;',
  'SHOW DATABASES',
  'SHOW MEASUREMENTS',
  "SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /cpu.*/ WHERE host = 'a' LIMIT 5 OFFSET 1",
  'SHOW MEASUREMENTS WITH MEASUREMENT = cpu',
  'SHOW MEASUREMENT CARDINALITY',
  "SHOW MEASUREMENT EXACT CARDINALITY ON db FROM cpu WHERE host = 'a' GROUP BY host LIMIT 1 OFFSET 1",
  'SHOW SERIES',
  "SHOW SERIES ON db FROM cpu WHERE host = 'a' LIMIT 10 OFFSET 5",
  'SHOW SERIES CARDINALITY ON db',
  'SHOW SERIES EXACT CARDINALITY FROM cpu',
  'SHOW TAG KEYS',
  "SHOW TAG KEYS ON db FROM cpu WHERE x = 'y' LIMIT 1 OFFSET 1 SLIMIT 1 SOFFSET 1",
  'SHOW TAG KEY CARDINALITY',
  'SHOW TAG KEY EXACT CARDINALITY ON db',
  'SHOW TAG VALUES WITH KEY = host',
  'SHOW TAG VALUES ON db FROM cpu WITH KEY IN (host, region) WHERE host =~ /a/ LIMIT 3',
  'SHOW TAG VALUES FROM cpu WITH KEY =~ /ho.*/',
  'SHOW TAG VALUES WITH KEY != host',
  'SHOW TAG VALUES CARDINALITY WITH KEY = host',
  'SHOW TAG VALUES EXACT CARDINALITY ON db FROM cpu WITH KEY = host',
  'SHOW FIELD KEYS',
  'SHOW FIELD KEYS ON db FROM cpu LIMIT 1 OFFSET 2',
  'SHOW FIELD KEY CARDINALITY',
  'SHOW FIELD KEY EXACT CARDINALITY ON db FROM cpu',
  'SHOW RETENTION POLICIES',
  'SHOW RETENTION POLICIES ON db',
  'SHOW CONTINUOUS QUERIES',
  'SHOW QUERIES',
  'SHOW USERS',
  'SHOW GRANTS FOR bob',
  'SHOW SHARDS',
  'SHOW SHARD GROUPS',
  'SHOW STATS',
  "SHOW STATS FOR 'httpd'",
  'SHOW DIAGNOSTICS',
  "SHOW DIAGNOSTICS FOR 'build'",
  'SHOW SUBSCRIPTIONS',
  'CREATE DATABASE db',
  'CREATE DATABASE db WITH DURATION 1d REPLICATION 1 SHARD DURATION 1h NAME rp1',
  'CREATE DATABASE db WITH NAME rp1',
  'CREATE DATABASE db WITH DURATION INF',
  'CREATE RETENTION POLICY rp ON db DURATION 1d REPLICATION 1',
  'CREATE RETENTION POLICY rp ON db DURATION INF REPLICATION 3 SHARD DURATION 30m DEFAULT',
  'ALTER RETENTION POLICY rp ON db DURATION 2d REPLICATION 2 SHARD DURATION 1h DEFAULT',
  'ALTER RETENTION POLICY "default" ON db DEFAULT',
  'ALTER RETENTION POLICY DEFAULT ON db DURATION 1h',
  'DROP RETENTION POLICY rp ON db',
  "CREATE USER bob WITH PASSWORD 'secret'",
  "CREATE USER admin WITH PASSWORD 'secret' WITH ALL PRIVILEGES",
  'DROP USER bob',
  "SET PASSWORD FOR bob = 'new'",
  'GRANT READ ON db TO bob',
  'GRANT WRITE ON db TO bob',
  'GRANT ALL PRIVILEGES ON db TO bob',
  'GRANT ALL TO bob',
  'REVOKE READ ON db FROM bob',
  'REVOKE ALL PRIVILEGES FROM bob',
  'REVOKE ALL ON db FROM bob',
  'CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(x) INTO m1h FROM m GROUP BY time(1h) END',
  'CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 1h FOR 2h BEGIN SELECT mean(x) INTO db.rp.m FROM m GROUP BY time(30m), * END',
  'CREATE CONTINUOUS QUERY cq ON db RESAMPLE FOR 1h BEGIN SELECT mean(x) INTO m2 FROM m GROUP BY time(2h) END',
  'CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT x INTO m2 FROM m END',
  'CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(x) INTO m2 FROM m END',
  'DROP CONTINUOUS QUERY cq ON db',
  "CREATE SUBSCRIPTION sub ON db.rp DESTINATIONS ALL 'udp://h:9090', 'udp://h2:9090'",
  'DROP SUBSCRIPTION sub ON db.rp',
  'DROP DATABASE db',
  'DROP MEASUREMENT cpu',
  "DROP SERIES FROM cpu WHERE host = 'a'",
  "DROP SERIES WHERE host = 'a'",
  'DROP SHARD 12',
  'DELETE FROM cpu',
  "DELETE FROM /cpu.*/ WHERE time < '2020-01-01'",
  "DELETE WHERE host = 'a'",
  'DELETE FROM db.rp.cpu',
  'EXPLAIN SELECT * FROM cpu',
  'EXPLAIN ANALYZE SELECT mean(x) FROM cpu GROUP BY time(1m)',
  'KILL QUERY 36',
  'KILL QUERY 36 ON "localhost:8088"',
  "SELECT x FROM m WHERE y = 'a' -- trailing",
  '/* leading */ SHOW DATABASES',
  'SELECT x FROM "a"."b"."c"."d"',
  'SELECT x FROM m ORDER BY host',
  'SELECT x FROM m fill(1)',
  'SELECT x = 1 FROM m',
  "SELECT x FROM m tz('Mars/Olympus')",
  'SELECT x FROM m WHERE y =~ /[a-/',
  'SELECT x FROM m WHERE y =~ /(?<name>x)/',
  'SELECT x FROM m WHERE y =~ /a{2}{3}/',
  'SELECT x FROM m WHERE y =~ /\\p{Greek}+\\pL\\d/',
  'SELECT x FROM m WHERE y =~ /[[:alpha:]][[:foo:]]/',
  'SELECT x FROM m WHERE y =~ /a**/',
  'SELECT x FROM m WHERE y =~ /(a{100}){20}/',
  'SELECT x FROM m WHERE y =~ /\\Qa.b\\E+|x\\C/',
  'SELECT x FROM m WHERE y =~ /\\x{41}\\x4g/',
  'SELECT x FROM m WHERE time > now() - 99999999999999999999h',
  'SELECT x FROM m WHERE time > now() - 9999999999w',
  'CREATE RETENTION POLICY rp ON db DURATION 1d REPLICATION 0',
  'CREATE RETENTION POLICY rp ON db DURATION 1d REPLICATION 1 SHARD DURATION INF',
  'ALTER RETENTION POLICY rp ON db DURATION 1d DURATION 2d',
  "SELECT x FROM m GROUP BY time(1m) fill('x')",
  'SELECT x FROM m LIMIT -1',
  'SHOW TAG VALUES FROM cpu',
  'SELECT "naïve", é FROM "mésure" WHERE tag = \'🚀\'',
];

/** A small seeded PRNG (mulberry32), so the mutants are the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'SLIMIT',
  'SOFFSET',
  'INTO',
  'AS',
  'AND',
  'OR',
  'SHOW',
  'TAG',
  'KEYS',
  'VALUES',
  'WITH',
  'KEY',
  'ON',
  'FIELD',
  'MEASUREMENT',
  'CARDINALITY',
  'EXACT',
  'DATABASE',
  'RETENTION',
  'POLICY',
  'DURATION',
  'REPLICATION',
  'SHARD',
  'DEFAULT',
  'CREATE',
  'DROP',
  'ALTER',
  'GRANT',
  'REVOKE',
  'ALL',
  'PRIVILEGES',
  'TO',
  'READ',
  'WRITE',
  'BEGIN',
  'END',
  'RESAMPLE',
  'EVERY',
  'FOR',
  'INF',
  'DESC',
  'ASC',
  'time',
  'now()',
  'fill(null)',
  "tz('UTC')",
  'host',
  '"q id"',
  "'str'",
  '1',
  '1.5',
  '10m',
  '0s',
  '$p',
  '/re/',
  '*',
  ',',
  '.',
  '..',
  '::',
  ':',
  ';',
  '(',
  ')',
  '=',
  '!=',
  '<>',
  '=~',
  '!~',
  '<',
  '>=',
  '+',
  '-',
  '/',
  '%',
  '&',
  '|',
  '^',
  '--',
  '/*',
  '*/',
  "'",
  '"',
  'true',
  'DISTINCT',
  'mean(x)',
  'time(1m)',
  'µ',
];

const STRAY_CHARS = [
  '(',
  ')',
  "'",
  '"',
  '/',
  '\\',
  ',',
  ';',
  '.',
  ':',
  '$',
  '-',
  '*',
  ' ',
  '\n',
  '\r',
  '\t',
  '=',
  '~',
  '!',
  '<',
  '>',
  'a',
  '0',
  '_',
  'µ',
  'é',
  '🚀',
  '#',
  '@',
  '`',
  '{',
  '}',
  '[',
  ']',
  '\u0000',
];

/** Token boundaries [start, end) of a query (regexes are not recognised by the plain lexer; fine for mutation). */
function tokenSpans(q: string): { start: number; end: number }[] {
  return tokenize(q)
    .filter((t) => t.tok !== Tok.EOF && t.tok !== Tok.WS)
    .map((t) => ({ start: t.pos.offset, end: t.end }))
    .filter((s) => s.end > s.start);
}

function mutateOnce(q: string, rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const spans = tokenSpans(q);
  const kind = Math.floor(rnd() * 9);
  const pos = Math.floor(rnd() * (q.length + 1));
  if (spans.length === 0 || kind === 0) return q.slice(0, pos) + pick(STRAY_CHARS) + q.slice(pos);
  const s = pick(spans);
  switch (kind) {
    case 1: // delete a token
      return q.slice(0, s.start) + q.slice(s.end);
    case 2: // duplicate a token
      return q.slice(0, s.end) + ' ' + q.slice(s.start, s.end) + q.slice(s.end);
    case 3: {
      // replace a token
      return q.slice(0, s.start) + pick(VOCAB) + q.slice(s.end);
    }
    case 4: {
      // insert a vocabulary token
      const at = pick(spans);
      return q.slice(0, at.start) + pick(VOCAB) + ' ' + q.slice(at.start);
    }
    case 5: // truncate
      return q.slice(0, pos);
    case 6: {
      // delete one character
      return q.slice(0, pos) + q.slice(pos + 1);
    }
    case 7: {
      // swap two adjacent tokens
      const i = spans.indexOf(s);
      const t = spans[i + 1];
      if (!t) return q.slice(0, s.start);
      return (
        q.slice(0, s.start) +
        q.slice(t.start, t.end) +
        q.slice(s.end, t.start) +
        q.slice(s.start, s.end) +
        q.slice(t.end)
      );
    }
    default: {
      // remove the whitespace after a token, or change its case
      if (rnd() < 0.5) return q.slice(0, s.end) + q.slice(s.end).replace(/^\s+/, '');
      const tok = q.slice(s.start, s.end);
      return q.slice(0, s.start) + (rnd() < 0.5 ? tok.toLowerCase() : tok.toUpperCase()) + q.slice(s.end);
    }
  }
}

/**
 * The differential query list for a seed: every seed query, then `perSeed` mutants of each (one to
 * three mutations stacked), then some two-statement splices. Duplicates are dropped, order kept.
 */
export function generateDifferentialQueries(seed = 20240501, perSeed = 18): string[] {
  const rnd = mulberry32(seed);
  const out = new Set<string>(SEED_QUERIES);
  for (const q of SEED_QUERIES) {
    for (let i = 0; i < perSeed; i++) {
      let m = q;
      const n = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < n; j++) m = mutateOnce(m, rnd);
      out.add(m);
    }
  }
  for (let i = 0; i < 200; i++) {
    const a = SEED_QUERIES[Math.floor(rnd() * SEED_QUERIES.length)] as string;
    const b = SEED_QUERIES[Math.floor(rnd() * SEED_QUERIES.length)] as string;
    const sep = [';', '; ', ';;', ' ', '\n', ';\n'][Math.floor(rnd() * 6)] as string;
    out.add(mutateOnce(a + sep + b, rnd));
  }
  // Token soup: short random sequences, most starting like a statement, to walk the statement tree.
  const starts = ['SELECT', 'SHOW', 'CREATE', 'DROP', 'ALTER', 'GRANT', 'REVOKE', 'DELETE', 'EXPLAIN', 'KILL', 'SET'];
  for (let i = 0; i < 500; i++) {
    const words: string[] = rnd() < 0.8 ? [starts[Math.floor(rnd() * starts.length)] as string] : [];
    const n = 1 + Math.floor(rnd() * 7);
    for (let j = 0; j < n; j++) words.push(VOCAB[Math.floor(rnd() * VOCAB.length)] as string);
    out.add(words.join(rnd() < 0.85 ? ' ' : ''));
  }
  // Whitespace-only queries are skipped by the reference checker's line mode, and a lone surrogate
  // (a mutation that split an emoji) cannot travel as UTF-8: keep both out.
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  return [...out].filter((q) => q.trim() !== '' && !loneSurrogate.test(q));
}
