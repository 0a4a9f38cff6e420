import { describe, expect, it } from 'vitest';

import type { ServerFlavor } from '../../../shared/domain/flavor';
import type { Query } from '../../../shared/influxql/ast';
import {
  checkFlavor,
  INFLUXQL_FLAVORS,
  queryRequiresPost,
  requiresPost,
  splitStatements,
} from '../../../shared/influxql/flavors';
import { parseQuery } from '../../../shared/influxql/parser';

function parsed(text: string): Query {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(`test query does not parse: ${r.error.message}`);
  return r.query;
}

const codes = (text: string, flavor: ServerFlavor): string[] =>
  checkFlavor(text, parsed(text), flavor).map((d) => `${d.severity}:${d.code}`);

const MANAGEMENT = [
  'CREATE DATABASE db',
  'CREATE RETENTION POLICY rp ON db DURATION 1d REPLICATION 1',
  "CREATE USER u WITH PASSWORD 'p'",
  'CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(x) INTO y FROM m GROUP BY time(1h) END',
  "CREATE SUBSCRIPTION s ON db.rp DESTINATIONS ALL 'udp://h:1'",
  'DROP DATABASE db',
  'DROP MEASUREMENT m',
  'DROP SERIES FROM m',
  'DROP RETENTION POLICY rp ON db',
  'DROP USER u',
  'DROP SHARD 1',
  'DELETE FROM m',
  'GRANT READ ON db TO u',
  'REVOKE ALL PRIVILEGES FROM u',
  'ALTER RETENTION POLICY rp ON db DEFAULT',
  "SET PASSWORD FOR u = 'p'",
  'KILL QUERY 1',
];

describe('checkFlavor', () => {
  it('1.x accepts everything that parses', () => {
    for (const q of [
      ...MANAGEMENT,
      'SELECT * INTO b FROM a SLIMIT 1',
      'SHOW SERIES CARDINALITY',
      'EXPLAIN SELECT sample(x, 2) FROM m',
    ]) {
      expect(codes(q, '1.x'), q).toEqual([]);
    }
  });

  it('Cloud Dedicated, Clustered and Serverless reject the management statements the seed lists, with its explanation', () => {
    for (const flavor of ['cloud-dedicated', 'clustered', 'serverless'] as const) {
      for (const q of MANAGEMENT) {
        const d = checkFlavor(q, parsed(q), flavor);
        expect(
          d.map((x) => x.code),
          `${flavor}: ${q}`,
        ).toEqual(['unsupported-statement']);
        expect(d[0]?.message).toContain(
          "doesn't allow InfluxQL commands for managing or modifying databases (SELECT INTO, " +
            'CREATE, DELETE, DROP, GRANT, EXPLAIN, REVOKE, ALTER, SET, KILL)',
        );
        expect(d[0]?.severity).toBe('error');
      }
    }
  });

  it('3.x flavors reject SELECT INTO, SLIMIT/SOFFSET and SAMPLE/technical analysis, at the clause', () => {
    const q = 'SELECT sample(x, 2), holt_winters(mean(y), 1, 2) INTO t FROM m GROUP BY time(1h) SLIMIT 1 SOFFSET 2';
    for (const flavor of ['cloud-dedicated', 'clustered', 'serverless', 'core'] as const) {
      const d = checkFlavor(q, parsed(q), flavor);
      expect(d.map((x) => x.code).sort(), flavor).toEqual([
        'unsupported-function',
        'unsupported-function',
        'unsupported-into',
        'unsupported-slimit',
        'unsupported-slimit',
      ]);
      const slimit = d.find((x) => x.code === 'unsupported-slimit');
      expect(q.slice(slimit?.start, slimit?.end)).toBe('SLIMIT 1');
      expect(slimit?.message).toContain('This feature is not implemented: SLIMIT or SOFFSET');
      const into = d.find((x) => x.code === 'unsupported-into');
      expect(q.slice(into?.start, into?.end)).toBe('INTO t');
      const fn = d.find((x) => x.code === 'unsupported-function');
      expect(fn).toMatchObject({ line: 1, char: 8, endChar: 14 });
    }
  });

  it('finds unsupported features inside subqueries and EXPLAIN', () => {
    expect(codes('SELECT max(s) FROM (SELECT sample(x, 3) AS s FROM m)', 'core')).toEqual([
      'error:unsupported-function',
    ]);
    expect(codes('EXPLAIN SELECT x FROM m SLIMIT 1', 'core')).toEqual(['error:unsupported-slimit']);
  });

  it('SHOW DATABASES works on Core but not on the cloud flavors', () => {
    expect(codes('SHOW DATABASES', 'core')).toEqual([]);
    for (const f of ['cloud-dedicated', 'clustered', 'serverless'] as const) {
      const d = checkFlavor('SHOW DATABASES', parsed('SHOW DATABASES'), f);
      expect(d[0]?.code).toBe('unsupported-statement');
      expect(d[0]?.message).toContain('This feature is not implemented: SHOW DATABASES');
    }
  });

  it('3.x runs only the schema SHOW statements', () => {
    for (const q of [
      'SHOW MEASUREMENTS',
      'SHOW TAG KEYS FROM m',
      'SHOW TAG VALUES WITH KEY = host',
      'SHOW FIELD KEYS',
      'SHOW RETENTION POLICIES ON db',
    ]) {
      for (const f of ['cloud-dedicated', 'clustered', 'serverless', 'core'] as const)
        expect(codes(q, f), `${f}: ${q}`).toEqual([]);
    }
    const d = checkFlavor('SHOW SERIES', parsed('SHOW SERIES'), 'core');
    expect(d[0]?.message).toContain(
      'invalid SHOW statement, expected DATABASES, FIELD KEYS, MEASUREMENTS, TAG KEYS, TAG VALUES, or RETENTION POLICIES following SHOW',
    );
  });

  it('EXPLAIN: error on Cloud Dedicated and Serverless (seed), warning on Clustered, fine on Core', () => {
    expect(codes('EXPLAIN SELECT * FROM m', 'cloud-dedicated')).toEqual(['error:unsupported-statement']);
    expect(codes('EXPLAIN SELECT * FROM m', 'serverless')).toEqual(['error:unsupported-statement']);
    expect(codes('EXPLAIN SELECT * FROM m', 'clustered')).toEqual(['warning:maybe-unsupported-statement']);
    expect(codes('EXPLAIN ANALYZE SELECT * FROM m', 'core')).toEqual([]);
  });

  it('2.x v1-compat: schema reads, SHOW SERIES, DELETE and DROP MEASUREMENT work; SELECT INTO and management do not', () => {
    for (const q of [
      'SHOW DATABASES',
      'SHOW SERIES',
      'DELETE FROM m WHERE time < now()',
      'DROP MEASUREMENT m',
      'EXPLAIN SELECT * FROM m',
      'SELECT x FROM m SLIMIT 1',
    ]) {
      expect(codes(q, '2.x'), q).toEqual([]);
    }
    expect(codes('SELECT * INTO b FROM a', '2.x')).toEqual(['error:unsupported-into']);
    const d = checkFlavor('CREATE DATABASE db', parsed('CREATE DATABASE db'), '2.x');
    expect(d[0]?.message).toContain('not implemented: CREATE DATABASE');
    expect(codes('SHOW SERIES CARDINALITY', '2.x')).toEqual(['error:unsupported-statement']);
    expect(codes('KILL QUERY 3', '2.x')).toEqual(['error:unsupported-statement']);
  });

  it('reports each statement of a script at its own position', () => {
    const text = 'SELECT * FROM m;\nDROP DATABASE x;\n  KILL QUERY 2';
    const d = checkFlavor(text, parsed(text), 'serverless');
    expect(d.map((x) => [x.line, x.char, x.endLine, x.endChar])).toEqual([
      [2, 1, 2, 16],
      [3, 3, 3, 15],
    ]);
  });

  it('knows the six flavor ids of the CLI', () => {
    expect([...INFLUXQL_FLAVORS].sort()).toEqual(['1.x', '2.x', 'cloud-dedicated', 'clustered', 'core', 'serverless']);
  });
});

describe('requiresPost', () => {
  const post = (q: string): boolean[] => parsed(q).statements.map(requiresPost);

  it('POSTs what writes or manages, GETs reads (as influxd 1.x classifies them)', () => {
    for (const q of MANAGEMENT) expect(post(q), q).toEqual([true]);
    expect(post('SELECT * INTO b FROM a')).toEqual([true]);
    for (const q of [
      'SELECT * FROM a',
      'SHOW DATABASES',
      'SHOW TAG VALUES WITH KEY = h',
      'SHOW QUERIES',
      'EXPLAIN SELECT * FROM a',
      'SHOW GRANTS FOR u',
    ]) {
      expect(post(q), q).toEqual([false]);
    }
  });

  it('a script is POSTed when any statement must be', () => {
    expect(queryRequiresPost(parsed('SHOW DATABASES; SELECT * FROM m'))).toBe(false);
    expect(queryRequiresPost(parsed('SHOW DATABASES; CREATE DATABASE x'))).toBe(true);
  });
});

describe('splitStatements', () => {
  it('splits a valid script into statements with their source ranges', () => {
    const text = 'SELECT * FROM cpu; SHOW MEASUREMENTS;\n  -- note\n  SELECT "a;b" FROM m WHERE t =~ /x;y/ ;';
    const parts = splitStatements(text);
    expect(parts.map((p) => p.text)).toEqual([
      'SELECT * FROM cpu',
      'SHOW MEASUREMENTS',
      'SELECT "a;b" FROM m WHERE t =~ /x;y/',
    ]);
    expect(parts.map((p) => [p.line, p.char])).toEqual([
      [1, 1],
      [1, 20],
      [3, 3],
    ]);
    for (const p of parts) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('falls back to a lexical split that respects strings, quoted names and comments when the script does not parse', () => {
    const text = 'SELEC 1; SELECT \'a;b\' FROM "c;d" /* ; */ ; DROP';
    expect(splitStatements(text).map((p) => p.text)).toEqual(['SELEC 1', 'SELECT \'a;b\' FROM "c;d"', 'DROP']);
  });

  it('ignores empty statements and comment-only text', () => {
    expect(splitStatements(';; ;')).toEqual([]);
    expect(splitStatements('-- only a comment')).toEqual([]);
  });
});
